package crawler

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/twinwatch/twinwatch/twin"
)

// PagePublisher publishes a fetched page on the PAGES stream. It must be safe
// for concurrent use; *bus.Bus satisfies it.
type PagePublisher interface {
	PublishPage(ctx context.Context, p twin.Page) error
}

// Errors a URL can fail with; they arrive wrapped, in logs and --print lines.
var (
	// ErrBodyTooLarge: the body exceeded Config.MaxBodySize; it was rejected, not truncated.
	ErrBodyTooLarge = errors.New("crawler: body too large")
	// ErrContentType: the response's content type is not one the URL's role accepts.
	ErrContentType = errors.New("crawler: unwanted content type")
	// ErrTooManyRedirects: the redirect chain exceeded Config.MaxRedirects.
	ErrTooManyRedirects = errors.New("crawler: too many redirects")
	// ErrOffDomain: the URL or a redirect left the source's allowed domains.
	ErrOffDomain = errors.New("crawler: domain not allowed")
	// ErrRobots: robots.txt disallows the URL.
	ErrRobots = errors.New("crawler: disallowed by robots.txt")
	// ErrHTTPStatus: the server answered with an error status (after retries).
	ErrHTTPStatus = errors.New("crawler: http error status")
	// ErrUnknownSource: Crawl was asked for a source that is not configured.
	ErrUnknownSource = errors.New("crawler: unknown source")
)

// Stats count what one run of one source did (this replica's share of it,
// when replicas share a run).
type Stats struct {
	Source string `json:"source"`
	// Fetched counts responses received, navigation pages included.
	Fetched int `json:"fetched"`
	// Published counts pages published (new or changed).
	Published int `json:"published"`
	// Unchanged counts pages answered 304 or with an unchanged content hash.
	Unchanged int `json:"unchanged"`
	// Failed counts URLs given up: network errors, error statuses after
	// retries, bodies too large, redirect loops, publish errors.
	Failed int `json:"failed"`
	// Queued counts URLs put on the frontier.
	Queued int `json:"queued"`
	// Skipped counts URLs refused by policy: robots.txt, domains, patterns,
	// content types, private addresses, max_urls.
	Skipped int `json:"skipped"`
	// Articles counts distinct article URLs found by listing, feed and
	// sitemap pages. Zero for such a source means a broken selector or an
	// empty feed: it is logged as a warning.
	Articles int `json:"articles"`
	// Duration is the wall time of the run.
	Duration time.Duration `json:"duration"`
}

type counters struct {
	fetched, published, unchanged, failed, queued, skipped, articles atomic.Int64
}

func (c *counters) stats(source string, d time.Duration) Stats {
	return Stats{
		Source: source, Fetched: int(c.fetched.Load()), Published: int(c.published.Load()),
		Unchanged: int(c.unchanged.Load()), Failed: int(c.failed.Load()), Queued: int(c.queued.Load()),
		Skipped: int(c.skipped.Load()), Articles: int(c.articles.Load()), Duration: d,
	}
}

// Option changes a Crawler built by New; most are test seams.
type Option func(*options)

type options struct {
	print    io.Writer
	progress io.Writer
	now      func() time.Time
	dial     DialFunc
	frontier frontierFactory
	joinable func(ctx context.Context, c *Crawler, source string) bool
}

// WithPrint writes one JSON line per fetched page to w (url, final_url,
// status, charset, title, content_hash, unchanged, role, error). Writes are
// serialised.
func WithPrint(w io.Writer) Option { return func(o *options) { o.print = w } }

// WithProgress writes a progress line (fetched, queued, unchanged, failed)
// to w about twice a second during a run, and a summary at its end. Meant
// for a terminal: lines end with '\r' while running.
func WithProgress(w io.Writer) Option { return func(o *options) { o.progress = w } }

// WithClock replaces time.Now (crawl state timestamps, robots TTL).
func WithClock(now func() time.Time) Option { return func(o *options) { o.now = now } }

// WithDialContext replaces the dialer (for example to map many host names
// to one loopback server in a benchmark). The private-address guard is the
// default dialer's: a custom dialer must do its own checking.
func WithDialContext(d DialFunc) Option { return func(o *options) { o.dial = d } }

// Crawler fetches configured sources and publishes changed pages. It is safe
// for concurrent use: several Crawl calls may run at once (their hosts share
// politeness limits). Build it once with New and reuse it.
type Crawler struct {
	cfg       Config
	sources   map[string]Source
	pub       PagePublisher
	state     StateStore
	log       *slog.Logger
	m         *metrics
	opts      options
	transport *http.Transport
	robots    *robotsCache
	hosts     *hostLimiter
	ua        string
	printMu   sync.Mutex
}

// New validates cfg and builds a Crawler. pub receives changed pages; state
// holds crawl state (NewKVState in production, NewMemState in tests); reg
// receives the crawler's metrics (nil: not exported). Options: WithPrint,
// WithProgress, WithClock, WithDialContext, WithJetStreamFrontier.
func New(cfg Config, pub PagePublisher, state StateStore, logger *slog.Logger, reg *prometheus.Registry, opts ...Option) (*Crawler, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("crawler: invalid config: %w", err)
	}
	if pub == nil || state == nil {
		return nil, errors.New("crawler: a publisher and a state store are required")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	c := &Crawler{cfg: cfg, pub: pub, state: state, log: logger.With("stage", "crawler"), sources: map[string]Source{}}
	c.opts.now = time.Now
	for _, o := range opts {
		o(&c.opts)
	}
	for _, s := range cfg.Sources {
		c.sources[s.Name] = s.withDefaults(cfg)
	}
	if cfg.Frontier.Mode == FrontierJetStream && c.opts.frontier == nil {
		return nil, errors.New("crawler: frontier.mode jetstream needs WithJetStreamFrontier")
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	c.m = m
	c.ua = cfg.userAgent()
	c.transport = newTransport(cfg, c.opts.dial)
	robotsClient := &http.Client{
		Transport: c.transport,
		Timeout:   cfg.RequestTimeout.D(),
		CheckRedirect: func(req *http.Request, via []*http.Request) error {
			if len(via) >= cfg.MaxRedirects {
				return fmt.Errorf("%w: stopped after %d", ErrTooManyRedirects, len(via))
			}
			return nil
		},
	}
	c.robots = newRobotsCache(robotsClient, c.ua, cfg.RobotsTTL.D(), c.opts.now)
	c.hosts = newHostLimiter(c.opts.now)
	return c, nil
}

// Close releases idle connections. The Crawler must not be used afterwards.
func (c *Crawler) Close() { c.transport.CloseIdleConnections() }

// Sources returns the configured source names in config order.
func (c *Crawler) Sources() []string {
	names := make([]string, 0, len(c.cfg.Sources))
	for _, s := range c.cfg.Sources {
		names = append(names, s.Name)
	}
	return names
}

// CrawlAll crawls every source once, one after the other, and returns each
// source's stats. Errors of individual sources are joined; a cancelled ctx
// stops at the current source.
func (c *Crawler) CrawlAll(ctx context.Context) (map[string]Stats, error) {
	out := map[string]Stats{}
	var errs []error
	for _, s := range c.cfg.Sources {
		st, err := c.Crawl(ctx, s.Name)
		out[s.Name] = st
		if err != nil {
			errs = append(errs, err)
		}
		if ctx.Err() != nil {
			break
		}
	}
	return out, errors.Join(errs...)
}

// Crawl runs one crawl of the named source and blocks until it is done:
// start URLs are fetched, links followed within the source's limits, and
// every new or changed page published. URL-level failures are counted in
// Stats and logged, not returned; the error reports an unknown source, a
// cancelled ctx, or pages that could not be published or recorded (they
// will be fetched again next run).
func (c *Crawler) Crawl(ctx context.Context, source string) (Stats, error) {
	return c.crawl(ctx, source, false)
}

// crawl runs or joins a run; joinOnly fails with errNoRun when no run of
// the source is in progress.
func (c *Crawler) crawl(ctx context.Context, source string, joinOnly bool) (Stats, error) {
	src, ok := c.sources[source]
	if !ok {
		return Stats{Source: source}, fmt.Errorf("%w %q", ErrUnknownSource, source)
	}
	start := time.Now()
	r, err := c.newRun(ctx, src, joinOnly)
	if err != nil {
		return Stats{Source: source}, err
	}
	log := c.log.With("source", source)
	log.Info("crawl started", "urls", len(src.URLs))

	stopProgress := c.startProgress(r)
	runErr := r.run(ctx)
	st := r.cnt.stats(source, time.Since(start))
	stopProgress(st)

	c.m.articles.WithLabelValues(source).Set(float64(st.Articles))
	log.Info("crawl finished", "fetched", st.Fetched, "published", st.Published, "unchanged", st.Unchanged,
		"failed", st.Failed, "skipped", st.Skipped, "queued", st.Queued, "articles", st.Articles, "duration", st.Duration)
	if r.noArticles(st) && runErr == nil {
		log.Warn("source yielded no articles: check its links selector, feed or sitemap", "kind", string(src.Kind))
	}
	var errs []error
	if runErr != nil {
		errs = append(errs, fmt.Errorf("crawler: crawl %s: %w", source, runErr))
	}
	if n := r.unsaved.Load(); n > 0 {
		errs = append(errs, fmt.Errorf("crawler: crawl %s: %d pages could not be published or recorded", source, n))
	}
	return st, errors.Join(errs...)
}

// run is one crawl of one source.
type run struct {
	c       *Crawler
	src     Source
	id      string
	include []*regexp.Regexp
	exclude []*regexp.Regexp
	front   frontier
	fetcher *fetcher
	cnt     counters
	unsaved atomic.Int64
	// navFetched counts navigation documents this replica fetched.
	navFetched  atomic.Int64
	owner       bool // seeded the run (JetStream frontier: the replica that started it)
	limitWarned sync.Once
}

// noArticles reports a navigating source (listing, feed, sitemap) whose run
// found no article: a broken selector, an empty feed or a changed site.
// With replicas, the one that fetched navigation pages (or seeded) says so.
func (r *run) noArticles(st Stats) bool {
	return r.src.Kind != KindPage && st.Articles == 0 && (r.owner || r.navFetched.Load() > 0)
}

func (c *Crawler) newRun(ctx context.Context, src Source, joinOnly bool) (*run, error) {
	r := &run{c: c, src: src, owner: true}
	for _, p := range src.Include {
		r.include = append(r.include, regexp.MustCompile(p))
	}
	for _, p := range src.Exclude {
		r.exclude = append(r.exclude, regexp.MustCompile(p))
	}
	r.fetcher = newFetcher(ctx, c, r)
	if c.opts.frontier != nil && c.cfg.Frontier.Mode == FrontierJetStream {
		f, owner, id, err := c.opts.frontier(ctx, c, src, joinOnly)
		if err != nil {
			return nil, err
		}
		r.front, r.owner, r.id = f, owner, id
	} else {
		r.front = newMemFrontier()
	}
	return r, nil
}

func (r *run) run(ctx context.Context) error {
	if r.owner {
		var seeds []item
		for _, raw := range r.src.URLs {
			u, err := CanonicalURL(raw)
			if err != nil {
				continue // Validate already rejects these
			}
			seeds = append(seeds, item{URL: u, Role: seedRole(r.src.Kind, u)})
		}
		if _, _, err := r.push(ctx, seeds...); err != nil {
			return err
		}
	}
	workers := max(1, r.c.cfg.Concurrency)
	var wg sync.WaitGroup
	errc := make(chan error, workers)
	for range workers {
		wg.Go(func() {
			for {
				it, done, err := r.front.next(ctx)
				if err != nil {
					if !errors.Is(err, io.EOF) {
						errc <- err
					}
					return
				}
				r.process(ctx, it)
				done(ctx.Err() == nil)
			}
		})
	}
	wg.Wait()
	close(errc)
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := <-errc; err != nil {
		return err
	}
	fctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	r.front.finish(fctx)
	return nil
}

// push queues items not seen yet in this run, within max_urls, and
// returns how many were new and how many were dropped by max_urls.
func (r *run) push(ctx context.Context, items ...item) (added, dropped int, err error) {
	if len(items) == 0 {
		return 0, 0, nil
	}
	limit := int64(r.src.MaxURLs)
	keep := items
	if room := limit - r.cnt.queued.Load(); int64(len(items)) > room {
		keep = items[:max(room, 0)]
		dropped = len(items) - len(keep)
		r.cnt.skipped.Add(int64(dropped))
		r.limitWarned.Do(func() {
			r.c.log.Warn("max_urls reached: further URLs skipped", "source", r.src.Name, "max_urls", limit)
		})
	}
	n, err := r.front.push(ctx, keep...)
	r.cnt.queued.Add(int64(n))
	if err != nil {
		return n, dropped, fmt.Errorf("queue %d urls: %w", len(keep), err)
	}
	return n, dropped, nil
}

// seedRole is the role of a start URL of a source of kind k.
func seedRole(k SourceKind, u string) role {
	switch k {
	case KindListing:
		return roleListing
	case KindFeed:
		return roleFeed
	case KindSitemap:
		lower := strings.ToLower(u)
		if strings.HasSuffix(lower, ".xml") || strings.HasSuffix(lower, ".xml.gz") || strings.Contains(lower, "sitemap") {
			return roleSitemap
		}
		return roleSiteRoot
	default:
		return rolePage
	}
}

// allowedHost reports whether host is one of the source's allowed domains
// or a subdomain of one.
func (r *run) allowedHost(host string) bool {
	host = strings.TrimSuffix(strings.ToLower(host), ".")
	for _, d := range r.src.AllowedDomains {
		d = strings.ToLower(d)
		if host == d || strings.HasSuffix(host, "."+d) {
			return true
		}
	}
	return false
}

// wanted applies the include and exclude patterns to a discovered URL.
func (r *run) wanted(u string) bool {
	for _, re := range r.exclude {
		if re.MatchString(u) {
			return false
		}
	}
	if len(r.include) == 0 {
		return true
	}
	for _, re := range r.include {
		if re.MatchString(u) {
			return true
		}
	}
	return false
}

// backoff returns the wait before retry number attempt (0-based):
// exponential from RetryBaseDelay, capped at RetryMaxDelay, with full jitter
// over its upper half.
func (c *Crawler) backoff(attempt int) time.Duration {
	d := c.cfg.RetryBaseDelay.D() << min(attempt, 20)
	if d > c.cfg.RetryMaxDelay.D() || d <= 0 {
		d = c.cfg.RetryMaxDelay.D()
	}
	if d <= 1 {
		return d
	}
	half := d / 2
	return half + time.Duration(rand.Int64N(int64(half)+1))
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
