package alert

import "github.com/prometheus/client_golang/prometheus"

// metrics are the alerter's Prometheus collectors.
type metrics struct {
	decisions     *prometheus.CounterVec
	notifications *prometheus.CounterVec
	latency       *prometheus.HistogramVec
}

func newMetrics(reg *prometheus.Registry) (*metrics, error) {
	m := &metrics{
		decisions: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "twinwatch_alert_decisions_total",
			Help: "Agreement observations decided, by kind (alert, late, history, update, unchanged, ignored).",
		}, []string{"kind"}),
		notifications: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "twinwatch_alert_notifications_total",
			Help: "Delivery attempts by channel and outcome (ok, unchanged, retry, invalid, dead_letter, error).",
		}, []string{"notifier", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "twinwatch_alert_delivery_latency_seconds",
			Help:    "Time from the decision to the destination accepting the message, by channel.",
			Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10, 30, 60, 300},
		}, []string{"notifier"}),
	}
	if reg != nil {
		for _, c := range []prometheus.Collector{m.decisions, m.notifications, m.latency} {
			if err := reg.Register(c); err != nil {
				return nil, err
			}
		}
	}
	return m, nil
}
