package bus

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/twinwatch/twinwatch/config/spec"
)

// Config is the `nats` section: an external NATS (URL set) or an embedded
// nats-server with JetStream and file storage (URL empty).
//
// Authentication to an external server uses at most one of CredentialsFile,
// User+Password or Token. TLS is used when the URL's scheme is tls:// or any
// TLS field is set. Embedded applies only when URL is empty.
type Config struct {
	// URL of an external NATS server ("nats://host:4222"), or a comma-separated
	// list of the members of a cluster; empty starts an embedded server.
	URL string `yaml:"url"`
	// CredentialsFile is a NATS .creds file (JWT + NKey seed) for URL.
	CredentialsFile string `yaml:"credentials_file"`
	// User for user/password authentication to URL.
	User string `yaml:"user"`
	// Password for User.
	Password spec.Secret `yaml:"password"`
	// Token for token authentication to URL.
	Token spec.Secret `yaml:"token"`
	// TLS to URL.
	TLS TLSConfig `yaml:"tls"`
	// Embedded is the embedded server, used when URL is empty.
	Embedded EmbeddedConfig `yaml:"embedded"`
	// ConnectTimeout bounds the initial connect and every JetStream API call
	// made while opening the bus.
	ConnectTimeout spec.Duration `yaml:"connect_timeout"`
	// Streams holds the limits of the four streams the bus creates or updates
	// on Open.
	Streams StreamsConfig `yaml:"streams"`
	// Consumer holds the defaults for consumers whose ConsumerSpec leaves a
	// field zero, and the retry back-off used by Settle.
	Consumer ConsumerConfig `yaml:"consumer"`
}

// TLSConfig configures TLS to an external server. Empty fields use the system
// roots and no client certificate.
type TLSConfig struct {
	// CAFile is a PEM bundle of roots that verify the server.
	CAFile string `yaml:"ca_file"`
	// CertFile is the client certificate (PEM), for servers that verify clients; needs KeyFile.
	CertFile string `yaml:"cert_file"`
	// KeyFile is the client certificate's key (PEM); needs CertFile.
	KeyFile string `yaml:"key_file"`
	// InsecureSkipVerify disables verification of the server's certificate. For tests only.
	InsecureSkipVerify bool `yaml:"insecure_skip_verify"`
}

// enabled reports whether any TLS field is set.
func (t TLSConfig) enabled() bool { return t != TLSConfig{} }

// EmbeddedConfig is the embedded nats-server.
type EmbeddedConfig struct {
	// DataDir holds the JetStream file store; it survives restarts (streams,
	// consumers, duplicate windows, KV buckets). Created if missing.
	DataDir string `yaml:"data_dir"`
	// Host the client port listens on; keep it on loopback.
	Host string `yaml:"host"`
	// Port of the client listener; 0 picks a free port (see Bus.ClientURL).
	Port int `yaml:"port"`
}

// StreamsConfig holds per-stream limits, one field per stream.
type StreamsConfig struct {
	// Pages is the PAGES stream (raw fetched pages; kept for replay).
	Pages StreamLimits `yaml:"pages"`
	// Observations is the OBSERVATIONS stream (agreements and events).
	Observations StreamLimits `yaml:"observations"`
	// Alerts is the ALERTS stream (new-agreement alerts).
	Alerts StreamLimits `yaml:"alerts"`
	// DeadLetter is the DEADLETTER stream (messages that could not be processed).
	DeadLetter StreamLimits `yaml:"deadletter"`
}

// StreamLimits are the limits of one stream. When a limit is reached the
// oldest messages are discarded.
type StreamLimits struct {
	// MaxAge is how long a message is kept; 0 keeps it until MaxBytes pushes it out.
	MaxAge spec.Duration `yaml:"max_age"`
	// MaxBytes caps the stream's size in bytes; 0 means unlimited.
	MaxBytes int64 `yaml:"max_bytes"`
	// Duplicates is the window in which a second publish with the same
	// Nats-Msg-Id is dropped. Longer windows cost server memory per message.
	Duplicates spec.Duration `yaml:"duplicates"`
	// Replicas is the number of copies in a cluster (1..5; 1 for the embedded server).
	Replicas int `yaml:"replicas"`
}

// ConsumerConfig holds consumer defaults and the retry back-off.
type ConsumerConfig struct {
	// MaxDeliver is how many deliveries a failing message gets before it is
	// dead-lettered.
	MaxDeliver int `yaml:"max_deliver"`
	// AckWait is how long the server waits for a settlement before it
	// redelivers a message.
	AckWait spec.Duration `yaml:"ack_wait"`
	// MaxAckPending caps the messages delivered but not yet settled per
	// consumer; a batching consumer needs it at least as large as its batch.
	MaxAckPending int `yaml:"max_ack_pending"`
	// Backoff is the delay before a failed message is redelivered.
	Backoff BackoffConfig `yaml:"backoff"`
}

// BackoffConfig is an exponential back-off by delivery count: Initial after
// the first delivery, doubling each time, never above Max, with jitter.
type BackoffConfig struct {
	// Initial is the delay after the first failed delivery.
	Initial spec.Duration `yaml:"initial"`
	// Max caps the delay.
	Max spec.Duration `yaml:"max"`
}

// Default limits. PAGES keeps its history (replay re-reads it) until 10 GiB;
// its duplicate window is an hour because the crawler's own state catches
// unchanged pages across longer gaps. OBSERVATIONS keeps 30 days so a sink can
// be rebuilt; ALERTS 30 days; DEADLETTER 90 days so somebody gets to look.
const (
	defaultDuplicates = time.Hour
	gib               = int64(1) << 30
	mib               = int64(1) << 20
	day               = 24 * time.Hour
)

// DefaultConfig returns the defaults: an embedded server on a random loopback
// port storing under .data/nats, and the stream and consumer defaults below.
//
//	stream        max_age  max_bytes  duplicates
//	pages         0 (keep) 10 GiB     1h
//	observations  720h     2 GiB      1h
//	alerts        720h     256 MiB    1h
//	deadletter    2160h    1 GiB      1h
//
// Consumers: max_deliver 5, ack_wait 30s, max_ack_pending 1000, back-off
// from 1s doubling to at most 1m.
func DefaultConfig() Config {
	return Config{
		Embedded:       EmbeddedConfig{DataDir: ".data/nats", Host: "127.0.0.1", Port: 0},
		ConnectTimeout: spec.Duration(5 * time.Second),
		Streams: StreamsConfig{
			Pages:        StreamLimits{MaxAge: 0, MaxBytes: 10 * gib, Duplicates: spec.Duration(defaultDuplicates), Replicas: 1},
			Observations: StreamLimits{MaxAge: spec.Duration(30 * day), MaxBytes: 2 * gib, Duplicates: spec.Duration(defaultDuplicates), Replicas: 1},
			Alerts:       StreamLimits{MaxAge: spec.Duration(30 * day), MaxBytes: 256 * mib, Duplicates: spec.Duration(defaultDuplicates), Replicas: 1},
			DeadLetter:   StreamLimits{MaxAge: spec.Duration(90 * day), MaxBytes: 1 * gib, Duplicates: spec.Duration(defaultDuplicates), Replicas: 1},
		},
		Consumer: ConsumerConfig{
			MaxDeliver:    5,
			AckWait:       spec.Duration(30 * time.Second),
			MaxAckPending: 1000,
			Backoff:       BackoffConfig{Initial: spec.Duration(time.Second), Max: spec.Duration(time.Minute)},
		},
	}
}

// maxReplicas is JetStream's limit on stream replicas.
const maxReplicas = 5

// Validate reports every invalid field as a spec.FieldError whose path is
// relative to the section ("embedded.port", "streams.pages.duplicates").
// It checks that the credentials and TLS files named exist.
func (c Config) Validate() error {
	var errs []error
	bad := func(path, format string, args ...any) { errs = append(errs, spec.Errorf(path, format, args...)) }

	external := strings.TrimSpace(c.URL) != ""
	if external {
		for _, u := range splitURLs(c.URL) {
			if err := checkURL(u); err != nil {
				bad("url", "%v", err)
			}
		}
	} else {
		// Client options of an external server make no sense embedded: say so
		// rather than ignore a half-edited config.
		for _, f := range []struct {
			path string
			set  bool
		}{
			{"credentials_file", c.CredentialsFile != ""},
			{"user", c.User != ""},
			{"password", c.Password != ""},
			{"token", c.Token != ""},
			{"tls", c.TLS.enabled()},
		} {
			if f.set {
				bad(f.path, "applies only to an external server; set url or remove it")
			}
		}
		if strings.TrimSpace(c.Embedded.DataDir) == "" {
			bad("embedded.data_dir", "required for the embedded server")
		}
		if strings.TrimSpace(c.Embedded.Host) == "" {
			bad("embedded.host", "required for the embedded server (e.g. 127.0.0.1)")
		} else if net.ParseIP(c.Embedded.Host) == nil && c.Embedded.Host != "localhost" {
			bad("embedded.host", "want an IP address or localhost, got %q", c.Embedded.Host)
		}
		if c.Embedded.Port < 0 || c.Embedded.Port > 65535 {
			bad("embedded.port", "want 0 (random) to 65535, got %d", c.Embedded.Port)
		}
	}

	if external {
		methods := 0
		if c.CredentialsFile != "" {
			methods++
			checkFile(bad, "credentials_file", c.CredentialsFile)
		}
		if c.User != "" || c.Password != "" {
			methods++
			if c.User == "" {
				bad("user", "required with password")
			}
			if c.Password == "" {
				bad("password", "required with user")
			}
		}
		if c.Token != "" {
			methods++
		}
		if methods > 1 {
			bad("", "use only one of credentials_file, user/password and token")
		}
		if c.TLS.CAFile != "" {
			checkFile(bad, "tls.ca_file", c.TLS.CAFile)
		}
		if (c.TLS.CertFile == "") != (c.TLS.KeyFile == "") {
			bad("tls", "cert_file and key_file go together")
		}
		if c.TLS.CertFile != "" {
			checkFile(bad, "tls.cert_file", c.TLS.CertFile)
		}
		if c.TLS.KeyFile != "" {
			checkFile(bad, "tls.key_file", c.TLS.KeyFile)
		}
	}

	if c.ConnectTimeout <= 0 {
		bad("connect_timeout", "must be positive, got %s", c.ConnectTimeout)
	}

	for _, s := range []struct {
		path string
		l    StreamLimits
	}{
		{"streams.pages", c.Streams.Pages},
		{"streams.observations", c.Streams.Observations},
		{"streams.alerts", c.Streams.Alerts},
		{"streams.deadletter", c.Streams.DeadLetter},
	} {
		if err := s.l.validate(external); err != nil {
			errs = append(errs, spec.Prefix(s.path, err))
		}
	}

	cc := c.Consumer
	if cc.MaxDeliver < 1 {
		bad("consumer.max_deliver", "must be at least 1, got %d", cc.MaxDeliver)
	}
	if cc.AckWait < spec.Duration(time.Second) {
		bad("consumer.ack_wait", "must be at least 1s, got %s", cc.AckWait)
	}
	if cc.MaxAckPending < 1 {
		bad("consumer.max_ack_pending", "must be at least 1, got %d", cc.MaxAckPending)
	}
	if cc.Backoff.Initial <= 0 {
		bad("consumer.backoff.initial", "must be positive, got %s", cc.Backoff.Initial)
	}
	if cc.Backoff.Max < cc.Backoff.Initial {
		bad("consumer.backoff.max", "must be at least backoff.initial (%s), got %s", cc.Backoff.Initial, cc.Backoff.Max)
	}
	return errors.Join(errs...)
}

func (l StreamLimits) validate(external bool) error {
	var errs []error
	if l.MaxAge < 0 {
		errs = append(errs, spec.Errorf("max_age", "must not be negative, got %s", l.MaxAge))
	}
	if l.MaxBytes < 0 {
		errs = append(errs, spec.Errorf("max_bytes", "must not be negative (0 is unlimited), got %d", l.MaxBytes))
	}
	switch {
	case l.Duplicates < 0:
		errs = append(errs, spec.Errorf("duplicates", "must not be negative, got %s", l.Duplicates))
	case l.MaxAge > 0 && l.Duplicates > l.MaxAge:
		errs = append(errs, spec.Errorf("duplicates", "must not exceed max_age (%s), got %s", l.MaxAge, l.Duplicates))
	}
	switch {
	case l.Replicas < 1 || l.Replicas > maxReplicas:
		errs = append(errs, spec.Errorf("replicas", "want 1 to %d, got %d", maxReplicas, l.Replicas))
	case !external && l.Replicas != 1:
		errs = append(errs, spec.Errorf("replicas", "the embedded server is a single node: want 1, got %d", l.Replicas))
	}
	return errors.Join(errs...)
}

// splitURLs splits a comma-separated server list.
func splitURLs(s string) []string {
	var out []string
	for _, u := range strings.Split(s, ",") {
		if u = strings.TrimSpace(u); u != "" {
			out = append(out, u)
		}
	}
	return out
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("want a URL such as nats://host:4222, got %q", s)
	}
	switch u.Scheme {
	case "nats", "tls", "ws", "wss":
	default:
		return fmt.Errorf("want scheme nats, tls, ws or wss, got %q", s)
	}
	if u.Hostname() == "" {
		return fmt.Errorf("missing host in %q", s)
	}
	if u.User != nil {
		return fmt.Errorf("put credentials in user/password or token, not in the URL")
	}
	return nil
}

func checkFile(bad func(path, format string, args ...any), path, name string) {
	fi, err := os.Stat(name)
	switch {
	case err != nil:
		bad(path, "cannot read %q: %v", name, errors.Unwrap(err))
	case fi.IsDir():
		bad(path, "%q is a directory", name)
	}
}
