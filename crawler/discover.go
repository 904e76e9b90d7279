package crawler

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/xml"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html/charset"
)

// discoverListing queues the article links (src.Links) of a listing page
// and, when next is true and the page limit allows, its next page
// (src.Next). Links are resolved against the page's final URL (or its
// <base href>), canonicalised and filtered by domain and patterns.
func (r *run) discoverListing(ctx context.Context, it item, final, body string, next bool) {
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		r.c.log.Warn("listing not parsed", "source", r.src.Name, "url", it.URL, "err", err)
		return
	}
	base, err := url.Parse(final)
	if err != nil {
		return
	}
	if href, ok := doc.Find("base[href]").First().Attr("href"); ok {
		if b, err := base.Parse(href); err == nil {
			base = b
		}
	}
	var arts []string
	doc.Find(r.src.Links).Each(func(_ int, s *goquery.Selection) {
		href, ok := s.Attr("href")
		if !ok {
			href, ok = s.Find("a[href]").First().Attr("href")
		}
		if !ok {
			return
		}
		if u := resolve(base, href); u != "" && u != it.URL && u != final {
			arts = append(arts, u)
		}
	})
	r.queueArticles(ctx, it, arts)
	if next && r.src.Next != "" && it.Page+1 < r.src.MaxPages {
		if href, ok := doc.Find(r.src.Next).First().Attr("href"); ok {
			if u := resolve(base, href); u != "" && u != it.URL {
				if pu, err := url.Parse(u); err == nil && r.allowedHost(pu.Hostname()) {
					r.queue(ctx, item{URL: u, Role: roleListing, Depth: it.Depth, Page: it.Page + 1})
				}
			}
		}
	}
	if len(arts) == 0 {
		r.c.log.Warn("listing page has no article links: check the links selector", "source", r.src.Name, "url", it.URL, "selector", r.src.Links)
	}
}

// queueArticles queues discovered article URLs that pass the source's
// filters and counts them as articles.
func (r *run) queueArticles(ctx context.Context, from item, urls []string) {
	var items []item
	seen := map[string]bool{}
	for _, u := range urls {
		if seen[u] {
			continue
		}
		seen[u] = true
		pu, err := url.Parse(u)
		if err != nil || !r.allowedHost(pu.Hostname()) || !r.wanted(u) {
			continue
		}
		items = append(items, item{URL: u, Role: roleArticle, Depth: from.Depth + 1})
	}
	n, dropped := r.pushCount(ctx, items...)
	r.cnt.articles.Add(int64(n + dropped))
}

func (r *run) queue(ctx context.Context, items ...item) { r.pushCount(ctx, items...) }

func (r *run) pushCount(ctx context.Context, items ...item) (added, dropped int) {
	added, dropped, err := r.push(ctx, items...)
	if err != nil {
		r.c.log.Error("urls not queued", "source", r.src.Name, "err", err)
		r.unsaved.Add(int64(len(items) - added - dropped))
	}
	return added, dropped
}

// discoverFeed queues the item links of an RSS, Atom or JSON feed. An HTML
// page in its place is searched for <link rel="alternate"> feeds.
func (r *run) discoverFeed(ctx context.Context, it item, final string, res *fetchResult) {
	base, _ := url.Parse(final)
	feed, err := gofeed.NewParser().Parse(bytes.NewReader(res.body))
	if err != nil {
		body, _, derr := decodeHTML(res.body, res.contentType, r.src.Charset, r.src.Lang)
		if derr == nil && it.Depth == 0 {
			if doc, err := goquery.NewDocumentFromReader(strings.NewReader(body)); err == nil {
				var feeds []item
				doc.Find(`link[rel~="alternate"]`).Each(func(_ int, s *goquery.Selection) {
					t := strings.ToLower(s.AttrOr("type", ""))
					if !strings.Contains(t, "rss") && !strings.Contains(t, "atom") && !strings.Contains(t, "feed+json") {
						return
					}
					if u := resolve(base, s.AttrOr("href", "")); u != "" {
						if pu, err := url.Parse(u); err == nil && r.allowedHost(pu.Hostname()) {
							feeds = append(feeds, item{URL: u, Role: roleFeed, Depth: it.Depth})
						}
					}
				})
				if len(feeds) > 0 {
					r.c.log.Info("feeds discovered", "source", r.src.Name, "url", it.URL, "feeds", len(feeds))
					r.queue(ctx, feeds...)
					return
				}
			}
		}
		r.c.log.Warn("feed not parsed", "source", r.src.Name, "url", it.URL, "err", err)
		return
	}
	var links []string
	for _, fi := range feed.Items {
		link := fi.Link
		if link == "" && len(fi.Links) > 0 {
			link = fi.Links[0]
		}
		if u := resolve(base, link); u != "" {
			links = append(links, u)
		}
	}
	r.queueArticles(ctx, it, links)
}

// sitemapDoc covers both <urlset> and <sitemapindex>.
type sitemapDoc struct {
	XMLName  xml.Name       `xml:""`
	URLs     []sitemapEntry `xml:"url"`
	Sitemaps []sitemapEntry `xml:"sitemap"`
}

type sitemapEntry struct {
	Loc     string `xml:"loc"`
	Lastmod string `xml:"lastmod"`
}

// maxSitemapSize bounds a decompressed sitemap (the protocol's limit is 50 MB).
const maxSitemapSize = 50 << 20

// discoverSitemap queues a sitemap's URLs (as articles) or a sitemap
// index's sitemaps, keeping only entries modified within LastmodWithin.
func (r *run) discoverSitemap(ctx context.Context, it item, raw []byte) {
	if len(raw) > 2 && raw[0] == 0x1f && raw[1] == 0x8b {
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err == nil {
			raw, err = io.ReadAll(io.LimitReader(zr, maxSitemapSize))
		}
		if err != nil {
			r.c.log.Warn("sitemap not decompressed", "source", r.src.Name, "url", it.URL, "err", err)
			return
		}
	}
	var doc sitemapDoc
	dec := xml.NewDecoder(bytes.NewReader(raw))
	dec.CharsetReader = charset.NewReaderLabel
	dec.Strict = false
	if err := dec.Decode(&doc); err != nil {
		r.c.log.Warn("sitemap not parsed", "source", r.src.Name, "url", it.URL, "err", err)
		return
	}
	base, _ := url.Parse(it.URL)
	var cutoff time.Time
	if w := r.src.LastmodWithin.D(); w > 0 {
		cutoff = r.c.opts.now().Add(-w)
	}
	fresh := func(e sitemapEntry) bool {
		if cutoff.IsZero() || e.Lastmod == "" {
			return true
		}
		t, ok := parseLastmod(e.Lastmod)
		return !ok || !t.Before(cutoff)
	}
	var subs []item
	for _, e := range doc.Sitemaps {
		if !fresh(e) {
			continue
		}
		if u := resolve(base, e.Loc); u != "" {
			if pu, err := url.Parse(u); err == nil && r.allowedHost(pu.Hostname()) {
				subs = append(subs, item{URL: u, Role: roleSitemap, Depth: it.Depth})
			}
		}
	}
	r.queue(ctx, subs...)
	var links []string
	for _, e := range doc.URLs {
		if !fresh(e) {
			continue
		}
		if u := resolve(base, e.Loc); u != "" {
			links = append(links, u)
		}
	}
	r.queueArticles(ctx, it, links)
}

// discoverSitemaps queues the sitemaps robots.txt names for a site root,
// or /sitemap.xml when it names none.
func (r *run) discoverSitemaps(ctx context.Context, root *url.URL, fromRobots []string) {
	var items []item
	for _, s := range fromRobots {
		if u := resolve(root, s); u != "" {
			if pu, err := url.Parse(u); err == nil && r.allowedHost(pu.Hostname()) {
				items = append(items, item{URL: u, Role: roleSitemap})
			}
		}
	}
	if len(items) == 0 {
		u, _ := root.Parse("/sitemap.xml")
		items = append(items, item{URL: u.String(), Role: roleSitemap})
	}
	r.c.log.Info("sitemaps discovered", "source", r.src.Name, "url", root.String(), "sitemaps", len(items))
	r.queue(ctx, items...)
}

func parseLastmod(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00", "2006-01-02T15:04:05", "2006-01-02", "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}
