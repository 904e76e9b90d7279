package sink

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

type metrics struct {
	rows          *prometheus.CounterVec
	flushDuration *prometheus.HistogramVec
	batches       *prometheus.CounterVec
	messages      *prometheus.CounterVec
	held          *prometheus.GaugeVec
}

func newMetrics(reg *prometheus.Registry) (*metrics, error) {
	m := &metrics{
		rows: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "twinwatch_sink_rows_written_total",
			Help: "Rows committed to ClickHouse, by table.",
		}, []string{"table"}),
		flushDuration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "twinwatch_sink_flush_duration_seconds",
			Help:    "Duration of one insert attempt of a batch (or part of one), by table.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2, 12),
		}, []string{"table"}),
		batches: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "twinwatch_sink_batches_total",
			Help: "Batches by table and outcome: ok (committed), retry (one failed attempt, retried), " +
				"dead_letter (committed after rejected rows were dead-lettered), error (not written, returned to the stream).",
		}, []string{"table", "outcome"}),
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "twinwatch_sink_messages_total",
			Help: "Messages settled by the sink, by table and outcome (ok, invalid, retry, dead_letter, error).",
		}, []string{"table", "outcome"}),
		held: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "twinwatch_sink_held_messages",
			Help: "Messages fetched and decoded but not yet settled (open and flushing batches), by table.",
		}, []string{"table"}),
	}
	for _, c := range []prometheus.Collector{m.rows, m.flushDuration, m.batches, m.messages, m.held} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("sink: register metrics: %w", err)
		}
	}
	for _, t := range []string{TableCrawlLog, TableObservations} {
		m.rows.WithLabelValues(t)
		m.held.WithLabelValues(t)
		for _, o := range []string{"ok", "retry", "dead_letter", "error"} {
			m.batches.WithLabelValues(t, o)
		}
	}
	return m, nil
}
