package bus

import "github.com/twinwatch/twinwatch/config/spec"

// Config is the `nats` section: an external NATS (URL set) or an embedded
// nats-server with JetStream (URL empty).
// (Skeleton: the bus owner extends it.)
type Config struct {
	// URL of an external NATS server ("nats://host:4222"); empty starts an embedded server.
	URL string `yaml:"url"`
	// Password for URL, if the server wants user/password auth.
	Password spec.Secret `yaml:"password"`
}

// DefaultConfig returns the defaults: an embedded server.
func DefaultConfig() Config { return Config{} }

// Validate reports every invalid field as a spec.FieldError.
func (c Config) Validate() error { return nil }
