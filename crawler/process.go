package crawler

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"time"

	"golang.org/x/net/html"

	"github.com/twinwatch/twinwatch/twin"
)

// process fetches one frontier item and acts on it by role. Every outcome
// is counted; nothing is returned (the item is done either way).
func (r *run) process(ctx context.Context, it item) {
	c := r.c
	u, err := url.Parse(it.URL)
	if err != nil {
		r.skip(it, err)
		return
	}
	host := u.Hostname()
	if !r.allowedHost(host) {
		r.skip(it, ErrOffDomain)
		return
	}
	if !c.cfg.AllowPrivateNetworks && hostIsForbiddenLiteral(host) {
		r.skip(it, ErrPrivateAddress)
		return
	}
	delay := r.src.HostDelay.D()
	var sitemaps []string
	if c.cfg.Robots == RobotsObey {
		v, err := c.robots.check(ctx, u)
		if err != nil {
			if errors.Is(err, ErrPrivateAddress) {
				r.skip(it, err)
			} else {
				r.fail(it, nil, err)
			}
			return
		}
		if !v.Allowed {
			r.skip(it, ErrRobots)
			return
		}
		delay = max(delay, v.CrawlDelay)
		sitemaps = v.Sitemaps
	}
	if it.Role == roleSiteRoot {
		r.discoverSitemaps(ctx, u, sitemaps)
		return
	}

	hdr := http.Header{}
	hdr.Set("User-Agent", c.ua)
	hdr.Set("Accept", accept(it.Role))
	var prev URLState
	var have bool
	if it.Role.publishes() {
		prev, have, err = c.state.Get(ctx, it.URL)
		if err != nil {
			r.unsaved.Add(1)
			r.fail(it, nil, err)
			return
		}
		if have {
			if prev.ETag != "" {
				hdr.Set("If-None-Match", prev.ETag)
			}
			if prev.LastModified != "" {
				hdr.Set("If-Modified-Since", prev.LastModified)
			}
		}
	}

	res := r.fetch(ctx, u.Host, it, hdr, delay)
	if res.err != nil {
		if errors.Is(res.err, ErrContentType) || errors.Is(res.err, ErrPrivateAddress) || errors.Is(res.err, ErrOffDomain) {
			r.skip(it, res.err)
		} else {
			r.fail(it, res, res.err)
		}
		return
	}
	r.cnt.fetched.Add(1)
	now := c.opts.now().UTC()
	final := it.URL
	if res.finalURL != "" {
		if f, err := CanonicalURL(res.finalURL); err == nil {
			final = f
		}
	}

	if res.status == http.StatusNotModified {
		if have {
			prev.FetchedAt, prev.Status = now, res.status
			r.putState(ctx, prev)
		}
		r.cnt.unchanged.Add(1)
		c.m.requests.WithLabelValues(r.src.Name, outcomeUnchanged).Inc()
		r.print(it, res, final, "", prev.ContentHash, "", true, nil)
		return
	}

	hash := twin.ContentHash(res.body)
	var body, cs string
	if it.Role != roleFeed && it.Role != roleSitemap {
		body, cs, err = decodeHTML(res.body, res.contentType, r.src.Charset, r.src.Lang)
		if err != nil {
			r.fail(it, res, err)
			return
		}
	}

	if !it.Role.publishes() {
		r.navFetched.Add(1)
	}
	switch it.Role {
	case roleListing:
		r.discoverListing(ctx, it, final, body, true)
	case roleFeed:
		r.discoverFeed(ctx, it, final, res)
	case roleSitemap:
		r.discoverSitemap(ctx, it, res.body)
	case roleArticle, rolePage:
		if it.Role == roleArticle && it.Depth < r.src.MaxDepth && r.src.Kind == KindListing {
			r.discoverListing(ctx, it, final, body, false)
		}
		unchanged := have && prev.ContentHash == hash
		st := URLState{
			URL: it.URL, ETag: res.header.Get("ETag"), LastModified: res.header.Get("Last-Modified"),
			ContentHash: hash, FetchedAt: now, Status: res.status, PublishedAt: prev.PublishedAt,
		}
		if unchanged {
			r.cnt.unchanged.Add(1)
			c.m.requests.WithLabelValues(r.src.Name, outcomeUnchanged).Inc()
			r.putState(ctx, st)
			r.print(it, res, final, cs, hash, body, true, nil)
			return
		}
		p := twin.Page{
			V: twin.Version, Source: r.src.Name, URL: it.URL, Status: res.status, FetchedAt: now,
			ContentType: res.contentType, Charset: cs, Lang: r.src.Lang, Selectors: r.src.Selectors,
			ContentHash: hash, Body: body,
		}
		if final != it.URL {
			p.FinalURL = final
		}
		if err := c.pub.PublishPage(ctx, p); err != nil {
			r.unsaved.Add(1)
			r.fail(it, res, err)
			return
		}
		st.PublishedAt = now
		r.putState(ctx, st)
		r.cnt.published.Add(1)
		c.m.published.WithLabelValues(r.src.Name).Inc()
		c.m.requests.WithLabelValues(r.src.Name, outcomeOK).Inc()
		c.log.Debug("page published", "source", r.src.Name, "url", it.URL)
		r.print(it, res, final, cs, hash, body, false, nil)
		return
	}
	c.m.requests.WithLabelValues(r.src.Name, outcomeOK).Inc()
	r.print(it, res, final, cs, hash, body, false, nil)
}

func (r *run) putState(ctx context.Context, st URLState) {
	if err := r.c.state.Put(ctx, st); err != nil {
		r.unsaved.Add(1)
		r.c.log.Error("crawl state not saved", "source", r.src.Name, "url", st.URL, "err", err)
	}
}

func (r *run) skip(it item, err error) {
	r.cnt.skipped.Add(1)
	r.c.m.requests.WithLabelValues(r.src.Name, outcomeSkipped).Inc()
	r.c.log.Info("url skipped", "source", r.src.Name, "url", it.URL, "err", err)
	r.print(it, nil, "", "", "", "", false, err)
}

func (r *run) fail(it item, res *fetchResult, err error) {
	if errors.Is(err, context.Canceled) {
		return // the run is stopping: the URL is not done, and not failed
	}
	r.cnt.failed.Add(1)
	r.c.m.requests.WithLabelValues(r.src.Name, outcomeError).Inc()
	r.c.log.Warn("fetch failed", "source", r.src.Name, "url", it.URL, "err", err)
	r.print(it, res, "", "", "", "", false, err)
}

// printLine is one --print JSON line.
type printLine struct {
	Source      string `json:"source"`
	URL         string `json:"url"`
	FinalURL    string `json:"final_url,omitempty"`
	Role        string `json:"role"`
	Status      int    `json:"status,omitempty"`
	Charset     string `json:"charset,omitempty"`
	Title       string `json:"title,omitempty"`
	ContentHash string `json:"content_hash,omitempty"`
	Unchanged   bool   `json:"unchanged"`
	Error       string `json:"error,omitempty"`
}

func (r *run) print(it item, res *fetchResult, final, cs, hash, body string, unchanged bool, err error) {
	w := r.c.opts.print
	if w == nil {
		return
	}
	l := printLine{Source: r.src.Name, URL: it.URL, Role: string(it.Role), Charset: cs, ContentHash: hash, Unchanged: unchanged, Error: errString(err)}
	if final != it.URL {
		l.FinalURL = final
	}
	if res != nil {
		l.Status = res.status
	}
	if body != "" {
		l.Title = titleOf(body)
	}
	b, _ := json.Marshal(l)
	b = append(b, '\n')
	r.c.printMu.Lock()
	defer r.c.printMu.Unlock()
	_, _ = w.Write(b)
}

// titleOf returns the text of the first <title>, for --print only (the
// parser does the real extraction).
func titleOf(body string) string {
	z := html.NewTokenizer(strings.NewReader(body))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return ""
		case html.StartTagToken:
			if name, _ := z.TagName(); string(name) == "title" {
				if z.Next() == html.TextToken {
					return strings.Join(strings.Fields(string(z.Text())), " ")
				}
				return ""
			}
		}
	}
}

// sinceStart is a helper for progress lines.
func sinceStart(t time.Time) time.Duration { return time.Since(t).Round(100 * time.Millisecond) }
