package chtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"

	"github.com/twinwatch/twinwatch/internal/chstore"
)

// Environment variables read by this package.
const (
	// EnvAddr names an existing server (host:port, native protocol) to use
	// instead of starting one.
	EnvAddr = "TWINWATCH_CLICKHOUSE_ADDR"
	// EnvRequire = "1" fails tests that would otherwise skip for lack of a server.
	EnvRequire = "TWINWATCH_REQUIRE_INTEGRATION"
	// EnvBinary overrides the clickhouse-server binary (default "clickhouse-server").
	EnvBinary = "TWINWATCH_CLICKHOUSE_BINARY"
)

// shared is the per-binary server; see the package doc.
var shared struct {
	mu      sync.Mutex
	inRun   bool
	local   *chstore.Local
	dir     string
	err     error
	started bool
}

// Run runs the tests of m and then stops the shared server, if one was
// started, and exits with m's code. Call it from TestMain.
func Run(m *testing.M) {
	shared.mu.Lock()
	shared.inRun = true
	shared.mu.Unlock()
	code := m.Run()
	shared.mu.Lock()
	if shared.local != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		_ = shared.local.Stop(ctx)
		cancel()
	}
	if shared.dir != "" {
		_ = os.RemoveAll(shared.dir)
	}
	shared.mu.Unlock()
	os.Exit(code)
}

// Start returns a chstore.Config pointing at a running server: the shared
// private one (started on first use), or TWINWATCH_CLICKHOUSE_ADDR. Its
// Database is "twinwatch" and is not created: use NewDatabase for an isolated
// one. It skips t (or fails it, see the package doc) when no server can run.
func Start(t testing.TB) chstore.Config {
	t.Helper()
	if testing.Short() {
		t.Skip("chtest: integration test skipped under -short")
	}
	cfg := chstore.DefaultConfig()
	if addr := os.Getenv(EnvAddr); addr != "" {
		cfg.Addr = []string{addr}
		return cfg
	}
	binary := cmpOr(os.Getenv(EnvBinary), cfg.Local.Binary)
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if !shared.inRun {
		l := NewLocal(t, t.TempDir())
		cfg.Addr = []string{l.Addr()}
		return cfg
	}
	if !shared.started {
		shared.started = true
		shared.dir, shared.err = os.MkdirTemp("", "chtest-")
		if shared.err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
			shared.local, shared.err = chstore.StartLocal(ctx, binary, shared.dir, slog.New(slog.DiscardHandler))
			cancel()
		}
	}
	if shared.err != nil {
		skipOrFail(t, shared.err)
	}
	cfg.Addr = []string{shared.local.Addr()}
	return cfg
}

// NewLocal starts a private server of t's own under dir (which may hold an
// earlier one's data) and stops it when t ends; skips like Start. Use it for
// tests that stop or restart the server; prefer Start otherwise.
func NewLocal(t testing.TB, dir string) *chstore.Local {
	t.Helper()
	if testing.Short() {
		t.Skip("chtest: integration test skipped under -short")
	}
	l := startLocal(t, cmpOr(os.Getenv(EnvBinary), chstore.DefaultConfig().Local.Binary), dir)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		_ = l.Stop(ctx)
	})
	return l
}

func startLocal(t testing.TB, binary, dir string) *chstore.Local {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	l, err := chstore.StartLocal(ctx, binary, dir, slog.New(slog.DiscardHandler))
	if err != nil {
		skipOrFail(t, err)
	}
	return l
}

func skipOrFail(t testing.TB, err error) {
	t.Helper()
	if errors.Is(err, chstore.ErrNotInstalled) && os.Getenv(EnvRequire) != "1" {
		t.Skipf("chtest: %v (set %s=1 to fail instead)", err, EnvRequire)
	}
	t.Fatalf("chtest: start clickhouse-server: %v", err)
}

// NewDatabase is Start with a fresh, unique database name for t
// ("test_<name>_<random>"); chstore.Open creates it. It is dropped when the
// test ends (kept if the test failed, for inspection, unless the server is
// a throw-away private one).
func NewDatabase(t testing.TB) chstore.Config {
	t.Helper()
	cfg := Start(t)
	var rnd [4]byte
	_, _ = rand.Read(rnd[:])
	cfg.Database = "test_" + sanitize(t.Name()) + "_" + hex.EncodeToString(rnd[:])
	t.Cleanup(func() {
		if t.Failed() && os.Getenv(EnvAddr) != "" {
			t.Logf("chtest: keeping database %s on %v for inspection", cfg.Database, cfg.Addr)
			return
		}
		if err := dropDatabase(cfg); err != nil {
			t.Logf("chtest: drop database %s: %v", cfg.Database, err)
		}
	})
	return cfg
}

func dropDatabase(cfg chstore.Config) error {
	conn, err := clickhouse.Open(&clickhouse.Options{
		Addr: cfg.Addr,
		Auth: clickhouse.Auth{Username: cfg.User, Password: cfg.Password.Reveal()},
	})
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return conn.Exec(ctx, fmt.Sprintf("DROP DATABASE IF EXISTS `%s`", cfg.Database))
}

// sanitize keeps [A-Za-z0-9_] of a test name, lower-cased and shortened.
func sanitize(name string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(name) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
		if b.Len() >= 40 {
			break
		}
	}
	return b.String()
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
