// Package crawler fetches the configured sources (listing pages, RSS/Atom
// feeds, sitemaps, single pages) politely and publishes every new or changed
// page as a twin.Page on the PAGES stream. It does no extraction: the page
// body is passed on, decoded to UTF-8, with the source's selectors and
// language hint, for the parser.
//
// # Pipeline of one URL
//
// A run of a source seeds its start URLs into a frontier (in-process, or a
// JetStream work-queue stream shared by replicas). Workers take URLs from
// it and, for each: check the allowed domains and the private-address
// guard, consult robots.txt (cached per origin; Crawl-delay raises the host
// delay), wait for the host's politeness slot (concurrency and delay per
// host), and fetch with a colly collector used as a synchronous fetcher.
// Timeouts, dropped connections, 5xx and 429 are retried with exponential
// back-off and jitter; Retry-After is honoured and delays the whole host.
// Bodies over max_body_size are rejected (colly would truncate silently),
// redirects are limited and must stay inside the allowed domains, and only
// HTML (XML for feeds and sitemaps) is accepted.
//
// Navigation documents (listing pages, feeds, sitemaps) queue the article
// URLs they link to. Articles and pages are fetched conditionally
// (If-None-Match / If-Modified-Since from crawl state); a 304 or a body
// whose SHA-256 equals the stored hash publishes nothing. Otherwise the body
// is decoded (BOM, Content-Type charset, <meta charset>, UTF-8, then the
// source's charset or its language's usual one: windows-1251, GB18030) and
// the page published; then its state is written. A page that could not be
// published leaves its state untouched, so the next run tries again.
//
// # Identity
//
// URLs are canonicalised (CanonicalURL) before anything else; crawl state is
// keyed by twin.URLKey of the canonical URL, and the page's Nats-Msg-Id is
// twin.PageMsgID of URL and content hash, so a republish inside JetStream's
// duplicate window is dropped.
//
// # Replicas and the schedule
//
// With frontier.mode "jetstream" (WithJetStreamFrontier) a run's URLs go
// through a work-queue stream: the first replica to crawl a source records
// the run in a KV bucket and seeds it, the others join it, each URL is
// queued once per run (Nats-Msg-Id = run ID + URL key) and handed to one
// replica, and a URL held by a replica that died is redelivered to another
// after ack_wait. Every replica ends its part when the frontier has been
// empty, with nothing in flight, for frontier.idle. Stats are per replica.
//
// Schedule fires each source on its cron schedule; a lock in a KV bucket,
// keyed by source and fire time, lets one replica start the run, and with a
// JetStream frontier the others join it.
//
// # Wiring (cmd/twinwatch)
//
//	kv, _ := b.KeyValue(ctx, cfg.StateBucketConfig())
//	c, _ := crawler.New(cfg, b, crawler.NewKVState(kv), logger, reg,
//		crawler.WithJetStreamFrontier(b.JetStream()), // frontier.mode: jetstream
//		crawler.WithPrint(os.Stdout), crawler.WithProgress(os.Stderr))
//	st, err := c.Crawl(ctx, "khabarovsk-news")
//	locks, _ := b.KeyValue(ctx, cfg.LockBucketConfig())
//	err = c.Schedule(ctx, crawler.NewKVLocker(locks), nil)
//
// # Imports
//
// crawler imports twin, config/spec, colly, goquery, gofeed, robotstxt,
// cron, nats.go (jetstream: KV state, frontier, schedule locks) and
// Prometheus. It never imports another stage, package config or cmd.
//
// # Concurrency
//
// A Crawler is safe for concurrent use; build it once and reuse it. Crawl
// blocks until the run is finished and owns its workers and progress
// goroutine, which have exited when it returns. Politeness limits are per
// host and shared by all runs of a Crawler (not across replicas).
package crawler
