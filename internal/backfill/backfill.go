package backfill

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/twinwatch/twinwatch/twin"
)

// Source is the source name of every backfilled observation.
const Source = "reference"

// Extractor names the mapping version in Observation.Extractor.
const Extractor = "reference/1"

// Format is the syntax of a reference file.
type Format string

// Formats Read accepts.
const (
	TSV Format = "tsv"
	CSV Format = "csv"
)

// FormatOf returns the format a file name implies: CSV for ".csv", TSV otherwise.
func FormatOf(path string) Format {
	if strings.EqualFold(filepath.Ext(path), ".csv") {
		return CSV
	}
	return TSV
}

// Columns are the columns a reference file must name in its header.
var Columns = []string{"ru_place", "ru_place_en", "cn_place", "cn_place_en", "level", "type", "established", "source_url", "note"}

// Row is one data row of a reference file, by column name.
type Row struct {
	Line                                      int // 1-based line number in the file
	RUPlace, RUPlaceEN, CNPlace, CNPlaceEN    string
	Level, Type, Established, SourceURL, Note string
}

// RowError reports a row that was not loaded.
type RowError struct {
	Line   int
	Reason string
}

func (e RowError) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Reason) }

// ErrHeader is returned (wrapped) by Read when the header lacks a column.
var ErrHeader = errors.New("backfill: header lacks a required column")

// Read parses a reference file. It returns the data rows and a RowError
// for every row it cannot split (wrong field count, CSV syntax). The error
// is non-nil only when the file cannot be read or its header lacks one of
// Columns (wrapping ErrHeader); rows read before an I/O error are returned.
func Read(r io.Reader, f Format) ([]Row, []RowError, error) {
	switch f {
	case CSV:
		return readCSV(r)
	case TSV:
		return readTSV(r)
	default:
		return nil, nil, fmt.Errorf("backfill: unknown format %q", f)
	}
}

type header map[string]int

func newHeader(fields []string) (header, error) {
	h := header{}
	for i, f := range fields {
		f = strings.TrimSpace(strings.TrimPrefix(f, "\ufeff"))
		h[strings.ToLower(f)] = i
	}
	var missing []string
	for _, c := range Columns {
		if _, ok := h[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%w: %s", ErrHeader, strings.Join(missing, ", "))
	}
	return h, nil
}

func (h header) row(line int, f []string) (Row, *RowError) {
	if len(f) < len(Columns) {
		n := 0
		for _, i := range h {
			n = max(n, i+1)
		}
		if len(f) < n {
			return Row{}, &RowError{line, fmt.Sprintf("%d fields, header has %d", len(f), n)}
		}
	}
	get := func(c string) string {
		i := h[c]
		if i >= len(f) {
			return ""
		}
		return strings.TrimSpace(f[i])
	}
	return Row{
		Line: line, RUPlace: get("ru_place"), RUPlaceEN: get("ru_place_en"), CNPlace: get("cn_place"),
		CNPlaceEN: get("cn_place_en"), Level: get("level"), Type: get("type"), Established: get("established"),
		SourceURL: get("source_url"), Note: get("note"),
	}, nil
}

func readTSV(r io.Reader) ([]Row, []RowError, error) {
	raw, err := io.ReadAll(r)
	if err != nil {
		return nil, nil, fmt.Errorf("backfill: read: %w", err)
	}
	lines := strings.Split(string(raw), "\n")
	var h header
	var rows []Row
	var bad []RowError
	for i, l := range lines {
		l = strings.TrimRight(l, "\r")
		if strings.TrimSpace(l) == "" {
			continue
		}
		f := strings.Split(l, "\t")
		if h == nil {
			if h, err = newHeader(f); err != nil {
				return nil, nil, err
			}
			continue
		}
		row, rerr := h.row(i+1, f)
		if rerr != nil {
			bad = append(bad, *rerr)
			continue
		}
		rows = append(rows, row)
	}
	if h == nil {
		return nil, nil, fmt.Errorf("%w: empty file", ErrHeader)
	}
	return rows, bad, nil
}

func readCSV(r io.Reader) ([]Row, []RowError, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	var h header
	var rows []Row
	var bad []RowError
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				if h == nil {
					return nil, nil, fmt.Errorf("backfill: csv header: %w", err)
				}
				bad = append(bad, RowError{pe.StartLine, "csv: " + pe.Err.Error()})
				continue
			}
			return rows, bad, fmt.Errorf("backfill: read: %w", err)
		}
		if len(rec) == 0 || len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		line, _ := cr.FieldPos(0)
		if h == nil {
			if h, err = newHeader(rec); err != nil {
				return nil, nil, err
			}
			continue
		}
		row, rerr := h.row(line, rec)
		if rerr != nil {
			bad = append(bad, *rerr)
			continue
		}
		rows = append(rows, row)
	}
	if h == nil {
		return nil, nil, fmt.Errorf("%w: empty file", ErrHeader)
	}
	return rows, bad, nil
}

// Resolver finds gazetteer places by name, best first (*gazetteer.Gazetteer).
type Resolver interface {
	Lookup(name string) []twin.Place
}

// Result is what Build made of the rows.
type Result struct {
	Observations []twin.Observation // one agreement observation per good row
	Rows         int                // data rows read
	Undated      int                // good rows without an establishment date
	Bad          []RowError         // rows not loaded, by line
}

// Build maps rows to agreement observations (see the package doc) stamped
// with seenAt, and reports every row it cannot map. Build is pure.
func Build(rows []Row, res Resolver, seenAt time.Time) Result {
	out := Result{Rows: len(rows)}
	seen := map[string]int{} // mention id -> line
	for _, r := range rows {
		o, err := build(r, res, seenAt)
		if err != nil {
			out.Bad = append(out.Bad, RowError{r.Line, err.Error()})
			continue
		}
		if first, dup := seen[o.MentionID]; dup {
			out.Bad = append(out.Bad, RowError{r.Line, fmt.Sprintf("duplicate of line %d (same pair, relation and source_url)", first)})
			continue
		}
		seen[o.MentionID] = r.Line
		if o.Established.IsZero() {
			out.Undated++
		}
		out.Observations = append(out.Observations, o)
	}
	return out
}

// Load reads and builds in one step; bad rows from both are in Result.Bad,
// sorted by line.
func Load(r io.Reader, f Format, res Resolver, seenAt time.Time) (Result, error) {
	rows, bad, err := Read(r, f)
	if err != nil {
		return Result{Bad: bad}, err
	}
	out := Build(rows, res, seenAt)
	out.Rows += len(bad)
	out.Bad = mergeBad(bad, out.Bad)
	return out, nil
}

func mergeBad(a, b []RowError) []RowError {
	out := make([]RowError, 0, len(a)+len(b))
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		if j == len(b) || i < len(a) && a[i].Line <= b[j].Line {
			out = append(out, a[i])
			i++
		} else {
			out = append(out, b[j])
			j++
		}
	}
	return out
}

var levels = map[string][2]twin.PlaceKind{
	"city-city":     {twin.City, twin.City},
	"region-region": {twin.Region, twin.Region},
	"city-region":   {twin.City, twin.Region},
	"region-city":   {twin.Region, twin.City},
}

func build(r Row, res Resolver, seenAt time.Time) (twin.Observation, error) {
	kinds, ok := levels[strings.ToLower(r.Level)]
	if !ok {
		return twin.Observation{}, fmt.Errorf("level %q is not city-city, region-region, city-region or region-city", r.Level)
	}
	rel, status, conf := twin.Twin, twin.Existing, 1.0
	switch strings.ToLower(r.Type) {
	case "twin":
	case "partner":
		rel = twin.Partner
	case "friendship-exchange", "friendship":
		rel = twin.Friendship
	case "unknown":
		status, conf = twin.Intent, 0.3
	default:
		return twin.Observation{}, fmt.Errorf("type %q is not twin, partner, friendship-exchange or unknown", r.Type)
	}
	est, err := twin.ParseDate(r.Established)
	if err != nil {
		return twin.Observation{}, fmt.Errorf("established %q is not YYYY, YYYY-MM or YYYY-MM-DD", r.Established)
	}
	if est.Year != 0 && (est.Year < 1900 || est.Year > seenAt.Year()+1) {
		return twin.Observation{}, fmt.Errorf("established %q is outside 1900..%d", r.Established, seenAt.Year()+1)
	}
	u, err := url.Parse(r.SourceURL)
	if r.SourceURL == "" || err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return twin.Observation{}, fmt.Errorf("source_url %q is not an http(s) URL", r.SourceURL)
	}
	ru, err := resolve(res, twin.RU, kinds[0], r.RUPlace, r.RUPlaceEN)
	if err != nil {
		return twin.Observation{}, err
	}
	cn, err := resolve(res, twin.CN, kinds[1], r.CNPlace, r.CNPlaceEN)
	if err != nil {
		return twin.Observation{}, err
	}
	note := strings.ToUpper(r.Note)
	if conf == 1 && (strings.Contains(note, "UNCERTAIN") || strings.Contains(note, "APPROXIMATE") || strings.Contains(note, "INFERRED")) {
		conf = 0.8
	}
	o := twin.NewAgreement(ru, cn, rel, status, est, r.SourceURL)
	o.Confidence = conf
	o.Source = Source
	o.Origin = twin.OriginReference
	o.Extractor = Extractor
	o.Lang = "en"
	o.SeenAt = seenAt.UTC().Truncate(time.Second)
	o.Evidence = evidence(r)
	if err := o.Validate(); err != nil {
		return twin.Observation{}, fmt.Errorf("invalid observation: %v", err)
	}
	return o, nil
}

func evidence(r Row) string {
	e := fmt.Sprintf("reference list line %d: %s – %s (%s, %s, %s)", r.Line, r.RUPlace, r.CNPlace, r.Level, r.Type, cmpOr(r.Established, "undated"))
	if r.Note != "" {
		e += ". " + r.Note
	}
	return e
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// resolve picks the place for a side: the first candidate of the right
// country and kind among the lookups of each name, else the first of the
// right country.
func resolve(res Resolver, c twin.Country, k twin.PlaceKind, names ...string) (twin.Place, error) {
	var fallback *twin.Place
	tried := 0
	for _, n := range names {
		if n == "" {
			continue
		}
		tried++
		for _, p := range res.Lookup(n) {
			if p.Country != c {
				continue
			}
			if p.Kind == k {
				return p, nil
			}
			if fallback == nil {
				fallback = &p
			}
		}
	}
	if fallback != nil {
		return *fallback, nil
	}
	side := map[twin.Country]string{twin.RU: "Russian", twin.CN: "Chinese"}[c]
	if tried == 0 {
		return twin.Place{}, fmt.Errorf("%s place is empty", side)
	}
	return twin.Place{}, fmt.Errorf("%s place %q not in the gazetteer", side, strings.Join(nonEmpty(names), " / "))
}

func nonEmpty(s []string) []string {
	var out []string
	for _, x := range s {
		if x != "" {
			out = append(out, x)
		}
	}
	return out
}

// Publisher publishes observations to the OBSERVATIONS stream (*bus.Bus).
type Publisher interface {
	PublishObservations(ctx context.Context, obs []twin.Observation) error
}

// Publish sends the observations in batches of at most batch (default 500).
// Re-publishing the same file is harmless: message IDs are deterministic,
// and the store keeps one row per mention.
func Publish(ctx context.Context, p Publisher, obs []twin.Observation, batch int) error {
	if batch <= 0 {
		batch = 500
	}
	for i := 0; i < len(obs); i += batch {
		j := min(i+batch, len(obs))
		if err := p.PublishObservations(ctx, obs[i:j]); err != nil {
			return fmt.Errorf("backfill: publish observations %d..%d: %w", i, j, err)
		}
	}
	return nil
}
