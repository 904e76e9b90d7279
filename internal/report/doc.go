// Package report tells the growth story of Russia–China twinning from the
// analyst views in ClickHouse: agreements established per year and
// cumulative since 1988, top Russian regions, federal districts and Chinese
// provinces, twin versus other relations, events by category, the busiest
// pairs and what each source contributes.
//
// Collect reads one compact row per agreement from agreements_geo (filtered
// by year range and region) plus events and sources, and Summarize
// aggregates them in Go, so every number in a report is computed the same
// way whatever the output:
//
//   - WriteText: tables and text bar charts for a terminal;
//   - WriteJSON, WriteCSV: for scripting (CSV: one section per table, a
//     "section" column first);
//   - WriteHTML: one self-contained page (Apache ECharts 6.1.0, from the npm
//     registry, vendored in assets/ and inlined: it opens offline) with the
//     per-year and cumulative chart, region and province bars, events by
//     category, a schematic map of the pairs (longitude/latitude scatter
//     with lines, no base map) and the tables. Each chart's container has
//     data-chart and data-points attributes; the page sets
//     document.body.dataset.chartsReady = "1" once every chart is drawn.
//
// Undated agreements are counted (Totals.Undated), never placed in a year.
//
// report imports clickhouse-go's driver interface only through Querier,
// which *chstore.Store's Conn() satisfies.
package report
