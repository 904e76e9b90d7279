package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"github.com/twinwatch/twinwatch/config"
	"github.com/twinwatch/twinwatch/internal/bus"
	"github.com/twinwatch/twinwatch/internal/chstore"
	"github.com/twinwatch/twinwatch/internal/telemetry"
)

// globals are the flags every subcommand shares.
type globals struct {
	configPath string
}

// env is what every subcommand starts from: the effective config, a logger
// and a metrics registry.
type env struct {
	cfg     *config.File
	log     *slog.Logger
	reg     *prometheus.Registry
	closers []func(context.Context) error
}

// load reads the config (or the defaults), and builds logger and registry.
func (g *globals) load() (*env, error) {
	var (
		cfg *config.File
		err error
	)
	if g.configPath == "" {
		cfg = config.Default()
	} else if cfg, err = config.Load(g.configPath); err != nil {
		return nil, err
	}
	logger, err := telemetry.NewLogger(cfg.Log, os.Stderr)
	if err != nil {
		return nil, fmt.Errorf("log: %w", err)
	}
	return &env{cfg: cfg, log: logger, reg: telemetry.NewRegistry()}, nil
}

// onClose registers f to run (in reverse order) when the command ends.
func (e *env) onClose(f func(context.Context) error) { e.closers = append(e.closers, f) }

// close runs the registered closers with a fresh context bounded by
// shutdown_timeout: the command's own ctx is already cancelled on SIGTERM.
func (e *env) close() error {
	ctx, cancel := context.WithTimeout(context.Background(), e.shutdownTimeout())
	defer cancel()
	var errs []error
	for i := len(e.closers) - 1; i >= 0; i-- {
		errs = append(errs, e.closers[i](ctx))
	}
	e.closers = nil
	return errors.Join(errs...)
}

func (e *env) shutdownTimeout() time.Duration {
	if d := e.cfg.ShutdownTimeout.D(); d > 0 {
		return d
	}
	return 30 * time.Second
}

// openBus connects to NATS (or starts the embedded server) and registers its close.
func (e *env) openBus(ctx context.Context) (*bus.Bus, error) {
	b, err := bus.Open(ctx, e.cfg.NATS, e.log, e.reg)
	if err != nil {
		return nil, err
	}
	e.onClose(b.Close)
	return b, nil
}

// openStore connects to ClickHouse. With no address configured and local
// allowed, it first starts a private clickhouse-server under the data dir.
func (e *env) openStore(ctx context.Context, allowLocal bool) (*chstore.Store, error) {
	cfg := e.cfg.ClickHouse
	if len(cfg.Addr) == 0 {
		if !allowLocal {
			return nil, errors.New("clickhouse.addr is not set (only `twinwatch up` starts a private server)")
		}
		local, err := chstore.StartLocal(ctx, cfg.Local.Binary, cfg.Local.DataDir, e.log)
		if err != nil {
			return nil, err
		}
		e.onClose(local.Stop)
		cfg.Addr = []string{local.Addr()}
		e.log.Info("private clickhouse-server started", "addr", local.Addr(), "dir", cfg.Local.DataDir)
	}
	st, err := chstore.Open(ctx, cfg, e.log)
	if err != nil {
		return nil, err
	}
	e.onClose(func(context.Context) error { return st.Close() })
	return st, nil
}

// serveMetrics starts the /metrics and /healthz endpoint in g if configured.
// It opens the port first, so a port that is taken is an error before any
// work starts rather than after.
func (e *env) serveMetrics(ctx context.Context, g *errgroup.Group, health func(context.Context) error) error {
	if e.cfg.Metrics.Listen == "" {
		return nil
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", e.cfg.Metrics.Listen)
	if err != nil {
		return fmt.Errorf("metrics.listen: %w", err)
	}
	g.Go(func() error { return telemetry.ServeListener(ctx, ln, e.reg, health, e.log) })
	return nil
}

// runStage is the body of every long-running stage command: load the config,
// connect to NATS, let build make the stage, serve metrics, and run the stage
// until ctx is done (SIGINT/SIGTERM); then close everything within
// shutdown_timeout.
func (g *globals) runStage(ctx context.Context, build func(ctx context.Context, e *env, b *bus.Bus) (run func(context.Context) error, err error)) error {
	return g.withBus(ctx, func(e *env, b *bus.Bus) error {
		run, err := build(ctx, e, b)
		if err != nil {
			return err
		}
		grp, gctx := errgroup.WithContext(ctx)
		if err := e.serveMetrics(gctx, grp, nil); err != nil {
			return err
		}
		grp.Go(func() error { return run(gctx) })
		return grp.Wait()
	})
}

// withBus loads the config, connects to NATS (or starts the embedded server)
// and runs f; whatever was opened is closed when f returns.
func (g *globals) withBus(ctx context.Context, f func(e *env, b *bus.Bus) error) error {
	e, err := g.load()
	if err != nil {
		return err
	}
	defer e.close()
	b, err := e.openBus(ctx)
	if err != nil {
		return err
	}
	return f(e, b)
}
