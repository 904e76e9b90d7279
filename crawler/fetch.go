package crawler

import (
	"context"
	"errors"
	"fmt"
	"mime"
	"net"
	"net/http"
	"net/http/cookiejar"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/gocolly/colly/v2"
)

// fetcher is a run's colly collector used as a synchronous fetcher: the
// frontier, politeness and retries are ours; colly does the request. Its
// callbacks only copy the response into a fetchResult.
type fetcher struct {
	c    *Crawler
	r    *run
	coll *colly.Collector
}

// fetchResult is one attempt's outcome, filled by the colly callbacks.
type fetchResult struct {
	role        role
	status      int
	header      http.Header
	contentType string // as sent, charset included
	body        []byte // raw bytes (colly's charset conversion is bypassed)
	finalURL    string
	err         error
	retryAfter  time.Duration
}

const ctxResult = "twinwatch.result"

func newFetcher(ctx context.Context, c *Crawler, r *run) *fetcher {
	coll := colly.NewCollector()
	// NewCollector applies COLLY_* environment variables: set every option
	// explicitly so only config counts.
	coll.UserAgent = c.ua
	coll.Headers = nil
	coll.MaxDepth = 0
	coll.AllowedDomains = nil
	coll.DisallowedDomains = nil
	coll.URLFilters = nil
	coll.DisallowedURLFilters = nil
	coll.AllowURLRevisit = true // revisits are ours to decide (frontier, crawl state)
	coll.MaxBodySize = int(c.cfg.MaxBodySize) + 1
	coll.CacheDir = ""
	coll.CacheExpiration = 0
	coll.IgnoreRobotsTxt = true // robots.txt is ours: colly ignores Crawl-delay
	coll.Async = false
	coll.ParseHTTPErrorResponse = true // 304, 429, 5xx reach OnResponse
	coll.DetectCharset = false
	coll.CheckHead = false
	coll.TraceHTTP = false
	coll.MaxRequests = 0
	coll.Context = ctx
	jar, _ := cookiejar.New(nil) // per run: session cookies some portals set on redirects
	coll.SetClient(&http.Client{
		Transport:     c.transport,
		Timeout:       c.cfg.RequestTimeout.D(),
		CheckRedirect: r.checkRedirect,
		Jar:           jar,
	})
	max := c.cfg.MaxBodySize
	coll.OnResponseHeaders(func(resp *colly.Response) {
		res := resp.Ctx.GetAny(ctxResult).(*fetchResult)
		ct := resp.Headers.Get("Content-Type")
		res.contentType = ct
		if resp.StatusCode >= 200 && resp.StatusCode < 300 {
			if !acceptable(res.role, ct) {
				res.err = fmt.Errorf("%w %q", ErrContentType, ct)
				resp.Request.Abort()
				return
			}
			if cl := resp.Headers.Get("Content-Length"); cl != "" {
				if n, err := strconv.ParseInt(cl, 10, 64); err == nil && n > max {
					res.err = fmt.Errorf("%w: content-length %d > %d", ErrBodyTooLarge, n, max)
					resp.Request.Abort()
					return
				}
			}
		}
		// colly converts bodies whose Content-Type names a charset; we need
		// the original bytes (content hash) and decode ourselves, so hide
		// the parameter from it. The header map is the response's own.
		if mt, _, err := mime.ParseMediaType(ct); err == nil {
			resp.Headers.Set("Content-Type", mt)
		} else if ct != "" {
			resp.Headers.Set("Content-Type", "application/octet-stream")
		}
	})
	coll.OnResponse(func(resp *colly.Response) {
		res := resp.Ctx.GetAny(ctxResult).(*fetchResult)
		res.status = resp.StatusCode
		res.header = *resp.Headers
		res.header.Set("Content-Type", res.contentType)
		res.body = resp.Body
		res.finalURL = resp.Request.URL.String()
		if int64(len(resp.Body)) > max {
			res.err = fmt.Errorf("%w: more than %d bytes", ErrBodyTooLarge, max)
			res.body = nil
		}
	})
	coll.OnError(func(resp *colly.Response, err error) {
		res := resp.Ctx.GetAny(ctxResult).(*fetchResult)
		if res.err == nil {
			res.err = err
		}
		if resp.StatusCode != 0 {
			res.status = resp.StatusCode
		}
	})
	return &fetcher{c: c, r: r, coll: coll}
}

// once makes one request.
func (f *fetcher) once(it item, hdr http.Header) *fetchResult {
	res := &fetchResult{role: it.Role}
	cctx := colly.NewContext()
	cctx.Put(ctxResult, res)
	err := f.coll.Request(http.MethodGet, it.URL, nil, cctx, hdr)
	if res.err == nil && err != nil {
		res.err = err
	}
	if res.err == nil && res.status == 0 {
		res.err = errors.New("crawler: no response")
	}
	return res
}

// checkRedirect keeps redirects short and inside the source's domains.
func (r *run) checkRedirect(req *http.Request, via []*http.Request) error {
	if len(via) >= r.c.cfg.MaxRedirects {
		return fmt.Errorf("%w: stopped after %d", ErrTooManyRedirects, len(via))
	}
	host := req.URL.Hostname()
	if !r.allowedHost(host) {
		return fmt.Errorf("%w: redirect to %s", ErrOffDomain, host)
	}
	if !r.c.cfg.AllowPrivateNetworks && hostIsForbiddenLiteral(host) {
		return fmt.Errorf("%w: redirect to %s", ErrPrivateAddress, host)
	}
	if s := req.URL.Scheme; s != "http" && s != "https" {
		return fmt.Errorf("%w: redirect to scheme %s", ErrOffDomain, s)
	}
	return nil
}

// fetch makes a request with politeness and retries: timeouts, connection
// resets, 5xx and 429 are retried with exponential back-off and jitter;
// Retry-After (429, 503) is honoured up to MaxRetryAfter and also delays the
// host's next request.
func (r *run) fetch(ctx context.Context, host string, it item, hdr http.Header, delay time.Duration) *fetchResult {
	c := r.c
	for attempt := 0; ; attempt++ {
		release, err := c.hosts.acquire(ctx, host, r.src.HostConcurrency, delay)
		if err != nil {
			return &fetchResult{role: it.Role, err: err}
		}
		t0 := time.Now()
		res := r.fetcher.once(it, hdr.Clone())
		c.m.duration.WithLabelValues(r.src.Name).Observe(time.Since(t0).Seconds())
		release()
		if ctx.Err() != nil {
			res.err = ctx.Err()
			return res
		}
		retry, wait := c.classify(res, attempt)
		if retry && res.retryAfter > 0 {
			c.hosts.pushBack(host, c.opts.now().Add(res.retryAfter))
		}
		if !retry {
			if res.err == nil && res.status >= 400 {
				res.err = fmt.Errorf("%w %d", ErrHTTPStatus, res.status)
			}
			return res
		}
		c.m.requests.WithLabelValues(r.src.Name, outcomeRetry).Inc()
		c.log.Warn("fetch retry", "source", r.src.Name, "url", it.URL, "attempt", attempt+1,
			"status", res.status, "duration", wait, "err", errString(res.err))
		if err := sleepCtx(ctx, wait); err != nil {
			res.err = err
			return res
		}
	}
}

// classify decides whether res is retried and after how long.
func (c *Crawler) classify(res *fetchResult, attempt int) (bool, time.Duration) {
	if attempt >= c.cfg.Retries {
		if res.err == nil && (res.status == 429 || res.status >= 500) {
			res.err = fmt.Errorf("%w %d after %d attempts", ErrHTTPStatus, res.status, attempt+1)
		}
		return false, 0
	}
	if res.err != nil {
		return transient(res.err), c.backoff(attempt)
	}
	switch {
	case res.status == http.StatusTooManyRequests || res.status == http.StatusServiceUnavailable:
		if ra, ok := retryAfter(res.header.Get("Retry-After"), c.opts.now()); ok {
			if ra > c.cfg.MaxRetryAfter.D() {
				res.err = fmt.Errorf("%w %d: retry-after %s exceeds max_retry_after %s", ErrHTTPStatus, res.status, ra, c.cfg.MaxRetryAfter)
				return false, 0
			}
			res.retryAfter = ra
			return true, ra
		}
		return true, c.backoff(attempt)
	case res.status >= 500:
		return true, c.backoff(attempt)
	}
	return false, 0
}

// transient reports errors worth a retry: timeouts and dropped connections.
func transient(err error) bool {
	if errors.Is(err, ErrPrivateAddress) || errors.Is(err, ErrTooManyRedirects) || errors.Is(err, ErrOffDomain) ||
		errors.Is(err, ErrBodyTooLarge) || errors.Is(err, ErrContentType) || errors.Is(err, context.Canceled) {
		return false
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.EPIPE) ||
		strings.Contains(err.Error(), "EOF")
}

// retryAfter parses a Retry-After header (seconds or an HTTP date).
func retryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if n, err := strconv.Atoi(v); err == nil && n >= 0 {
		return time.Duration(n) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	return 0, false
}

// acceptable reports whether a 2xx response of content type ct is wanted
// for role: HTML for pages and listings; XML (or HTML, for feed discovery)
// for feeds; XML or gzip for sitemaps. A missing type is accepted.
func acceptable(r role, ct string) bool {
	if ct == "" {
		return true
	}
	mt, _, err := mime.ParseMediaType(ct)
	if err != nil {
		return false
	}
	html := mt == "text/html" || mt == "application/xhtml+xml"
	xml := strings.HasSuffix(mt, "/xml") || strings.HasSuffix(mt, "+xml")
	switch r {
	case roleFeed:
		return xml || html || mt == "application/json" || mt == "application/feed+json"
	case roleSitemap:
		return xml || mt == "application/gzip" || mt == "application/x-gzip" || mt == "application/octet-stream"
	default:
		return html
	}
}

// accept is the Accept header sent for role.
func accept(r role) string {
	switch r {
	case roleFeed:
		return "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, text/html;q=0.5"
	case roleSitemap:
		return "application/xml, text/xml;q=0.9, */*;q=0.5"
	default:
		return "text/html, application/xhtml+xml;q=0.9"
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
