package telemetry

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// NewLogger returns a logger writing to w with cfg's level and format (a
// slog.TextHandler for "text", a slog.JSONHandler for "json"). It returns an
// error naming the field when cfg is invalid. The logger is safe for
// concurrent use as far as w is (slog handlers serialise their writes).
func NewLogger(cfg LogConfig, w io.Writer) (*slog.Logger, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("telemetry: log config: %w", err)
	}
	level, _ := parseLevel(cfg.Level)
	opts := &slog.HandlerOptions{Level: level}
	var h slog.Handler
	if cfg.Format == FormatJSON {
		h = slog.NewJSONHandler(w, opts)
	} else {
		h = slog.NewTextHandler(w, opts)
	}
	return slog.New(h), nil
}

// NewRegistry returns a fresh registry with the Go runtime and process
// collectors registered. Stages register their own collectors on it; nothing
// is registered on the Prometheus default registry.
func NewRegistry() *prometheus.Registry {
	reg := prometheus.NewRegistry()
	reg.MustRegister(
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
	)
	return reg
}

// shutdownGrace bounds how long Serve waits for in-flight scrapes after ctx is done.
const shutdownGrace = 5 * time.Second

// Handler returns the HTTP handler Serve uses: GET /metrics exposes reg in
// the Prometheus text (or negotiated OpenMetrics) format; GET /healthz calls
// health (nil means healthy) and answers 200 "ok" or 503 with the error text.
// A nil health always reports healthy.
func Handler(reg *prometheus.Registry, health func(context.Context) error, logger *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{
		Registry:          reg,
		EnableOpenMetrics: true,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelError),
	}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Header().Set("Cache-Control", "no-store")
		if health != nil {
			if err := health(r.Context()); err != nil {
				logger.Warn("health check failed", slog.String("err", err.Error()))
				w.WriteHeader(http.StatusServiceUnavailable)
				_, _ = io.WriteString(w, "unhealthy: "+err.Error()+"\n")
				return
			}
		}
		_, _ = io.WriteString(w, "ok\n")
	})
	return mux
}

// Serve listens on listen (host:port; port 0 picks a free one) and serves
// /metrics and /healthz (see Handler) until ctx is done, then shuts the
// server down gracefully, waiting up to 5s for in-flight requests. It blocks
// and returns nil after a clean shutdown, or an error if it cannot listen or
// the server fails. An empty listen disables the endpoint: Serve then just
// waits for ctx and returns nil. The listening address is logged as "addr".
func Serve(ctx context.Context, listen string, reg *prometheus.Registry, health func(context.Context) error, logger *slog.Logger) error {
	if listen == "" {
		<-ctx.Done()
		return nil
	}
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", listen)
	if err != nil {
		return fmt.Errorf("telemetry: listen on %s: %w", listen, err)
	}
	return serve(ctx, ln, reg, health, logger)
}

func serve(ctx context.Context, ln net.Listener, reg *prometheus.Registry, health func(context.Context) error, logger *slog.Logger) error {
	srv := &http.Server{
		Handler:           Handler(reg, health, logger),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	logger.Info("metrics endpoint listening", slog.String("addr", ln.Addr().String()))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("telemetry: serve %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	shutErr := srv.Shutdown(sctx)
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("telemetry: serve %s: %w", ln.Addr(), err)
	}
	if shutErr != nil {
		_ = srv.Close()
		return fmt.Errorf("telemetry: shut down %s: %w", ln.Addr(), shutErr)
	}
	return nil
}

// ServeListener is Serve on a listener the caller has already opened, so that
// a port that is taken is reported before any work starts. It closes ln when
// it returns.
func ServeListener(ctx context.Context, ln net.Listener, reg *prometheus.Registry, health func(context.Context) error, logger *slog.Logger) error {
	return serve(ctx, ln, reg, health, logger)
}
