package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"path"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/twinwatch/twinwatch/config/spec"
	"github.com/twinwatch/twinwatch/crawler"
	"github.com/twinwatch/twinwatch/twin"
)

// site is the demo's pages, read-only.
//
//go:embed site
var site embed.FS

// Date returns the day the demo's news is written around, 2026-11-20: the
// newest article is published on it and reports a signing "yesterday".
func Date() time.Time { return time.Date(2026, time.November, 20, 0, 0, 0, 0, time.UTC) }

// modTime is every file's Last-Modified: 09:00 UTC on Date.
func modTime() time.Time { return Date().Add(9 * time.Hour) }

// baseToken in .xml and .txt files is replaced by the server's URL, so feeds,
// sitemaps and robots.txt carry absolute links to wherever the demo listens.
const baseToken = "{{BASE}}"

// file is one page ready to serve.
type file struct {
	data  []byte
	ctype string
	etag  string
}

// Server serves the demo site on a loopback port. It is safe for concurrent
// use; Close stops it.
type Server struct {
	url   string
	srv   *http.Server
	done  chan error
	stop  func() bool
	files map[string]file
}

// Start listens on addr (use "127.0.0.1:0" for a free port) and serves the
// demo site in the background until Close is called or ctx is done. Every
// file is served with its Content-Type (the windows-1251 page as "text/html"
// without a charset, so that only its <meta> tells), a strong ETag and a
// fixed Last-Modified, and answers conditional GETs with 304. It returns an
// error if it cannot listen.
func Start(ctx context.Context, addr string) (*Server, error) {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("demo: listen on %s: %w", addr, err)
	}
	s := &Server{url: "http://" + ln.Addr().String(), done: make(chan error, 1)}
	s.files, err = load(s.url)
	if err != nil {
		ln.Close()
		return nil, err
	}
	s.srv = &http.Server{
		Handler:           s,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
	}
	go func() {
		err := s.srv.Serve(ln)
		if errors.Is(err, http.ErrServerClosed) {
			err = nil
		}
		s.done <- err
		close(s.done)
	}()
	s.stop = context.AfterFunc(ctx, func() { _ = s.srv.Close() })
	return s, nil
}

// URL returns the site's base URL, "http://127.0.0.1:PORT", without a
// trailing slash.
func (s *Server) URL() string { return s.url }

// Close shuts the server down gracefully, waiting for in-flight requests
// until ctx is done (then closing them), and returns once the server has
// stopped. It returns the server's error, if any. Calling it twice is safe.
func (s *Server) Close(ctx context.Context) error {
	s.stop()
	err := s.srv.Shutdown(ctx)
	if err != nil {
		_ = s.srv.Close()
	}
	if serr, ok := <-s.done; ok && serr != nil {
		return fmt.Errorf("demo: serve: %w", serr)
	}
	if err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("demo: shut down: %w", err)
	}
	return nil
}

// ServeHTTP serves one file of the site: GET and HEAD only; a directory
// path serves its index.html.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	p := path.Clean("/" + r.URL.Path)
	if strings.HasSuffix(r.URL.Path, "/") || p == "/" {
		p = path.Join(p, "index.html")
	}
	f, ok := s.files[p]
	if !ok {
		if _, dir := s.files[path.Join(p, "index.html")]; dir {
			http.Redirect(w, r, p+"/", http.StatusMovedPermanently)
			return
		}
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", f.ctype)
	w.Header().Set("ETag", f.etag)
	w.Header().Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, p, modTime(), bytes.NewReader(f.data))
}

// load reads the embedded site, with base substituted in feeds, sitemaps
// and robots.txt, keyed by URL path.
func load(base string) (map[string]file, error) {
	files := map[string]file{}
	err := fs.WalkDir(site, "site", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := site.ReadFile(name)
		if err != nil {
			return err
		}
		ext := path.Ext(name)
		if ext == ".xml" || ext == ".txt" {
			data = bytes.ReplaceAll(data, []byte(baseToken), []byte(base))
		}
		sum := sha256.Sum256(data)
		files[strings.TrimPrefix(name, "site")] = file{
			data:  data,
			ctype: contentType(name, data),
			etag:  `"` + hex.EncodeToString(sum[:12]) + `"`,
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("demo: read embedded site: %w", err)
	}
	return files, nil
}

// contentType is the Content-Type a real server would send for a file: a
// legacy-encoded HTML page (not valid UTF-8) gets no charset parameter.
func contentType(name string, data []byte) string {
	switch path.Ext(name) {
	case ".html":
		if !utf8.Valid(data) {
			return "text/html"
		}
		return "text/html; charset=utf-8"
	case ".xml":
		if path.Base(name) == "rss.xml" {
			return "application/rss+xml; charset=utf-8"
		}
		return "application/xml; charset=utf-8"
	case ".txt":
		return "text/plain; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	}
	return "application/octet-stream"
}

// Sources returns the crawler sources that cover the demo site served at
// baseURL (Server.URL): a listing with pagination, an RSS feed, a sitemap and
// three single pages (twin-city lists in Russian, windows-1251 Russian and
// Chinese). They have no schedule (one run), a short host delay (the site is
// local), and the crawler must be allowed to fetch loopback addresses
// (crawler.Config.AllowPrivateNetworks).
func Sources(baseURL string) []crawler.Source {
	b := strings.TrimSuffix(baseURL, "/")
	srcs := []crawler.Source{
		{
			Name:     "demo-khabarovsk-news",
			Kind:     crawler.KindListing,
			URLs:     []string{b + "/khabarovsk/news/"},
			Lang:     "ru",
			Links:    "ul.news-list a.news-title",
			Next:     "div.pager a.pager-next",
			MaxPages: 5,
			MaxDepth: 1,
			Selectors: twin.Selectors{
				Title: "article.news-detail h1",
				Date:  "article.news-detail .news-date time",
				Body:  "article.news-detail .news-body",
			},
		},
		{
			Name: "demo-khabarovsk-twins",
			Kind: crawler.KindPage,
			URLs: []string{b + "/khabarovsk/goroda-pobratimy/"},
			Lang: "ru",
			Selectors: twin.Selectors{
				Title: "main.content h1",
				Body:  "main.content .text",
			},
		},
		{
			Name: "demo-blagoveshchensk-twins",
			Kind: crawler.KindPage,
			URLs: []string{b + "/blagoveshchensk/pobratimy.html"},
			Lang: "ru",
		},
		{
			Name: "demo-harbin-fao",
			Kind: crawler.KindPage,
			URLs: []string{b + "/harbin/wsb/yhcs.html"},
			Lang: "zh",
			Selectors: twin.Selectors{
				Title: "h1.title",
				Body:  "div.TRS_Editor",
			},
		},
		{
			Name:     "demo-dvvestnik-rss",
			Kind:     crawler.KindFeed,
			URLs:     []string{b + "/dvvestnik/rss.xml"},
			Lang:     "ru",
			MaxDepth: 1,
			Selectors: twin.Selectors{
				Title: "h1.title",
				Date:  "div.article .date",
				Body:  "div.article .text",
			},
		},
		{
			// Chinese and English pages: no language hint, the parser detects it.
			Name:     "demo-sitemap",
			Kind:     crawler.KindSitemap,
			URLs:     []string{b + "/sitemap.xml"},
			MaxDepth: 1,
		},
	}
	for i := range srcs {
		// All sources share one loopback host: be quick, it is ours.
		srcs[i].HostDelay = spec.Duration(demoHostDelay)
	}
	return srcs
}

// demoHostDelay is the politeness gap the demo sources use on their own host.
const demoHostDelay = 20 * time.Millisecond
