package crawler

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/twinwatch/twinwatch/config/spec"
	"github.com/twinwatch/twinwatch/twin"
)

// memPub records published pages.
type memPub struct {
	mu    sync.Mutex
	pages []twin.Page
	err   error
}

func (p *memPub) PublishPage(_ context.Context, pg twin.Page) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.err != nil {
		return p.err
	}
	if err := pg.Validate(); err != nil {
		return err
	}
	p.pages = append(p.pages, pg)
	return nil
}

func (p *memPub) urls() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, pg := range p.pages {
		out = append(out, pg.URL)
	}
	slices.Sort(out)
	return out
}

func (p *memPub) byURL(u string) (twin.Page, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, pg := range p.pages {
		if pg.URL == u {
			return pg, true
		}
	}
	return twin.Page{}, false
}

func (p *memPub) reset() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.pages = nil
}

// testConfig is a polite-but-fast config for loopback servers.
func testConfig(srcs ...Source) Config {
	cfg := DefaultConfig()
	cfg.AllowPrivateNetworks = true
	cfg.HostDelay = 0
	cfg.Concurrency = 4
	cfg.HostConcurrency = 4
	cfg.Retries = 2
	cfg.RetryBaseDelay = spec.Duration(10 * time.Millisecond)
	cfg.RetryMaxDelay = spec.Duration(50 * time.Millisecond)
	cfg.RequestTimeout = spec.Duration(10 * time.Second)
	cfg.Sources = srcs
	return cfg
}

func testLogger(t *testing.T) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	return slog.New(slog.DiscardHandler)
}

func newTestCrawler(t *testing.T, cfg Config, pub PagePublisher, state StateStore, opts ...Option) *Crawler {
	t.Helper()
	c, err := New(cfg, pub, state, testLogger(t), prometheus.NewRegistry(), opts...)
	require.NoError(t, err)
	t.Cleanup(c.Close)
	return c
}

// site is a tiny routed test site that counts requests per path.
type site struct {
	mu     sync.Mutex
	hits   map[string]int
	times  map[string][]time.Time
	routes map[string]http.HandlerFunc
	srv    *httptest.Server
}

func newSite(t *testing.T, routes map[string]http.HandlerFunc) *site {
	s := &site{hits: map[string]int{}, times: map[string][]time.Time{}, routes: routes}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key := r.URL.Path
		if r.URL.RawQuery != "" {
			key += "?" + r.URL.RawQuery
		}
		s.mu.Lock()
		s.hits[key]++
		s.times[key] = append(s.times[key], time.Now())
		h, ok := s.routes[key]
		if !ok {
			h, ok = s.routes[r.URL.Path]
		}
		s.mu.Unlock()
		if !ok {
			http.NotFound(w, r)
			return
		}
		h(w, r)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *site) url(p string) string { return s.srv.URL + p }

func (s *site) hit(p string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.hits[p]
}

func htmlPage(body string) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, body)
	}
}

func raw(ct string, body []byte) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		if ct != "" {
			w.Header().Set("Content-Type", ct)
		}
		_, _ = w.Write(body)
	}
}

func article(title string) http.HandlerFunc {
	return htmlPage("<html><head><title>" + title + "</title></head><body><h1>" + title + "</h1></body></html>")
}

func TestListingPagination(t *testing.T) {
	s := newSite(t, map[string]http.HandlerFunc{
		"/news": htmlPage(`<ul><li><a class="t" href="/news/1?utm_source=x">1</a></li><li><a class="t" href="news/2#top">2</a></li>
			<li><a href="/about">not an article</a></li></ul><a class="next" href="/news?page=2">next</a>`),
		"/news?page=2": htmlPage(`<a class="t" href="/news/3">3</a><a class="t" href="/news/1">1 again</a><a class="next" href="/news?page=3">next</a>`),
		"/news?page=3": htmlPage(`<a class="t" href="/news/4">4</a><a class="next" href="/news?page=4">next</a>`),
		"/news/1":      article("one"),
		"/news/2":      article("two"),
		"/news/3":      article("three"),
		"/news/4":      article("four"),
	})
	pub := &memPub{}
	var printed bytes.Buffer
	c := newTestCrawler(t, testConfig(Source{Name: "city", Kind: KindListing, URLs: []string{s.url("/news")},
		Links: "a.t", Next: "a.next", MaxPages: 3, Lang: "ru", Selectors: twin.Selectors{Title: "h1"}}),
		pub, NewMemState(), WithPrint(&printed))
	st, err := c.Crawl(t.Context(), "city")
	require.NoError(t, err)
	require.Equal(t, []string{s.url("/news/1"), s.url("/news/2"), s.url("/news/3"), s.url("/news/4")}, pub.urls())
	require.Equal(t, 4, st.Published)
	require.Equal(t, 4, st.Articles)
	require.Equal(t, 7, st.Fetched)
	require.Zero(t, s.hit("/news?page=4"), "max_pages stops pagination")
	require.Zero(t, s.hit("/about"))
	p, _ := pub.byURL(s.url("/news/1"))
	require.Equal(t, "city", p.Source)
	require.Equal(t, "ru", p.Lang)
	require.Equal(t, "h1", p.Selectors.Title)
	require.Contains(t, p.Body, "<h1>one</h1>")
	require.Equal(t, twin.ContentHash([]byte("<html><head><title>one</title></head><body><h1>one</h1></body></html>")), p.ContentHash)

	var lines []printLine
	for l := range strings.Lines(printed.String()) {
		var pl printLine
		require.NoError(t, json.Unmarshal([]byte(l), &pl))
		lines = append(lines, pl)
	}
	require.Len(t, lines, 7)
	titles := map[string]string{}
	for _, l := range lines {
		titles[l.URL] = l.Title
	}
	require.Equal(t, "three", titles[s.url("/news/3")])
}

func TestZeroArticlesReported(t *testing.T) {
	s := newSite(t, map[string]http.HandlerFunc{"/news": htmlPage(`<a class="other" href="/news/1">1</a>`)})
	var progress bytes.Buffer
	c := newTestCrawler(t, testConfig(Source{Name: "broken", Kind: KindListing, URLs: []string{s.url("/news")}, Links: "a.title"}),
		&memPub{}, NewMemState(), WithProgress(&progress))
	st, err := c.Crawl(t.Context(), "broken")
	require.NoError(t, err)
	require.Zero(t, st.Articles)
	require.Contains(t, progress.String(), "no articles found")
}

func TestCharsets(t *testing.T) {
	ru := "Города-побратимы: Харбин (КНР) — с 1993 г."
	zh := "友好城市：哈巴罗夫斯克市"
	cp1251, err := charmap.Windows1251.NewEncoder().String(ru)
	require.NoError(t, err)
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(zh)
	require.NoError(t, err)
	gb18030, err := simplifiedchinese.GB18030.NewEncoder().String(zh)
	require.NoError(t, err)
	s := newSite(t, map[string]http.HandlerFunc{
		"/meta1251":   raw("text/html", []byte(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=windows-1251"><title>t</title></head><body><p>`+cp1251+`</p></body></html>`)),
		"/header1251": raw("text/html; charset=windows-1251", []byte(`<html><body><p>`+cp1251+`</p></body></html>`)),
		"/metagbk":    raw("text/html", []byte(`<html><head><meta charset="gbk"></head><body><p>`+gbk+`</p></body></html>`)),
		"/gb2312":     raw("text/html; charset=gb2312", []byte(`<html><body><p>`+gbk+`</p></body></html>`)),
		"/undeclared": raw("text/html", []byte(`<html><body><p>`+gb18030+`</p></body></html>`)),
		"/bom":        raw("text/html", append([]byte("\xef\xbb\xbf"), []byte(`<html><body><p>`+ru+`</p></body></html>`)...)),
	})
	tests := []struct {
		name, path, lang, want, charset string
	}{
		{"windows-1251 in meta only", "/meta1251", "ru", ru, "windows-1251"},
		{"windows-1251 in header", "/header1251", "", ru, "windows-1251"},
		{"gbk in meta", "/metagbk", "zh", zh, "gbk"},
		{"gb2312 label", "/gb2312", "", zh, "gbk"},
		{"undeclared chinese by lang", "/undeclared", "zh", zh, "gb18030"},
		{"utf-8 bom", "/bom", "ru", ru, "utf-8"},
	}
	var srcs []Source
	for i, tc := range tests {
		srcs = append(srcs, Source{Name: fmt.Sprintf("s%d", i), Kind: KindPage, URLs: []string{s.url(tc.path)}, Lang: tc.lang})
	}
	pub := &memPub{}
	c := newTestCrawler(t, testConfig(srcs...), pub, NewMemState())
	_, err = c.CrawlAll(t.Context())
	require.NoError(t, err)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, ok := pub.byURL(s.url(tc.path))
			require.True(t, ok)
			require.Contains(t, p.Body, tc.want)
			require.Equal(t, tc.charset, p.Charset)
		})
	}
}

func TestIncrementalSecondRun(t *testing.T) {
	body := `<html><body>Побратимы</body></html>`
	var mu sync.Mutex
	changing := "v1"
	s := newSite(t, map[string]http.HandlerFunc{
		"/etag": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("ETag", `"abc"`)
			if r.Header.Get("If-None-Match") == `"abc"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			htmlPage(body)(w, r)
		},
		"/lastmod": func(w http.ResponseWriter, r *http.Request) {
			http.ServeContent(w, r, "x.html", time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), strings.NewReader(body))
		},
		"/plain": htmlPage(body), // no validators: the content hash decides
		"/changing": func(w http.ResponseWriter, r *http.Request) {
			mu.Lock()
			defer mu.Unlock()
			htmlPage("<p>"+changing+"</p>")(w, r)
		},
	})
	pub := &memPub{}
	state := NewMemState()
	c := newTestCrawler(t, testConfig(Source{Name: "p", Kind: KindPage,
		URLs: []string{s.url("/etag"), s.url("/lastmod"), s.url("/plain"), s.url("/changing")}}), pub, state)
	st, err := c.Crawl(t.Context(), "p")
	require.NoError(t, err)
	require.Equal(t, 4, st.Published)
	require.Equal(t, 4, state.Len())

	pub.reset()
	mu.Lock()
	changing = "v2"
	mu.Unlock()
	st, err = c.Crawl(t.Context(), "p")
	require.NoError(t, err)
	require.Equal(t, []string{s.url("/changing")}, pub.urls(), "only the changed page is published again")
	require.Equal(t, 3, st.Unchanged)
	require.Equal(t, 1, st.Published)
	got, _, _ := state.Get(t.Context(), s.url("/etag"))
	require.Equal(t, http.StatusNotModified, got.Status)
	require.Equal(t, `"abc"`, got.ETag)
}

func TestPublishErrorKeepsStateForRetry(t *testing.T) {
	s := newSite(t, map[string]http.HandlerFunc{"/a": article("a")})
	pub := &memPub{err: fmt.Errorf("bus down")}
	state := NewMemState()
	c := newTestCrawler(t, testConfig(Source{Name: "p", Kind: KindPage, URLs: []string{s.url("/a")}}), pub, state)
	st, err := c.Crawl(t.Context(), "p")
	require.Error(t, err)
	require.Equal(t, 1, st.Failed)
	require.Zero(t, state.Len())
	pub.err = nil
	st, err = c.Crawl(t.Context(), "p")
	require.NoError(t, err)
	require.Equal(t, 1, st.Published)
}

func TestCollyEnvironmentIgnored(t *testing.T) {
	for k, v := range map[string]string{
		"COLLY_MAX_BODY_SIZE": "10", "COLLY_USER_AGENT": "evil", "COLLY_IGNORE_ROBOTSTXT": "no",
		"COLLY_ALLOWED_DOMAINS": "nowhere.example", "COLLY_CACHE_DIR": t.TempDir(), "COLLY_DETECT_CHARSET": "yes",
		"COLLY_MAX_REQUESTS": "1", "COLLY_FOLLOW_REDIRECTS": "no",
	} {
		t.Setenv(k, v)
	}
	var ua string
	s := newSite(t, map[string]http.HandlerFunc{
		"/r": func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/a", http.StatusFound) },
		"/a": func(w http.ResponseWriter, r *http.Request) {
			ua = r.Header.Get("User-Agent")
			article("a")(w, r)
		},
		"/b": article("b"),
	})
	pub := &memPub{}
	st, err := newTestCrawler(t, testConfig(Source{Name: "p", Kind: KindPage, URLs: []string{s.url("/r"), s.url("/b")}}), pub, NewMemState()).Crawl(t.Context(), "p")
	require.NoError(t, err)
	require.Equal(t, 2, st.Published)
	require.Equal(t, DefaultConfig().userAgent(), ua)
}

func TestLimitsAndFilters(t *testing.T) {
	routes := map[string]http.HandlerFunc{
		// A "Международные связи" section: depth 1 are sub-sections, depth 2 articles.
		"/intl":              htmlPage(`<a href="/intl/china">China</a><a href="/intl/print?x=1">print</a>`),
		"/intl/china":        htmlPage(`<a href="/intl/china/harbin">Harbin</a><a href="/intl/china/dalian">Dalian</a>`),
		"/intl/china/harbin": htmlPage(`<a href="/intl/china/harbin/deep">too deep</a>`),
		"/intl/china/dalian": article("dalian"),
		"/intl/print":        article("print"),
		"/many": func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html")
			for i := range 50 {
				fmt.Fprintf(w, `<a href="/m/%d">%d</a>`, i, i)
			}
		},
	}
	for i := range 50 {
		routes[fmt.Sprintf("/m/%d", i)] = article("m")
	}
	s := newSite(t, routes)
	pub := &memPub{}
	c := newTestCrawler(t, testConfig(
		Source{Name: "deep", Kind: KindListing, URLs: []string{s.url("/intl")}, MaxDepth: 2, Exclude: []string{`/print`}},
		Source{Name: "many", Kind: KindListing, URLs: []string{s.url("/many")}, MaxURLs: 11, Include: []string{`/m/\d+$`}},
	), pub, NewMemState())
	stats, err := c.CrawlAll(t.Context())
	require.NoError(t, err)
	require.Zero(t, s.hit("/intl/print"), "excluded")
	require.Zero(t, s.hit("/intl/china/harbin/deep"), "beyond max_depth")
	require.Equal(t, 1, s.hit("/intl/china/dalian"))
	require.Equal(t, 10, stats["many"].Fetched-1, "max_urls counts the start page")
	require.Equal(t, 40, stats["many"].Skipped)
	require.Equal(t, 50, stats["many"].Articles, "articles found, queued or not")
}

func TestAllowedHosts(t *testing.T) {
	t.Parallel()
	src := Source{Name: "x", Kind: KindPage, URLs: []string{"https://www.Khabarovskadm.ru/"}}.withDefaults(DefaultConfig())
	r := &run{src: src}
	require.Equal(t, []string{"khabarovskadm.ru"}, src.AllowedDomains)
	for host, want := range map[string]bool{
		"khabarovskadm.ru": true, "www.khabarovskadm.ru": true, "news.khabarovskadm.ru.": true,
		"evilkhabarovskadm.ru": false, "khabarovskadm.ru.evil.com": false, "": false,
	} {
		require.Equal(t, want, r.allowedHost(host), host)
	}
}
