package twin

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"time"
)

// Version is the version of the wire JSON this package writes ("v" field).
// Readers accept this version only; a message of another version is invalid.
const Version = 1

// Observation is one thing a page (or the reference list) says about a pair of
// places: either an agreement between them or an event between them. It is the
// message on the OBSERVATIONS stream and the line `twinwatch extract` prints.
//
// Places[0] is always the Russian place and Places[1] the Chinese one.
// Agreement fields (Relation, Status, Established, MentionID) are set only when
// Type is KindAgreement; event fields (Category, Date) only for KindEvent.
type Observation struct {
	V    int    `json:"v"`
	Type Kind   `json:"type"`
	ID   string `json:"id"` // AgreementID or EventID

	Places [2]Place `json:"places"`

	// Agreement.
	MentionID   string   `json:"mention_id,omitempty"`
	Relation    Relation `json:"relation,omitempty"`
	Status      Status   `json:"status,omitempty"`
	Established Date     `json:"established,omitzero"`

	// Event.
	Category Category `json:"category,omitempty"`
	Date     Date     `json:"date,omitzero"`

	Evidence   string  `json:"evidence"`
	Confidence float64 `json:"confidence"`

	// Provenance.
	Source    string    `json:"source,omitempty"` // config name of the source, "reference" for backfill
	URL       string    `json:"url,omitempty"`    // canonical URL of the page
	Published Date      `json:"published,omitzero"`
	Lang      string    `json:"lang,omitempty"` // "ru", "zh", "en"
	Extractor string    `json:"extractor,omitempty"`
	Origin    Origin    `json:"origin,omitempty"`
	SeenAt    time.Time `json:"seen_at,omitzero"`
}

// NewAgreement returns an agreement observation between ru and cn with its
// IDs derived. url may be "" (then MentionID is derived from "").
func NewAgreement(ru, cn Place, r Relation, s Status, established Date, url string) Observation {
	id := AgreementID(ru.ID, cn.ID, r)
	return Observation{
		V: Version, Type: KindAgreement, ID: id, Places: [2]Place{ru, cn},
		MentionID: MentionID(id, url), Relation: r, Status: s, Established: established, URL: url,
	}
}

// NewEvent returns an event observation between ru and cn with its ID derived.
func NewEvent(ru, cn Place, c Category, d Date, url string) Observation {
	return Observation{
		V: Version, Type: KindEvent, ID: EventID(ru.ID, cn.ID, c, d, url), Places: [2]Place{ru, cn},
		Category: c, Date: d, URL: url,
	}
}

// Validate checks o's invariants and returns every violation joined, each
// wrapping ErrInvalid: version, kind, places (RU then CN), enums, dates,
// confidence in [0,1], and IDs equal to the ones derived from the content.
func (o Observation) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("twin: observation %s: "+format+": %w", append(append([]any{o.ID}, args...), ErrInvalid)...))
	}
	if o.V != Version {
		bad("version %d, want %d", o.V, Version)
	}
	for i, p := range o.Places {
		if err := p.Validate(); err != nil {
			errs = append(errs, err)
		}
		want := []Country{RU, CN}[i]
		if p.Country != want {
			bad("places[%d] is %q, want %q", i, p.Country, want)
		}
	}
	if !o.Established.Valid() || !o.Date.Valid() || !o.Published.Valid() {
		bad("impossible date")
	}
	if math.IsNaN(o.Confidence) || o.Confidence < 0 || o.Confidence > 1 {
		bad("confidence %v outside [0,1]", o.Confidence)
	}
	if o.Origin != "" && !o.Origin.Valid() {
		bad("origin %q", o.Origin)
	}
	a, b := o.Places[0].ID, o.Places[1].ID
	switch o.Type {
	case KindAgreement:
		if !o.Relation.Valid() {
			bad("relation %q", o.Relation)
		}
		if !o.Status.Valid() {
			bad("status %q", o.Status)
		}
		if o.Category != "" || !o.Date.IsZero() {
			bad("agreement carries event fields")
		}
		if id := AgreementID(a, b, o.Relation); o.ID != id {
			bad("id is not AgreementID (%s)", id)
		}
		if id := MentionID(o.ID, o.URL); o.MentionID != id {
			bad("mention_id is not MentionID (%s)", id)
		}
	case KindEvent:
		if !o.Category.Valid() {
			bad("category %q", o.Category)
		}
		if o.Relation != "" || o.Status != "" || !o.Established.IsZero() || o.MentionID != "" {
			bad("event carries agreement fields")
		}
		if id := EventID(a, b, o.Category, o.Date, o.URL); o.ID != id {
			bad("id is not EventID (%s)", id)
		}
	default:
		bad("type %q", o.Type)
	}
	return errors.Join(errs...)
}

// MsgID is the observation's Nats-Msg-Id: the same observation of the same
// page by the same extractor version is the same message, whenever and by
// whichever replica it is published; a newer extractor's is a new message.
func (o Observation) MsgID() string {
	return digest("ob_", string(o.Type), o.ID, o.URL, string(o.Relation), string(o.Status),
		o.Established.String(), string(o.Category), o.Date.String(), o.Extractor, string(o.Origin))
}

// DecodeObservation decodes and validates one wire message. Every error wraps
// ErrInvalid: a message that fails here will fail forever.
func DecodeObservation(data []byte) (Observation, error) {
	var o Observation
	if err := json.Unmarshal(data, &o); err != nil {
		if errors.Is(err, ErrInvalid) {
			return o, err
		}
		return o, fmt.Errorf("twin: decode observation: %w: %w", err, ErrInvalid)
	}
	if err := o.Validate(); err != nil {
		return o, err
	}
	return o, nil
}
