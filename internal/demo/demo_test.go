package demo_test

import (
	"context"
	"encoding/xml"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"

	"github.com/twinwatch/twinwatch/crawler"
	"github.com/twinwatch/twinwatch/internal/demo"
)

func start(t *testing.T) *demo.Server {
	t.Helper()
	s, err := demo.Start(t.Context(), "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		require.NoError(t, s.Close(ctx))
	})
	return s
}

type response struct {
	status int
	header http.Header
	body   []byte
}

func fetch(t *testing.T, method, url string, hdr map[string]string) response {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), method, url, nil)
	require.NoError(t, err)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return response{status: resp.StatusCode, header: resp.Header, body: b}
}

// pages is every file of the site with the Content-Type it must be served with.
var pages = []struct {
	path  string
	ctype string
}{
	{"/", "text/html; charset=utf-8"},
	{"/robots.txt", "text/plain; charset=utf-8"},
	{"/sitemap.xml", "application/xml; charset=utf-8"},
	{"/dvvestnik/rss.xml", "application/rss+xml; charset=utf-8"},
	{"/khabarovsk/static/site.css", "text/css; charset=utf-8"},
	{"/khabarovsk/news/", "text/html; charset=utf-8"},
	{"/khabarovsk/news/page/2/", "text/html; charset=utf-8"},
	{"/khabarovsk/news/2026/11/20/fuyuan-pobratimy.html", "text/html; charset=utf-8"},
	{"/khabarovsk/news/2026/11/18/weihai-delegatsiya.html", "text/html; charset=utf-8"},
	{"/khabarovsk/news/2026/11/12/gumanitarnaya-pomoshch.html", "text/html; charset=utf-8"},
	{"/khabarovsk/news/2026/10/28/dni-kultury-harbina.html", "text/html; charset=utf-8"},
	{"/khabarovsk/news/2026/02/25/sanya-15-let.html", "text/html; charset=utf-8"},
	{"/khabarovsk/goroda-pobratimy/", "text/html; charset=utf-8"},
	{"/blagoveshchensk/pobratimy.html", "text/html"},
	{"/harbin/wsb/yhcs.html", "text/html; charset=utf-8"},
	{"/hljnews/2026-11/20/fuyuan-habaluofusike.html", "text/html; charset=utf-8"},
	{"/dvvestnik/news/20261115-hockey-heihe.html", "text/html; charset=utf-8"},
	{"/dvvestnik/news/20261110-irkutsk-shenyang-students.html", "text/html; charset=utf-8"},
	{"/dvvestnik/news/20260818-irkutsk-manzhouli-god.html", "text/html; charset=utf-8"},
	{"/harbin-en/news/2026-11/khabarovsk-culture-festival.html", "text/html; charset=utf-8"},
	{"/dalian-en/news/2025-11/yekaterinburg-friendly-cooperation.html", "text/html; charset=utf-8"},
}

func TestServeEveryPage(t *testing.T) {
	s := start(t)
	for _, p := range pages {
		t.Run(p.path, func(t *testing.T) {
			t.Parallel()
			r := fetch(t, http.MethodGet, s.URL()+p.path, nil)
			require.Equal(t, http.StatusOK, r.status)
			require.Equal(t, p.ctype, r.header.Get("Content-Type"))
			require.NotEmpty(t, r.header.Get("ETag"))
			require.Equal(t, "Fri, 20 Nov 2026 09:00:00 GMT", r.header.Get("Last-Modified"))
			require.NotEmpty(t, r.body)
			require.NotContains(t, string(r.body), "{{BASE}}")
			if p.ctype != "text/html" {
				require.True(t, utf8.Valid(r.body), "UTF-8 body")
			}
		})
	}
}

func TestWindows1251Page(t *testing.T) {
	s := start(t)
	r := fetch(t, http.MethodGet, s.URL()+"/blagoveshchensk/pobratimy.html", nil)
	require.Equal(t, "text/html", r.header.Get("Content-Type"), "no charset in the header")
	require.False(t, utf8.Valid(r.body))
	require.Contains(t, string(r.body), `charset=windows-1251`)
	text, err := charmap.Windows1251.NewDecoder().Bytes(r.body)
	require.NoError(t, err)
	require.Contains(t, string(text), "<td>Хэйхэ</td>")
	require.Contains(t, string(text), "Города-побратимы")
}

func TestConditionalGet(t *testing.T) {
	s := start(t)
	url := s.URL() + "/khabarovsk/news/"
	first := fetch(t, http.MethodGet, url, nil)
	require.Equal(t, http.StatusOK, first.status)
	cases := []struct {
		name string
		hdr  map[string]string
		want int
	}{
		{name: "etag matches", hdr: map[string]string{"If-None-Match": first.header.Get("ETag")}, want: http.StatusNotModified},
		{name: "etag differs", hdr: map[string]string{"If-None-Match": `"other"`}, want: http.StatusOK},
		{name: "not modified since", hdr: map[string]string{"If-Modified-Since": first.header.Get("Last-Modified")}, want: http.StatusNotModified},
		{name: "modified since", hdr: map[string]string{"If-Modified-Since": "Mon, 02 Jan 2006 15:04:05 GMT"}, want: http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			r := fetch(t, http.MethodGet, url, tc.hdr)
			require.Equal(t, tc.want, r.status)
			if tc.want == http.StatusNotModified {
				require.Empty(t, r.body)
			}
		})
	}
}

func TestNotFoundRedirectMethod(t *testing.T) {
	s := start(t)
	require.Equal(t, http.StatusNotFound, fetch(t, http.MethodGet, s.URL()+"/nope.html", nil).status)
	require.Equal(t, http.StatusMethodNotAllowed, fetch(t, http.MethodPost, s.URL()+"/", nil).status)
	// A directory without its slash redirects (the client follows it).
	r := fetch(t, http.MethodGet, s.URL()+"/khabarovsk/news", nil)
	require.Equal(t, http.StatusOK, r.status)
	require.Contains(t, string(r.body), "news-list")
	h := fetch(t, http.MethodHead, s.URL()+"/robots.txt", nil)
	require.Equal(t, http.StatusOK, h.status)
	require.Empty(t, h.body)
}

var hrefRE = regexp.MustCompile(`(?:href|src)="(/[^"#]*)"`)

// Every site-internal link resolves, and feeds and sitemaps point at
// existing pages of this server.
func TestNoDeadLinks(t *testing.T) {
	s := start(t)
	for _, p := range pages {
		body := string(fetch(t, http.MethodGet, s.URL()+p.path, nil).body)
		for _, m := range hrefRE.FindAllStringSubmatch(body, -1) {
			require.Equal(t, http.StatusOK, fetch(t, http.MethodGet, s.URL()+m[1], nil).status, "%s links to %s", p.path, m[1])
		}
		if strings.HasSuffix(p.path, ".xml") || strings.HasSuffix(p.path, ".txt") {
			for _, u := range regexp.MustCompile(`https?://[^<\s"]+`).FindAllString(body, -1) {
				if strings.Contains(u, "sitemaps.org") {
					continue
				}
				require.True(t, strings.HasPrefix(u, s.URL()+"/"), "%s: absolute URL %s points elsewhere", p.path, u)
				require.Equal(t, http.StatusOK, fetch(t, http.MethodGet, u, nil).status, "%s lists %s", p.path, u)
			}
		}
	}
}

func TestFeedAndSitemapParse(t *testing.T) {
	s := start(t)
	var rss struct {
		Items []struct {
			Link    string `xml:"link"`
			PubDate string `xml:"pubDate"`
		} `xml:"channel>item"`
	}
	require.NoError(t, xml.Unmarshal(fetch(t, http.MethodGet, s.URL()+"/dvvestnik/rss.xml", nil).body, &rss))
	require.Len(t, rss.Items, 3)
	for _, it := range rss.Items {
		_, err := time.Parse(time.RFC1123Z, it.PubDate)
		require.NoError(t, err)
	}
	var sm struct {
		URLs []struct {
			Loc string `xml:"loc"`
		} `xml:"url"`
	}
	require.NoError(t, xml.Unmarshal(fetch(t, http.MethodGet, s.URL()+"/sitemap.xml", nil).body, &sm))
	require.Len(t, sm.URLs, 3)
	robots := string(fetch(t, http.MethodGet, s.URL()+"/robots.txt", nil).body)
	require.Contains(t, robots, "Sitemap: "+s.URL()+"/sitemap.xml")
}

func TestSourcesValidate(t *testing.T) {
	t.Parallel()
	cfg := crawler.DefaultConfig()
	cfg.AllowPrivateNetworks = true
	cfg.Sources = demo.Sources("http://127.0.0.1:38080/")
	require.NoError(t, cfg.Validate())
	kinds := map[crawler.SourceKind]int{}
	for _, src := range cfg.Sources {
		kinds[src.Kind]++
		for _, u := range src.URLs {
			require.True(t, strings.HasPrefix(u, "http://127.0.0.1:38080/"), u)
			require.NotContains(t, u, "//khabarovsk")
		}
	}
	require.Equal(t, map[crawler.SourceKind]int{crawler.KindListing: 1, crawler.KindFeed: 1, crawler.KindSitemap: 1, crawler.KindPage: 3}, kinds)
}

// The sources' start URLs and every page Expected names exist on the site,
// and the page count adds up.
func TestExpectedMatchesSite(t *testing.T) {
	s := start(t)
	for _, src := range demo.Sources(s.URL()) {
		for _, u := range src.URLs {
			require.Equal(t, http.StatusOK, fetch(t, http.MethodGet, u, nil).status, u)
		}
	}
	exp := demo.Expected()
	require.GreaterOrEqual(t, exp.Pages, exp.MinPages)
	require.GreaterOrEqual(t, len(exp.Agreements), exp.MinAgreements)
	html := 0
	for _, p := range pages {
		if strings.HasPrefix(p.ctype, "text/html") && p.path != "/" && !strings.HasPrefix(p.path, "/khabarovsk/news/page/") && p.path != "/khabarovsk/news/" {
			html++
		}
	}
	require.Equal(t, exp.Pages, html, "every HTML page but the index and the listings is published")
	seen := map[[2]string]bool{}
	news := 0
	for _, a := range exp.Agreements {
		key := [2]string{a.RU, a.CN}
		require.False(t, seen[key], "duplicate pair %v", key)
		seen[key] = true
		require.NotEmpty(t, a.Pages)
		for _, p := range a.Pages {
			require.Equal(t, http.StatusOK, fetch(t, http.MethodGet, s.URL()+p, nil).status, p)
		}
		if a.New {
			news++
			d, err := time.Parse(time.DateOnly, a.Established)
			require.NoError(t, err)
			require.True(t, d.Before(demo.Date()) && demo.Date().Sub(d) <= 7*24*time.Hour, "a new signing is recent relative to Date")
		}
	}
	require.Equal(t, 1, news)
	for _, e := range exp.Events {
		require.Equal(t, http.StatusOK, fetch(t, http.MethodGet, s.URL()+e.Page, nil).status, e.Page)
	}
}

func TestCloseOnContext(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	s, err := demo.Start(ctx, "127.0.0.1:0")
	require.NoError(t, err)
	cancel()
	require.NoError(t, s.Close(t.Context()))
	require.NoError(t, s.Close(t.Context()), "second Close is harmless")
	_, err = http.Get(s.URL() + "/")
	require.Error(t, err)
}

func TestStartListenError(t *testing.T) {
	t.Parallel()
	_, err := demo.Start(t.Context(), "127.0.0.1:-1")
	require.ErrorContains(t, err, "demo: listen on 127.0.0.1:-1")
}
