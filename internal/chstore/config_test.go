package chstore_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/config/spec"
	"github.com/twinwatch/twinwatch/internal/chstore"
)

func TestConfigValidate(t *testing.T) {
	cases := []struct {
		name      string
		mutate    func(*chstore.Config)
		wantPaths []string
	}{
		{"defaults", func(*chstore.Config) {}, nil},
		{"external", func(c *chstore.Config) { c.Addr = []string{"ch1:9000", "[::1]:9000"} }, nil},
		{"bad addr", func(c *chstore.Config) { c.Addr = []string{"ch1:9000", "ch2"} }, []string{"addr[1]"}},
		{"bad database", func(c *chstore.Config) { c.Database = "twin-watch" }, []string{"database"}},
		{"no user", func(c *chstore.Config) { c.User = "" }, []string{"user"}},
		{"timeouts", func(c *chstore.Config) { c.DialTimeout, c.QueryTimeout = 0, -1 }, []string{"dial_timeout", "query_timeout"}},
		{"compression", func(c *chstore.Config) { c.Compression = "gzip" }, []string{"compression"}},
		{"tls off with ca", func(c *chstore.Config) { c.TLS.CAFile = "ca.pem" }, []string{"tls.enabled"}},
		{"tls on", func(c *chstore.Config) { c.TLS = chstore.TLSConfig{Enabled: true, CAFile: "ca.pem"} }, nil},
		{"local", func(c *chstore.Config) { c.Local = chstore.LocalConfig{} }, []string{"local.binary", "local.data_dir"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := chstore.DefaultConfig()
			tc.mutate(&cfg)
			err := cfg.Validate()
			var got []string
			for _, e := range spec.Flatten(err) {
				fe, ok := e.(*spec.FieldError)
				require.True(t, ok, "%T %v", e, e)
				got = append(got, fe.Path)
			}
			require.Equal(t, tc.wantPaths, got)
		})
	}
}
