package crawler

import (
	"errors"
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// Metric outcomes (label `outcome` of twinwatch_crawler_requests_total).
const (
	outcomeOK        = "ok"        // fetched; published if a page
	outcomeUnchanged = "unchanged" // 304 or same content hash
	outcomeRetry     = "retry"     // attempt failed, retrying
	outcomeError     = "error"     // given up
	outcomeSkipped   = "skipped"   // refused by policy (robots, domain, type, address, limits)
)

type metrics struct {
	requests  *prometheus.CounterVec
	published *prometheus.CounterVec
	duration  *prometheus.HistogramVec
	articles  *prometheus.GaugeVec
}

func newMetrics(reg *prometheus.Registry) (*metrics, error) {
	m := &metrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "twinwatch_crawler_requests_total",
			Help: "Requests by source and outcome (ok, unchanged, retry, error, skipped).",
		}, []string{"source", "outcome"}),
		published: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "twinwatch_crawler_pages_published_total",
			Help: "Pages published on the PAGES stream (new or changed).",
		}, []string{"source"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "twinwatch_crawler_fetch_duration_seconds",
			Help:    "Duration of one HTTP fetch, body included.",
			Buckets: prometheus.ExponentialBuckets(0.01, 2.5, 10),
		}, []string{"source"}),
		articles: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "twinwatch_crawler_run_articles",
			Help: "Article URLs found by the last run of a source; 0 for a listing, feed or sitemap source means a broken selector or an empty feed.",
		}, []string{"source"}),
	}
	if reg == nil {
		return m, nil
	}
	for i, col := range []prometheus.Collector{m.requests, m.published, m.duration, m.articles} {
		if err := reg.Register(col); err != nil {
			var are prometheus.AlreadyRegisteredError
			if !errors.As(err, &are) {
				return nil, fmt.Errorf("crawler: register metrics: %w", err)
			}
			switch i { // share the collector already registered (several Crawlers, one registry)
			case 0:
				m.requests = are.ExistingCollector.(*prometheus.CounterVec)
			case 1:
				m.published = are.ExistingCollector.(*prometheus.CounterVec)
			case 2:
				m.duration = are.ExistingCollector.(*prometheus.HistogramVec)
			case 3:
				m.articles = are.ExistingCollector.(*prometheus.GaugeVec)
			}
		}
	}
	return m, nil
}
