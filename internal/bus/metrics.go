package bus

import (
	"errors"

	"github.com/prometheus/client_golang/prometheus"
)

// Outcome is how a message was settled or a publish ended; it is the
// `outcome` label of the bus metrics, from the house vocabulary.
type Outcome string

// Outcomes.
const (
	// OutcomeOK: acknowledged (or, for a publish, stored).
	OutcomeOK Outcome = "ok"
	// OutcomeRetry: negatively acknowledged; redelivered after a back-off.
	OutcomeRetry Outcome = "retry"
	// OutcomeInvalid: the handler said twin.ErrInvalid; dead-lettered and terminated.
	OutcomeInvalid Outcome = "invalid"
	// OutcomeDeadLetter: out of deliveries; dead-lettered and terminated.
	OutcomeDeadLetter Outcome = "dead_letter"
	// OutcomeError: settling itself failed; the server redelivers after AckWait.
	OutcomeError Outcome = "error"
	// OutcomeDuplicate: a publish the stream dropped as a duplicate (publish metric only).
	OutcomeDuplicate Outcome = "duplicate"
)

// metrics are the bus's collectors. Several Bus values may share one
// registry: registering again reuses the collectors already there.
type metrics struct {
	messages  *prometheus.CounterVec // twinwatch_bus_messages_total{stream,outcome}
	published *prometheus.CounterVec // twinwatch_bus_published_total{stream,outcome}
}

func newMetrics(reg *prometheus.Registry) (*metrics, error) {
	m := &metrics{
		messages: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "twinwatch_bus_messages_total",
			Help: "Messages settled by consumers, by stream and outcome (ok, retry, invalid, dead_letter, error).",
		}, []string{"stream", "outcome"}),
		published: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "twinwatch_bus_published_total",
			Help: "Messages published, by stream and outcome (ok, duplicate, error).",
		}, []string{"stream", "outcome"}),
	}
	if reg == nil {
		return m, nil
	}
	var err error
	if m.messages, err = register(reg, m.messages); err != nil {
		return nil, err
	}
	if m.published, err = register(reg, m.published); err != nil {
		return nil, err
	}
	return m, nil
}

func register(reg *prometheus.Registry, c *prometheus.CounterVec) (*prometheus.CounterVec, error) {
	err := reg.Register(c)
	if err == nil {
		return c, nil
	}
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		if existing, ok := are.ExistingCollector.(*prometheus.CounterVec); ok {
			return existing, nil
		}
	}
	return nil, err
}

func (m *metrics) settled(stream string, o Outcome) {
	m.messages.WithLabelValues(stream, string(o)).Inc()
}

func (m *metrics) publish(stream string, o Outcome) {
	if stream == "" {
		stream = "other"
	}
	m.published.WithLabelValues(stream, string(o)).Inc()
}
