package parser

import (
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/twinwatch/twinwatch/parser/gazetteer"
	"github.com/twinwatch/twinwatch/parser/htmldoc"
	"github.com/twinwatch/twinwatch/twin"
)

// Version is the extractor's version, written to Observation.Extractor. It
// changes whenever the rules change, so a replay with a newer extractor
// produces new messages (twin.Observation.MsgID includes it).
const Version = "2026.11.1"

// Parser turns HTML pages into observations. It holds no mutable state and
// is safe for concurrent use by any number of goroutines.
type Parser struct {
	cfg Config
	g   *gazetteer.Gazetteer
}

// New returns a Parser with cfg and the gazetteer g (which must not be nil).
// cfg is assumed validated; a zero MinConfidence keeps every observation.
func New(cfg Config, g *gazetteer.Gazetteer) *Parser {
	return &Parser{cfg: cfg, g: g}
}

// Input is one document to extract from, outside the pipeline (the
// `twinwatch extract` command, the evaluator, tests).
type Input struct {
	// Body is the raw document: UTF-8 or a legacy encoding that the
	// document declares (meta charset) or Charset names.
	Body []byte
	// URL is the page's canonical URL: the ID of mentions and events, and
	// a last resort for the publication date.
	URL string
	// Published overrides the publication date found in the page.
	Published twin.Date
	// Lang is the source's language hint ("ru", "zh", "en"); "" detects it.
	Lang string
	// Selectors override generic extraction of title, date and body.
	Selectors twin.Selectors
	// Source is the config name of the source, copied to observations.
	Source string
	// Charset names Body's encoding when known ("" sniffs the document).
	Charset string
	// FetchedAt is when the page was fetched, if known. It never becomes
	// the publication date; it only tells that a signing dated long before
	// it, on an undated page, is not news.
	FetchedAt time.Time
}

// Parse extracts the observations of a fetched page. Every observation is
// complete (IDs derived, Places[0] Russian and Places[1] Chinese, evidence,
// confidence, provenance with Origin twin.OriginCrawl and SeenAt the fetch
// time) and passes Validate. A page that cannot be read as HTML is an error;
// a page with nothing to extract gives no observations and no error.
func (p *Parser) Parse(page twin.Page) ([]twin.Observation, error) {
	charset := page.Charset
	if utf8.ValidString(page.Body) {
		// The crawler decoded the body already; the charset is history.
		charset = "utf-8"
	}
	obs, _, err := p.ParseInput(Input{
		Body: []byte(page.Body), URL: page.URL, Lang: page.Lang, Selectors: page.Selectors,
		Source: page.Source, Charset: charset, FetchedAt: page.FetchedAt,
	})
	if err != nil {
		return nil, err
	}
	for i := range obs {
		obs[i].SeenAt = page.FetchedAt
	}
	return obs, nil
}

// ParseInput extracts observations from one document and also returns the
// parsed document (title, publication date, language, text blocks) for
// display. Observations carry no SeenAt.
func (p *Parser) ParseInput(in Input) ([]twin.Observation, *htmldoc.Doc, error) {
	if p == nil || p.g == nil {
		return nil, nil, fmt.Errorf("parser: no gazetteer")
	}
	if p.cfg.MaxBodyBytes > 0 && len(in.Body) > p.cfg.MaxBodyBytes {
		return nil, nil, fmt.Errorf("parser: %s: body of %d bytes exceeds max_body_bytes %d", in.URL, len(in.Body), p.cfg.MaxBodyBytes)
	}
	doc, err := htmldoc.Parse(in.Body, htmldoc.Hints{
		URL: in.URL, Lang: in.Lang, Charset: in.Charset, Selectors: in.Selectors, Published: in.Published,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("parser: %s: %w", in.URL, err)
	}
	if doc == nil {
		return nil, nil, fmt.Errorf("parser: %s: no document", in.URL)
	}
	lang := in.Lang
	if lang == "" {
		lang = doc.Lang
	}
	if lang != "ru" && lang != "zh" && lang != "en" {
		lang = detectLang(doc.Title + " " + doc.Text())
	}
	if lang == "" {
		lang = "en"
	}
	pub := in.Published
	if pub.IsZero() {
		pub = doc.Published
	}
	if pub.IsZero() {
		pub = dateFromURL(in.URL)
		if !pub.IsZero() {
			doc.Published, doc.PublishedSource = pub, "url"
		}
	}
	if !pub.Valid() {
		pub = twin.Date{}
	}
	var fetched twin.Date
	if !in.FetchedAt.IsZero() {
		fetched = twin.DayDate(in.FetchedAt.UTC())
	}
	obs := p.extract(doc, lang, pub, fetched, in.URL)
	out := obs[:0]
	for _, o := range obs {
		if o.Confidence < p.cfg.MinConfidence {
			continue
		}
		o.Source, o.Published, o.Lang = in.Source, pub, lang
		o.Extractor, o.Origin = Version, twin.OriginCrawl
		if o.Validate() != nil {
			// Defensive: the rules only build valid observations; an invalid one
			// (a gazetteer entry without ID, say) is dropped rather than published.
			continue
		}
		out = append(out, o)
	}
	return out, doc, nil
}
