package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/alert"
	"github.com/twinwatch/twinwatch/internal/chstore/chtest"
	"github.com/twinwatch/twinwatch/twin"
)

func TestMain(m *testing.M) { chtest.Run(m) }

// run executes the root command with args and returns stdout and stderr.
func run(t *testing.T, ctx context.Context, args ...string) (string, string, error) {
	t.Helper()
	var out, errOut bytes.Buffer
	root := newRootCmd()
	root.SetArgs(args)
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetIn(strings.NewReader(""))
	err := root.ExecuteContext(ctx)
	return out.String(), errOut.String(), err
}

// TestHelpEverywhere checks that every command, at every depth, answers --help.
func TestHelpEverywhere(t *testing.T) {
	t.Parallel()
	var paths [][]string
	root := newRootCmd()
	for _, c := range root.Commands() {
		paths = append(paths, []string{c.Name()})
		for _, sub := range c.Commands() {
			paths = append(paths, []string{c.Name(), sub.Name()})
		}
	}
	require.GreaterOrEqual(t, len(paths), 10)
	for _, p := range paths {
		t.Run(strings.Join(p, "_"), func(t *testing.T) {
			out, _, err := run(t, t.Context(), append(p, "--help")...)
			require.NoError(t, err)
			require.Contains(t, out, "Usage:")
		})
	}
}

func TestCompletion(t *testing.T) {
	t.Parallel()
	out, _, err := run(t, t.Context(), "completion", "bash")
	require.NoError(t, err)
	require.Contains(t, out, "bash completion")
}

// writeConfig writes a config that keeps every piece of state under dir and
// points ClickHouse at a fresh test database.
func writeConfig(t *testing.T, dir string, extra string) string {
	t.Helper()
	ch := chtest.NewDatabase(t)
	cfg := fmt.Sprintf(`
nats:
  embedded:
    data_dir: %s
clickhouse:
  addr: [%s]
  database: %s
metrics:
  listen: ""
log:
  level: warn
%s`, filepath.Join(dir, "nats"), ch.Addr[0], ch.Database, extra)
	path := filepath.Join(dir, "twinwatch.yaml")
	require.NoError(t, os.WriteFile(path, []byte(cfg), 0o600))
	return path
}

// lastJSON decodes the last line of out.
func lastJSON(t *testing.T, out string) upSummary {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(out), "\n")
	var s upSummary
	require.NoError(t, json.Unmarshal([]byte(lines[len(lines)-1]), &s), out)
	return s
}

// TestUpDemoOnceIntegration runs the whole pipeline in-process on the demo:
// HTTP fetch → PAGES → parse → OBSERVATIONS → sink → ClickHouse, twice. The
// second run fetches the same pages, finds them unchanged and adds nothing.
func TestUpDemoOnceIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("integration")
	}
	dir := t.TempDir()
	cfg := writeConfig(t, dir, "")

	addr := freeAddr(t) // the same address twice: the same URLs, the same crawl state

	out, errOut, err := run(t, t.Context(), "-c", cfg, "up", "--demo", "--demo-addr", addr, "--once")
	require.NoError(t, err, errOut)
	first := lastJSON(t, out)
	require.GreaterOrEqual(t, first.Pages, uint64(10), out)
	require.GreaterOrEqual(t, first.Agreements, uint64(5), out)
	require.Positive(t, first.Events, out)
	require.Zero(t, first.DeadLetters, out)
	require.Zero(t, first.Failed, out)
	require.Equal(t, first.Published, int(first.Pages), "every published page is a row in ClickHouse")
	require.Contains(t, out, "ClickHouse now holds")

	out, errOut, err = run(t, t.Context(), "-c", cfg, "up", "--demo", "--demo-addr", addr, "--once")
	require.NoError(t, err, errOut)
	second := lastJSON(t, out)
	require.Zero(t, second.Published, out)
	require.Equal(t, first.Published, second.Unchanged, out)
	require.Equal(t, first.Pages, second.Pages)
	require.Equal(t, first.Agreements, second.Agreements)
	require.Equal(t, first.Mentions, second.Mentions)
	require.Equal(t, first.Events, second.Events)
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

// TestUpDemoAlertsWebhookIntegration runs `up --demo --once` with a webhook
// channel: each agreement whose signing a demo article reports
// (Khabarovsk–Fuyuan, reported by both cities; Yekaterinburg–Dalian) arrives
// at a local receiver exactly once, with a valid signature; nothing else does
// (the list pages' and anniversaries' agreements never alert).
func TestUpDemoAlertsWebhookIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("integration")
	}
	var (
		mu       sync.Mutex
		received []alert.Notification
	)
	const secret = "s3cret"
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil || r.Header.Get(alert.HeaderSignature) != alert.Sign([]byte(secret), body) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		var n alert.Notification
		if err := json.Unmarshal(body, &n); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		mu.Lock()
		received = append(received, n)
		mu.Unlock()
	}))
	t.Cleanup(hook.Close)
	t.Setenv("TEST_WEBHOOK_SECRET", secret)

	// The demo's signings are dated 2025-11-27 and 2026-11-19; a wide
	// freshness window keeps them "fresh" (page now, not digest) whenever
	// this test runs.
	cfg := writeConfig(t, t.TempDir(), fmt.Sprintf(`
alert:
  fresh_within: 876000h
  channels:
    - name: test-hook
      type: webhook
      url: %s
      secret: ${TEST_WEBHOOK_SECRET}
`, hook.URL))
	out, errOut, err := run(t, t.Context(), "-c", cfg, "up", "--demo", "--demo-addr", freeAddr(t), "--once")
	require.NoError(t, err, errOut)
	require.GreaterOrEqual(t, lastJSON(t, out).Agreements, uint64(5))

	mu.Lock()
	defer mu.Unlock()
	var alerts []alert.Notification
	for _, n := range received {
		if n.Kind == "alert" {
			alerts = append(alerts, n)
		}
	}
	pairs := map[string]int{}
	for _, n := range alerts {
		a := n.Agreement
		require.NotNil(t, a)
		require.Equal(t, twin.Signed, a.Status)
		pairs[a.Places[0].NameEN+"–"+a.Places[1].NameEN]++
	}
	require.Equal(t, map[string]int{"Khabarovsk–Fuyuan": 1, "Yekaterinburg–Dalian": 1}, pairs, "%+v", received)
}

// TestReplayIntegration re-reads the pages the demo left in PAGES through the
// current extractor, without crawling again: every page is replayed, and
// ClickHouse still holds exactly what the first pass stored (the same
// extractor makes the same observations, which deduplicate by ID).
func TestReplayIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("integration")
	}
	cfg := writeConfig(t, t.TempDir(), "")
	out, errOut, err := run(t, t.Context(), "-c", cfg, "up", "--demo", "--demo-addr", freeAddr(t), "--once")
	require.NoError(t, err, errOut)
	before := lastJSON(t, out)

	out, errOut, err = run(t, t.Context(), "-c", cfg, "replay")
	require.NoError(t, err, errOut)
	require.Contains(t, out, fmt.Sprintf("replayed %d pages", before.Published), out)
	require.Contains(t, out, "0 pages undecodable")

	out, errOut, err = run(t, t.Context(), "-c", cfg, "replay", "--source", "demo-khabarovsk-twins")
	require.NoError(t, err, errOut)
	require.Contains(t, out, "replayed 1 pages", out)
}

func TestExtract(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, file string
		args       []string
		wantPair   [2]string // English names of the RU and CN place of one agreement
		wantStatus twin.Status
	}{
		{"relative date", "002-irkutsk-manzhouli.html", []string{"--url", "https://www.irk.ru/news/20250819/twin/"}, [2]string{"Irkutsk", "Manzhouli"}, twin.Signed},
		// "Находка" is also a common noun ("a find"): the page's own city comes from its site.
		{"windows-1251 listing", "024-nakhodka-pobratimy.cp1251.html", []string{"--url", "http://www.nakhodka-city.ru/index.php?id=pobratimy"}, [2]string{"Nakhodka", "Jilin"}, twin.Existing},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"extract"}, tc.args...)
			out, errOut, err := run(t, t.Context(), append(args, filepath.Join("..", "..", "parser", "testdata", "corpus", "pages", tc.file))...)
			require.NoError(t, err, errOut)
			var found bool
			for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
				o, err := twin.DecodeObservation([]byte(line))
				require.NoError(t, err, line)
				if o.Type == twin.KindAgreement && o.Places[0].NameEN == tc.wantPair[0] &&
					(tc.wantPair[1] == "" || o.Places[1].NameEN == tc.wantPair[1]) && o.Status == tc.wantStatus {
					found = true
				}
			}
			require.True(t, found, out)
		})
	}
}

func TestExtractBadInput(t *testing.T) {
	t.Parallel()
	_, _, err := run(t, t.Context(), "extract", "--published", "yesterday", "-")
	require.ErrorContains(t, err, "--published")
	_, _, err = run(t, t.Context(), "extract", "--lang", "fr", "-")
	require.ErrorContains(t, err, "--lang")
	_, _, err = run(t, t.Context(), "extract", filepath.Join(t.TempDir(), "missing.html"))
	require.ErrorContains(t, err, "read page")
}

func TestConfigCheck(t *testing.T) {
	t.Setenv("TEST_CH_PASSWORD", "hunter2")
	dir := t.TempDir()
	good := filepath.Join(dir, "good.yaml")
	require.NoError(t, os.WriteFile(good, []byte("clickhouse:\n  addr: [127.0.0.1:9000]\n  password: ${TEST_CH_PASSWORD}\n"), 0o600))
	out, _, err := run(t, t.Context(), "config", "check", good)
	require.NoError(t, err)
	require.Contains(t, out, "127.0.0.1:9000")
	require.NotContains(t, out, "hunter2", "secrets are masked")

	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("nats:\n  urll: x\nsink:\n  batch:\n    count: many\n"), 0o600))
	_, errOut, err := run(t, t.Context(), "config", "check", bad)
	require.Error(t, err)
	require.Contains(t, errOut, "bad.yaml:2: nats.urll: unknown key")
	require.Contains(t, errOut, "bad.yaml:5: sink.batch.count")
}

// TestStagesShutDownCleanlyIntegration starts each long-running stage command
// on its own (embedded NATS; the sink also on ClickHouse) and cancels it, as
// SIGTERM does: each returns nil after a clean shutdown.
func TestStagesShutDownCleanlyIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("integration")
	}
	for _, stage := range []string{"parse", "sink", "schedule", "alert"} {
		t.Run(stage, func(t *testing.T) {
			cfg := writeConfig(t, t.TempDir(), "")
			ctx, cancel := context.WithCancel(t.Context())
			done := make(chan error, 1)
			go func() {
				_, errOut, err := run(t, ctx, "-c", cfg, stage)
				if err != nil {
					err = fmt.Errorf("%w: %s", err, errOut)
				}
				done <- err
			}()
			// Let the stage get going, then stop it the way a signal does.
			time.Sleep(time.Second)
			cancel()
			require.NoError(t, <-done)
		})
	}
}
