package report_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"os"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/internal/chstore"
	"github.com/twinwatch/twinwatch/internal/chstore/chtest"
	"github.com/twinwatch/twinwatch/internal/places"
	"github.com/twinwatch/twinwatch/internal/report"
	"github.com/twinwatch/twinwatch/parser/gazetteer"
	"github.com/twinwatch/twinwatch/twin"
)

func TestMain(m *testing.M) { chtest.Run(m) }

// fixture is a synthetic data set on real gazetteer places, with what every
// view should answer computed here, independently of the SQL.
type fixture struct {
	obs    []twin.Observation
	rows   map[string]places.Row // place id -> places row
	agrees map[string]*agreement
}

type agreement struct {
	id, ruID, cnID, relation, level string
	year                            int // best-known establishment year
	prec                            twin.Precision
	dates                           map[string]bool
	sources                         map[string]bool
	mentions                        int
	firstSource                     string
	firstSeen                       time.Time
	status                          string // of the latest seen mention
}

func openStore(t *testing.T) (*chstore.Store, []places.Row) {
	t.Helper()
	ctx := context.Background()
	st, err := chstore.Open(ctx, chtest.NewDatabase(t), slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	_, err = st.Migrate(ctx)
	require.NoError(t, err)
	g, err := gazetteer.Load()
	require.NoError(t, err)
	recs, err := g.Records()
	require.NoError(t, err)
	ps := make([]places.Place, len(recs))
	for i, r := range recs {
		ps[i] = places.Place(r)
	}
	rows := places.Rows(ps)
	loaded, err := places.Ensure(ctx, st.Conn(), rows)
	require.NoError(t, err)
	require.True(t, loaded)
	loaded, err = places.Ensure(ctx, st.Conn(), rows)
	require.NoError(t, err)
	require.False(t, loaded, "a second Ensure of the same version does nothing")
	return st, rows
}

func newFixture(rows []places.Row) *fixture {
	f := &fixture{rows: map[string]places.Row{}, agrees: map[string]*agreement{}}
	var ru, cn []places.Row
	for _, r := range rows {
		f.rows[r.ID] = r
		switch {
		case r.Country == twin.RU && r.FederalDistrict != "" && r.HasCoords && len(ru) < 40 && (r.Kind == twin.Region || r.Population > 300000):
			ru = append(ru, r)
		case r.Country == twin.CN && r.Province != "" && r.HasCoords && len(cn) < 30 && (r.Kind == twin.Region || r.Population > 1000000):
			cn = append(cn, r)
		}
	}
	seenA := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	seenB := time.Date(2026, 6, 10, 0, 0, 0, 0, time.UTC)
	add := func(o twin.Observation, source string, seen time.Time, conf float64) {
		o.Source, o.Origin, o.Confidence, o.Extractor, o.SeenAt, o.Evidence, o.Lang = source, twin.OriginCrawl, conf, "test/1", seen, "test", "en"
		f.obs = append(f.obs, o)
	}
	for i := range 300 {
		r, c := ru[i%len(ru)], cn[(i*7+i/len(ru))%len(cn)]
		rel := []twin.Relation{twin.Twin, twin.Twin, twin.Partner, twin.Cooperation}[i%4]
		var est twin.Date
		switch {
		case i%5 == 0: // undated
		case i%3 == 0:
			est = twin.YearDate(1986 + i%40)
		default:
			est = twin.MonthDate(1986+i%40, 1+i%12)
		}
		o := twin.NewAgreement(r.Place.Place, c.Place.Place, rel, twin.Existing, est, fmt.Sprintf("https://a.example/%d", i))
		if _, dup := f.agrees[o.ID]; dup {
			continue
		}
		a := &agreement{id: o.ID, ruID: r.ID, cnID: c.ID, relation: string(rel), level: string(r.Kind) + "-" + string(c.Kind),
			year: est.Year, prec: est.Precision(), dates: map[string]bool{}, sources: map[string]bool{"src-a": true},
			mentions: 1, firstSource: "src-a", firstSeen: seenA, status: "existing"}
		if !est.IsZero() {
			a.dates[est.String()] = true
		}
		f.agrees[o.ID] = a
		add(o, "src-a", seenA, 0.9)
		switch {
		case i%11 == 0 && !est.IsZero(): // src-b: a conflicting year, less precise: the best date stays
			d := twin.YearDate(est.Year + 3)
			add(twin.NewAgreement(r.Place.Place, c.Place.Place, rel, twin.Signed, d, fmt.Sprintf("https://b.example/%d", i)), "src-b", seenB, 0.5)
			a.dates[d.String()] = true
			a.sources["src-b"] = true
			a.mentions++
			a.status = "signed"
		case i%13 == 0: // src-b: a day date, more precise: it wins
			d := twin.MustDate(fmt.Sprintf("%04d-02-03", max(est.Year, 2001)))
			add(twin.NewAgreement(r.Place.Place, c.Place.Place, rel, twin.Signed, d, fmt.Sprintf("https://b.example/%d", i)), "src-b", seenB, 0.7)
			a.dates[d.String()] = true
			a.sources["src-b"] = true
			a.mentions++
			a.year, a.prec = d.Year, twin.PrecisionDay
			a.status = "signed"
		}
		if i%6 == 1 && !est.IsZero() { // events 0..3 years after establishment
			for k := range 1 + i%3 {
				d := twin.YearDate(est.Year + k)
				cat := twin.Categories[(i+k)%len(twin.Categories)]
				add(twin.NewEvent(r.Place.Place, c.Place.Place, cat, d, fmt.Sprintf("https://e.example/%d/%d", i, k)), "src-b", seenB, 0.8)
			}
		}
	}
	// a new source that only reports agreements already known: no growth
	for i, a := range f.sortedAgreements()[:10] {
		o := twin.NewAgreement(f.rows[a.ruID].Place.Place, f.rows[a.cnID].Place.Place, twin.Relation(a.relation), twin.Existing, twin.Date{}, fmt.Sprintf("https://c.example/%d", i))
		add(o, "src-c", seenB.Add(24*time.Hour), 0.6)
		a.sources["src-c"] = true
		a.mentions++
		a.status = "existing"
	}
	return f
}

func (f *fixture) sortedAgreements() []*agreement {
	var out []*agreement
	for _, a := range f.agrees {
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b *agreement) int { return cmpStr(a.id, b.id) })
	return out
}

func cmpStr(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func (f *fixture) events() []twin.Observation {
	var out []twin.Observation
	for _, o := range f.obs {
		if o.Type == twin.KindEvent {
			out = append(out, o)
		}
	}
	return out
}

type q struct {
	t   *testing.T
	st  *chstore.Store
	ctx context.Context
}

// counts runs a two-column query (key, count) into a map.
func (q q) counts(sql string) map[string]uint64 {
	q.t.Helper()
	rows, err := q.st.Conn().Query(q.ctx, sql)
	require.NoError(q.t, err, sql)
	defer rows.Close()
	out := map[string]uint64{}
	for rows.Next() {
		var k string
		var n uint64
		require.NoError(q.t, rows.Scan(&k, &n), sql)
		out[k] = n
	}
	require.NoError(q.t, rows.Err())
	return out
}

func TestViewsIntegration(t *testing.T) {
	st, rows := openStore(t)
	f := newFixture(rows)
	ctx := context.Background()
	require.NoError(t, st.InsertObservations(ctx, f.obs))
	Q := q{t, st, ctx}

	want := map[string]map[string]uint64{}
	inc := func(view, key string, n uint64) {
		if want[view] == nil {
			want[view] = map[string]uint64{}
		}
		want[view][key] += n
	}
	pairYear := map[[2]string]int{}
	for _, a := range f.agrees {
		ru, cn := f.rows[a.ruID], f.rows[a.cnID]
		inc("geo", "all", 1)
		conflict := false
		for d := range a.dates {
			for e := range a.dates {
				if d[:min(len(d), len(e))] != e[:min(len(d), len(e))] {
					conflict = true
				}
			}
		}
		if conflict {
			inc("geo", "conflicts", 1)
		}
		if a.year > 0 {
			inc("per_year_by_relation", fmt.Sprintf("%d|%s|%s", a.year, a.relation, a.level), 1)
			k := [2]string{a.ruID, a.cnID}
			if y, ok := pairYear[k]; !ok || a.year < y {
				pairYear[k] = a.year
			}
		}
		inc("by_level", a.relation+"|"+a.level, 1)
		inc("by_fd", ru.FederalDistrict, 1)
		inc("by_subject", ru.Region, 1)
		inc("by_province", cn.Province, 1)
		inc("pairs_agreements", a.ruID+"|"+a.cnID, 1)
		inc("pairs_mentions", a.ruID+"|"+a.cnID, uint64(a.mentions))
		inc("first_source", a.firstSource, 1)
	}
	for _, o := range f.obs {
		if o.Type == twin.KindAgreement && o.Status != twin.Intent {
			inc("per_year_by_source", fmt.Sprintf("%s|%d", o.Source, o.Established.Year), 0)
		}
	}
	perSourceYear := map[string]map[string]bool{}
	for _, o := range f.obs {
		if o.Type == twin.KindAgreement {
			k := fmt.Sprintf("%s|%d", o.Source, o.Established.Year)
			if perSourceYear[k] == nil {
				perSourceYear[k] = map[string]bool{}
			}
			perSourceYear[k][o.ID] = true
		}
	}
	for k, ids := range perSourceYear {
		want["per_year_by_source"][k] = uint64(len(ids))
	}
	for _, e := range f.events() {
		k := e.Places[0].ID + "|" + e.Places[1].ID
		inc("pairs_events", k, 1)
		inc("events_source", e.Source, 1)
		if y, ok := pairYear[[2]string{e.Places[0].ID, e.Places[1].ID}]; ok && e.Date.Year > 0 {
			inc("after", fmt.Sprint(e.Date.Year-y), 1)
		}
	}

	// the core views of chstore on the same data
	for _, a := range f.agrees {
		ru, cn := f.rows[a.ruID], f.rows[a.cnID]
		inc("by_relation", a.relation+"|"+a.status, 1)
		rr, cr := ru.Place.Place.Region, cn.Place.Place.Region
		if ru.Kind == twin.Region {
			rr = ru.NameEN
		}
		if cn.Kind == twin.Region {
			cr = cn.NameEN
		}
		inc("by_region", rr+"|"+cr+"|"+a.relation, 1)
		if a.year > 0 {
			inc("dating", "dated", 1)
		} else {
			inc("dating", "undated", 1)
		}
	}
	for _, o := range f.obs {
		if o.Type == twin.KindAgreement {
			inc("sources_mentions", o.Source, 1)
		} else {
			inc("events_per_year", fmt.Sprintf("%d|%s", o.Date.Year, o.Category), 1)
		}
	}
	require.Equal(t, want["dating"], Q.counts("SELECT 'dated', dated FROM agreements_dating UNION ALL SELECT 'undated', undated FROM agreements_dating"))
	require.Equal(t, want["by_relation"], Q.counts("SELECT concat(toString(relation), '|', toString(status)), agreements FROM agreements_by_relation"))
	require.Equal(t, want["by_region"], Q.counts("SELECT concat(ru_region, '|', cn_region, '|', toString(relation)), agreements FROM agreements_by_region"))
	require.Equal(t, want["sources_mentions"], Q.counts("SELECT source, mentions FROM sources_report"))
	require.Equal(t, want["events_per_year"], Q.counts("SELECT concat(toString(year), '|', toString(category)), events FROM events_per_year"))
	require.Equal(t, want["pairs_events"], Q.counts("SELECT concat(ru_id, '|', cn_id), events FROM pairs_activity"))

	require.Equal(t, want["geo"]["all"], Q.counts("SELECT 'all', count() FROM agreements_geo")["all"])
	require.Equal(t, want["geo"]["conflicts"], Q.counts("SELECT 'conflicts', toUInt64(sum(date_conflict)) FROM agreements_geo")["conflicts"])
	require.Positive(t, want["geo"]["conflicts"])
	require.Equal(t, want["per_year_by_relation"], Q.counts("SELECT concat(toString(year), '|', toString(relation), '|', level), toUInt64(established) FROM agreements_per_year_by_relation"))
	require.Equal(t, want["by_level"], Q.counts("SELECT concat(toString(relation), '|', level), toUInt64(agreements) FROM agreements_by_level"))
	require.Equal(t, want["by_fd"], Q.counts("SELECT federal_district, toUInt64(agreements) FROM agreements_by_federal_district"))
	require.Equal(t, want["by_subject"], Q.counts("SELECT subject, toUInt64(agreements) FROM agreements_by_ru_subject"))
	require.Equal(t, want["by_province"], Q.counts("SELECT province, toUInt64(agreements) FROM agreements_by_cn_province"))
	require.Equal(t, want["pairs_agreements"], Q.counts("SELECT concat(ru_id, '|', cn_id), toUInt64(agreements) FROM pairs_ranking"))
	require.Equal(t, want["pairs_mentions"], Q.counts("SELECT concat(ru_id, '|', cn_id), toUInt64(mentions) FROM pairs_ranking"))
	gotEvents := Q.counts("SELECT concat(ru_id, '|', cn_id), toUInt64(events) FROM pairs_ranking WHERE events > 0")
	for k, n := range want["pairs_events"] {
		require.Equal(t, n, gotEvents[k], k) // every event pair has an agreement here
	}
	require.Equal(t, want["after"], Q.counts("SELECT toString(years_after), toUInt64(events) FROM events_after_establishment"))
	require.Equal(t, want["first_source"], Q.counts("SELECT first_source, count() FROM agreements_first_source GROUP BY first_source"))
	require.Equal(t, map[string]uint64{"src-a": want["first_source"]["src-a"], "src-b": 0, "src-c": 0},
		Q.counts("SELECT source, toUInt64(new_agreements) FROM sources_growth"), "src-b and src-c add no agreements: no fake growth")
	require.Equal(t, map[string]uint64{"src-a": 0, "src-b": want["events_source"]["src-b"], "src-c": 0},
		Q.counts("SELECT source, toUInt64(events) FROM sources_growth"))
	require.Equal(t, want["per_year_by_source"], Q.counts("SELECT concat(source, '|', toString(year)), toUInt64(agreements) FROM agreements_per_year_by_source"))
	require.Equal(t, map[string]uint64{
		places.Central: 18, places.Northwestern: 11, places.Southern: 12, places.NorthCaucasian: 7,
		places.Volga: 14, places.Ural: 6, places.Siberian: 10, places.FarEastern: 11,
	}, Q.counts("SELECT federal_district, subjects FROM federal_districts"))

	// best-known dates: the most precise wins over a conflicting year
	best := Q.counts("SELECT concat(agreement_id, '|', toString(established_precision)), toUInt64(established_year) FROM agreements_geo")
	for _, a := range f.agrees {
		prec := map[twin.Precision]string{twin.PrecisionNone: "none"}[a.prec]
		if prec == "" {
			prec = a.prec.String()
		}
		y, ok := best[a.id+"|"+prec]
		require.True(t, ok, "%s: precision %s", a.id, prec)
		require.Equal(t, uint64(a.year), y, a.id)
	}

	// the report over the same data
	r, err := report.Collect(ctx, st.Conn(), report.Filter{}, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC))
	require.NoError(t, err)
	undated := 0
	for _, a := range f.agrees {
		if a.year == 0 {
			undated++
		}
	}
	require.Equal(t, len(f.agrees), r.Totals.Agreements)
	require.Equal(t, undated, r.Totals.Undated)
	inRange := 0
	for _, e := range f.events() {
		if e.Date.Year == 0 || e.Date.Year >= report.FirstYear && e.Date.Year <= 2026 {
			inRange++
		}
	}
	require.Equal(t, inRange, r.Totals.Events, "events dated in the report's years (or undated)")
	require.Len(t, r.Sources, 3)
	var perYear map[string]uint64 = Q.counts("SELECT toString(year), toUInt64(established) FROM agreements_per_year")
	for _, y := range r.Years {
		require.Equal(t, perYear[fmt.Sprint(y.Year)], uint64(y.Established), "year %d", y.Year)
	}
}

// BenchmarkCollect100kIntegration reads and renders a report over 100,000
// synthetic agreements stored in ClickHouse (400 Russian × 250 Chinese
// gazetteer places): the whole of `twinwatch report --html` after start-up.
func BenchmarkCollect100kIntegration(b *testing.B) {
	ctx := context.Background()
	st, err := chstore.Open(ctx, chtest.NewDatabase(b), slog.New(slog.DiscardHandler))
	require.NoError(b, err)
	defer st.Close()
	_, err = st.Migrate(ctx)
	require.NoError(b, err)
	g, err := gazetteer.Load()
	require.NoError(b, err)
	recs, err := g.Records()
	require.NoError(b, err)
	ps := make([]places.Place, len(recs))
	for i, r := range recs {
		ps[i] = places.Place(r)
	}
	rows := places.Rows(ps)
	_, err = places.Ensure(ctx, st.Conn(), rows)
	require.NoError(b, err)
	var ru, cn []twin.Place
	for _, r := range rows {
		if r.Country == twin.RU && r.HasCoords && len(ru) < 400 {
			ru = append(ru, r.Place.Place)
		} else if r.Country == twin.CN && r.HasCoords && len(cn) < 250 {
			cn = append(cn, r.Place.Place)
		}
	}
	seen := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	obs := make([]twin.Observation, 0, 20000)
	n := 0
	for i, r := range ru {
		for j, c := range cn {
			var est twin.Date
			if (i+j)%6 != 0 {
				est = twin.YearDate(1988 + (i*7+j)%38)
			}
			o := twin.NewAgreement(r, c, []twin.Relation{twin.Twin, twin.Partner}[(i+j)%2], twin.Existing, est, fmt.Sprintf("https://bench.example/%d/%d", i, j))
			o.Source, o.Origin, o.Confidence, o.Extractor, o.SeenAt, o.Evidence = "bench", twin.OriginCrawl, 0.9, "bench/1", seen, "bench"
			obs = append(obs, o)
			n++
			if len(obs) == cap(obs) {
				require.NoError(b, st.InsertObservations(ctx, obs))
				obs = obs[:0]
			}
		}
	}
	if len(obs) > 0 {
		require.NoError(b, st.InsertObservations(ctx, obs))
	}
	require.Equal(b, 100_000, n)
	b.ReportAllocs()
	for b.Loop() {
		r, err := report.Collect(ctx, st.Conn(), report.Filter{}, time.Now())
		require.NoError(b, err)
		require.Equal(b, 100_000, r.Totals.Agreements)
		require.NoError(b, report.WriteText(io.Discard, r))
		require.NoError(b, report.WriteHTML(io.Discard, r))
	}
}

// TestGrafanaQueriesIntegration runs every panel query of the provisioned
// Grafana dashboard on the fixture: each must succeed and return rows.
func TestGrafanaQueriesIntegration(t *testing.T) {
	raw, err := os.ReadFile("../../deploy/grafana/dashboards/twinwatch.json")
	require.NoError(t, err)
	var dash struct {
		Panels []struct {
			Title   string `json:"title"`
			Targets []struct {
				RawSQL string `json:"rawSql"`
			} `json:"targets"`
		} `json:"panels"`
	}
	require.NoError(t, json.Unmarshal(raw, &dash))
	require.NotEmpty(t, dash.Panels)
	st, rows := openStore(t)
	f := newFixture(rows)
	ctx := context.Background()
	require.NoError(t, st.InsertObservations(ctx, f.obs))
	for _, p := range dash.Panels {
		require.NotEmpty(t, p.Targets, p.Title)
		for _, tg := range p.Targets {
			rs, err := st.Conn().Query(ctx, tg.RawSQL)
			require.NoError(t, err, "%s: %s", p.Title, tg.RawSQL)
			n := 0
			for rs.Next() {
				n++
			}
			require.NoError(t, rs.Err())
			rs.Close()
			require.Positive(t, n, "%s returns rows", p.Title)
		}
	}
}

// TestPlacesReloadIntegration: a changed gazetteer replaces the places table's
// rows, and a place that disappeared is dropped.
func TestPlacesReloadIntegration(t *testing.T) {
	st, rows := openStore(t)
	ctx := context.Background()
	changed := slices.Clone(rows[1:])
	changed[0].NameEN = "Renamed"
	loaded, err := places.Ensure(ctx, st.Conn(), changed)
	require.NoError(t, err)
	require.True(t, loaded)
	var n uint64
	require.Eventually(t, func() bool {
		return st.Conn().QueryRow(ctx, "SELECT count() FROM places FINAL").Scan(&n) == nil && n == uint64(len(changed))
	}, time.Minute, 50*time.Millisecond, "the dropped place disappears")
	var name string
	require.NoError(t, st.Conn().QueryRow(ctx, "SELECT name_en FROM places FINAL WHERE id = ?", changed[0].ID).Scan(&name))
	require.Equal(t, "Renamed", name)
	loaded, err = places.Ensure(ctx, st.Conn(), changed)
	require.NoError(t, err)
	require.False(t, loaded)
}
