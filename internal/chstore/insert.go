package chstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/twinwatch/twinwatch/twin"
)

// InvalidError reports the rows of one insert call that can never be
// inserted (unknown enum, impossible date, missing field). Nothing of that
// call was sent. Rows holds their indexes in the call's slice, in order, and
// Errs the reason for each; every reason wraps twin.ErrInvalid, so
// errors.Is(err, twin.ErrInvalid) holds. The caller dead-letters those rows
// and inserts the rest again.
type InvalidError struct {
	Rows []int
	Errs []error
}

func (e *InvalidError) Error() string {
	msgs := make([]string, 0, min(len(e.Errs), 3))
	for _, err := range e.Errs[:min(len(e.Errs), 3)] {
		msgs = append(msgs, err.Error())
	}
	more := ""
	if len(e.Errs) > 3 {
		more = fmt.Sprintf(" (and %d more)", len(e.Errs)-3)
	}
	return fmt.Sprintf("chstore: %d invalid rows: %s%s", len(e.Rows), strings.Join(msgs, "; "), more)
}

// Unwrap returns the reason of every invalid row.
func (e *InvalidError) Unwrap() []error { return e.Errs }

func (e *InvalidError) add(i int, format string, args ...any) {
	e.Rows = append(e.Rows, i)
	e.Errs = append(e.Errs, fmt.Errorf("chstore: row %d: "+format+": %w", append(append([]any{i}, args...), twin.ErrInvalid)...))
}

func (e *InvalidError) orNil() error {
	if len(e.Rows) == 0 {
		return nil
	}
	return e
}

// column is one named column of a batch with its values, appended at once.
type column struct {
	name   string
	values any // a slice of the column's Go type
}

// sendColumns runs one PrepareBatch of query and appends cols column-wise.
// The names must match the query's column list (checked against the header
// block the server returns).
func (s *Store) sendColumns(ctx context.Context, table, query string, rows int, cols []column) error {
	ctx, cancel := s.queryCtx(ctx)
	defer cancel()
	b, err := s.conn.PrepareBatch(ctx, query)
	if err != nil {
		return fmt.Errorf("chstore: insert %d rows into %s: %w", rows, table, err)
	}
	defer func() { _ = b.Abort() }()
	header := b.Columns()
	if len(header) != len(cols) {
		return fmt.Errorf("chstore: insert into %s: server expects %d columns, chstore sends %d", table, len(header), len(cols))
	}
	for i, c := range cols {
		if header[i].Name() != c.name {
			return fmt.Errorf("chstore: insert into %s: column %d is %q on the server, %q in chstore", table, i, header[i].Name(), c.name)
		}
		if err := b.Column(i).Append(c.values); err != nil {
			return fmt.Errorf("chstore: insert %d rows into %s: column %s: %w", rows, table, c.name, err)
		}
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("chstore: insert %d rows into %s: %w", rows, table, err)
	}
	return nil
}

var (
	minDate = time.Unix(0, 0).UTC()
	// maxDateTime is the last second a ClickHouse DateTime (UInt32) holds.
	maxDateTime = time.Unix(1<<32-1, 0).UTC()
	// maxDate is the last day a ClickHouse Date (UInt16 days) holds.
	maxDate = time.Unix(0, 0).UTC().AddDate(0, 0, 1<<16-1)
)

// dateColumn returns the first day of d as a Date column value: 1970-01-01
// when d is unknown or outside what a Date holds (the String column next to
// it stays authoritative).
func dateColumn(d twin.Date) time.Time {
	t := d.Start()
	if d.IsZero() || t.Before(minDate) || t.After(maxDate) {
		return minDate
	}
	return t
}

// InsertPages writes pages to the crawl log (not their bodies: their size).
// One PrepareBatch per call; it blocks until the server has the batch.
// Invalid pages make it return an *InvalidError and insert nothing; other
// errors may be retried (IsRetryable): re-inserting is harmless.
func (s *Store) InsertPages(ctx context.Context, pages []twin.Page) error {
	if len(pages) == 0 {
		return nil
	}
	n := len(pages)
	var (
		url, hash, source, final, ctype, charset, lang = make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n)
		status                                         = make([]uint16, n)
		fetched                                        = make([]time.Time, n)
		size                                           = make([]uint64, n)
		bad                                            InvalidError
	)
	for i, p := range pages {
		switch {
		case p.URL == "" || p.ContentHash == "" || p.Source == "":
			bad.add(i, "page %q: url, content_hash and source are required", p.URL)
		case p.Status < 0 || p.Status > 65535:
			bad.add(i, "page %s: status %d", p.URL, p.Status)
		case p.FetchedAt.Before(minDate) || p.FetchedAt.After(maxDateTime):
			bad.add(i, "page %s: fetched_at %s outside 1970..2106", p.URL, p.FetchedAt.Format(time.RFC3339))
		}
		url[i], hash[i], source[i], final[i] = p.URL, p.ContentHash, p.Source, p.FinalURL
		ctype[i], charset[i], lang[i] = p.ContentType, p.Charset, p.Lang
		status[i], fetched[i], size[i] = uint16(p.Status), p.FetchedAt.UTC(), uint64(len(p.Body))
	}
	if err := bad.orNil(); err != nil {
		return err
	}
	return s.sendColumns(ctx, "pages", mustSQL("insert_pages.sql"), n, []column{
		{"url", url}, {"content_hash", hash}, {"source", source}, {"final_url", final},
		{"status", status}, {"fetched_at", fetched}, {"content_type", ctype},
		{"charset", charset}, {"lang", lang}, {"bytes", size},
	})
}

// Enum codes of the columns (see sql/migrations); 0 means unknown.
var (
	kindCodes     = map[twin.PlaceKind]int8{twin.City: 1, twin.Region: 2}
	relationCodes = map[twin.Relation]int8{twin.Twin: 1, twin.Partner: 2, twin.Friendship: 3, twin.Cooperation: 4}
	statusCodes   = map[twin.Status]int8{twin.Signed: 1, twin.Intent: 2, twin.Anniversary: 3, twin.Existing: 4, twin.Terminated: 5}
	categoryCodes = map[twin.Category]int8{
		twin.Culture: 1, twin.Education: 2, twin.Science: 3, twin.Youth: 4, twin.Sport: 5,
		twin.Tourism: 6, twin.Economy: 7, twin.Humanitarian: 8, twin.Delegation: 9,
	}
	originCodes = map[twin.Origin]int8{twin.OriginCrawl: 1, twin.OriginReference: 2, "": 1}
)

// placeCols are the ru_* or cn_* columns of one side of a pair.
type placeCols struct {
	id, nameRU, nameZH, nameEN, region []string
	kind                               []int8
}

func newPlaceCols(n int) placeCols {
	return placeCols{make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]string, n), make([]int8, n)}
}

func (c placeCols) set(i int, p twin.Place) (ok bool) {
	c.id[i], c.nameRU[i], c.nameZH[i], c.nameEN[i], c.region[i] = p.ID, p.NameRU, p.NameZH, p.NameEN, p.Region
	c.kind[i], ok = kindCodes[p.Kind]
	return ok && p.ID != ""
}

func (c placeCols) columns(prefix string) []column {
	return []column{
		{prefix + "id", c.id}, {prefix + "name_ru", c.nameRU}, {prefix + "name_zh", c.nameZH},
		{prefix + "name_en", c.nameEN}, {prefix + "kind", c.kind}, {prefix + "region", c.region},
	}
}

// obsCols are the columns agreement_mentions and events share.
type obsCols struct {
	version                                           []uint64
	ru, cn                                            placeCols
	date                                              []string
	dateDate                                          []time.Time
	precision                                         []int8
	evidence, source, url, published, lang, extractor []string
	publishedDate                                     []time.Time
	confidence                                        []float64
	origin                                            []int8
	seenAt                                            []time.Time
}

func newObsCols(n int) *obsCols {
	return &obsCols{
		version: make([]uint64, n), ru: newPlaceCols(n), cn: newPlaceCols(n),
		date: make([]string, n), dateDate: make([]time.Time, n), precision: make([]int8, n),
		evidence: make([]string, n), source: make([]string, n), url: make([]string, n),
		published: make([]string, n), lang: make([]string, n), extractor: make([]string, n),
		publishedDate: make([]time.Time, n), confidence: make([]float64, n), origin: make([]int8, n),
		seenAt: make([]time.Time, n),
	}
}

// set fills row j from o (its date being d) and reports what is invalid.
func (c *obsCols) set(j int, o twin.Observation, d twin.Date, now time.Time) (problem string) {
	if !c.ru.set(j, o.Places[0]) || !c.cn.set(j, o.Places[1]) {
		problem = "places need an id and kind city or region"
	}
	if o.Places[0].Country != twin.RU || o.Places[1].Country != twin.CN {
		problem = "places must be RU then CN"
	}
	seen := o.SeenAt.UTC()
	if o.SeenAt.IsZero() {
		seen = now
	}
	if seen.Before(minDate) || seen.After(maxDateTime) {
		problem = "seen_at " + seen.Format(time.RFC3339) + " outside 1970..2106"
	}
	var ok bool
	if c.origin[j], ok = originCodes[o.Origin]; !ok {
		problem = "origin " + strconv.Quote(string(o.Origin))
	}
	if !d.Valid() || !o.Published.Valid() {
		problem = "impossible date"
	}
	c.version[j] = Version(o.Extractor, seen)
	c.date[j], c.dateDate[j], c.precision[j] = d.String(), dateColumn(d), int8(d.Precision())
	c.evidence[j], c.source[j], c.url[j], c.lang[j], c.extractor[j] = o.Evidence, o.Source, o.URL, o.Lang, o.Extractor
	c.published[j], c.publishedDate[j] = o.Published.String(), dateColumn(o.Published)
	c.confidence[j], c.seenAt[j] = o.Confidence, seen
	return problem
}

// InsertObservations writes agreement observations to agreement_mentions and
// event observations to events: one PrepareBatch per table that has rows, so
// at most two per call, mentions first. It blocks until the server has them.
// Invalid observations make it return an *InvalidError (indexes into obs)
// and insert nothing; other errors may be retried (IsRetryable): a retry
// after a partial success only re-inserts rows that read-time deduplication
// absorbs.
func (s *Store) InsertObservations(ctx context.Context, obs []twin.Observation) error {
	if len(obs) == 0 {
		return nil
	}
	var na, ne int
	for _, o := range obs {
		if o.Type == twin.KindAgreement {
			na++
		} else {
			ne++
		}
	}
	var (
		now = time.Now().UTC().Truncate(time.Second)
		bad InvalidError

		ag                     = newObsCols(na)
		mentionID, agreementID = make([]string, na), make([]string, na)
		relation, status       = make([]int8, na), make([]int8, na)
		ev                     = newObsCols(ne)
		eventID                = make([]string, ne)
		category               = make([]int8, ne)
		ia, ie                 int
	)
	for i, o := range obs {
		var problem string
		var ok bool
		switch o.Type {
		case twin.KindAgreement:
			problem = ag.set(ia, o, o.Established, now)
			mentionID[ia], agreementID[ia] = o.MentionID, o.ID
			if relation[ia], ok = relationCodes[o.Relation]; !ok {
				problem = "relation " + strconv.Quote(string(o.Relation))
			}
			if status[ia], ok = statusCodes[o.Status]; !ok {
				problem = "status " + strconv.Quote(string(o.Status))
			}
			if o.ID == "" || o.MentionID == "" {
				problem = "id and mention_id are required"
			}
			ia++
		case twin.KindEvent:
			problem = ev.set(ie, o, o.Date, now)
			eventID[ie] = o.ID
			if category[ie], ok = categoryCodes[o.Category]; !ok {
				problem = "category " + strconv.Quote(string(o.Category))
			}
			if o.ID == "" {
				problem = "id is required"
			}
			ie++
		default:
			problem = "type " + strconv.Quote(string(o.Type))
			ie++ // counted as an event above
		}
		if problem != "" {
			bad.add(i, "observation %s: %s", o.ID, problem)
		}
	}
	if err := bad.orNil(); err != nil {
		return err
	}
	if na > 0 {
		cols := []column{{"mention_id", mentionID}, {"agreement_id", agreementID}, {"version", ag.version}}
		cols = append(cols, ag.ru.columns("ru_")...)
		cols = append(cols, ag.cn.columns("cn_")...)
		cols = append(cols,
			column{"relation", relation}, column{"status", status},
			column{"established", ag.date}, column{"established_date", ag.dateDate}, column{"established_precision", ag.precision})
		cols = append(cols, ag.provenance()...)
		if err := s.sendColumns(ctx, "agreement_mentions", mustSQL("insert_agreement_mentions.sql"), na, cols); err != nil {
			return err
		}
	}
	if ne > 0 {
		cols := []column{{"event_id", eventID}, {"version", ev.version}}
		cols = append(cols, ev.ru.columns("ru_")...)
		cols = append(cols, ev.cn.columns("cn_")...)
		cols = append(cols,
			column{"category", category},
			column{"date", ev.date}, column{"event_date", ev.dateDate}, column{"date_precision", ev.precision})
		cols = append(cols, ev.provenance()...)
		if err := s.sendColumns(ctx, "events", mustSQL("insert_events.sql"), ne, cols); err != nil {
			return err
		}
	}
	return nil
}

func (c *obsCols) provenance() []column {
	return []column{
		{"evidence", c.evidence}, {"confidence", c.confidence}, {"source", c.source}, {"url", c.url},
		{"published", c.published}, {"published_date", c.publishedDate}, {"lang", c.lang},
		{"extractor", c.extractor}, {"origin", c.origin}, {"seen_at", c.seenAt},
	}
}

// Version is the ReplacingMergeTree version of a mention or event row:
// the extractor's rank in the top 24 bits, then seen_at in unix seconds, so
// a newer extractor's row wins over an older one's whenever they were seen,
// and among rows of one extractor the latest seen wins. The rank is read from
// the last dotted number in extractor ("parser/v1.4.2" -> 1.4.2, each part
// capped at 255); an extractor without one ranks 0.
func Version(extractor string, seenAt time.Time) uint64 {
	secs := max(seenAt.Unix(), 0)
	return extractorRank(extractor)<<40 | uint64(secs)&(1<<40-1)
}

func extractorRank(s string) uint64 {
	// Find the last run of digits and dots that starts with a digit.
	end := strings.LastIndexAny(s, "0123456789")
	if end < 0 {
		return 0
	}
	start := end
	for start > 0 && (s[start-1] >= '0' && s[start-1] <= '9' || s[start-1] == '.') {
		start--
	}
	parts := strings.Split(strings.Trim(s[start:end+1], "."), ".")
	var rank uint64
	for k := range 3 {
		var v uint64
		if k < len(parts) {
			v, _ = strconv.ParseUint(parts[k], 10, 64)
		}
		rank = rank<<8 | min(v, 255)
	}
	return rank
}
