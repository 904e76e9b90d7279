package report

import (
	_ "embed"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
)

// WriteJSON writes the report as one indented JSON object.
func WriteJSON(w io.Writer, r *Report) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		return fmt.Errorf("report: json: %w", err)
	}
	return nil
}

// WriteCSV writes the report's tables as CSV records: section, then the
// section's columns (header rows start with "section").
func WriteCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	itoa := strconv.Itoa
	rec := func(f ...string) { _ = cw.Write(f) }
	rec("section", "year", "established", "twin", "other", "cumulative")
	for _, y := range r.Years {
		rec("years", itoa(y.Year), itoa(y.Established), itoa(y.Twin), itoa(y.Other), itoa(y.Cumulative))
	}
	counts := func(name string, cs []Count) {
		rec("section", "name", "group", "agreements", "twin")
		for _, c := range cs {
			rec(name, c.Name, c.Group, itoa(c.Agreements), itoa(c.Twin))
		}
	}
	counts("levels", r.Levels)
	counts("federal_districts", r.FederalDistricts)
	counts("ru_subjects", r.RUSubjects)
	counts("cn_provinces", r.CNProvinces)
	rec("section", "year", "category", "events")
	for _, e := range r.EventsByYear {
		rec("events", itoa(e.Year), e.Category, itoa(e.Events))
	}
	rec("section", "ru", "cn", "agreements", "mentions", "first_year")
	for _, p := range r.TopPairs {
		rec("top_pairs", p.RU, p.CN, itoa(p.Agreements), itoa(p.Mentions), itoa(p.FirstYear))
	}
	t := r.Totals
	rec("section", "agreements", "dated", "undated", "date_conflicts", "mentions", "events")
	rec("totals", itoa(t.Agreements), itoa(t.Dated), itoa(t.Undated), itoa(t.DateConflicts), itoa(t.Mentions), itoa(t.Events))
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("report: csv: %w", err)
	}
	return nil
}

// WriteText writes tables and text charts for a terminal.
func WriteText(w io.Writer, r *Report) error {
	var b strings.Builder
	t := r.Totals
	fmt.Fprintf(&b, "Russia–China twinning")
	if len(r.Years) > 0 {
		fmt.Fprintf(&b, ", %d–%d", r.Years[0].Year, r.Years[len(r.Years)-1].Year)
	}
	if r.Filter.Region != "" {
		fmt.Fprintf(&b, ", region %s", r.Filter.Region)
	}
	fmt.Fprintf(&b, "\n%d agreements: %d dated, %d undated (not placed in any year), %d with conflicting dates; %d mentions, %d events\n\n",
		t.Agreements, t.Dated, t.Undated, t.DateConflicts, t.Mentions, t.Events)

	maxY, maxC := 1, 1
	for _, y := range r.Years {
		maxY, maxC = max(maxY, y.Established), max(maxC, y.Cumulative)
	}
	fmt.Fprintf(&b, "Agreements established per year (█ twin, ▒ other) and cumulative\n")
	fmt.Fprintf(&b, "%4s %5s %5s  %-30s %s\n", "year", "new", "cum", "new", "cumulative")
	for _, y := range r.Years {
		tw := y.Twin * 30 / maxY
		ot := (y.Twin+y.Other)*30/maxY - tw
		fmt.Fprintf(&b, "%4d %5d %5d  %-30s %s\n", y.Year, y.Established, y.Cumulative,
			strings.Repeat("█", tw)+strings.Repeat("▒", ot), strings.Repeat("·", y.Cumulative*30/maxC))
	}
	table := func(title, col string, cs []Count, group bool) {
		fmt.Fprintf(&b, "\n%s\n", title)
		maxA := 1
		for _, c := range cs {
			maxA = max(maxA, c.Agreements)
		}
		for _, c := range cs {
			name := c.Name
			if group && c.Group != "" {
				name += " (" + c.Group + ")"
			}
			fmt.Fprintf(&b, "  %-44s %5d %s %5d twin  %s\n", trunc(name, 44), c.Agreements, col, c.Twin, strings.Repeat("█", max(1, c.Agreements*20/maxA)))
		}
	}
	table("By relation and level", "agr", r.Levels, false)
	table("By Russian federal district", "agr", r.FederalDistricts, false)
	table(fmt.Sprintf("Top %d Russian regions", TopN), "agr", r.RUSubjects, true)
	table(fmt.Sprintf("Top %d Chinese provinces", TopN), "agr", r.CNProvinces, false)
	fmt.Fprintf(&b, "\nEvents by category\n")
	if len(r.EventCategories) == 0 {
		fmt.Fprintf(&b, "  (no events)\n")
	}
	for _, c := range r.EventCategories {
		fmt.Fprintf(&b, "  %-20s %6d\n", c.Name, c.Agreements)
	}
	fmt.Fprintf(&b, "\nBusiest pairs (agreements, mentions)\n")
	for _, p := range r.TopPairs {
		fy := "undated"
		if p.FirstYear > 0 {
			fy = "since " + strconv.Itoa(p.FirstYear)
		}
		fmt.Fprintf(&b, "  %-48s %3d %5d  %s\n", trunc(p.RU+" – "+p.CN, 48), p.Agreements, p.Mentions, fy)
	}
	if len(r.Sources) > 0 {
		fmt.Fprintf(&b, "\nSources (added, mentions, agreements, first to report, events)\n")
		for _, s := range r.Sources {
			fmt.Fprintf(&b, "  %-24s %s %6d %6d %6d %6d\n", trunc(s.Source, 24), s.Added.Format("2006-01-02"), s.Mentions, s.Agreements, s.NewAgreements, s.Events)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func trunc(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

//go:embed assets/echarts.min.js
var echartsJS string

//go:embed page.html.tmpl
var pageTmpl string

// WriteHTML writes a self-contained HTML page (no network access needed).
func WriteHTML(w io.Writer, r *Report) error {
	data, err := json.Marshal(r)
	if err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	t, err := template.New("page").Parse(pageTmpl)
	if err != nil {
		return fmt.Errorf("report: html template: %w", err)
	}
	if err := t.Execute(w, map[string]any{
		"R": r, "Data": template.JS(data), "ECharts": template.JS(echartsJS),
	}); err != nil {
		return fmt.Errorf("report: html: %w", err)
	}
	return nil
}
