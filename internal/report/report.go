package report

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// FirstYear is where the time series starts (the first Russia–China pair).
const FirstYear = 1988

// Querier runs a query (chstore.Store.Conn()).
type Querier interface {
	Query(ctx context.Context, query string, args ...any) (driver.Rows, error)
}

// Filter narrows a report. Zero values mean no limit.
type Filter struct {
	// From and To are the establishment years shown, inclusive (default
	// FirstYear and the report's year). Agreements established after To are
	// left out; those before From are in the cumulative count only.
	From int `json:"from,omitempty"`
	To   int `json:"to,omitempty"`
	// Region keeps agreements whose Russian subject, federal district or
	// Chinese province equals it (case-insensitive, English names); events
	// are kept when either place's region or name equals it.
	Region string `json:"region,omitempty"`
}

// Agreement is the compact per-agreement row a report is built from.
type Agreement struct {
	Relation, Level string
	Year            int // establishment year, 0 when undated
	RUName, CNName  string
	RUSubject       string
	FederalDistrict string
	CNProvince      string
	RULat, RULon    float64
	CNLat, CNLon    float64
	HasCoords       bool
	Mentions        int
	DateConflict    bool
	RUID, CNID      string
}

// Event is one events_per_year row.
type Event struct {
	Year     int    `json:"year"` // 0: undated
	Category string `json:"category"`
	Events   int    `json:"events"`
}

// Source is one sources_growth row.
type Source struct {
	Source        string    `json:"source"`
	Added         time.Time `json:"added"`
	Mentions      int       `json:"mentions"`
	Agreements    int       `json:"agreements"`
	NewAgreements int       `json:"new_agreements"`
	Events        int       `json:"events"`
}

// YearRow is one year of the series.
type YearRow struct {
	Year        int `json:"year"`
	Established int `json:"established"`
	Twin        int `json:"twin"`
	Other       int `json:"other"`
	Cumulative  int `json:"cumulative"` // dated agreements established up to the end of Year
}

// Count is a named count with its twin share.
type Count struct {
	Name       string `json:"name"`
	Group      string `json:"group,omitempty"` // federal district of a subject
	Agreements int    `json:"agreements"`
	Twin       int    `json:"twin"`
}

// Pair is one row of the busiest pairs.
type Pair struct {
	RU         string `json:"ru"`
	CN         string `json:"cn"`
	Agreements int    `json:"agreements"`
	Mentions   int    `json:"mentions"`
	FirstYear  int    `json:"first_year"`
}

// MapPair is one line of the map.
type MapPair struct {
	RU       string     `json:"ru"`
	CN       string     `json:"cn"`
	Relation string     `json:"relation"`
	Year     int        `json:"year"`
	From     [2]float64 `json:"from"` // lon, lat
	To       [2]float64 `json:"to"`
}

// Totals are the headline numbers.
type Totals struct {
	Agreements    int `json:"agreements"`
	Dated         int `json:"dated"`
	Undated       int `json:"undated"`
	DateConflicts int `json:"date_conflicts"`
	Mentions      int `json:"mentions"`
	Events        int `json:"events"`
}

// Report is everything a report shows.
type Report struct {
	Generated        time.Time `json:"generated"`
	Filter           Filter    `json:"filter"`
	Totals           Totals    `json:"totals"`
	Years            []YearRow `json:"years"`
	Levels           []Count   `json:"levels"` // Name = "relation level"
	FederalDistricts []Count   `json:"federal_districts"`
	RUSubjects       []Count   `json:"ru_subjects"`
	CNProvinces      []Count   `json:"cn_provinces"`
	EventCategories  []Count   `json:"event_categories"` // Agreements = events
	EventsByYear     []Event   `json:"events_by_year"`
	TopPairs         []Pair    `json:"top_pairs"`
	Sources          []Source  `json:"sources"`
	Map              []MapPair `json:"map"`
}

// TopN bounds the region, province and pair tables.
const TopN = 15

// maxMapPairs bounds the map's lines.
const maxMapPairs = 3000

func (f Filter) keep(a Agreement) bool {
	if f.Region == "" {
		return true
	}
	for _, s := range []string{a.RUSubject, a.FederalDistrict, a.CNProvince} {
		if strings.EqualFold(s, f.Region) {
			return true
		}
	}
	return false
}

// Summarize builds a report from agreement and event rows; now is the
// report's date and the series' default last year.
func Summarize(f Filter, ags []Agreement, events []Event, sources []Source, now time.Time) *Report {
	r := &Report{Generated: now.UTC(), Filter: f, Sources: sources}
	from, to := f.From, f.To
	if from == 0 {
		from = FirstYear
	}
	if to == 0 {
		to = now.Year()
	}
	per := map[int]*YearRow{}
	before := 0
	levels, fds, subs, provs := map[string]*Count{}, map[string]*Count{}, map[string]*Count{}, map[string]*Count{}
	pairs := map[[2]string]*Pair{}
	bump := func(m map[string]*Count, name, group string, twin bool) {
		if name == "" {
			name = "(unknown)"
		}
		c := m[name]
		if c == nil {
			c = &Count{Name: name, Group: group}
			m[name] = c
		}
		c.Agreements++
		if twin {
			c.Twin++
		}
	}
	for _, a := range ags {
		if !f.keep(a) || a.Year > to {
			continue
		}
		twin := a.Relation == "twin"
		r.Totals.Mentions += a.Mentions
		if a.DateConflict {
			r.Totals.DateConflicts++
		}
		switch {
		case a.Year == 0:
			r.Totals.Undated++
		case a.Year < from:
			before++
			r.Totals.Dated++
		default:
			r.Totals.Dated++
			y := per[a.Year]
			if y == nil {
				y = &YearRow{Year: a.Year}
				per[a.Year] = y
			}
			y.Established++
			if twin {
				y.Twin++
			} else {
				y.Other++
			}
		}
		r.Totals.Agreements++
		bump(levels, a.Relation+" "+a.Level, "", twin)
		bump(fds, a.FederalDistrict, "", twin)
		bump(subs, a.RUSubject, a.FederalDistrict, twin)
		bump(provs, a.CNProvince, "", twin)
		k := [2]string{a.RUID, a.CNID}
		p := pairs[k]
		if p == nil {
			p = &Pair{RU: a.RUName, CN: a.CNName}
			pairs[k] = p
		}
		p.Agreements++
		p.Mentions += a.Mentions
		if a.Year > 0 && (p.FirstYear == 0 || a.Year < p.FirstYear) {
			p.FirstYear = a.Year
		}
		if a.HasCoords && len(r.Map) < maxMapPairs {
			r.Map = append(r.Map, MapPair{RU: a.RUName, CN: a.CNName, Relation: a.Relation, Year: a.Year,
				From: [2]float64{a.RULon, a.RULat}, To: [2]float64{a.CNLon, a.CNLat}})
		}
	}
	cum := before
	for y := from; y <= to; y++ {
		row := YearRow{Year: y}
		if p := per[y]; p != nil {
			row = *p
		}
		cum += row.Established
		row.Cumulative = cum
		r.Years = append(r.Years, row)
	}
	r.Levels = sorted(levels, 0)
	r.FederalDistricts = sorted(fds, 0)
	r.RUSubjects = sorted(subs, TopN)
	r.CNProvinces = sorted(provs, TopN)
	cats := map[string]*Count{}
	for _, e := range events {
		if e.Year != 0 && (e.Year < from || e.Year > to) {
			continue
		}
		r.EventsByYear = append(r.EventsByYear, e)
		r.Totals.Events += e.Events
		c := cats[e.Category]
		if c == nil {
			c = &Count{Name: e.Category}
			cats[e.Category] = c
		}
		c.Agreements += e.Events
	}
	r.EventCategories = sorted(cats, 0)
	ps := make([]Pair, 0, len(pairs))
	for _, p := range pairs {
		ps = append(ps, *p)
	}
	slices.SortFunc(ps, func(a, b Pair) int {
		return cmp.Or(cmp.Compare(b.Mentions+b.Agreements, a.Mentions+a.Agreements), cmp.Compare(a.RU, b.RU), cmp.Compare(a.CN, b.CN))
	})
	r.TopPairs = ps[:min(len(ps), TopN)]
	return r
}

func sorted(m map[string]*Count, n int) []Count {
	out := make([]Count, 0, len(m))
	for _, c := range m {
		out = append(out, *c)
	}
	slices.SortFunc(out, func(a, b Count) int {
		return cmp.Or(cmp.Compare(b.Agreements, a.Agreements), cmp.Compare(a.Name, b.Name))
	})
	if n > 0 && len(out) > n {
		out = out[:n]
	}
	return out
}

const agreementsSQL = `SELECT toString(relation), level, toUInt16(established_year), ru_name_en, cn_name_en,
 ru_subject, ru_federal_district, cn_province, ru_lat, ru_lon, cn_lat, cn_lon,
 toUInt8(ru_has_coords AND cn_has_coords), toUInt64(mentions), date_conflict, ru_id, cn_id
FROM agreements_geo`

const eventsSQL = `SELECT toUInt16(year), toString(category), toUInt64(sum(events)) FROM events_per_year GROUP BY year, category ORDER BY year, category`

const eventsRegionSQL = `SELECT toUInt16OrZero(substring(date, 1, 4)) AS year, toString(category), toUInt64(count())
FROM events_latest WHERE lower(ru_region) = lower(?) OR lower(cn_region) = lower(?) OR lower(ru_name_en) = lower(?) OR lower(cn_name_en) = lower(?)
GROUP BY year, category ORDER BY year, category`

const sourcesSQL = `SELECT source, added, toUInt64(mentions), toUInt64(agreements), toUInt64(new_agreements), toUInt64(events) FROM sources_growth ORDER BY added, source`

// Collect queries the analyst views and summarizes them (see Summarize).
func Collect(ctx context.Context, q Querier, f Filter, now time.Time) (*Report, error) {
	ags, err := QueryAgreements(ctx, q)
	if err != nil {
		return nil, err
	}
	var events []Event
	rows, err := func() (driver.Rows, error) {
		if f.Region != "" {
			return q.Query(ctx, eventsRegionSQL, f.Region, f.Region, f.Region, f.Region)
		}
		return q.Query(ctx, eventsSQL)
	}()
	if err != nil {
		return nil, fmt.Errorf("report: query events: %w", err)
	}
	for rows.Next() {
		var y uint16
		var e Event
		var n uint64
		if err := rows.Scan(&y, &e.Category, &n); err != nil {
			rows.Close()
			return nil, fmt.Errorf("report: scan events: %w", err)
		}
		e.Year, e.Events = int(y), int(n)
		events = append(events, e)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("report: read events: %w", err)
	}
	var sources []Source
	if f.Region == "" {
		if rows, err = q.Query(ctx, sourcesSQL); err != nil {
			return nil, fmt.Errorf("report: query sources: %w", err)
		}
		for rows.Next() {
			var s Source
			var m, a, n, e uint64
			if err := rows.Scan(&s.Source, &s.Added, &m, &a, &n, &e); err != nil {
				rows.Close()
				return nil, fmt.Errorf("report: scan sources: %w", err)
			}
			s.Mentions, s.Agreements, s.NewAgreements, s.Events = int(m), int(a), int(n), int(e)
			sources = append(sources, s)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("report: read sources: %w", err)
		}
	}
	return Summarize(f, ags, events, sources, now), nil
}

// QueryAgreements reads the compact row of every agreement from agreements_geo.
func QueryAgreements(ctx context.Context, q Querier) ([]Agreement, error) {
	rows, err := q.Query(ctx, agreementsSQL)
	if err != nil {
		return nil, fmt.Errorf("report: query agreements: %w", err)
	}
	defer rows.Close()
	var out []Agreement
	for rows.Next() {
		var a Agreement
		var y uint16
		var hc, conflict uint8
		var m uint64
		if err := rows.Scan(&a.Relation, &a.Level, &y, &a.RUName, &a.CNName, &a.RUSubject, &a.FederalDistrict, &a.CNProvince,
			&a.RULat, &a.RULon, &a.CNLat, &a.CNLon, &hc, &m, &conflict, &a.RUID, &a.CNID); err != nil {
			return nil, fmt.Errorf("report: scan agreement: %w", err)
		}
		a.Year, a.HasCoords, a.Mentions, a.DateConflict = int(y), hc == 1, int(m), conflict == 1
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("report: read agreements: %w", err)
	}
	return out, nil
}
