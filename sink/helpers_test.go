package sink_test

import (
	"context"
	"errors"
	"io"
	"log/slog"
	"net"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/config/spec"
	"github.com/twinwatch/twinwatch/internal/bus"
	"github.com/twinwatch/twinwatch/internal/chstore"
	"github.com/twinwatch/twinwatch/internal/chstore/chtest"
	"github.com/twinwatch/twinwatch/sink"
	"github.com/twinwatch/twinwatch/twin"
)

func TestMain(m *testing.M) { chtest.Run(m) }

// patience bounds every wait of these tests; it is never an assertion about speed.
const patience = 3 * time.Minute

// testConfig is the default config with small batches and short back-offs.
func testConfig() sink.Config {
	cfg := sink.DefaultConfig()
	cfg.Batch.Count = 500
	cfg.Batch.Period = spec.Duration(50 * time.Millisecond)
	cfg.PagesBatch.Period = spec.Duration(50 * time.Millisecond)
	cfg.FetchSize = 200
	cfg.FetchWait = spec.Duration(200 * time.Millisecond)
	cfg.Retry = sink.RetryConfig{Initial: spec.Duration(20 * time.Millisecond), Max: spec.Duration(300 * time.Millisecond)}
	return cfg
}

func testLogger(t testing.TB) *slog.Logger {
	if testing.Verbose() {
		return slog.New(slog.NewTextHandler(t.Output(), &slog.HandlerOptions{Level: slog.LevelWarn}))
	}
	return slog.New(slog.DiscardHandler)
}

// openStore opens cfg's database and migrates it.
func openStore(t testing.TB, cfg chstore.Config) *chstore.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), patience)
	defer cancel()
	st, err := chstore.Open(ctx, cfg, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	return st
}

// running is a sink running in the background.
type running struct {
	reg    *prometheus.Registry
	cancel context.CancelFunc
	done   chan error
}

// startSink runs a sink until stop (or the end of the test).
func startSink(t testing.TB, cfg sink.Config, b *bus.Bus, w sink.Writer, opts ...sink.Option) *running {
	t.Helper()
	reg := prometheus.NewRegistry()
	s, err := sink.New(cfg, b, w, testLogger(t), reg, opts...)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	r := &running{reg: reg, cancel: cancel, done: make(chan error, 1)}
	go func() { r.done <- s.Run(ctx) }()
	t.Cleanup(func() { _ = r.stop(t) })
	return r
}

// stop cancels the sink and returns Run's result.
func (r *running) stop(t testing.TB) error {
	r.cancel()
	select {
	case err, ok := <-r.done:
		if ok {
			close(r.done)
			return err
		}
		return nil
	case <-time.After(patience):
		t.Fatal("sink did not stop")
		return nil
	}
}

// eventually polls cond every 50ms until it holds, failing after patience.
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(patience)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// drained reports whether the sink's consumer on stream has nothing left.
func drained(t testing.TB, b *bus.Bus, stream, durable string) bool {
	t.Helper()
	ctx := context.Background()
	c, err := b.JetStream().Consumer(ctx, stream, durable)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		return false // the sink has not subscribed yet
	}
	require.NoError(t, err)
	info, err := c.Info(ctx)
	require.NoError(t, err)
	return info.NumPending == 0 && info.NumAckPending == 0
}

func waitDrained(t testing.TB, b *bus.Bus) {
	t.Helper()
	eventually(t, "the sink to drain OBSERVATIONS and PAGES", func() bool {
		return drained(t, b, bus.StreamObservations, sink.ObservationsDurable) && drained(t, b, bus.StreamPages, sink.PagesDurable)
	})
}

// expected returns the distinct counts obs and pages make.
func expected(obs []twin.Observation, pages []twin.Page) chstore.Counts {
	ag, mn, ev, pg := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}
	for _, o := range obs {
		if o.Type == twin.KindAgreement {
			ag[o.ID], mn[o.MentionID] = true, true
		} else {
			ev[o.ID] = true
		}
	}
	for _, p := range pages {
		pg[p.URL+"\x00"+p.ContentHash] = true
	}
	return chstore.Counts{Pages: uint64(len(pg)), Agreements: uint64(len(ag)), Mentions: uint64(len(mn)), Events: uint64(len(ev))}
}

func counts(t testing.TB, st *chstore.Store) chstore.Counts {
	t.Helper()
	c, err := st.Counts(context.Background())
	require.NoError(t, err)
	return c
}

// rawRows counts the observation rows stored, duplicates included.
func rawRows(t testing.TB, st *chstore.Store) uint64 {
	t.Helper()
	var n uint64
	err := st.Conn().QueryRow(context.Background(),
		"SELECT toUInt64((SELECT count() FROM agreement_mentions) + (SELECT count() FROM events))").Scan(&n)
	require.NoError(t, err)
	return n
}

// deadLetters returns the messages in DEADLETTER.
func deadLetters(t testing.TB, b *bus.Bus) []*jetstream.RawStreamMsg {
	t.Helper()
	ctx := context.Background()
	s, err := b.JetStream().Stream(ctx, bus.StreamDeadLetter)
	require.NoError(t, err)
	info, err := s.Info(ctx)
	require.NoError(t, err)
	var out []*jetstream.RawStreamMsg
	if info.State.Msgs == 0 {
		return nil
	}
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if errors.Is(err, jetstream.ErrMsgNotFound) {
			continue
		}
		require.NoError(t, err)
		out = append(out, m)
	}
	return out
}

// metric returns the value of the counter or gauge, or the sample count of the
// histogram name with labels, 0 if absent.
func metric(t testing.TB, reg *prometheus.Registry, name string, labels map[string]string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
	next:
		for _, m := range mf.GetMetric() {
			have := map[string]string{}
			for _, lp := range m.GetLabel() {
				have[lp.GetName()] = lp.GetValue()
			}
			for k, v := range labels {
				if have[k] != v {
					continue next
				}
			}
			if c := m.GetCounter(); c != nil {
				return c.GetValue()
			}
			if g := m.GetGauge(); g != nil {
				return g.GetValue()
			}
			if h := m.GetHistogram(); h != nil {
				return float64(h.GetSampleCount())
			}
		}
	}
	return 0
}

// proxy is a TCP forwarder with a fixed address in front of a ClickHouse
// server whose port changes when it is restarted.
type proxy struct {
	ln     net.Listener
	target atomic.Value // string
	mu     sync.Mutex
	conns  map[net.Conn]bool
}

func startProxy(t testing.TB, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	p := &proxy{ln: ln, conns: map[net.Conn]bool{}}
	p.target.Store(target)
	go p.serve()
	t.Cleanup(func() {
		_ = ln.Close()
		p.mu.Lock()
		for c := range p.conns {
			_ = c.Close()
		}
		p.mu.Unlock()
	})
	return p
}

func (p *proxy) addr() string { return p.ln.Addr().String() }

func (p *proxy) retarget(addr string) { p.target.Store(addr) }

func (p *proxy) track(c net.Conn, on bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if on {
		p.conns[c] = true
	} else {
		delete(p.conns, c)
	}
}

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		go func() {
			defer c.Close()
			u, err := net.DialTimeout("tcp", p.target.Load().(string), 2*time.Second)
			if err != nil {
				return
			}
			defer u.Close()
			p.track(c, true)
			p.track(u, true)
			defer p.track(c, false)
			defer p.track(u, false)
			go func() { _, _ = io.Copy(u, c); _ = u.Close() }()
			_, _ = io.Copy(c, u)
		}()
	}
}
