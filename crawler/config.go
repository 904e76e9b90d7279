package crawler

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"time"

	"github.com/robfig/cron/v3"
	"golang.org/x/net/html/charset"

	"github.com/twinwatch/twinwatch/config/spec"
	"github.com/twinwatch/twinwatch/twin"
)

// Config is the `crawler` section: politeness defaults shared by every
// source, crawl state and frontier settings, and the list of sources.
// A source's own politeness fields, when set, override the defaults here.
type Config struct {
	// UserAgent is sent with every request; "{contact}" is replaced by ContactURL.
	UserAgent string `yaml:"user_agent"`
	// ContactURL is where a site owner learns who crawls them (required).
	ContactURL string `yaml:"contact_url"`
	// AllowPrivateNetworks lifts the refusal of loopback, private and
	// link-local addresses (tests and demos only).
	AllowPrivateNetworks bool `yaml:"allow_private_networks"`
	// Concurrency is the number of fetch workers per crawler process and run.
	Concurrency int `yaml:"concurrency"`
	// HostConcurrency is how many requests may be in flight to one host.
	HostConcurrency int `yaml:"host_concurrency"`
	// HostDelay is the minimum gap between two requests to one host; a
	// larger robots.txt Crawl-delay wins.
	HostDelay spec.Duration `yaml:"host_delay"`
	// RequestTimeout bounds one request, body included.
	RequestTimeout spec.Duration `yaml:"request_timeout"`
	// MaxBodySize is the largest body accepted, in bytes; larger bodies are
	// rejected, never truncated.
	MaxBodySize int64 `yaml:"max_body_size"`
	// MaxRedirects is the longest redirect chain followed.
	MaxRedirects int `yaml:"max_redirects"`
	// Retries is how many times a timeout, 5xx or 429 is retried.
	Retries int `yaml:"retries"`
	// RetryBaseDelay is the first back-off; it doubles per attempt, with jitter.
	RetryBaseDelay spec.Duration `yaml:"retry_base_delay"`
	// RetryMaxDelay caps one back-off.
	RetryMaxDelay spec.Duration `yaml:"retry_max_delay"`
	// MaxRetryAfter is the longest Retry-After honoured; a longer one fails the URL.
	MaxRetryAfter spec.Duration `yaml:"max_retry_after"`
	// Robots is "obey" (default) or "ignore".
	Robots string `yaml:"robots"`
	// RobotsTTL is how long a fetched robots.txt is trusted.
	RobotsTTL spec.Duration `yaml:"robots_ttl"`
	// StateBucket is the NATS KV bucket holding crawl state (per URL).
	StateBucket string `yaml:"state_bucket"`
	// Frontier configures the JetStream work queue shared by replicas.
	Frontier FrontierConfig `yaml:"frontier"`
	// Schedule configures `twinwatch schedule`.
	Schedule ScheduleConfig `yaml:"schedule"`
	// Sources are the sites to crawl.
	Sources []Source `yaml:"sources"`
}

// FrontierConfig configures the frontier: a JetStream work-queue stream that
// splits a run's URLs among crawler replicas.
type FrontierConfig struct {
	// Mode is "local" (in-process queue, one replica) or "jetstream"
	// (shared by replicas; needs a bus).
	Mode string `yaml:"mode"`
	// Stream is the work-queue stream's name.
	Stream string `yaml:"stream"`
	// AckWait is how long a replica may hold a URL before another one gets it.
	AckWait spec.Duration `yaml:"ack_wait"`
	// MaxDeliver is how often a URL is handed out before it is given up.
	MaxDeliver int `yaml:"max_deliver"`
	// Idle is how long the frontier must stay empty before a replica ends its run.
	Idle spec.Duration `yaml:"idle"`
}

// ScheduleConfig configures `twinwatch schedule`.
type ScheduleConfig struct {
	// LockBucket is the NATS KV bucket holding per-job locks.
	LockBucket string `yaml:"lock_bucket"`
	// LockTTL is how long a fired job's lock lives; it must outlast clock
	// skew between replicas and be shorter than the shortest schedule period.
	LockTTL spec.Duration `yaml:"lock_ttl"`
}

// SourceKind is how a source is crawled.
type SourceKind string

// Source kinds.
const (
	// KindListing follows article links (Links selector) from start pages
	// and their next pages (Next selector).
	KindListing SourceKind = "listing"
	// KindFeed reads RSS or Atom feeds and follows item links.
	KindFeed SourceKind = "feed"
	// KindSitemap reads sitemaps and sitemap indexes (or discovers them via
	// robots.txt) and follows their URLs.
	KindSitemap SourceKind = "sitemap"
	// KindPage fetches its URLs as they are.
	KindPage SourceKind = "page"
)

// Source is one configured source. Zero politeness fields inherit Config's.
type Source struct {
	// Name identifies the source (metrics label, page.Source, `crawl --source`).
	Name string `yaml:"name"`
	// Kind is listing, feed, sitemap or page.
	Kind SourceKind `yaml:"kind"`
	// URLs are the start URLs (listing pages, feeds, sitemaps or site roots, pages).
	URLs []string `yaml:"urls"`
	// AllowedDomains limit what is fetched, redirects included; a domain
	// allows its subdomains. Default: the start URLs' hosts without "www.".
	AllowedDomains []string `yaml:"allowed_domains"`
	// Include are regular expressions; when set, a discovered URL must match one.
	Include []string `yaml:"include"`
	// Exclude are regular expressions; a discovered URL matching one is skipped.
	Exclude []string `yaml:"exclude"`
	// Links is the CSS selector of article links on listing pages ("a[href]" if empty).
	Links string `yaml:"links"`
	// Next is the CSS selector of the next-page link on listing pages.
	Next string `yaml:"next"`
	// MaxPages limits listing pages followed through Next, per start URL.
	MaxPages int `yaml:"max_pages"`
	// MaxDepth is how many link hops are followed from a start page (1:
	// the articles it links to).
	MaxDepth int `yaml:"max_depth"`
	// MaxURLs limits the URLs fetched in one run.
	MaxURLs int `yaml:"max_urls"`
	// LastmodWithin keeps only sitemap entries modified within this age (0: all).
	LastmodWithin spec.Duration `yaml:"lastmod_within"`
	// Selectors are passed on to the parser in every page.
	Selectors twin.Selectors `yaml:"selectors"`
	// Lang is the language hint ("ru", "zh", "en").
	Lang string `yaml:"lang"`
	// Charset is used when a page declares none (default by Lang: ru →
	// windows-1251, zh → gb18030).
	Charset string `yaml:"charset"`
	// Schedule is a cron spec (5 fields or @every/@daily).
	Schedule string `yaml:"schedule"`
	// Jitter delays each scheduled run by a random duration up to this.
	Jitter spec.Duration `yaml:"jitter"`
	// HostDelay overrides Config.HostDelay for this source's hosts.
	HostDelay spec.Duration `yaml:"host_delay"`
	// HostConcurrency overrides Config.HostConcurrency.
	HostConcurrency int `yaml:"host_concurrency"`
}

// Robots modes.
const (
	RobotsObey   = "obey"
	RobotsIgnore = "ignore"
)

// Frontier modes.
const (
	FrontierLocal     = "local"
	FrontierJetStream = "jetstream"
)

// DefaultConfig returns the defaults: polite (robots obeyed, one request per
// second and two at once per host), 30 s timeouts, 10 MiB bodies.
func DefaultConfig() Config {
	return Config{
		UserAgent:       "twinwatch/1 (+{contact})",
		ContactURL:      "https://github.com/twinwatch/twinwatch",
		Concurrency:     16,
		HostConcurrency: 2,
		HostDelay:       spec.Duration(time.Second),
		RequestTimeout:  spec.Duration(30 * time.Second),
		MaxBodySize:     10 << 20,
		MaxRedirects:    5,
		Retries:         3,
		RetryBaseDelay:  spec.Duration(time.Second),
		RetryMaxDelay:   spec.Duration(time.Minute),
		MaxRetryAfter:   spec.Duration(5 * time.Minute),
		Robots:          RobotsObey,
		RobotsTTL:       spec.Duration(time.Hour),
		StateBucket:     "crawl_state",
		Frontier: FrontierConfig{
			Mode:       FrontierLocal,
			Stream:     "CRAWL_FRONTIER",
			AckWait:    spec.Duration(2 * time.Minute),
			MaxDeliver: 3,
			Idle:       spec.Duration(2 * time.Second),
		},
		Schedule: ScheduleConfig{
			LockBucket: "crawl_schedule",
			LockTTL:    spec.Duration(5 * time.Minute),
		},
	}
}

// Source defaults applied by withDefaults.
const (
	defaultMaxPages = 5
	defaultMaxDepth = 1
	defaultMaxURLs  = 500
)

// userAgent returns the User-Agent with the contact URL filled in.
func (c Config) userAgent() string {
	ua := strings.ReplaceAll(c.UserAgent, "{contact}", c.ContactURL)
	if !strings.Contains(ua, c.ContactURL) {
		ua += " (+" + c.ContactURL + ")"
	}
	return ua
}

// Source returns the source named name.
func (c Config) Source(name string) (Source, bool) {
	for _, s := range c.Sources {
		if s.Name == name {
			return s, true
		}
	}
	return Source{}, false
}

var sourceName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]*$`)

// Validate reports every invalid field as a spec.FieldError.
func (c Config) Validate() error {
	var errs []error
	bad := func(path, format string, args ...any) { errs = append(errs, spec.Errorf(path, format, args...)) }
	if strings.TrimSpace(c.UserAgent) == "" {
		bad("user_agent", "is required")
	}
	if u, err := url.Parse(c.ContactURL); err != nil || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "mailto") {
		bad("contact_url", "must be an http(s) or mailto URL, got %q", c.ContactURL)
	}
	positive := func(path string, v int) {
		if v <= 0 {
			bad(path, "must be positive, got %d", v)
		}
	}
	positive("concurrency", c.Concurrency)
	positive("host_concurrency", c.HostConcurrency)
	positive("max_redirects", c.MaxRedirects)
	if c.HostDelay < 0 {
		bad("host_delay", "must not be negative")
	}
	if c.RequestTimeout <= 0 {
		bad("request_timeout", "must be positive")
	}
	if c.MaxBodySize <= 0 {
		bad("max_body_size", "must be positive, got %d", c.MaxBodySize)
	}
	if c.Retries < 0 {
		bad("retries", "must not be negative")
	}
	if c.RetryBaseDelay < 0 || c.RetryMaxDelay < c.RetryBaseDelay {
		bad("retry_max_delay", "must be at least retry_base_delay (%s), got %s", c.RetryBaseDelay, c.RetryMaxDelay)
	}
	if c.MaxRetryAfter < 0 {
		bad("max_retry_after", "must not be negative")
	}
	if c.Robots != RobotsObey && c.Robots != RobotsIgnore {
		bad("robots", "must be obey or ignore, got %q", c.Robots)
	}
	if c.RobotsTTL <= 0 {
		bad("robots_ttl", "must be positive")
	}
	if !kvName.MatchString(c.StateBucket) {
		bad("state_bucket", "must be a NATS KV bucket name (letters, digits, - and _), got %q", c.StateBucket)
	}
	switch c.Frontier.Mode {
	case FrontierLocal, FrontierJetStream:
	default:
		bad("frontier.mode", "must be local or jetstream, got %q", c.Frontier.Mode)
	}
	if !kvName.MatchString(c.Frontier.Stream) {
		bad("frontier.stream", "must be a stream name (letters, digits, - and _), got %q", c.Frontier.Stream)
	}
	if c.Frontier.AckWait <= 0 {
		bad("frontier.ack_wait", "must be positive")
	}
	if c.Frontier.MaxDeliver <= 0 {
		bad("frontier.max_deliver", "must be positive")
	}
	if c.Frontier.Idle <= 0 {
		bad("frontier.idle", "must be positive")
	}
	if !kvName.MatchString(c.Schedule.LockBucket) {
		bad("schedule.lock_bucket", "must be a NATS KV bucket name, got %q", c.Schedule.LockBucket)
	}
	if c.Schedule.LockTTL <= 0 {
		bad("schedule.lock_ttl", "must be positive")
	}
	seen := map[string]int{}
	for i, s := range c.Sources {
		p := fmt.Sprintf("sources[%d]", i)
		if j, dup := seen[s.Name]; dup && s.Name != "" {
			bad(p+".name", "duplicates sources[%d].name %q", j, s.Name)
		}
		seen[s.Name] = i
		errs = append(errs, spec.Prefix(p, s.Validate()))
	}
	return errors.Join(errs...)
}

var kvName = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// Validate reports every invalid field of one source, with paths relative
// to the source.
func (s Source) Validate() error {
	var errs []error
	bad := func(path, format string, args ...any) { errs = append(errs, spec.Errorf(path, format, args...)) }
	if s.Name == "" {
		bad("name", "is required")
	} else if !sourceName.MatchString(s.Name) {
		bad("name", "must be lower-case letters, digits, - and _ (it is a subject token), got %q", s.Name)
	}
	switch s.Kind {
	case KindListing, KindFeed, KindSitemap, KindPage:
	default:
		bad("kind", "must be listing, feed, sitemap or page, got %q", s.Kind)
	}
	if len(s.URLs) == 0 {
		bad("urls", "needs at least one URL")
	}
	for i, u := range s.URLs {
		if _, err := CanonicalURL(u); err != nil {
			bad(fmt.Sprintf("urls[%d]", i), "%v", err)
		}
	}
	for i, d := range s.AllowedDomains {
		if d == "" || strings.ContainsAny(d, "/:* ") {
			bad(fmt.Sprintf("allowed_domains[%d]", i), "must be a host name such as example.ru, got %q", d)
		}
	}
	for i, re := range s.Include {
		if _, err := regexp.Compile(re); err != nil {
			bad(fmt.Sprintf("include[%d]", i), "%v", err)
		}
	}
	for i, re := range s.Exclude {
		if _, err := regexp.Compile(re); err != nil {
			bad(fmt.Sprintf("exclude[%d]", i), "%v", err)
		}
	}
	for path, sel := range map[string]string{"links": s.Links, "next": s.Next, "selectors.title": s.Selectors.Title, "selectors.date": s.Selectors.Date, "selectors.body": s.Selectors.Body} {
		if sel == "" {
			continue
		}
		if err := checkSelector(sel); err != nil {
			bad(path, "%v", err)
		}
	}
	if s.MaxPages < 0 {
		bad("max_pages", "must not be negative")
	}
	if s.MaxDepth < 0 {
		bad("max_depth", "must not be negative")
	}
	if s.MaxURLs < 0 {
		bad("max_urls", "must not be negative")
	}
	if s.LastmodWithin < 0 {
		bad("lastmod_within", "must not be negative")
	}
	if s.Jitter < 0 {
		bad("jitter", "must not be negative")
	}
	if s.HostDelay < 0 {
		bad("host_delay", "must not be negative")
	}
	if s.HostConcurrency < 0 {
		bad("host_concurrency", "must not be negative")
	}
	if s.Charset != "" {
		if e, _ := charset.Lookup(s.Charset); e == nil {
			bad("charset", "unknown charset %q", s.Charset)
		}
	}
	if s.Schedule != "" {
		if _, err := cronParser.Parse(s.Schedule); err != nil {
			bad("schedule", "%v", err)
		}
	}
	return errors.Join(errs...)
}

// cronParser reads 5-field specs and descriptors (@every 1h, @daily).
var cronParser = cron.NewParser(cron.Minute | cron.Hour | cron.Dom | cron.Month | cron.Dow | cron.Descriptor)

// withDefaults fills a source's zero limits with the defaults.
func (s Source) withDefaults(c Config) Source {
	if s.MaxPages == 0 {
		s.MaxPages = defaultMaxPages
	}
	if s.MaxDepth == 0 {
		s.MaxDepth = defaultMaxDepth
	}
	if s.MaxURLs == 0 {
		s.MaxURLs = defaultMaxURLs
	}
	if s.HostDelay == 0 {
		s.HostDelay = c.HostDelay
	}
	if s.HostConcurrency == 0 {
		s.HostConcurrency = c.HostConcurrency
	}
	if s.Links == "" {
		s.Links = "a[href]"
	}
	if len(s.AllowedDomains) == 0 {
		for _, raw := range s.URLs {
			if u, err := url.Parse(raw); err == nil && u.Hostname() != "" {
				s.AllowedDomains = append(s.AllowedDomains, strings.TrimPrefix(strings.ToLower(u.Hostname()), "www."))
			}
		}
	}
	return s
}
