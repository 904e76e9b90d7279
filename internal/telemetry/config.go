package telemetry

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"strings"

	"github.com/twinwatch/twinwatch/config/spec"
)

// Config is the `log` and `metrics` sections together, for callers that want
// both in one value. The config file keeps them as two top-level sections.
type Config struct {
	Log     LogConfig     `yaml:"log"`
	Metrics MetricsConfig `yaml:"metrics"`
}

// LogConfig configures log/slog: the `log` section.
type LogConfig struct {
	// Level is the lowest level logged: debug, info, warn or error.
	Level string `yaml:"level"`
	// Format is the handler: text (development) or json (production).
	Format string `yaml:"format"`
}

// MetricsConfig configures the Prometheus and health endpoint: the `metrics` section.
type MetricsConfig struct {
	// Listen is host:port for /metrics and /healthz ("127.0.0.1:9464"); "" disables the endpoint.
	Listen string `yaml:"listen"`
}

// Log formats.
const (
	FormatText = "text"
	FormatJSON = "json"
)

// DefaultLogConfig returns the defaults: level info, format text.
func DefaultLogConfig() LogConfig { return LogConfig{Level: "info", Format: FormatText} }

// DefaultMetricsConfig returns the defaults: listen on 127.0.0.1:9464.
func DefaultMetricsConfig() MetricsConfig { return MetricsConfig{Listen: "127.0.0.1:9464"} }

// DefaultConfig returns both sections' defaults.
func DefaultConfig() Config {
	return Config{Log: DefaultLogConfig(), Metrics: DefaultMetricsConfig()}
}

// Validate reports every invalid field of both sections as a spec.FieldError
// with paths "log.…" and "metrics.…".
func (c Config) Validate() error {
	return errors.Join(spec.Prefix("log", c.Log.Validate()), spec.Prefix("metrics", c.Metrics.Validate()))
}

// Validate reports an unknown level or format as a spec.FieldError.
func (c LogConfig) Validate() error {
	var errs []error
	if _, err := parseLevel(c.Level); err != nil {
		errs = append(errs, spec.Errorf("level", "must be debug, info, warn or error, got %q", c.Level))
	}
	switch c.Format {
	case FormatText, FormatJSON:
	default:
		errs = append(errs, spec.Errorf("format", "must be text or json, got %q", c.Format))
	}
	return errors.Join(errs...)
}

// Validate reports a listen address that is not host:port as a spec.FieldError.
func (c MetricsConfig) Validate() error {
	if c.Listen == "" {
		return nil
	}
	if _, _, err := net.SplitHostPort(c.Listen); err != nil {
		return spec.Errorf("listen", "must be host:port such as \"127.0.0.1:9464\" or empty, got %q", c.Listen)
	}
	return nil
}

// parseLevel maps a configured level name to a slog.Level.
func parseLevel(s string) (slog.Level, error) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "debug":
		return slog.LevelDebug, nil
	case "info":
		return slog.LevelInfo, nil
	case "warn", "warning":
		return slog.LevelWarn, nil
	case "error":
		return slog.LevelError, nil
	}
	return 0, fmt.Errorf("telemetry: unknown log level %q", s)
}
