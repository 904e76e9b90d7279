package crawler

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/temoto/robotstxt"
)

// robotsAgent is the product token matched against robots.txt groups.
const robotsAgent = "twinwatch"

// maxRobotsSize bounds a robots.txt body (Google reads 500 KiB).
const maxRobotsSize = 512 << 10

// robotsCache fetches and caches robots.txt per scheme and host. It is safe
// for concurrent use; one fetch per origin is in flight at a time.
type robotsCache struct {
	client *http.Client
	ua     string
	ttl    time.Duration
	now    func() time.Time

	mu sync.Mutex
	m  map[string]*robotsEntry
}

type robotsEntry struct {
	ready   chan struct{}
	data    *robotstxt.RobotsData
	err     error
	expires time.Time
}

// robotsVerdict is what robots.txt says about one URL.
type robotsVerdict struct {
	Allowed    bool
	CrawlDelay time.Duration
	Sitemaps   []string
}

func newRobotsCache(client *http.Client, ua string, ttl time.Duration, now func() time.Time) *robotsCache {
	return &robotsCache{client: client, ua: ua, ttl: ttl, now: now, m: map[string]*robotsEntry{}}
}

// check returns the verdict for u, fetching robots.txt if needed. A
// robots.txt that cannot be fetched (network error) fails the check; 4xx
// allows everything, 5xx disallows everything (RFC 9309).
func (rc *robotsCache) check(ctx context.Context, u *url.URL) (robotsVerdict, error) {
	origin := u.Scheme + "://" + u.Host
	rc.mu.Lock()
	e := rc.m[origin]
	if e != nil {
		select {
		case <-e.ready:
			if rc.now().After(e.expires) {
				e = nil
			}
		default:
		}
	}
	if e == nil {
		if len(rc.m) > 10000 {
			rc.sweepLocked()
		}
		e = &robotsEntry{ready: make(chan struct{})}
		rc.m[origin] = e
		rc.mu.Unlock()
		e.data, e.err = rc.fetch(ctx, origin)
		ttl := rc.ttl
		if e.err != nil {
			ttl = min(ttl, time.Minute)
		}
		e.expires = rc.now().Add(ttl)
		close(e.ready)
	} else {
		rc.mu.Unlock()
		select {
		case <-e.ready:
		case <-ctx.Done():
			return robotsVerdict{}, ctx.Err()
		}
	}
	if e.err != nil {
		return robotsVerdict{}, e.err
	}
	g := e.data.FindGroup(robotsAgent)
	p := u.EscapedPath()
	if p == "" {
		p = "/"
	}
	if u.RawQuery != "" {
		p += "?" + u.RawQuery
	}
	return robotsVerdict{Allowed: g.Test(p), CrawlDelay: g.CrawlDelay, Sitemaps: e.data.Sitemaps}, nil
}

func (rc *robotsCache) sweepLocked() {
	now := rc.now()
	for k, e := range rc.m {
		select {
		case <-e.ready:
			if now.After(e.expires) {
				delete(rc.m, k)
			}
		default:
		}
	}
}

func (rc *robotsCache) fetch(ctx context.Context, origin string) (*robotstxt.RobotsData, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, origin+"/robots.txt", nil)
	if err != nil {
		return nil, fmt.Errorf("crawler: robots.txt of %s: %w", origin, err)
	}
	req.Header.Set("User-Agent", rc.ua)
	resp, err := rc.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("crawler: robots.txt of %s: %w", origin, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxRobotsSize))
	if err != nil {
		return nil, fmt.Errorf("crawler: robots.txt of %s: %w", origin, err)
	}
	data, err := robotstxt.FromStatusAndBytes(resp.StatusCode, body)
	if err != nil {
		// Unparseable or odd status: treat as no robots.txt.
		data, _ = robotstxt.FromStatusAndBytes(http.StatusNotFound, nil)
	}
	return data, nil
}
