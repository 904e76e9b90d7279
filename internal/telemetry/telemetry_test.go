package telemetry_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/config/spec"
	"github.com/twinwatch/twinwatch/internal/telemetry"
)

func TestLogConfigValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		cfg   telemetry.LogConfig
		paths []string
	}{
		{name: "defaults", cfg: telemetry.DefaultLogConfig()},
		{name: "json debug", cfg: telemetry.LogConfig{Level: "debug", Format: "json"}},
		{name: "bad level", cfg: telemetry.LogConfig{Level: "loud", Format: "text"}, paths: []string{"level"}},
		{name: "empty both", cfg: telemetry.LogConfig{}, paths: []string{"level", "format"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.paths, fieldPaths(tc.cfg.Validate()))
		})
	}
}

func TestMetricsConfigValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		listen string
		ok     bool
	}{
		{name: "default", listen: telemetry.DefaultMetricsConfig().Listen, ok: true},
		{name: "disabled", listen: "", ok: true},
		{name: "any host", listen: ":9464", ok: true},
		{name: "no port", listen: "localhost", ok: false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			err := telemetry.MetricsConfig{Listen: tc.listen}.Validate()
			if tc.ok {
				require.NoError(t, err)
				return
			}
			require.Equal(t, []string{"listen"}, fieldPaths(err))
		})
	}
}

func TestConfigValidatePrefixes(t *testing.T) {
	t.Parallel()
	cfg := telemetry.DefaultConfig()
	require.NoError(t, cfg.Validate())
	cfg.Log.Format = "xml"
	cfg.Metrics.Listen = "nope"
	require.Equal(t, []string{"log.format", "metrics.listen"}, fieldPaths(cfg.Validate()))
}

func fieldPaths(err error) []string {
	var out []string
	for _, e := range spec.Flatten(err) {
		var fe *spec.FieldError
		if errors.As(e, &fe) {
			out = append(out, fe.Path)
		}
	}
	return out
}

func TestNewLogger(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		cfg       telemetry.LogConfig
		wantDebug bool
		json      bool
	}{
		{name: "text info", cfg: telemetry.LogConfig{Level: "info", Format: "text"}},
		{name: "json debug", cfg: telemetry.LogConfig{Level: "debug", Format: "json"}, wantDebug: true, json: true},
		{name: "upper case level", cfg: telemetry.LogConfig{Level: "WARN", Format: "text"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var buf bytes.Buffer
			log, err := telemetry.NewLogger(tc.cfg, &buf)
			require.NoError(t, err)
			log.Debug("page unchanged", slog.String("url", "http://x"))
			log.Error("batch dropped", slog.Int("rows", 3), slog.Any("password", spec.Secret("hunter2")))
			out := buf.String()
			require.Equal(t, tc.wantDebug, strings.Contains(out, "page unchanged"), out)
			require.Contains(t, out, "batch dropped")
			require.NotContains(t, out, "hunter2")
			if tc.json {
				line := strings.Split(strings.TrimSpace(out), "\n")[1]
				var m map[string]any
				require.NoError(t, json.Unmarshal([]byte(line), &m))
				require.Equal(t, "ERROR", m["level"])
				require.EqualValues(t, 3, m["rows"])
			}
		})
	}
}

func TestNewLoggerInvalid(t *testing.T) {
	t.Parallel()
	_, err := telemetry.NewLogger(telemetry.LogConfig{Level: "chatty", Format: "text"}, io.Discard)
	require.ErrorContains(t, err, "telemetry: log config: level")
}

func TestNewRegistry(t *testing.T) {
	t.Parallel()
	reg := telemetry.NewRegistry()
	mfs, err := reg.Gather()
	require.NoError(t, err)
	names := map[string]bool{}
	for _, mf := range mfs {
		names[mf.GetName()] = true
	}
	require.True(t, names["go_goroutines"], "go collector registered")
	require.True(t, names["process_start_time_seconds"] || names["process_cpu_seconds_total"], "process collector registered")
	// A second registry is independent: registering the same collector twice is fine.
	c := prometheus.NewCounter(prometheus.CounterOpts{Name: "twinwatch_test_total", Help: "test"})
	require.NoError(t, reg.Register(c))
	require.NoError(t, telemetry.NewRegistry().Register(c))
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := ln.Addr().String()
	require.NoError(t, ln.Close())
	return addr
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

// waitUp polls until the server answers; generous deadline only to avoid hanging forever.
func waitUp(t *testing.T, addr string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := net.Dial("tcp", addr)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("server on %s never came up: %v", addr, err)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestServe(t *testing.T) {
	addr := freeAddr(t)
	reg := telemetry.NewRegistry()
	c := prometheus.NewCounterVec(prometheus.CounterOpts{Name: "twinwatch_crawler_requests_total", Help: "requests"}, []string{"source", "outcome"})
	reg.MustRegister(c)
	c.WithLabelValues("demo", "ok").Add(7)

	var healthErr error
	healthy := make(chan error, 1)
	health := func(context.Context) error {
		select {
		case e := <-healthy:
			healthErr = e
		default:
		}
		return healthErr
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- telemetry.Serve(ctx, addr, reg, health, slog.New(slog.DiscardHandler)) }()
	waitUp(t, addr)

	code, body := get(t, "http://"+addr+"/metrics")
	require.Equal(t, http.StatusOK, code)
	require.Contains(t, body, `twinwatch_crawler_requests_total{outcome="ok",source="demo"} 7`)
	require.Contains(t, body, "go_goroutines")

	code, body = get(t, "http://"+addr+"/healthz")
	require.Equal(t, http.StatusOK, code)
	require.Equal(t, "ok\n", body)

	healthy <- errors.New("nats: not connected")
	code, body = get(t, "http://"+addr+"/healthz")
	require.Equal(t, http.StatusServiceUnavailable, code)
	require.Contains(t, body, "nats: not connected")

	code, _ = get(t, "http://"+addr+"/nope")
	require.Equal(t, http.StatusNotFound, code)

	cancel()
	require.NoError(t, <-done)
	_, err := http.Get("http://" + addr + "/healthz")
	require.Error(t, err, "server is closed after ctx is done")
}

func TestServeDisabled(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	require.NoError(t, telemetry.Serve(ctx, "", telemetry.NewRegistry(), nil, slog.New(slog.DiscardHandler)))
}

func TestServeListenError(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer ln.Close()
	err = telemetry.Serve(t.Context(), ln.Addr().String(), telemetry.NewRegistry(), nil, slog.New(slog.DiscardHandler))
	require.ErrorContains(t, err, "telemetry: listen on")
}

// A request in flight when ctx ends is answered before Serve returns.
func TestServeGracefulShutdown(t *testing.T) {
	addr := freeAddr(t)
	entered, release := make(chan struct{}), make(chan struct{})
	health := func(context.Context) error {
		close(entered)
		<-release
		return nil
	}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		done <- telemetry.Serve(ctx, addr, telemetry.NewRegistry(), health, slog.New(slog.DiscardHandler))
	}()
	waitUp(t, addr)

	type result struct {
		code int
		body string
	}
	got := make(chan result, 1)
	go func() {
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			got <- result{code: -1, body: err.Error()}
			return
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		got <- result{code: resp.StatusCode, body: string(b)}
	}()
	<-entered
	cancel()
	select {
	case err := <-done:
		t.Fatalf("Serve returned %v while a request was in flight", err)
	case <-time.After(50 * time.Millisecond):
	}
	close(release)
	r := <-got
	require.Equal(t, http.StatusOK, r.code, r.body)
	require.NoError(t, <-done)
}
