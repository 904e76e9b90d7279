package crawler

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gocolly/colly/v2"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/twinwatch/twinwatch/config/spec"
)

const (
	benchHosts    = 100
	benchArticles = 20 // per host
	benchWorkers  = 32
)

// benchServer serves benchHosts virtual hosts (h0.bench ... h99.bench, told
// apart by the Host header) from one loopback listener: /list links to
// benchArticles articles of ~6 KB each; robots.txt is 404.
func benchServer(b *testing.B) (*httptest.Server, DialFunc) {
	pad := strings.Repeat("<p>Делегация города-побратима Харбина посетила Хабаровск. 友好城市。</p>\n", 60)
	var links strings.Builder
	for i := range benchArticles {
		fmt.Fprintf(&links, `<li><a class="t" href="/a/%d">article %d</a></li>`, i, i)
	}
	list := "<html><head><title>news</title></head><body><ul>" + links.String() + "</ul></body></html>"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/list":
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprint(w, list)
		case strings.HasPrefix(r.URL.Path, "/a/"):
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			fmt.Fprintf(w, "<html><head><title>%s %s</title></head><body>%s</body></html>", r.Host, r.URL.Path, pad)
		default:
			http.NotFound(w, r)
		}
	}))
	b.Cleanup(srv.Close)
	addr := srv.Listener.Addr().String()
	d := &net.Dialer{Timeout: 10 * time.Second, KeepAlive: 30 * time.Second}
	dial := func(ctx context.Context, network, _ string) (net.Conn, error) {
		return d.DialContext(ctx, network, addr)
	}
	return srv, dial
}

func benchURLs() []string {
	urls := make([]string, benchHosts)
	for i := range urls {
		urls[i] = fmt.Sprintf("http://h%d.bench/list", i)
	}
	return urls
}

type nopPub struct{ n atomic.Int64 }

func (p *nopPub) PublishPage(context.Context, twinPage) error { p.n.Add(1); return nil }

// BenchmarkCrawl measures pages/s of a full run (100 hosts x 21 pages,
// politeness delays zero, robots.txt obeyed) and of a bare async colly
// collector doing the same crawl through the same dialer, in one run so
// the two numbers are comparable.
func BenchmarkCrawl(b *testing.B) {
	_, dial := benchServer(b)
	pages := benchHosts * (benchArticles + 1)

	for _, mode := range []string{FrontierLocal, FrontierJetStream} {
		name := "twinwatch"
		if mode == FrontierJetStream {
			name = "twinwatch-jetstream"
		}
		b.Run(name, func(b *testing.B) { benchTwinwatch(b, dial, mode, pages) })
	}

	b.Run("colly", func(b *testing.B) {
		tr := &http.Transport{DialContext: dial, MaxIdleConns: 1024, MaxIdleConnsPerHost: 4, IdleConnTimeout: 90 * time.Second}
		b.ReportAllocs()
		var fetched int64
		start := time.Now()
		for b.Loop() {
			var n atomic.Int64
			cc := colly.NewCollector(colly.Async(true))
			cc.WithTransport(tr)
			_ = cc.Limit(&colly.LimitRule{DomainGlob: "*", Parallelism: benchWorkers})
			cc.OnResponse(func(*colly.Response) { n.Add(1) })
			cc.OnHTML("a.t", func(e *colly.HTMLElement) { _ = e.Request.Visit(e.Attr("href")) })
			for _, u := range benchURLs() {
				_ = cc.Visit(u)
			}
			cc.Wait()
			if int(n.Load()) != pages {
				b.Fatalf("colly fetched %d pages, want %d", n.Load(), pages)
			}
			fetched += n.Load()
		}
		b.ReportMetric(float64(fetched)/time.Since(start).Seconds(), "pages/s")
	})
}

func benchTwinwatch(b *testing.B, dial DialFunc, mode string, pages int) {
	cfg := DefaultConfig()
	cfg.HostDelay = 0
	cfg.Concurrency = benchWorkers
	cfg.HostConcurrency = 4
	cfg.Sources = []Source{{Name: "bench", Kind: KindListing, URLs: benchURLs(), Links: "a.t",
		AllowedDomains: []string{"bench"}, MaxURLs: pages + 10}}
	opts := []Option{WithDialContext(dial)}
	if mode == FrontierJetStream {
		_, js := connect(b, startNATS(b))
		cfg.Frontier.Mode = mode
		cfg.Frontier.Idle = spec.Duration(100 * time.Millisecond)
		opts = append(opts, WithJetStreamFrontier(js))
	}
	c, err := New(cfg, &nopPub{}, NewMemState(), slog.New(slog.DiscardHandler), prometheus.NewRegistry(), opts...)
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	b.ReportAllocs()
	var fetched int
	start := time.Now()
	for b.Loop() {
		st, err := c.Crawl(b.Context(), "bench")
		if err != nil {
			b.Fatal(err)
		}
		if st.Fetched != pages {
			b.Fatalf("fetched %d pages, want %d (%+v)", st.Fetched, pages, st)
		}
		fetched += st.Fetched
	}
	b.ReportMetric(float64(fetched)/time.Since(start).Seconds(), "pages/s")
}
