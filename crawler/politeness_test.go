package crawler

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/config/spec"
)

func printed(t *testing.T, b *bytes.Buffer) map[string]printLine {
	t.Helper()
	out := map[string]printLine{}
	for l := range strings.Lines(b.String()) {
		var pl printLine
		require.NoError(t, json.Unmarshal([]byte(l), &pl))
		out[pl.URL] = pl
	}
	return out
}

func TestRobotsDisallowAndCrawlDelay(t *testing.T) {
	s := newSite(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprint(w, "User-agent: *\nDisallow: /\n\nUser-agent: twinwatch\nDisallow: /private/\nCrawl-delay: 0.5\n")
		},
		"/list":        htmlPage(`<a href="/a">a</a><a href="/b">b</a><a href="/private/c">c</a>`),
		"/a":           article("a"),
		"/b":           article("b"),
		"/private/c":   article("c"),
		"/private/top": article("top"),
	})
	pub := &memPub{}
	c := newTestCrawler(t, testConfig(
		Source{Name: "l", Kind: KindListing, URLs: []string{s.url("/list")}},
		Source{Name: "p", Kind: KindPage, URLs: []string{s.url("/private/top")}},
	), pub, NewMemState())
	stats, err := c.CrawlAll(t.Context())
	require.NoError(t, err)
	require.Equal(t, []string{s.url("/a"), s.url("/b")}, pub.urls())
	require.Equal(t, 1, stats["l"].Skipped)
	require.Equal(t, 1, stats["p"].Skipped)
	require.Zero(t, s.hit("/private/c"))
	require.Zero(t, s.hit("/private/top"))
	require.Equal(t, 1, s.hit("/robots.txt"), "robots.txt is cached per origin")

	// Crawl-delay: 0.5 s between request starts to the host (a lower bound
	// with room for scheduling noise at the server).
	var starts []time.Time
	s.mu.Lock()
	for _, p := range []string{"/list", "/a", "/b"} {
		starts = append(starts, s.times[p]...)
	}
	s.mu.Unlock()
	require.Len(t, starts, 3)
	slicesSortTimes(starts)
	for i := 1; i < len(starts); i++ {
		require.GreaterOrEqual(t, starts[i].Sub(starts[i-1]), 300*time.Millisecond, "gap %d (crawl-delay 0.5 s, measured at the server)", i)
	}
}

func slicesSortTimes(ts []time.Time) {
	for i := 1; i < len(ts); i++ {
		for j := i; j > 0 && ts[j].Before(ts[j-1]); j-- {
			ts[j], ts[j-1] = ts[j-1], ts[j]
		}
	}
}

func TestRobotsIgnore(t *testing.T) {
	s := newSite(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, _ *http.Request) { fmt.Fprint(w, "User-agent: *\nDisallow: /\n") },
		"/a":          article("a"),
	})
	cfg := testConfig(Source{Name: "p", Kind: KindPage, URLs: []string{s.url("/a")}})
	cfg.Robots = RobotsIgnore
	pub := &memPub{}
	st, err := newTestCrawler(t, cfg, pub, NewMemState()).Crawl(t.Context(), "p")
	require.NoError(t, err)
	require.Equal(t, 1, st.Published)
	require.Zero(t, s.hit("/robots.txt"))
}

func TestFeed(t *testing.T) {
	rss := `<?xml version="1.0" encoding="windows-1251"?><rss version="2.0"><channel><title>t</title>
<item><title>one</title><link>/n/1</link></item>
<item><title>two</title><link>%s/n/2?utm_medium=rss</link></item>
<item><title>off</title><link>https://elsewhere.example/n/3</link></item>
</channel></rss>`
	atom := `<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>a</title>
<entry><title>x</title><link href="/n/4"/><id>4</id><updated>2024-01-01T00:00:00Z</updated></entry></feed>`
	var s *site
	s = newSite(t, map[string]http.HandlerFunc{
		"/rss": func(w http.ResponseWriter, r *http.Request) {
			raw("application/rss+xml", []byte(fmt.Sprintf(rss, s.srv.URL)))(w, r)
		},
		"/home":       htmlPage(`<html><head><link rel="alternate" type="application/atom+xml" href="/atom.xml"></head><body>home</body></html>`),
		"/atom.xml":   raw("application/atom+xml", []byte(atom)),
		"/n/1":        article("1"),
		"/n/2":        article("2"),
		"/n/4":        article("4"),
		"/notafeed":   htmlPage(`<html><body>nothing</body></html>`),
		"/robots.txt": http.NotFound,
	})
	pub := &memPub{}
	c := newTestCrawler(t, testConfig(
		Source{Name: "rss", Kind: KindFeed, URLs: []string{s.url("/rss")}},
		Source{Name: "discover", Kind: KindFeed, URLs: []string{s.url("/home")}},
		Source{Name: "none", Kind: KindFeed, URLs: []string{s.url("/notafeed")}},
	), pub, NewMemState())
	stats, err := c.CrawlAll(t.Context())
	require.NoError(t, err)
	require.Equal(t, []string{s.url("/n/1"), s.url("/n/2"), s.url("/n/4")}, pub.urls())
	require.Equal(t, 2, stats["rss"].Articles)
	require.Equal(t, 1, stats["discover"].Articles)
	require.Zero(t, stats["none"].Articles)
}

func TestSitemap(t *testing.T) {
	now := time.Now().UTC()
	index := `<?xml version="1.0" encoding="UTF-8"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>%[1]s/sm-new.xml.gz</loc><lastmod>%[2]s</lastmod></sitemap>
<sitemap><loc>%[1]s/sm-old.xml</loc><lastmod>2001-01-01</lastmod></sitemap></sitemapindex>`
	urlset := `<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>%[1]s/p/new</loc><lastmod>%[2]s</lastmod></url>
<url><loc>%[1]s/p/nodate</loc></url>
<url><loc>%[1]s/p/old</loc><lastmod>2001-01-01T00:00:00+03:00</lastmod></url></urlset>`
	var s *site
	gz := func(b string) []byte {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, _ = zw.Write([]byte(b))
		_ = zw.Close()
		return buf.Bytes()
	}
	s = newSite(t, map[string]http.HandlerFunc{
		"/robots.txt": func(w http.ResponseWriter, _ *http.Request) {
			fmt.Fprintf(w, "User-agent: *\nAllow: /\nSitemap: %s/sitemap_index.xml\n", s.srv.URL)
		},
		"/sitemap_index.xml": func(w http.ResponseWriter, r *http.Request) {
			raw("application/xml", []byte(fmt.Sprintf(index, s.srv.URL, now.Format(time.RFC3339))))(w, r)
		},
		"/sm-new.xml.gz": func(w http.ResponseWriter, r *http.Request) {
			raw("application/x-gzip", gz(fmt.Sprintf(urlset, s.srv.URL, now.Format("2006-01-02"))))(w, r)
		},
		"/sm-old.xml": func(w http.ResponseWriter, r *http.Request) {
			raw("text/xml", []byte(fmt.Sprintf(urlset, s.srv.URL+"/old", "2001-01-01")))(w, r)
		},
		"/p/new":    article("new"),
		"/p/nodate": article("nodate"),
		"/p/old":    article("old"),
	})
	pub := &memPub{}
	c := newTestCrawler(t, testConfig(Source{Name: "sm", Kind: KindSitemap, URLs: []string{s.url("/")},
		LastmodWithin: spec.Duration(30 * 24 * time.Hour)}), pub, NewMemState())
	st, err := c.Crawl(t.Context(), "sm")
	require.NoError(t, err)
	require.Equal(t, []string{s.url("/p/new"), s.url("/p/nodate")}, pub.urls())
	require.Zero(t, s.hit("/sm-old.xml"))
	require.Equal(t, 2, st.Articles)
}

func TestRetryAfter429(t *testing.T) {
	var s *site
	s = newSite(t, map[string]http.HandlerFunc{
		"/a": func(w http.ResponseWriter, r *http.Request) {
			if s.hit("/a") == 1 {
				w.Header().Set("Retry-After", "1")
				w.WriteHeader(http.StatusTooManyRequests)
				return
			}
			article("a")(w, r)
		},
		"/always": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusServiceUnavailable)
		},
		"/flaky": func(w http.ResponseWriter, r *http.Request) {
			if s.hit("/flaky") < 3 {
				w.WriteHeader(http.StatusBadGateway)
				return
			}
			article("flaky")(w, r)
		},
		"/gone": func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusInternalServerError) },
	})
	pub := &memPub{}
	var out bytes.Buffer
	c := newTestCrawler(t, testConfig(Source{Name: "p", Kind: KindPage,
		URLs: []string{s.url("/a"), s.url("/always"), s.url("/flaky"), s.url("/gone")}}), pub, NewMemState(), WithPrint(&out))
	st, err := c.Crawl(t.Context(), "p")
	require.NoError(t, err)
	require.Equal(t, []string{s.url("/a"), s.url("/flaky")}, pub.urls())
	require.Equal(t, 2, s.hit("/a"))
	s.mu.Lock()
	gap := s.times["/a"][1].Sub(s.times["/a"][0])
	s.mu.Unlock()
	require.GreaterOrEqual(t, gap, 800*time.Millisecond, "Retry-After: 1 honoured (measured at the server)")
	require.Equal(t, 1, s.hit("/always"), "a Retry-After beyond max_retry_after is not waited for")
	require.Equal(t, 3, s.hit("/gone"), "1 try + 2 retries")
	require.Equal(t, 2, st.Failed)
	lines := printed(t, &out)
	require.Contains(t, lines[s.url("/always")].Error, "max_retry_after")
}

func TestSlowServerTimeout(t *testing.T) {
	s := newSite(t, map[string]http.HandlerFunc{
		"/slow": func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-r.Context().Done():
			case <-time.After(time.Minute):
			}
		},
		"/slowbody": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html>"))
			w.(http.Flusher).Flush()
			select {
			case <-r.Context().Done():
			case <-time.After(time.Minute):
			}
		},
	})
	cfg := testConfig(Source{Name: "p", Kind: KindPage, URLs: []string{s.url("/slow"), s.url("/slowbody")}})
	cfg.RequestTimeout = spec.Duration(300 * time.Millisecond)
	cfg.Retries = 1
	var out bytes.Buffer
	pub := &memPub{}
	st, err := newTestCrawler(t, cfg, pub, NewMemState(), WithPrint(&out)).Crawl(t.Context(), "p")
	require.NoError(t, err)
	require.Empty(t, pub.urls())
	require.Equal(t, 2, st.Failed)
	lines := printed(t, &out)
	require.Contains(t, lines[s.url("/slow")].Error, "Timeout")
	require.Contains(t, lines[s.url("/slowbody")].Error, "Timeout")
	require.Equal(t, 2, s.hit("/slow"), "a timeout is retried")
	require.Equal(t, 2, s.hit("/slowbody"), "a timeout is retried")
}

func TestRedirectLoopAndBodySize(t *testing.T) {
	big := strings.Repeat("x", 4096)
	s := newSite(t, map[string]http.HandlerFunc{
		"/loop1": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop2", http.StatusFound) },
		"/loop2": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/loop1", http.StatusFound) },
		"/away": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "http://elsewhere.example/", http.StatusMovedPermanently)
		},
		"/moved": func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/final?b=2&a=1", http.StatusMovedPermanently)
		},
		"/final": article("final"),
		"/big":   htmlPage(big),
		"/bigchunked": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			for range 8 {
				_, _ = w.Write([]byte(big[:1024]))
				w.(http.Flusher).Flush()
			}
		},
		"/exact": htmlPage(big[:2048]),
		"/pdf":   raw("application/pdf", []byte("%PDF")),
	})
	cfg := testConfig(Source{Name: "p", Kind: KindPage, URLs: []string{
		s.url("/loop1"), s.url("/away"), s.url("/moved"), s.url("/big"), s.url("/bigchunked"), s.url("/exact"), s.url("/pdf"),
	}})
	cfg.MaxBodySize = 2048
	pub := &memPub{}
	var out bytes.Buffer
	st, err := newTestCrawler(t, cfg, pub, NewMemState(), WithPrint(&out)).Crawl(t.Context(), "p")
	require.NoError(t, err)
	require.Equal(t, []string{s.url("/exact"), s.url("/moved")}, pub.urls())
	p, _ := pub.byURL(s.url("/moved"))
	require.Equal(t, s.url("/final?a=1&b=2"), p.FinalURL)
	require.Len(t, p.Body, len("<html><head><title>final</title></head><body><h1>final</h1></body></html>"))
	lines := printed(t, &out)
	for _, tc := range []struct {
		path string
		want error
	}{
		{"/loop1", ErrTooManyRedirects},
		{"/away", ErrOffDomain},
		{"/big", ErrBodyTooLarge},
		{"/bigchunked", ErrBodyTooLarge},
		{"/pdf", ErrContentType},
	} {
		require.Contains(t, lines[s.url(tc.path)].Error, strings.TrimPrefix(tc.want.Error(), "crawler: "), tc.path)
	}
	require.Equal(t, 3, st.Failed)  // loop, big, bigchunked
	require.Equal(t, 2, st.Skipped) // away, pdf
}

func TestPrivateAddressRefused(t *testing.T) {
	s := newSite(t, map[string]http.HandlerFunc{"/a": article("a"), "/robots.txt": http.NotFound})
	port := s.srv.Listener.Addr().(interface{ String() string }).String()
	port = port[strings.LastIndex(port, ":")+1:]
	for _, tc := range []struct {
		name, url string
		robots    string
	}{
		{"ip literal", s.url("/a"), RobotsObey},
		{"name resolving to loopback, robots", "http://localhost:" + port + "/a", RobotsObey},
		{"name resolving to loopback, dial guard", "http://localhost:" + port + "/a", RobotsIgnore},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := testConfig(Source{Name: "p", Kind: KindPage, URLs: []string{tc.url}})
			cfg.AllowPrivateNetworks = false
			cfg.Robots = tc.robots
			pub := &memPub{}
			var out bytes.Buffer
			st, err := newTestCrawler(t, cfg, pub, NewMemState(), WithPrint(&out)).Crawl(t.Context(), "p")
			require.NoError(t, err)
			require.Empty(t, pub.urls())
			require.Equal(t, 1, st.Skipped)
			require.Contains(t, out.String(), "refusing private")
		})
	}
	require.Zero(t, s.hit("/a"))
	require.True(t, errors.Is(guardControl("tcp", "10.1.2.3:80", nil), ErrPrivateAddress))
	require.True(t, errors.Is(guardControl("tcp", "[fe80::1]:80", nil), ErrPrivateAddress))
	require.True(t, errors.Is(guardControl("tcp", "169.254.169.254:80", nil), ErrPrivateAddress))
	require.NoError(t, guardControl("tcp", "93.184.216.34:443", nil))
}

func TestSitemapFallbackAndRobotsIgnored(t *testing.T) {
	var s *site
	s = newSite(t, map[string]http.HandlerFunc{
		"/sitemap.xml": func(w http.ResponseWriter, r *http.Request) {
			raw("application/xml", []byte(fmt.Sprintf(`<urlset><url><loc>%s/x</loc></url></urlset>`, s.srv.URL)))(w, r)
		},
		"/x": article("x"),
	})
	for _, robots := range []string{RobotsObey, RobotsIgnore} {
		t.Run(robots, func(t *testing.T) {
			cfg := testConfig(Source{Name: "sm", Kind: KindSitemap, URLs: []string{s.url("/")}})
			cfg.Robots = robots
			pub := &memPub{}
			st, err := newTestCrawler(t, cfg, pub, NewMemState()).Crawl(t.Context(), "sm")
			require.NoError(t, err)
			require.Equal(t, []string{s.url("/x")}, pub.urls())
			require.Equal(t, 1, st.Articles)
		})
	}
}
