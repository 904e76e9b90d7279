package bustest

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"

	"github.com/twinwatch/twinwatch/config/spec"
	"github.com/twinwatch/twinwatch/internal/bus"
)

// Config returns bus.DefaultConfig for an embedded server with its data in a
// fresh t.TempDir(), and retry back-off shortened to 20ms..200ms so tests of
// retries do not sleep for seconds. AckWait stays at its default (30s): a
// shorter one makes tests flaky on a loaded machine.
func Config(t testing.TB) bus.Config {
	t.Helper()
	cfg := bus.DefaultConfig()
	cfg.Embedded.DataDir = t.TempDir()
	cfg.ConnectTimeout = spec.Duration(30 * time.Second)
	cfg.Consumer.Backoff = bus.BackoffConfig{Initial: spec.Duration(20 * time.Millisecond), Max: spec.Duration(200 * time.Millisecond)}
	return cfg
}

// Start opens a bus on an embedded server configured by Config(t) and closes
// it when the test ends. Its logger discards, and it has no metrics registry.
func Start(t testing.TB) *bus.Bus {
	t.Helper()
	return StartConfig(t, Config(t))
}

// StartConfig opens a bus with cfg (embedded or external) and closes it when
// the test ends.
func StartConfig(t testing.TB, cfg bus.Config) *bus.Bus {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b, err := bus.Open(ctx, cfg, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		t.Fatalf("bustest: open bus: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := b.Close(ctx); err != nil {
			t.Errorf("bustest: close bus: %v", err)
		}
	})
	return b
}

// Option configures StartServer and StartCluster.
type Option func(*settings)

type settings struct {
	file     string                  // nats-server config file, applied first
	storeDir string                  // fixed store dir (StartServer only)
	mods     []func(*server.Options) // applied after the file, before the helper's own fields
}

// WithUserPassword makes the server require user/password authentication.
func WithUserPassword(user, password string) Option {
	return func(s *settings) {
		s.mods = append(s.mods, func(o *server.Options) { o.Username, o.Password = user, password })
	}
}

// WithToken makes the server require token authentication.
func WithToken(token string) Option {
	return func(s *settings) { s.mods = append(s.mods, func(o *server.Options) { o.Authorization = token }) }
}

// WithStoreDir puts the server's JetStream store in dir (default: a fresh
// t.TempDir()); pass the same dir to a second server to test restarts.
// StartCluster ignores it.
func WithStoreDir(dir string) Option {
	return func(s *settings) { s.storeDir = dir }
}

// WithConfigFile starts from a nats-server configuration file (accounts,
// users, limits, JetStream, cluster name), as a deployment would. The helper
// then overrides what a test must own: listen addresses and ports (loopback,
// random), routes, the store directory, monitoring (off) and logging.
// Environment variables the file references must be set (t.Setenv).
func WithConfigFile(path string) Option {
	return func(s *settings) { s.file = path }
}

// options builds a server's options from opts; the caller then sets its own fields.
func options(t testing.TB, opts []Option) (*server.Options, settings) {
	t.Helper()
	var s settings
	for _, opt := range opts {
		opt(&s)
	}
	o := &server.Options{}
	if s.file != "" {
		fo, err := server.ProcessConfigFile(s.file)
		if err != nil {
			t.Fatalf("bustest: config file: %v", err)
		}
		o = fo
	}
	for _, m := range s.mods {
		m(o)
	}
	o.Host, o.Port = "127.0.0.1", server.RANDOM_PORT
	o.HTTPHost, o.HTTPPort, o.HTTPSPort = "", 0, 0
	o.JetStream = true
	o.StoreDir = t.TempDir()
	o.NoSigs, o.NoLog = true, true
	if o.MaxPayload == 0 {
		o.MaxPayload = 8 << 20
	}
	return o, s
}

// StartServer starts a JetStream-enabled nats-server on a random loopback
// port and returns its client URL ("nats://127.0.0.1:<port>"), for tests
// that connect as an external client (bus.Config.URL). The server is shut
// down when the test ends.
func StartServer(t testing.TB, opts ...Option) string {
	t.Helper()
	o, s := options(t, opts)
	if s.storeDir != "" {
		o.StoreDir = s.storeDir
	}
	return run(t, o).ClientURL()
}

// StartCluster starts n (at least 3) JetStream servers on loopback that
// route to each other as one cluster, waits until JetStream has a meta
// leader that every server follows, and returns the comma-separated client
// URLs (for bus.Config.URL). The servers are shut down when the test ends.
func StartCluster(t testing.TB, n int, opts ...Option) string {
	t.Helper()
	if n < 3 {
		t.Fatalf("bustest: a JetStream cluster needs at least 3 servers, got %d", n)
	}
	ports := make([]int, n)
	routes := make([]*url.URL, n)
	for i := range ports {
		ports[i] = freePort(t)
		routes[i] = &url.URL{Scheme: "nats", Host: net.JoinHostPort("127.0.0.1", strconv.Itoa(ports[i]))}
	}
	servers := make([]*server.Server, n)
	urls := make([]string, n)
	for i := range n {
		o, _ := options(t, opts)
		o.ServerName = fmt.Sprintf("tw-%d", i+1)
		if o.Cluster.Name == "" {
			o.Cluster.Name = "twinwatch-test"
		}
		o.Cluster.Host, o.Cluster.Port = "127.0.0.1", ports[i]
		o.Routes = routes
		servers[i] = run(t, o)
		urls[i] = servers[i].ClientURL()
	}
	deadline := time.Now().Add(time.Minute)
	for !clusterReady(servers) {
		if time.Now().After(deadline) {
			t.Fatalf("bustest: cluster of %d formed no JetStream meta leader within a minute", n)
		}
		time.Sleep(50 * time.Millisecond)
	}
	return strings.Join(urls, ",")
}

// clusterReady reports whether one server leads JetStream's meta group and
// all are current with it.
func clusterReady(servers []*server.Server) bool {
	leader := false
	for _, s := range servers {
		if s.JetStreamIsLeader() {
			leader = true
		}
		if !s.JetStreamIsCurrent() {
			return false
		}
	}
	return leader
}

// run starts a server with o, waits until it accepts connections and
// registers its shutdown.
func run(t testing.TB, o *server.Options) *server.Server {
	t.Helper()
	ns, err := server.NewServer(o)
	if err != nil {
		t.Fatalf("bustest: new server: %v", err)
	}
	ns.Start()
	t.Cleanup(func() {
		ns.Shutdown()
		ns.WaitForShutdown()
	})
	if !ns.ReadyForConnections(30 * time.Second) {
		t.Fatalf("bustest: server %s not ready", o.ServerName)
	}
	return ns
}

// freePort returns a loopback TCP port that was free a moment ago.
func freePort(t testing.TB) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("bustest: free port: %v", err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
