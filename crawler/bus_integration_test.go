package crawler_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/crawler"
	"github.com/twinwatch/twinwatch/internal/bus"
	"github.com/twinwatch/twinwatch/internal/bus/bustest"
	"github.com/twinwatch/twinwatch/twin"
)

// TestCrawlIntoBusIntegration wires the crawler as cmd/twinwatch does: a
// *bus.Bus publishes pages, a bus KV bucket holds crawl state.
func TestCrawlIntoBusIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if r.URL.Path == "/list" {
			for i := range 5 {
				fmt.Fprintf(w, `<a class="t" href="/a/%d">%d</a>`, i, i)
			}
			return
		}
		fmt.Fprintf(w, "<html><head><title>Побратимы %s</title></head><body>Харбин</body></html>", r.URL.Path)
	}))
	t.Cleanup(srv.Close)

	b := bustest.Start(t)
	ctx := t.Context()
	cfg := crawler.DefaultConfig()
	cfg.AllowPrivateNetworks = true
	cfg.HostDelay = 0
	cfg.Sources = []crawler.Source{{Name: "city-news", Kind: crawler.KindListing, URLs: []string{srv.URL + "/list"}, Links: "a.t", Lang: "ru"}}
	kv, err := b.KeyValue(ctx, cfg.StateBucketConfig())
	require.NoError(t, err)
	c, err := crawler.New(cfg, b, crawler.NewKVState(kv), slog.New(slog.DiscardHandler), prometheus.NewRegistry())
	require.NoError(t, err)
	t.Cleanup(c.Close)

	st, err := c.Crawl(ctx, "city-news")
	require.NoError(t, err)
	require.Equal(t, 5, st.Published)
	stream, err := b.JetStream().Stream(ctx, bus.StreamPages)
	require.NoError(t, err)
	info, err := stream.Info(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 5, info.State.Msgs)
	msg, err := stream.GetLastMsgForSubject(ctx, bus.PageSubject("city-news"))
	require.NoError(t, err)
	p, err := twin.DecodePage(msg.Data)
	require.NoError(t, err)
	require.Contains(t, p.Body, "Харбин")
	require.Equal(t, "ru", p.Lang)

	st, err = c.Crawl(ctx, "city-news")
	require.NoError(t, err)
	require.Equal(t, 5, st.Unchanged)
	info, err = stream.Info(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 5, info.State.Msgs, "an unchanged page publishes nothing")
}
