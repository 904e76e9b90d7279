package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/internal/report"
)

var (
	districts = []string{"Far Eastern", "Siberian", "Central", "Volga"}
	subjects  = []string{"Primorsky Krai", "Irkutsk Oblast", "Moscow Oblast", "Tatarstan", "Amur Oblast"}
	provinces = []string{"Heilongjiang", "Jilin", "Liaoning", "Shandong", "Jiangsu", "Inner Mongolia"}
)

// synthetic returns n deterministic agreements: every 7th undated, years
// spread over 1985..2025, relations twin/partner, coordinates on most.
func synthetic(n int) []report.Agreement {
	out := make([]report.Agreement, n)
	for i := range out {
		a := report.Agreement{
			Relation: []string{"twin", "twin", "partner"}[i%3], Level: []string{"city-city", "region-region"}[i%2],
			RUName: fmt.Sprintf("RU city %d", i%97), CNName: fmt.Sprintf("CN city %d", i%89),
			RUID: fmt.Sprintf("ru%d", i%97), CNID: fmt.Sprintf("cn%d", i%89),
			RUSubject: subjects[i%len(subjects)], FederalDistrict: districts[i%len(subjects)%len(districts)],
			CNProvince: provinces[i%len(provinces)], Mentions: 1 + i%4,
			RULat: 43 + float64(i%20), RULon: 40 + float64(i%100), CNLat: 25 + float64(i%20), CNLon: 100 + float64(i%30),
			HasCoords: i%5 != 0, DateConflict: i%50 == 0,
		}
		if i%7 != 0 {
			a.Year = 1985 + i%41
		}
		out[i] = a
	}
	return out
}

func syntheticEvents() []report.Event {
	var out []report.Event
	for y := 2015; y <= 2025; y++ {
		for j, c := range []string{"culture", "education", "economy"} {
			out = append(out, report.Event{Year: y, Category: c, Events: (y + j) % 5})
		}
	}
	return append(out, report.Event{Year: 0, Category: "sport", Events: 2})
}

var now = time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC)

func TestSummarize(t *testing.T) {
	ags := synthetic(700)
	r := report.Summarize(report.Filter{}, ags, syntheticEvents(), nil, now)
	// independent counts
	undated, dated, before := 0, 0, 0
	perYear := map[int]int{}
	for _, a := range ags {
		switch {
		case a.Year == 0:
			undated++
		default:
			dated++
			perYear[a.Year]++
			if a.Year < report.FirstYear {
				before++
			}
		}
	}
	require.Equal(t, len(ags), r.Totals.Agreements)
	require.Equal(t, undated, r.Totals.Undated)
	require.Equal(t, dated, r.Totals.Dated)
	require.Equal(t, report.FirstYear, r.Years[0].Year)
	require.Equal(t, 2026, r.Years[len(r.Years)-1].Year)
	cum := before
	for _, y := range r.Years {
		cum += perYear[y.Year]
		require.Equal(t, perYear[y.Year], y.Established, "year %d", y.Year)
		require.Equal(t, y.Established, y.Twin+y.Other)
		require.Equal(t, cum, y.Cumulative, "cumulative %d", y.Year)
	}
	require.Equal(t, dated, r.Years[len(r.Years)-1].Cumulative, "every dated agreement, none undated")
	sum := 0
	for _, c := range r.FederalDistricts {
		sum += c.Agreements
	}
	require.Equal(t, len(ags), sum)

	// filters
	fr := report.Summarize(report.Filter{From: 2000, To: 2010, Region: "heilongjiang"}, ags, nil, nil, now)
	want := 0
	for _, a := range ags {
		if a.CNProvince == "Heilongjiang" && a.Year <= 2010 {
			want++
		}
	}
	require.Equal(t, want, fr.Totals.Agreements)
	require.Len(t, fr.Years, 11)
	require.Len(t, fr.CNProvinces, 1)
}

func TestWriters(t *testing.T) {
	r := report.Summarize(report.Filter{}, synthetic(300), syntheticEvents(), []report.Source{{Source: "reference", Added: now, Mentions: 3}}, now)
	var b bytes.Buffer
	require.NoError(t, report.WriteText(&b, r))
	require.Contains(t, b.String(), "undated (not placed in any year)")
	require.Contains(t, b.String(), "Heilongjiang")

	b.Reset()
	require.NoError(t, report.WriteJSON(&b, r))
	var back report.Report
	require.NoError(t, json.Unmarshal(b.Bytes(), &back))
	require.Equal(t, r.Totals, back.Totals)
	require.Equal(t, r.Years, back.Years)

	b.Reset()
	require.NoError(t, report.WriteCSV(&b, r))
	cr := csv.NewReader(strings.NewReader(b.String()))
	cr.FieldsPerRecord = -1 // one section per table, each with its columns
	recs, err := cr.ReadAll()
	require.NoError(t, err)
	years := 0
	for _, rec := range recs {
		if rec[0] == "years" {
			years++
		}
	}
	require.Equal(t, len(r.Years), years)

	b.Reset()
	require.NoError(t, report.WriteHTML(&b, r))
	h := b.String()
	require.NotContains(t, h, "<script src", "no external scripts: the page opens offline")
	require.NotContains(t, h, "http://cdn")
	require.Contains(t, h, `data-chart="years"`)
	require.Greater(t, len(h), 1_000_000, "echarts is inlined")
}

// BenchmarkReport100k summarizes 100,000 synthetic agreements and renders
// every output (the ClickHouse read is measured by BenchmarkCollect100kIntegration).
func BenchmarkReport100k(b *testing.B) {
	ags := synthetic(100_000)
	ev := syntheticEvents()
	b.ReportAllocs()
	for b.Loop() {
		r := report.Summarize(report.Filter{}, ags, ev, nil, now)
		for _, w := range []func(io.Writer, *report.Report) error{report.WriteText, report.WriteJSON, report.WriteCSV, report.WriteHTML} {
			if err := w(io.Discard, r); err != nil {
				b.Fatal(err)
			}
		}
	}
}

func TestEmptyReport(t *testing.T) {
	for _, f := range []report.Filter{{}, {From: 2030, To: 2020}, {Region: "Nowhere"}} {
		r := report.Summarize(f, nil, nil, nil, now)
		require.Zero(t, r.Totals.Agreements)
		for _, w := range []func(io.Writer, *report.Report) error{report.WriteText, report.WriteJSON, report.WriteCSV, report.WriteHTML} {
			require.NoError(t, w(io.Discard, r))
		}
	}
}
