package chstore

import (
	"errors"
	"fmt"
	"net"
	"regexp"
	"time"

	"github.com/twinwatch/twinwatch/config/spec"
)

// Config is the `clickhouse` section of twinwatch.yaml.
type Config struct {
	// Addr lists host:port of the native protocol (not HTTP: 18.16 speaks
	// only the native protocol with clickhouse-go). Empty means there is no
	// external server: `twinwatch up` starts a private one (see Local).
	Addr []string `yaml:"addr"`
	// Database is created if missing by Open; every table lives in it.
	Database string `yaml:"database"`
	// User and Password authenticate; Password is a secret (${VAR} expanded).
	User     string      `yaml:"user"`
	Password spec.Secret `yaml:"password"`
	// TLS secures the connection to an external server.
	TLS TLSConfig `yaml:"tls"`
	// DialTimeout bounds connecting and acquiring a pooled connection.
	DialTimeout spec.Duration `yaml:"dial_timeout"`
	// QueryTimeout bounds every statement the Store runs when the caller's
	// context has no earlier deadline. Keep it over 1s: clickhouse-go turns
	// such a deadline into max_execution_time (deadline + 5s) on the server.
	QueryTimeout spec.Duration `yaml:"query_timeout"`
	// Compression of native blocks: lz4, zstd or none.
	Compression string `yaml:"compression"`
	// Local is the private clickhouse-server started when Addr is empty.
	Local LocalConfig `yaml:"local"`
}

// TLSConfig is the `clickhouse.tls` section.
type TLSConfig struct {
	// Enabled turns TLS on (the server's tcp_port_secure).
	Enabled bool `yaml:"enabled"`
	// CAFile is a PEM bundle to verify the server with; empty uses the system roots.
	CAFile string `yaml:"ca_file"`
	// InsecureSkipVerify disables verification of the server's certificate (tests only).
	InsecureSkipVerify bool `yaml:"insecure_skip_verify"`
}

// LocalConfig is the `clickhouse.local` section: the private server.
type LocalConfig struct {
	// Binary is the clickhouse-server executable, a name looked up on PATH
	// (and /usr/sbin) or a path.
	Binary string `yaml:"binary"`
	// DataDir holds the generated config, data, logs, server.pid and addr.
	DataDir string `yaml:"data_dir"`
}

// Compression methods accepted by Config.Compression.
const (
	CompressionLZ4  = "lz4"
	CompressionZSTD = "zstd"
	CompressionNone = "none"
)

// DefaultConfig returns the defaults: no external server, database
// "twinwatch" as user "default", lz4, 5s dial and 30s query timeouts, and a
// private clickhouse-server under .data/clickhouse.
func DefaultConfig() Config {
	return Config{
		Database:     "twinwatch",
		User:         "default",
		DialTimeout:  spec.Duration(5 * time.Second),
		QueryTimeout: spec.Duration(30 * time.Second),
		Compression:  CompressionLZ4,
		Local:        LocalConfig{Binary: "clickhouse-server", DataDir: ".data/clickhouse"},
	}
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// Validate reports every invalid field as a spec.FieldError with its path
// relative to the section ("addr[1]", "tls.ca_file"), joined.
func (c Config) Validate() error {
	var errs []error
	add := func(path, format string, args ...any) { errs = append(errs, spec.Errorf(path, format, args...)) }
	for i, a := range c.Addr {
		host, port, err := net.SplitHostPort(a)
		if err != nil || host == "" || port == "" {
			add(fmt.Sprintf("addr[%d]", i), "want host:port, got %q", a)
		}
	}
	if !identRE.MatchString(c.Database) {
		add("database", "want a name of letters, digits and _, got %q", c.Database)
	}
	if c.User == "" {
		add("user", "is required (ClickHouse's own is \"default\")")
	}
	if c.DialTimeout <= 0 {
		add("dial_timeout", "must be positive, got %s", c.DialTimeout)
	}
	if c.QueryTimeout <= 0 {
		add("query_timeout", "must be positive, got %s", c.QueryTimeout)
	}
	switch c.Compression {
	case CompressionLZ4, CompressionZSTD, CompressionNone:
	default:
		add("compression", "want lz4, zstd or none, got %q", c.Compression)
	}
	if !c.TLS.Enabled && (c.TLS.CAFile != "" || c.TLS.InsecureSkipVerify) {
		add("tls.enabled", "is false but tls.ca_file or tls.insecure_skip_verify is set")
	}
	if c.Local.Binary == "" {
		add("local.binary", "is required")
	}
	if c.Local.DataDir == "" {
		add("local.data_dir", "is required")
	}
	return errors.Join(errs...)
}
