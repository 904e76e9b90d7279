package alert

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/robfig/cron/v3"
	"golang.org/x/sync/errgroup"

	"github.com/twinwatch/twinwatch/internal/bus"
	"github.com/twinwatch/twinwatch/twin"
)

// Bus is what the alerter needs of NATS JetStream; *bus.Bus satisfies it.
type Bus interface {
	// Consume runs a durable pull consumer and settles each message with the
	// handler's result (see bus.Bus.Consume).
	Consume(ctx context.Context, spec bus.ConsumerSpec, handle func(context.Context, *bus.Msg) error) error
	// Publish stores data on subject with a Nats-Msg-Id.
	Publish(ctx context.Context, subject, msgID string, data []byte) (duplicate bool, err error)
	// KeyValue creates or updates a KV bucket and returns it.
	KeyValue(ctx context.Context, cfg jetstream.KeyValueConfig) (jetstream.KeyValue, error)
}

// Recorder stores what the alerter decided: alerts, late discoveries and
// updates (ClickHouse's alert_log through package alert/chrecord). Record is
// called again for the same record after a redelivery; the store must absorb
// the repeat. It must be safe for concurrent use.
type Recorder interface {
	Record(ctx context.Context, r Record) error
}

// Record is one decision about an agreement.
type Record struct {
	// AgreementID is the agreement's ID.
	AgreementID string
	// Kind is "alert", "late" or "update".
	Kind string
	// N numbers updates from 1; 0 for alert and late.
	N int
	// BetterDate and NewSource say what an update adds.
	BetterDate, NewSource bool
	// Sources counts the distinct sources seen so far.
	Sources int
	// Observation is the observation decided on.
	Observation twin.Observation
	// At is when the decision was made.
	At time.Time
}

// DecideDurable is the durable consumer on OBSERVATIONS (agreements and
// events) that decides what is new. Every replica shares it.
const DecideDurable = "alert"

// DeliverSubject returns the subject of delivery jobs for a channel:
// twinwatch.alerts.deliver.<name>, kept in the ALERTS stream.
func DeliverSubject(channel string) string { return "twinwatch.alerts.deliver." + channel }

// DeliverDurable returns the durable consumer that delivers a channel's jobs.
func DeliverDurable(channel string) string { return "alert-deliver-" + channel }

// workers is how many messages each of the alerter's consumers handles at
// once: decisions and deliveries wait mostly on round trips (KV, HTTP), and
// every step is safe to run concurrently (atomic create, compare-and-set,
// per-delivery markers).
const workers = 16

// fetchBatch is how many messages bus.Consume takes per fetch (its
// consumeBatch); a worker handles them one after another.
const fetchBatch = 16

// Consumer names a durable consumer of the alerter.
type Consumer struct{ Stream, Durable string }

// Alerter decides which agreement observations are news and delivers alerts,
// updates and digests to the configured channels. Create it with New and
// start it with Run. Its methods are safe for concurrent use; several
// Alerters (processes or goroutines) may run against the same NATS at once.
type Alerter struct {
	cfg      Config
	bus      Bus
	rec      Recorder
	log      *slog.Logger
	metrics  *metrics
	clock    func() time.Time
	client   *http.Client
	sources  []string
	channels []*channel

	openMu     sync.Mutex
	agreements jetstream.KeyValue
	deliveries jetstream.KeyValue
	digest     jetstream.KeyValue

	srcMu   sync.Mutex
	srcSeen map[string]time.Time

	fault func(point string) error // test seam: a non-nil error simulates a crash at point
}

// channel is a configured channel ready to send.
type channel struct {
	cfg      ChannelConfig
	tmpl     *templates
	notifier Notifier
}

// Option configures New. The options are test and wiring seams: WithClock,
// WithHTTPClient, WithSources.
type Option func(*Alerter)

// WithClock replaces time.Now.
func WithClock(now func() time.Time) Option { return func(a *Alerter) { a.clock = now } }

// WithHTTPClient replaces the HTTP client shared by webhook, chat and
// Telegram channels (default: the standard transport without environment
// proxies and no timeout of its own; each send is bounded by its channel's
// timeout).
func WithHTTPClient(c *http.Client) Option { return func(a *Alerter) { a.client = c } }

// WithSources names the configured crawler sources, so the digest can list
// those that yielded nothing even if they never yielded anything.
func WithSources(names []string) Option {
	return func(a *Alerter) { a.sources = append([]string(nil), names...) }
}

// New checks cfg and builds the alerter and its channels; it does no I/O.
// rec may be nil (nothing recorded), logger nil (discard), reg nil (no
// metrics exported); the registry must not already hold the alert metrics.
func New(cfg Config, b Bus, rec Recorder, logger *slog.Logger, reg *prometheus.Registry, opts ...Option) (*Alerter, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("alert: invalid config: %w", err)
	}
	if b == nil {
		return nil, errors.New("alert: no bus")
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, fmt.Errorf("alert: register metrics: %w", err)
	}
	a := &Alerter{
		cfg: cfg, bus: b, rec: rec, log: logger.With("stage", "alert"), metrics: m,
		clock: time.Now, client: newHTTPClient(), srcSeen: map[string]time.Time{},
	}
	for _, o := range opts {
		o(a)
	}
	for _, cc := range cfg.Channels {
		cc = cc.withDefaults()
		t, err := newTemplates(cc)
		if err != nil {
			return nil, err
		}
		n, err := newNotifier(cc, a.client, b)
		if err != nil {
			return nil, err
		}
		if ml, ok := n.(*mailer); ok {
			ml.clock = a.clock
		}
		a.channels = append(a.channels, &channel{cfg: cc, tmpl: t, notifier: n})
	}
	return a, nil
}

// newHTTPClient returns the default client: the standard transport without
// proxies from the environment (nothing is read behind the config's back).
func newHTTPClient() *http.Client {
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.Proxy = nil
	return &http.Client{Transport: tr}
}

// Consumers lists the alerter's durable consumers: DecideDurable on
// OBSERVATIONS and one DeliverDurable per channel on ALERTS. All of them
// having nothing pending means every alert so far was delivered (or
// dead-lettered).
func (a *Alerter) Consumers() []Consumer {
	out := []Consumer{{bus.StreamObservations, DecideDurable}}
	for _, c := range a.channels {
		out = append(out, Consumer{bus.StreamAlerts, DeliverDurable(c.cfg.Name)})
	}
	return out
}

// Channels returns the configured channel names in config order.
func (a *Alerter) Channels() []string {
	out := make([]string, len(a.channels))
	for i, c := range a.channels {
		out[i] = c.cfg.Name
	}
	return out
}

// open creates or updates the KV buckets once.
func (a *Alerter) open(ctx context.Context) error {
	a.openMu.Lock()
	defer a.openMu.Unlock()
	if a.agreements != nil {
		return nil
	}
	mk := func(name, desc string) (jetstream.KeyValue, error) {
		return a.bus.KeyValue(ctx, jetstream.KeyValueConfig{
			Bucket: name, Description: desc, Storage: jetstream.FileStorage, Replicas: a.cfg.State.Replicas,
		})
	}
	ag, err := mk(a.cfg.State.Agreements, "twinwatch alert: one decision per agreement")
	if err != nil {
		return fmt.Errorf("alert: %w", err)
	}
	dl, err := mk(a.cfg.State.Deliveries, "twinwatch alert: one marker per delivery and channel")
	if err != nil {
		return fmt.Errorf("alert: %w", err)
	}
	dg, err := mk(a.cfg.State.Digest, "twinwatch alert: what the next digest reports")
	if err != nil {
		return fmt.Errorf("alert: %w", err)
	}
	a.agreements, a.deliveries, a.digest = ag, dl, dg
	return nil
}

// Run creates the KV buckets, then consumes agreement and event observations
// (deciding what is new), delivers each channel's jobs on its own consumer
// (a failing channel never holds up the others), and sends the digest on
// its schedule. It blocks until ctx is cancelled, then stops fetching,
// settles what is in flight and returns nil; it returns an error if a
// bucket cannot be created or a consumer fails for good.
func (a *Alerter) Run(ctx context.Context) error {
	if err := a.open(ctx); err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	g, gctx := errgroup.WithContext(ctx)
	for range workers {
		g.Go(func() error {
			return a.bus.Consume(gctx, bus.ConsumerSpec{
				Stream: bus.StreamObservations, Durable: DecideDurable,
				FilterSubjects: []string{bus.SubjectAgreement, bus.SubjectEvent},
			}, a.handleObservation)
		})
	}
	for _, c := range a.channels {
		for range workers {
			g.Go(func() error {
				// A worker handles the jobs of one fetch (up to 16) in turn: the
				// last must not overrun AckWait behind slow sends, or it would be
				// handed to another worker while still pending here.
				ackWait := max(30*time.Second, (fetchBatch+1)*c.cfg.Timeout.D())
				return a.bus.Consume(gctx, bus.ConsumerSpec{
					Stream: bus.StreamAlerts, Durable: DeliverDurable(c.cfg.Name),
					FilterSubjects: []string{DeliverSubject(c.cfg.Name)},
					MaxDeliver:     c.cfg.MaxAttempts, AckWait: ackWait,
				}, func(ctx context.Context, m *bus.Msg) error { return a.deliver(ctx, c, m) })
			})
		}
	}
	if a.cfg.Digest.Schedule != "off" {
		g.Go(func() error { return a.runDigestSchedule(gctx) })
	}
	a.log.Info("alerter started", "channels", len(a.channels))
	err := g.Wait()
	a.log.Info("alerter stopped")
	return err
}

// runDigestSchedule sends the digest on the cron schedule until ctx ends.
func (a *Alerter) runDigestSchedule(ctx context.Context) error {
	sched, err := cron.ParseStandard(a.cfg.Digest.Schedule)
	if err != nil {
		return fmt.Errorf("alert: digest schedule: %w", err)
	}
	for {
		now := a.clock().UTC()
		next := sched.Next(now)
		t := time.NewTimer(max(next.Sub(now), time.Second))
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-t.C:
		}
		if err := a.SendDigest(ctx, next); err != nil && ctx.Err() == nil {
			a.log.Error("digest failed", "err", err)
		}
	}
}

// crash consults the test seam.
func (a *Alerter) crash(point string) error {
	if a.fault == nil {
		return nil
	}
	return a.fault(point)
}
