package crawler

import (
	"context"
	"net/url"
	"testing"
)

// FuzzDiscover feeds untrusted bytes to the sitemap, feed and listing
// discovery of a run: no panic, and every queued URL is canonical and
// inside the allowed domains.
func FuzzDiscover(f *testing.F) {
	f.Add([]byte(`<urlset><url><loc>https://example.ru/a?utm_source=1</loc><lastmod>2024-01-01</lastmod></url></urlset>`))
	f.Add([]byte(`<sitemapindex><sitemap><loc>/s2.xml</loc></sitemap></sitemapindex>`))
	f.Add([]byte(`<rss><channel><item><link>https://example.ru/n/1</link></item></channel></rss>`))
	f.Add([]byte(`<html><head><link rel="alternate" type="application/rss+xml" href="/rss"></head><a href="//x.example.ru/b#c">b</a></html>`))
	f.Add([]byte("\x1f\x8b\x08\x00garbage"))
	cfg := testConfig(Source{Name: "f", Kind: KindListing, URLs: []string{"https://example.ru/"}, MaxURLs: 1000})
	c, err := New(cfg, &memPub{}, NewMemState(), nil, nil)
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		ctx := context.Background()
		r, err := c.newRun(ctx, c.sources["f"], false)
		if err != nil {
			t.Fatal(err)
		}
		from := item{URL: "https://example.ru/", Role: roleListing}
		r.discoverSitemap(ctx, from, data)
		r.discoverFeed(ctx, from, from.URL, &fetchResult{body: data, contentType: "text/html"})
		r.discoverListing(ctx, from, from.URL, string(data), true)
		mf := r.front.(*memFrontier)
		for _, it := range mf.queue {
			if got, err := CanonicalURL(it.URL); err != nil || got != it.URL {
				t.Fatalf("queued non-canonical %q (%v)", it.URL, err)
			}
			if u, _ := url.Parse(it.URL); !r.allowedHost(u.Hostname()) {
				t.Fatalf("queued off-domain %q", it.URL)
			}
		}
	})
}
