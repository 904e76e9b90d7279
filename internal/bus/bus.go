package bus

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
)

// embeddedMaxPayload is the embedded server's largest message: pages can be
// large, and NATS's default of 1 MiB would refuse them. An external server
// needs max_payload at least as large as the crawler's body limit.
const embeddedMaxPayload = 8 << 20

// stallWait bounds how long an async publish waits for room among the
// outstanding publishes before it fails (the spike's trap: without it, a
// burst fails at once with "too many outstanding async published messages").
const stallWait = 30 * time.Second

// Bus is a connection to NATS JetStream with the twinwatch streams in place,
// and, when Config.URL is empty, the embedded server it runs. It is safe for
// concurrent use. Create it with Open and release it with Close.
type Bus struct {
	cfg     Config
	logger  *slog.Logger
	metrics *metrics

	ns        *server.Server // nil for an external server
	nc        *nats.Conn
	js        jetstream.JetStream
	clientURL string
	closed    chan struct{} // closed by the connection's ClosedHandler

	closeOnce sync.Once
	closeErr  error
}

// Open connects to the NATS server of cfg.URL, or starts an embedded server
// (JetStream, file store under cfg.Embedded.DataDir, client port on
// cfg.Embedded.Host) when cfg.URL is empty, then creates or updates the
// PAGES, OBSERVATIONS, ALERTS and DEADLETTER streams with cfg's limits.
//
// cfg must pass Validate. Metrics go to reg, which may be nil (no metrics
// exported); several Bus values may share a registry. Open blocks until the
// streams are in place, bounded by ctx and, per step, by cfg.ConnectTimeout.
// On error nothing is left running.
func Open(ctx context.Context, cfg Config, logger *slog.Logger, reg *prometheus.Registry) (*Bus, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("bus: invalid config: %w", err)
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, fmt.Errorf("bus: register metrics: %w", err)
	}
	b := &Bus{cfg: cfg, logger: logger, metrics: m, closed: make(chan struct{})}

	opts := []nats.Option{
		nats.Name("twinwatch"),
		nats.Timeout(cfg.ConnectTimeout.D()),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(time.Second),
		nats.DrainTimeout(cfg.Consumer.AckWait.D()),
		nats.ClosedHandler(func(*nats.Conn) { close(b.closed) }),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			if err != nil {
				logger.Warn("nats disconnected", "err", err)
			}
		}),
		nats.ReconnectHandler(func(nc *nats.Conn) { logger.Info("nats reconnected", "url", nc.ConnectedUrlRedacted()) }),
		nats.ErrorHandler(func(_ *nats.Conn, sub *nats.Subscription, err error) {
			subject := ""
			if sub != nil {
				subject = sub.Subject
			}
			logger.Warn("nats async error", "subject", subject, "err", err)
		}),
	}

	if cfg.URL == "" {
		ns, err := startEmbedded(cfg, logger)
		if err != nil {
			return nil, err
		}
		b.ns = ns
		b.clientURL = ns.ClientURL()
		// Our own connection is in-process: faster, and it needs no port.
		opts = append(opts, nats.InProcessServer(ns))
	} else {
		b.clientURL = cfg.URL
		opts = append(opts, clientAuth(cfg)...)
	}

	nc, err := nats.Connect(b.clientURL, opts...)
	if err != nil {
		b.shutdownServer()
		return nil, fmt.Errorf("bus: connect to %s: %w", b.clientURL, err)
	}
	b.nc = nc
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		b.shutdownServer()
		return nil, fmt.Errorf("bus: jetstream: %w", err)
	}
	b.js = js

	if err := b.ensureStreams(ctx); err != nil {
		nc.Close()
		b.shutdownServer()
		return nil, err
	}
	if b.ns != nil {
		logger.Info("nats embedded server ready", "url", b.clientURL)
	} else {
		logger.Info("nats connected", "url", nc.ConnectedUrlRedacted())
	}
	return b, nil
}

// clientAuth returns the nats options for cfg's authentication and TLS.
func clientAuth(cfg Config) []nats.Option {
	var opts []nats.Option
	switch {
	case cfg.CredentialsFile != "":
		opts = append(opts, nats.UserCredentials(cfg.CredentialsFile))
	case cfg.User != "":
		opts = append(opts, nats.UserInfo(cfg.User, cfg.Password.Reveal()))
	case cfg.Token != "":
		opts = append(opts, nats.Token(cfg.Token.Reveal()))
	}
	if cfg.TLS.enabled() {
		// Secure first: it replaces the TLS config that RootCAs and
		// ClientCert then add to.
		opts = append(opts, nats.Secure(&tls.Config{
			MinVersion:         tls.VersionTLS12,
			InsecureSkipVerify: cfg.TLS.InsecureSkipVerify, //nolint:gosec // opt-in, for tests
		}))
		if cfg.TLS.CAFile != "" {
			opts = append(opts, nats.RootCAs(cfg.TLS.CAFile))
		}
		if cfg.TLS.CertFile != "" {
			opts = append(opts, nats.ClientCert(cfg.TLS.CertFile, cfg.TLS.KeyFile))
		}
	}
	return opts
}

// startEmbedded starts a JetStream-enabled server and waits until it takes
// connections.
func startEmbedded(cfg Config, logger *slog.Logger) (*server.Server, error) {
	dir, err := filepath.Abs(cfg.Embedded.DataDir)
	if err != nil {
		return nil, fmt.Errorf("bus: embedded data dir %q: %w", cfg.Embedded.DataDir, err)
	}
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("bus: create embedded data dir: %w", err)
	}
	port := cfg.Embedded.Port
	if port == 0 {
		port = server.RANDOM_PORT
	}
	ns, err := server.NewServer(&server.Options{
		ServerName: "twinwatch-embedded",
		Host:       cfg.Embedded.Host,
		Port:       port,
		JetStream:  true,
		StoreDir:   dir,
		MaxPayload: embeddedMaxPayload,
		NoSigs:     true,
	})
	if err != nil {
		return nil, fmt.Errorf("bus: embedded server: %w", err)
	}
	ns.SetLoggerV2(serverLogger{logger.With("component", "nats-server")}, false, false, false)
	ns.Start()
	if !ns.ReadyForConnections(cfg.ConnectTimeout.D()) {
		ns.Shutdown()
		ns.WaitForShutdown()
		return nil, fmt.Errorf("bus: embedded server on %s:%d not ready within %s (data dir %s)",
			cfg.Embedded.Host, cfg.Embedded.Port, cfg.ConnectTimeout, dir)
	}
	return ns, nil
}

// streamConfigs returns the configuration of the four streams.
func (c Config) streamConfigs() []jetstream.StreamConfig {
	mk := func(name, subject, desc string, l StreamLimits) jetstream.StreamConfig {
		maxBytes := l.MaxBytes
		if maxBytes == 0 {
			maxBytes = -1
		}
		return jetstream.StreamConfig{
			Name:        name,
			Description: desc,
			Subjects:    []string{subject},
			Retention:   jetstream.LimitsPolicy,
			Discard:     jetstream.DiscardOld,
			Storage:     jetstream.FileStorage,
			MaxAge:      l.MaxAge.D(),
			MaxBytes:    maxBytes,
			MaxMsgs:     -1,
			Duplicates:  l.Duplicates.D(),
			Replicas:    l.Replicas,
		}
	}
	s := c.Streams
	return []jetstream.StreamConfig{
		mk(StreamPages, SubjectPages, "twinwatch: fetched pages (twin.Page JSON)", s.Pages),
		mk(StreamObservations, SubjectObservations, "twinwatch: agreement and event observations (twin.Observation JSON)", s.Observations),
		mk(StreamAlerts, SubjectAlerts, "twinwatch: alerts about new agreements", s.Alerts),
		mk(StreamDeadLetter, SubjectDeadLetter, "twinwatch: messages that could not be processed, reason in headers", s.DeadLetter),
	}
}

// ensureStreams creates or updates the streams, retrying while JetStream is
// not yet available (a cluster electing its meta leader).
func (b *Bus) ensureStreams(ctx context.Context) error {
	for _, sc := range b.cfg.streamConfigs() {
		err := b.retryJS(ctx, func(ctx context.Context) error {
			_, err := b.js.CreateOrUpdateStream(ctx, sc)
			return err
		})
		if err != nil {
			return fmt.Errorf("bus: create or update stream %s: %w", sc.Name, err)
		}
	}
	return nil
}

// retryJS runs fn with a per-attempt timeout until it succeeds, fails with a
// permanent error, or ConnectTimeout (or ctx) runs out.
func (b *Bus) retryJS(ctx context.Context, fn func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, b.cfg.ConnectTimeout.D())
	defer cancel()
	for {
		actx, acancel := context.WithTimeout(ctx, 2*time.Second)
		err := fn(actx)
		acancel()
		if err == nil || !transient(err) || ctx.Err() != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// transient reports whether a JetStream API error may go away by itself.
func transient(err error) bool {
	var apiErr *jetstream.APIError
	if errors.As(err, &apiErr) {
		return apiErr.Code == 503 || apiErr.Code == 500
	}
	return errors.Is(err, nats.ErrNoResponders) || errors.Is(err, nats.ErrTimeout) ||
		errors.Is(err, context.DeadlineExceeded) || errors.Is(err, jetstream.ErrNoStreamResponse)
}

// Close drains the connection (pending publishes are flushed, subscriptions
// end), then shuts the embedded server down, if any. It blocks until done or
// until ctx expires, in which case the connection is closed at once and ctx's
// error is returned. Calling Close again returns the first result. Stop
// consumers first (cancel Consume's context): a Fetch running during Close
// fails.
func (b *Bus) Close(ctx context.Context) error {
	b.closeOnce.Do(func() { b.closeErr = b.close(ctx) })
	return b.closeErr
}

func (b *Bus) close(ctx context.Context) error {
	var errs []error

	if err := b.nc.Drain(); err != nil && !errors.Is(err, nats.ErrConnectionClosed) {
		errs = append(errs, fmt.Errorf("bus: drain: %w", err))
		b.nc.Close()
	}
	select {
	case <-b.closed:
	case <-ctx.Done():
		b.nc.Close()
		errs = append(errs, fmt.Errorf("bus: drain: %w", ctx.Err()))
	}

	if b.ns != nil {
		done := make(chan struct{})
		go func() { b.shutdownServer(); close(done) }()
		select {
		case <-done:
			b.logger.Info("nats embedded server stopped")
		case <-ctx.Done():
			errs = append(errs, fmt.Errorf("bus: shut down embedded server: %w", ctx.Err()))
		}
	}
	return errors.Join(errs...)
}

func (b *Bus) shutdownServer() {
	if b.ns == nil {
		return
	}
	b.ns.Shutdown()
	b.ns.WaitForShutdown()
}

// JetStream returns the JetStream context of the bus's connection, for what
// the bus does not wrap. It is safe for concurrent use.
func (b *Bus) JetStream() jetstream.JetStream { return b.js }

// Conn returns the bus's connection. The Bus owns it: do not close or drain it.
func (b *Bus) Conn() *nats.Conn { return b.nc }

// ClientURL returns a URL other processes can connect to: the embedded
// server's client URL ("nats://127.0.0.1:<port>"), or Config.URL for an
// external server (without credentials; those come from the config).
func (b *Bus) ClientURL() string { return b.clientURL }

// KeyValue creates the bucket cfg.Bucket, or updates it to cfg if it exists,
// and returns it. Keys must be valid NATS KV keys: raw URLs are not (use
// twin.URLKey). Storage defaults to file.
func (b *Bus) KeyValue(ctx context.Context, cfg jetstream.KeyValueConfig) (jetstream.KeyValue, error) {
	kv, err := b.js.CreateOrUpdateKeyValue(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("bus: create or update key-value bucket %s: %w", cfg.Bucket, err)
	}
	return kv, nil
}
