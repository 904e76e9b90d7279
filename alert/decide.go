package alert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/twinwatch/twinwatch/internal/bus"
	"github.com/twinwatch/twinwatch/twin"
)

// Decisions about an agreement, as kept in its state entry.
const (
	decisionAlert   = "alert"   // paged now
	decisionLate    = "late"    // discovered late: goes to the digest
	decisionHistory = "history" // loaded from the analysts' reference: never alerts
)

// Caps that keep a state entry small.
const (
	maxSources = 64
	maxUpdates = 32
)

// agreementState is the value of an agreement's entry in the agreements
// bucket. It is created once (atomically) with the decision; later changes
// are compare-and-set on its revision.
type agreementState struct {
	V           int              `json:"v"`
	Decision    string           `json:"decision"`
	Decided     time.Time        `json:"decided"`
	Observation twin.Observation `json:"observation"`
	Best        twin.Date        `json:"best"`
	Sources     []string         `json:"sources"`
	// Published is set once the decision's effects (delivery jobs, digest
	// entry, record) are durable.
	Published bool          `json:"published"`
	Updates   []stateUpdate `json:"updates,omitempty"`
}

type stateUpdate struct {
	N           int              `json:"n"`
	BetterDate  bool             `json:"better_date,omitempty"`
	NewSource   bool             `json:"new_source,omitempty"`
	Sources     int              `json:"sources"`
	Observation twin.Observation `json:"observation"`
	Published   bool             `json:"published"`
}

// job is a delivery job on DeliverSubject(channel): one message for one channel.
type job struct {
	V       int    `json:"v"`
	ID      string `json:"id"` // the same for every channel: alert.<agreement>, update.<agreement>.<n>, digest.<time>
	Kind    string `json:"kind"`
	Channel string `json:"channel"`
	// Parent is the job ID of the alert an update belongs to.
	Parent    string            `json:"parent,omitempty"`
	Agreement *twin.Observation `json:"agreement,omitempty"`
	Update    *UpdateData       `json:"update,omitempty"`
	Digest    *DigestData       `json:"digest,omitempty"`
	Created   time.Time         `json:"created"`
}

// errConflict means another writer changed a state entry first: re-read.
var errConflict = errors.New("alert: state changed concurrently")

// maxRounds bounds the read-decide-write loop of one observation.
const maxRounds = 16

// handleObservation is the decide consumer's handler.
func (a *Alerter) handleObservation(ctx context.Context, m *bus.Msg) error {
	o, err := twin.DecodeObservation(m.Data)
	if err != nil {
		return err
	}
	now := a.clock().UTC()
	if o.Origin != twin.OriginReference && o.Source != "" {
		a.noteSource(ctx, o.Source, now)
	}
	if o.Type == twin.KindEvent {
		return a.noteEvent(ctx, o)
	}
	return a.decide(ctx, o, now)
}

// classify returns the decision for an agreement seen for the first time,
// or "" when it is not news.
func (a *Alerter) classify(o twin.Observation, now time.Time) string {
	if o.Origin == twin.OriginReference {
		return decisionHistory
	}
	if !slices.Contains(a.cfg.Statuses, o.Status) || o.Confidence < a.cfg.MinConfidence {
		return ""
	}
	seen := o.SeenAt
	if seen.IsZero() {
		seen = now
	}
	d := o.Established
	if d.IsZero() {
		d = o.Published
	}
	if d.IsZero() {
		if a.cfg.UnknownDate == "digest" {
			return decisionLate
		}
		return decisionAlert
	}
	if seen.Sub(dateEnd(d)) <= a.cfg.FreshWithin.D() {
		return decisionAlert
	}
	return decisionLate
}

// dateEnd returns the instant just after the last day d may stand for: a
// date known to the year may be as late as 31 December.
func dateEnd(d twin.Date) time.Time {
	s := d.Start()
	switch d.Precision() {
	case twin.PrecisionYear:
		return s.AddDate(1, 0, 0)
	case twin.PrecisionMonth:
		return s.AddDate(0, 1, 0)
	default:
		return s.AddDate(0, 0, 1)
	}
}

// sourceKey identifies a source for "a second source": the page's host
// without "www.", else the source's config name.
func sourceKey(o twin.Observation) string {
	if u, err := url.Parse(o.URL); err == nil && u.Hostname() != "" {
		return strings.TrimPrefix(strings.ToLower(u.Hostname()), "www.")
	}
	return o.Source
}

// betterDate reports whether d improves on best: more precise and not
// contradicting it.
func betterDate(best, d twin.Date) bool {
	if d.Precision() <= best.Precision() {
		return false
	}
	switch best.Precision() {
	case twin.PrecisionNone:
		return true
	case twin.PrecisionYear:
		return d.Year == best.Year
	default:
		return d.Year == best.Year && d.Month == best.Month
	}
}

// updatable reports whether o may contribute an update: trusted enough and
// not about plans or an end.
func (a *Alerter) updatable(o twin.Observation) bool {
	return o.Origin != twin.OriginReference && o.Confidence >= a.cfg.MinConfidence &&
		o.Status != twin.Intent && o.Status != twin.Terminated
}

// decide runs the state machine of one agreement observation until nothing
// is left to do: create the decision; publish it; publish pending updates;
// append a new update. Every step is idempotent, so a redelivery or a second
// replica running the same observation finishes the work without repeating it.
func (a *Alerter) decide(ctx context.Context, o twin.Observation, now time.Time) error {
	var (
		st   agreementState
		rev  uint64
		have bool // st and rev are the entry as last written by us
	)
	// An observation that would be decided tries the atomic create first (one
	// round trip for a new agreement); one that would not reads the entry.
	d := a.classify(o, now)
	tryCreate := d != ""
	for range maxRounds {
		if !have {
			var (
				entry jetstream.KeyValueEntry
				err   error
			)
			if !tryCreate {
				entry, err = a.agreements.Get(ctx, o.ID)
			}
			tryCreate = false
			if entry == nil && (err == nil || errors.Is(err, jetstream.ErrKeyNotFound)) {
				if d == "" {
					a.metrics.decisions.WithLabelValues("ignored").Inc()
					return nil
				}
				st = agreementState{V: 1, Decision: d, Decided: now, Observation: o, Best: o.Established, Published: d == decisionHistory}
				if k := sourceKey(o); k != "" && d != decisionHistory {
					st.Sources = []string{k}
				}
				data, _ := json.Marshal(st)
				rev, err = a.agreements.Create(ctx, o.ID, data)
				if err != nil {
					if errors.Is(err, jetstream.ErrKeyExists) {
						continue // decided elsewhere a moment ago
					}
					return fmt.Errorf("alert: create state of %s: %w", o.ID, err)
				}
				a.metrics.decisions.WithLabelValues(d).Inc()
				if d != decisionHistory {
					a.log.Info("agreement is new", "agreement", o.ID, "decision", d, "url", o.URL)
				}
				if err := a.crash("decided"); err != nil {
					return err
				}
				have = true
				continue
			}
			if err != nil {
				return fmt.Errorf("alert: get state of %s: %w", o.ID, err)
			}
			st = agreementState{}
			if err := json.Unmarshal(entry.Value(), &st); err != nil {
				return fmt.Errorf("alert: state of %s is corrupt: %v: %w", o.ID, err, twin.ErrInvalid)
			}
			rev, have = entry.Revision(), true
		}
		next, err := a.step(ctx, o, &st, rev)
		switch {
		case errors.Is(err, errConflict):
			have = false
		case errors.Is(err, errDone):
			return nil
		case err != nil:
			return err
		default:
			rev = next
		}
	}
	return fmt.Errorf("alert: state of %s kept changing under %d attempts", o.ID, maxRounds)
}

// errDone ends decide's loop: nothing left to do.
var errDone = errors.New("alert: done")

// step does the next thing an existing state needs, writes st over rev and
// returns the new revision; or it reports errConflict (re-read), errDone
// (nothing left to do) or a failure. On errConflict st is stale.
func (a *Alerter) step(ctx context.Context, o twin.Observation, st *agreementState, rev uint64) (uint64, error) {
	id := st.Observation.ID
	if !st.Published {
		if err := a.publishDecision(ctx, st); err != nil {
			return 0, err
		}
		st.Published = true
		return a.save(ctx, id, st, rev)
	}
	for i := range st.Updates {
		if st.Updates[i].Published {
			continue
		}
		if err := a.publishUpdate(ctx, st, st.Updates[i]); err != nil {
			return 0, err
		}
		st.Updates[i].Published = true
		return a.save(ctx, id, st, rev)
	}
	if st.Decision == decisionHistory || a.cfg.Updates == "off" || !a.updatable(o) {
		return 0, errDone
	}
	better := betterDate(st.Best, o.Established)
	key := sourceKey(o)
	newSrc := key != "" && !slices.Contains(st.Sources, key) && len(st.Sources) < maxSources
	if (!better && !newSrc) || len(st.Updates) >= maxUpdates {
		a.metrics.decisions.WithLabelValues("unchanged").Inc()
		return 0, errDone
	}
	if better {
		st.Best = o.Established
	}
	if newSrc {
		st.Sources = append(st.Sources, key)
	}
	st.Updates = append(st.Updates, stateUpdate{
		N: len(st.Updates) + 1, BetterDate: better, NewSource: newSrc, Sources: len(st.Sources), Observation: o,
	})
	a.metrics.decisions.WithLabelValues("update").Inc()
	a.log.Info("agreement updated", "agreement", id, "better_date", better, "new_source", newSrc, "url", o.URL)
	return a.save(ctx, id, st, rev)
}

// save writes st over revision rev and returns the new revision.
func (a *Alerter) save(ctx context.Context, id string, st *agreementState, rev uint64) (uint64, error) {
	data, _ := json.Marshal(st)
	next, err := a.agreements.Update(ctx, id, data, rev)
	if err != nil {
		if errors.Is(err, jetstream.ErrKeyExists) {
			return 0, errConflict
		}
		var apiErr *jetstream.APIError
		if errors.As(err, &apiErr) && apiErr.ErrorCode == jetstream.JSErrCodeStreamWrongLastSequence {
			return 0, errConflict
		}
		return 0, fmt.Errorf("alert: update state of %s: %w", id, err)
	}
	return next, nil
}

// publishDecision makes a decision's effects durable: the delivery jobs
// (alert) or the digest entry (late) first, so that a store that is down
// delays no alert, then the record. Repeating it is harmless.
func (a *Alerter) publishDecision(ctx context.Context, st *agreementState) error {
	o := st.Observation
	switch st.Decision {
	case decisionAlert:
		j := job{V: 1, ID: "alert." + o.ID, Kind: KindAlert, Agreement: &o, Created: st.Decided}
		if err := a.publishJobs(ctx, j, &o); err != nil {
			return err
		}
	case decisionLate:
		data, _ := json.Marshal(o)
		if _, err := a.digest.Put(ctx, "late."+o.ID, data); err != nil {
			return fmt.Errorf("alert: add %s to the digest: %w", o.ID, err)
		}
	}
	if a.rec != nil {
		if err := a.rec.Record(ctx, Record{AgreementID: o.ID, Kind: st.Decision, Sources: len(st.Sources), Observation: o, At: st.Decided}); err != nil {
			return fmt.Errorf("alert: record %s of %s: %w", st.Decision, o.ID, err)
		}
	}
	return nil
}

// publishUpdate sends an update (if configured and the agreement alerted),
// then records it.
func (a *Alerter) publishUpdate(ctx context.Context, st *agreementState, u stateUpdate) error {
	id := st.Observation.ID
	if st.Decision == decisionAlert && a.cfg.Updates == "send" {
		o := u.Observation
		j := job{
			V: 1, ID: fmt.Sprintf("update.%s.%d", id, u.N), Kind: KindUpdate, Parent: "alert." + id, Agreement: &o,
			Update:  &UpdateData{N: u.N, BetterDate: u.BetterDate, NewSource: u.NewSource, Sources: u.Sources},
			Created: a.clock().UTC(),
		}
		if err := a.publishJobs(ctx, j, &st.Observation); err != nil {
			return err
		}
	}
	if a.rec != nil {
		r := Record{AgreementID: id, Kind: KindUpdate, N: u.N, BetterDate: u.BetterDate, NewSource: u.NewSource,
			Sources: u.Sources, Observation: u.Observation, At: a.clock().UTC()}
		if err := a.rec.Record(ctx, r); err != nil {
			return fmt.Errorf("alert: record update %d of %s: %w", u.N, id, err)
		}
	}
	return nil
}

// publishJobs publishes j to every channel that takes its kind and whose
// filter passes filterOn (nil: no filter), with Msg-Id <job>.<channel>.
func (a *Alerter) publishJobs(ctx context.Context, j job, filterOn *twin.Observation) error {
	for _, c := range a.channels {
		if !c.cfg.sends(j.Kind) || (filterOn != nil && !c.cfg.Filter.match(*filterOn)) {
			continue
		}
		j.Channel = c.cfg.Name
		data, err := json.Marshal(j)
		if err != nil {
			return fmt.Errorf("alert: encode job %s: %w", j.ID, err)
		}
		if _, err := a.bus.Publish(ctx, DeliverSubject(c.cfg.Name), j.ID+"."+c.cfg.Name, data); err != nil {
			return fmt.Errorf("alert: publish job %s for %s: %w", j.ID, c.cfg.Name, err)
		}
	}
	return nil
}

// match reports whether o passes the filter.
func (f FilterConfig) match(o twin.Observation) bool {
	if len(f.Statuses) > 0 && !slices.Contains(f.Statuses, o.Status) {
		return false
	}
	if len(f.Relations) > 0 && !slices.Contains(f.Relations, o.Relation) {
		return false
	}
	if len(f.Pairs) > 0 {
		a, b := string(o.Places[0].Country), string(o.Places[1].Country)
		ok := false
		for _, p := range f.Pairs {
			ok = ok || p == a+"-"+b || p == b+"-"+a
		}
		if !ok {
			return false
		}
	}
	if len(f.Regions) > 0 {
		ok := false
		for _, r := range f.Regions {
			for _, p := range o.Places {
				ok = ok || strings.EqualFold(r, p.Region) || (p.Kind == twin.Region && strings.EqualFold(r, p.NameEN))
			}
		}
		if !ok {
			return false
		}
	}
	return true
}
