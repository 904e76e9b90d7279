// Package telemetry builds the process's observability plumbing from config:
// a log/slog logger (text for development, JSON for production), a
// Prometheus registry with the Go and process collectors, and an HTTP
// endpoint serving /metrics and /healthz.
//
// # Configuration
//
// LogConfig is the `log` section (level: debug|info|warn|error, format:
// text|json; defaults info and text); MetricsConfig is the `metrics` section
// (listen: host:port, "" disables; default 127.0.0.1:9464). Both validate
// with spec.FieldError paths relative to their section.
//
// # Ownership
//
// Nothing here is global: cmd calls NewLogger and NewRegistry once and passes
// the values down; stages register their collectors on the registry they are
// given. Serve blocks until its ctx is done and shuts its server down
// gracefully; the caller owns the goroutine it runs in.
//
// This package imports only the standard library, config/spec and the
// Prometheus client; no stage imports it except through the values it returns.
package telemetry
