package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestBackfillAndReportIntegration runs `backfill` on the reference list
// (bad rows on stderr, good ones stored through the pipeline), again
// (idempotent), then `report` in every format.
func TestBackfillAndReportIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("integration")
	}
	dir := t.TempDir()
	cfg := writeConfig(t, dir, "")
	list := "../../data/twinning/ru_cn_relations.tsv"

	out, errOut, err := run(t, t.Context(), "-c", cfg, "backfill", "--dry-run", list)
	require.NoError(t, err, errOut)
	require.Contains(t, out, "187 rows, 177 agreements checked (73 undated), 10 bad rows")

	for range 2 {
		out, errOut, err = run(t, t.Context(), "-c", cfg, "backfill", list)
		require.NoError(t, err, errOut)
		require.Contains(t, out, "187 rows, 177 agreements stored (73 undated), 10 bad rows")
		bad := strings.Split(strings.TrimSpace(errOut), "\n")
		require.Len(t, bad, 10, errOut)
		require.True(t, strings.HasPrefix(bad[0], list+":4: "), bad[0])
	}

	html := filepath.Join(dir, "report.html")
	out, errOut, err = run(t, t.Context(), "-c", cfg, "report", "--format", "json", "--html", html)
	require.NoError(t, err, errOut)
	var r struct {
		Totals struct{ Agreements, Dated, Undated, Mentions int }
		Years  []struct{ Year, Established, Cumulative int }
	}
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	require.Equal(t, 177, r.Totals.Agreements, "re-running the backfill adds nothing")
	require.Equal(t, 73, r.Totals.Undated)
	require.Equal(t, 177, r.Totals.Mentions)
	require.Equal(t, 1988, r.Years[0].Year)
	require.Equal(t, 1, r.Years[0].Established, "Saint Petersburg – Shanghai")
	require.Equal(t, r.Totals.Dated, r.Years[len(r.Years)-1].Cumulative)
	page, err := os.ReadFile(html)
	require.NoError(t, err)
	require.Contains(t, string(page), `data-chart="years"`)

	out, errOut, err = run(t, t.Context(), "-c", cfg, "report", "--format", "csv", "--region", "Heilongjiang", "--from", "1990", "--to", "2000")
	require.NoError(t, err, errOut)
	require.Contains(t, out, "years,1990,")
	require.NotContains(t, out, "years,2001,")

	out, errOut, err = run(t, t.Context(), "-c", cfg, "report")
	require.NoError(t, err, errOut)
	require.Contains(t, out, "73 undated")
	require.Contains(t, out, "Far Eastern")

	_, _, err = run(t, t.Context(), "-c", cfg, "report", "--format", "xml")
	require.ErrorContains(t, err, "--format")
	_, _, err = run(t, t.Context(), "-c", cfg, "backfill", filepath.Join(dir, "missing.tsv"))
	require.Error(t, err)
}
