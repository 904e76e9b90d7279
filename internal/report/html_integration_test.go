package report_test

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/internal/report"
)

var updateScreenshot = flag.Bool("update-screenshot", false, "rewrite docs/report-screenshot.png")

// chromium returns the headless browser's path, skipping the test when there
// is none unless TWINWATCH_REQUIRE_INTEGRATION=1 (scripts/chromium.sh installs it).
func chromium(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("report: browser test skipped under -short")
	}
	for _, name := range []string{os.Getenv("TWINWATCH_CHROMIUM"), "chromium", "chromium-browser", "google-chrome"} {
		if name == "" {
			continue
		}
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("TWINWATCH_REQUIRE_INTEGRATION") == "1" {
		t.Fatal("report: chromium not found (run scripts/chromium.sh install)")
	}
	t.Skip("report: chromium not found (scripts/chromium.sh install)")
	return ""
}

// TestHTMLInChromiumIntegration opens the HTML report offline in headless
// Chromium and checks: no console errors or exceptions, every chart drawn
// (SVG elements present) and holding the report's numbers.
func TestHTMLInChromiumIntegration(t *testing.T) {
	bin := chromium(t)
	r := report.Summarize(report.Filter{}, synthetic(400), syntheticEvents(), nil, time.Date(2026, 11, 24, 0, 0, 0, 0, time.UTC))
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	f, err := os.Create(page)
	require.NoError(t, err)
	require.NoError(t, report.WriteHTML(f, r))
	require.NoError(t, f.Close())

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin), chromedp.NoSandbox, chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.NoFirstRun, chromedp.UserDataDir(filepath.Join(dir, "profile")),
		chromedp.WindowSize(1280, 900))
	actx, cancelA := chromedp.NewExecAllocator(context.Background(), opts...)
	defer cancelA()
	var mu sync.Mutex
	var problems []string
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithListener(func(ev any) {
		mu.Lock()
		defer mu.Unlock()
		switch e := ev.(type) {
		case *runtime.EventConsoleAPICalled:
			if e.Type == "error" || e.Type == "warning" || e.Type == "assert" {
				var args []string
				for _, a := range e.Args {
					args = append(args, string(a.Value)+a.Description)
				}
				problems = append(problems, fmt.Sprintf("console %s: %s", e.Type, strings.Join(args, " ")))
			}
		case *runtime.EventExceptionThrown:
			problems = append(problems, fmt.Sprintf("exception: %s %+v", e.ExceptionDetails.Text, e.ExceptionDetails.Exception))
		}
	}))
	defer cancel()
	ctx, cancelT := context.WithTimeout(ctx, 3*time.Minute) // against hanging forever only
	defer cancelT()

	require.NoError(t, chromedp.Do(ctx,
		chromedp.Navigate("file://"+page),
		chromedp.WaitReady(`body[data-charts-ready="1"]`),
	))
	points, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]string](`Object.fromEntries([...document.querySelectorAll('[data-chart]')].map(e => [e.dataset.chart, e.dataset.points]))`))
	require.NoError(t, err)
	svgs, err := chromedp.Run(ctx, chromedp.Evaluate[map[string]int](`Object.fromEntries([...document.querySelectorAll('[data-chart]')].map(e => [e.dataset.chart, e.querySelectorAll('svg path, svg rect').length]))`))
	require.NoError(t, err)
	years, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`(() => { const o = echarts.getInstanceByDom(document.getElementById('chart-years')).getOption(); return o.series[0].data.map((v, i) => v + o.series[1].data[i]); })()`))
	require.NoError(t, err)
	cum, err := chromedp.Run(ctx, chromedp.Evaluate[[]int](`echarts.getInstanceByDom(document.getElementById('chart-years')).getOption().series[2].data`))
	require.NoError(t, err)
	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(80))
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	require.Empty(t, problems)
	require.Equal(t, map[string]string{
		"years": fmt.Sprint(len(r.Years)), "ru_subjects": fmt.Sprint(len(r.RUSubjects)), "cn_provinces": fmt.Sprint(len(r.CNProvinces)),
		"events": fmt.Sprint(len(r.EventsByYear)), "map": fmt.Sprint(len(r.Map)),
	}, points)
	for chart, n := range svgs {
		require.Greater(t, n, 10, "chart %s has drawn SVG elements", chart)
	}
	require.Len(t, years, len(r.Years))
	for i, y := range r.Years {
		require.Equal(t, y.Established, years[i], "year %d", y.Year)
		require.Equal(t, y.Cumulative, cum[i], "cumulative %d", y.Year)
	}
	require.NotEmpty(t, shot)
	if *updateScreenshot {
		require.NoError(t, os.WriteFile("../../docs/report-screenshot.jpg", shot, 0o644))
	}
}
