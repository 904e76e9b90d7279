package chstore

import "github.com/twinwatch/twinwatch/config/spec"

// Config is the `clickhouse` section. (Skeleton: the chstore owner extends it.)
type Config struct {
	// Addr is host:port of the native protocol; empty means "start a private
	// clickhouse-server" (twinwatch up) .
	Addr     []string    `yaml:"addr"`
	Database string      `yaml:"database"`
	User     string      `yaml:"user"`
	Password spec.Secret `yaml:"password"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config { return Config{Database: "twinwatch", User: "default"} }

// Validate reports every invalid field as a spec.FieldError.
func (c Config) Validate() error { return nil }
