package bus_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/twinwatch/twinwatch/config/spec"
	"github.com/twinwatch/twinwatch/internal/bus"
)

func TestDefaultConfigValid(t *testing.T) {
	t.Parallel()
	require.NoError(t, bus.DefaultConfig().Validate())
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	creds := filepath.Join(dir, "user.creds")
	require.NoError(t, os.WriteFile(creds, []byte("x"), 0o600))
	missing := filepath.Join(dir, "missing.pem")

	external := func(c *bus.Config) { c.URL = "nats://127.0.0.1:4222" }
	tests := []struct {
		name   string
		modify func(*bus.Config)
		paths  []string // FieldError paths expected, in order; nil means valid
	}{
		{name: "defaults", modify: func(*bus.Config) {}},
		{name: "external plain", modify: external},
		{name: "external cluster list", modify: func(c *bus.Config) { c.URL = "nats://a:4222, nats://b:4222,tls://c:4222" }},
		{name: "external user password", modify: func(c *bus.Config) { external(c); c.User, c.Password = "u", "p" }},
		{name: "external token", modify: func(c *bus.Config) { external(c); c.Token = "t" }},
		{name: "external creds", modify: func(c *bus.Config) { external(c); c.CredentialsFile = creds }},
		{name: "external replicas 3", modify: func(c *bus.Config) { external(c); c.Streams.Pages.Replicas = 3 }},
		{name: "bad scheme", modify: func(c *bus.Config) { c.URL = "http://x:4222" }, paths: []string{"url"}},
		{name: "no host", modify: func(c *bus.Config) { c.URL = "nats://" }, paths: []string{"url"}},
		{name: "credentials in url", modify: func(c *bus.Config) { c.URL = "nats://u:p@x:4222" }, paths: []string{"url"}},
		{name: "one bad in list", modify: func(c *bus.Config) { c.URL = "nats://a:1,ftp://b" }, paths: []string{"url"}},
		{name: "password without user", modify: func(c *bus.Config) { external(c); c.Password = "p" }, paths: []string{"user"}},
		{name: "user without password", modify: func(c *bus.Config) { external(c); c.User = "u" }, paths: []string{"password"}},
		{name: "two auth methods", modify: func(c *bus.Config) { external(c); c.Token = "t"; c.User, c.Password = "u", "p" }, paths: []string{""}},
		{name: "missing creds file", modify: func(c *bus.Config) { external(c); c.CredentialsFile = missing }, paths: []string{"credentials_file"}},
		{name: "creds is a dir", modify: func(c *bus.Config) { external(c); c.CredentialsFile = dir }, paths: []string{"credentials_file"}},
		{name: "cert without key", modify: func(c *bus.Config) { external(c); c.TLS.CertFile = creds }, paths: []string{"tls"}},
		{name: "missing ca", modify: func(c *bus.Config) { external(c); c.TLS.CAFile = missing }, paths: []string{"tls.ca_file"}},
		{name: "missing cert and key", modify: func(c *bus.Config) { external(c); c.TLS.CertFile, c.TLS.KeyFile = missing, missing }, paths: []string{"tls.cert_file", "tls.key_file"}},
		{name: "auth on embedded", modify: func(c *bus.Config) { c.User, c.Token = "u", "t"; c.TLS.InsecureSkipVerify = true }, paths: []string{"user", "token", "tls"}},
		{name: "embedded without data dir", modify: func(c *bus.Config) { c.Embedded.DataDir = " " }, paths: []string{"embedded.data_dir"}},
		{name: "embedded bad host", modify: func(c *bus.Config) { c.Embedded.Host = "example.org" }, paths: []string{"embedded.host"}},
		{name: "embedded empty host", modify: func(c *bus.Config) { c.Embedded.Host = "" }, paths: []string{"embedded.host"}},
		{name: "embedded bad port", modify: func(c *bus.Config) { c.Embedded.Port = 70000 }, paths: []string{"embedded.port"}},
		{name: "embedded negative port", modify: func(c *bus.Config) { c.Embedded.Port = -1 }, paths: []string{"embedded.port"}},
		{name: "embedded fixed port", modify: func(c *bus.Config) { c.Embedded.Port = 4222 }},
		{name: "embedded replicas", modify: func(c *bus.Config) { c.Streams.Observations.Replicas = 3 }, paths: []string{"streams.observations.replicas"}},
		{name: "zero connect timeout", modify: func(c *bus.Config) { c.ConnectTimeout = 0 }, paths: []string{"connect_timeout"}},
		{name: "stream limits", modify: func(c *bus.Config) {
			c.URL = "nats://x:4222"
			c.Streams.Alerts = bus.StreamLimits{MaxAge: -1, MaxBytes: -5, Duplicates: -1, Replicas: 6}
		}, paths: []string{"streams.alerts.max_age", "streams.alerts.max_bytes", "streams.alerts.duplicates", "streams.alerts.replicas"}},
		{name: "duplicates over max age", modify: func(c *bus.Config) {
			c.Streams.DeadLetter.MaxAge = spec.Duration(time.Minute)
		}, paths: []string{"streams.deadletter.duplicates"}},
		{name: "zero replicas", modify: func(c *bus.Config) { c.Streams.Pages.Replicas = 0 }, paths: []string{"streams.pages.replicas"}},
		{name: "consumer", modify: func(c *bus.Config) {
			c.Consumer = bus.ConsumerConfig{MaxDeliver: 0, AckWait: spec.Duration(time.Millisecond), MaxAckPending: 0,
				Backoff: bus.BackoffConfig{Initial: 0, Max: -1}}
		}, paths: []string{"consumer.max_deliver", "consumer.ack_wait", "consumer.max_ack_pending", "consumer.backoff.initial", "consumer.backoff.max"}},
		{name: "backoff max below initial", modify: func(c *bus.Config) {
			c.Consumer.Backoff = bus.BackoffConfig{Initial: spec.Duration(time.Minute), Max: spec.Duration(time.Second)}
		}, paths: []string{"consumer.backoff.max"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := bus.DefaultConfig()
			tc.modify(&cfg)
			err := cfg.Validate()
			if tc.paths == nil {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			var got []string
			for _, e := range spec.Flatten(err) {
				var fe *spec.FieldError
				require.ErrorAs(t, e, &fe, "every error is a FieldError: %v", e)
				require.NotEmpty(t, fe.Msg)
				got = append(got, fe.Path)
			}
			require.Equal(t, tc.paths, got, "errors: %v", err)
		})
	}
}

func TestConfigYAML(t *testing.T) {
	t.Parallel()
	const doc = `
url: nats://n1:4222,nats://n2:4222
user: twinwatch
password: s3cret
tls:
  insecure_skip_verify: true
connect_timeout: 10s
embedded:
  data_dir: /var/lib/twinwatch/nats
  port: 4333
streams:
  pages: {max_age: 2160h, max_bytes: 1073741824, duplicates: 30m, replicas: 3}
consumer:
  max_deliver: 7
  ack_wait: 1m
  max_ack_pending: 5000
  backoff: {initial: 2s, max: 5m}
`
	cfg := bus.DefaultConfig()
	require.NoError(t, yaml.Unmarshal([]byte(doc), &cfg))
	require.NoError(t, cfg.Validate())

	want := bus.DefaultConfig()
	want.URL, want.User, want.Password = "nats://n1:4222,nats://n2:4222", "twinwatch", "s3cret"
	want.TLS.InsecureSkipVerify = true
	want.ConnectTimeout = spec.Duration(10 * time.Second)
	want.Embedded.DataDir, want.Embedded.Port = "/var/lib/twinwatch/nats", 4333
	want.Streams.Pages = bus.StreamLimits{MaxAge: spec.Duration(2160 * time.Hour), MaxBytes: 1 << 30, Duplicates: spec.Duration(30 * time.Minute), Replicas: 3}
	want.Consumer = bus.ConsumerConfig{MaxDeliver: 7, AckWait: spec.Duration(time.Minute), MaxAckPending: 5000,
		Backoff: bus.BackoffConfig{Initial: spec.Duration(2 * time.Second), Max: spec.Duration(5 * time.Minute)}}
	require.Equal(t, want, cfg)

	// The defaults print as the YAML they read from, secrets masked.
	out, err := yaml.Marshal(cfg)
	require.NoError(t, err)
	require.NotContains(t, string(out), "s3cret")
	var back bus.Config
	require.NoError(t, yaml.Unmarshal(out, &back))
	back.Password = cfg.Password
	require.Equal(t, cfg, back)
}
