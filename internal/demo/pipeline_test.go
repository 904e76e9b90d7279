package demo_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"sync"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/crawler"
	"github.com/twinwatch/twinwatch/internal/demo"
	"github.com/twinwatch/twinwatch/parser"
	"github.com/twinwatch/twinwatch/parser/gazetteer"
	"github.com/twinwatch/twinwatch/twin"
)

// collect is a crawler.PagePublisher that keeps the pages.
type collect struct {
	mu    sync.Mutex
	pages []twin.Page
}

func (c *collect) PublishPage(_ context.Context, p twin.Page) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pages = append(c.pages, p)
	return nil
}

// TestCrawlAndParseIntegration runs the real crawler over the demo site and the real
// parser over what it fetched (no NATS, no ClickHouse: those are the lead's
// end-to-end test) and checks the lower bounds of Expected.
func TestCrawlAndParseIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("crawls the demo site")
	}
	s := start(t)
	cfg := crawler.DefaultConfig()
	cfg.AllowPrivateNetworks = true
	cfg.Sources = demo.Sources(s.URL())
	require.NoError(t, cfg.Validate())
	pub := &collect{}
	c, err := crawler.New(cfg, pub, crawler.NewMemState(), slog.New(slog.NewTextHandler(io.Discard, nil)), prometheus.NewRegistry())
	require.NoError(t, err)
	t.Cleanup(c.Close)
	stats, err := c.CrawlAll(t.Context())
	require.NoError(t, err)
	for name, st := range stats {
		t.Logf("%s: fetched %d published %d failed %d skipped %d articles %d", name, st.Fetched, st.Published, st.Failed, st.Skipped, st.Articles)
		require.Zero(t, st.Failed, name)
	}
	exp := demo.Expected()
	require.GreaterOrEqual(t, len(pub.pages), exp.MinPages)

	g, err := gazetteer.Load()
	require.NoError(t, err)
	p := parser.New(parser.DefaultConfig(), g)
	pairs := map[string]bool{}
	names := map[string]bool{}
	var fresh []twin.Observation
	var lines []string
	for _, page := range pub.pages {
		obs, err := p.Parse(page)
		require.NoError(t, err, page.URL)
		for _, o := range obs {
			line := fmt.Sprintf("%s %s %s – %s %s%s %s%s", page.URL[len(s.URL()):], o.Type,
				o.Places[0].NameEN, o.Places[1].NameEN, o.Relation, o.Category, o.Status, dateOf(o))
			if o.Type == twin.KindAgreement {
				pairs[o.Places[0].ID+"|"+o.Places[1].ID] = true
				names[o.Places[0].NameEN], names[o.Places[1].NameEN] = true, true
				if o.Status == twin.Signed && o.Established.String() == "2026-11-19" {
					fresh = append(fresh, o)
				}
			}
			lines = append(lines, line)
		}
	}
	sort.Strings(lines)
	for _, l := range lines {
		t.Log(l)
	}
	t.Logf("pages %d, distinct agreement pairs %d (expected %d)", len(pub.pages), len(pairs), len(exp.Agreements))
	require.GreaterOrEqual(t, len(pairs), exp.MinAgreements)
	require.NotEmpty(t, fresh, "the new signing (Khabarovsk – Fuyuan, 2026-11-19) is found: the alert demo needs it")
	// Each distractor pair has one foreign (non-Russian, non-Chinese) city.
	for _, d := range exp.Distractors {
		foreign := d[0]
		if foreign == "Khabarovsk" {
			foreign = d[1]
		}
		require.False(t, names[foreign], "distractor %s became an agreement", foreign)
	}
}

func dateOf(o twin.Observation) string {
	if o.Type == twin.KindAgreement {
		return " " + fmt.Sprint(o.Established)
	}
	return " " + fmt.Sprint(o.Date)
}
