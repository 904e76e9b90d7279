package sink_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/config/spec"
	"github.com/twinwatch/twinwatch/internal/bus"
	"github.com/twinwatch/twinwatch/internal/bus/bustest"
	"github.com/twinwatch/twinwatch/internal/chstore"
	"github.com/twinwatch/twinwatch/internal/chstore/chtest"
	"github.com/twinwatch/twinwatch/sink"
	"github.com/twinwatch/twinwatch/sink/sinktest"
	"github.com/twinwatch/twinwatch/twin"
)

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		edit  func(*sink.Config)
		paths []string
	}{
		{"defaults", func(*sink.Config) {}, nil},
		{"zero batch", func(c *sink.Config) { c.Batch = sink.BatchConfig{} }, []string{"batch.count", "batch.bytes", "batch.period"}},
		{"zero pages batch count", func(c *sink.Config) { c.PagesBatch.Count = 0 }, []string{"pages_batch.count"}},
		{"fetch", func(c *sink.Config) { c.FetchSize, c.FetchWait = 0, 0 }, []string{"fetch_size", "fetch_wait"}},
		{"max deliver", func(c *sink.Config) { c.MaxDeliver = 0 }, []string{"max_deliver"}},
		{"inserts", func(c *sink.Config) { c.Inserts = 0 }, []string{"inserts"}},
		{"too many inserts", func(c *sink.Config) { c.Inserts = 17 }, []string{"inserts"}},
		{"ack wait", func(c *sink.Config) { c.AckWait = spec.Duration(time.Millisecond) }, []string{"ack_wait"}},
		{"retry", func(c *sink.Config) {
			c.Retry = sink.RetryConfig{Initial: spec.Duration(time.Second), Max: spec.Duration(time.Millisecond)}
		}, []string{"retry.max"}},
		{"retry zero", func(c *sink.Config) { c.Retry.Initial = 0 }, []string{"retry.initial"}},
		{"drain", func(c *sink.Config) { c.DrainTimeout = -1 }, []string{"drain_timeout"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := sink.DefaultConfig()
			tc.edit(&cfg)
			err := cfg.Validate()
			if tc.paths == nil {
				require.NoError(t, err)
				return
			}
			var got []string
			for _, e := range spec.Flatten(err) {
				var fe *spec.FieldError
				require.ErrorAs(t, e, &fe)
				got = append(got, fe.Path)
			}
			require.ElementsMatch(t, tc.paths, got)
		})
	}
}

func TestNewRejectsBadInput(t *testing.T) {
	t.Parallel()
	b := &bus.Bus{}
	_, err := sink.New(sink.Config{}, b, nil, slog.New(slog.DiscardHandler), prometheus.NewRegistry())
	require.ErrorContains(t, err, "sink: config")
	_, err = sink.New(sink.DefaultConfig(), b, nil, slog.New(slog.DiscardHandler), prometheus.NewRegistry())
	require.ErrorContains(t, err, "sink: New needs")
}

// TestSinkDeduplicatesIntegration publishes observations with every kind of
// duplicate: a republish with the same Msg-Id (the stream drops it), the same
// observation under another Msg-Id (ClickHouse gets it twice), a newer view of
// the same mention, and pages published twice. ClickHouse ends with exactly
// the distinct ones.
func TestSinkDeduplicatesIntegration(t *testing.T) {
	ctx := context.Background()
	b := bustest.Start(t)
	st := openStore(t, chtest.NewDatabase(t))

	obs := sinktest.Observations(1, 0, 3000)
	require.NoError(t, b.PublishObservations(ctx, obs))
	// Same Msg-Id: dropped by the stream's duplicate window.
	require.NoError(t, b.PublishObservations(ctx, obs[:500]))
	// Same observation, other Msg-Id: reaches the sink, ClickHouse absorbs it.
	for _, o := range obs[500:800] {
		data, err := json.Marshal(o)
		require.NoError(t, err)
		_, err = b.Publish(ctx, bus.ObservationSubject(o.Type), "copy-"+o.MsgID(), data)
		require.NoError(t, err)
	}
	// A newer view of the same agreement mentions (another status).
	var newer []twin.Observation
	for _, o := range obs[800:1200] {
		if o.Type == twin.KindAgreement {
			o.Status, o.Extractor = twin.Existing, "parser/9.9.9"
			newer = append(newer, o)
		}
	}
	require.NoError(t, b.PublishObservations(ctx, newer))
	pages := make([]twin.Page, 20)
	for i := range pages {
		pages[i] = sinktest.Page(1, i, 2000)
		require.NoError(t, b.PublishPage(ctx, pages[i]))
		require.NoError(t, b.PublishPage(ctx, pages[i]))
	}

	r := startSink(t, testConfig(), b, st)
	waitDrained(t, b)
	require.NoError(t, r.stop(t))

	require.Equal(t, expected(obs, pages), counts(t, st))
	require.Equal(t, float64(3000+300+len(newer)), metric(t, r.reg, "twinwatch_sink_rows_written_total", map[string]string{"table": sink.TableObservations}))
	require.Equal(t, float64(20), metric(t, r.reg, "twinwatch_sink_rows_written_total", map[string]string{"table": sink.TableCrawlLog}))
	require.Empty(t, deadLetters(t, b))
	// The newest extractor's view wins at read time.
	var status string
	require.NoError(t, st.Conn().QueryRow(ctx, "SELECT toString(status) FROM mentions WHERE mention_id = ?", newer[0].MentionID).Scan(&status))
	require.Equal(t, "existing", status)
}

// TestSinkCrashBetweenInsertAndAckIntegration stops the sink right after an
// insert and before its acks, as a SIGKILL would, then starts a new sink on
// the same durable consumer: the batch is redelivered and inserted again,
// and ClickHouse ends with every observation exactly once as readers count.
func TestSinkCrashBetweenInsertAndAckIntegration(t *testing.T) {
	ctx := context.Background()
	b := bustest.Start(t)
	st := openStore(t, chtest.NewDatabase(t))
	cfg := testConfig()
	cfg.AckWait = spec.Duration(time.Second)
	cfg.Batch.Count = 200

	obs := sinktest.Observations(2, 0, 1000)
	require.NoError(t, b.PublishObservations(ctx, obs))

	errKilled := errors.New("killed after insert")
	var inserts atomic.Int32
	crashing := startSink(t, cfg, b, st, sink.WithAfterInsert(func(_ context.Context, table string, rows int) error {
		if table == sink.TableObservations && inserts.Add(1) == 1 {
			return errKilled
		}
		return nil
	}))
	select {
	case err := <-crashing.done:
		require.ErrorIs(t, err, errKilled)
		close(crashing.done)
	case <-time.After(patience):
		t.Fatal("crash hook never fired")
	}
	committed := rawRows(t, st)
	require.Positive(t, committed, "the batch was inserted before the crash")
	require.False(t, drained(t, b, bus.StreamObservations, sink.ObservationsDurable), "nothing of the batch was acked")

	r := startSink(t, cfg, b, st)
	waitDrained(t, b)
	require.NoError(t, r.stop(t))

	require.Equal(t, expected(obs, nil), counts(t, st))
	// Everything, the batch inserted before the crash included, went through
	// the second sink: its rows were inserted twice and counted once.
	firstWrote := metric(t, crashing.reg, "twinwatch_sink_rows_written_total", map[string]string{"table": sink.TableObservations})
	require.Positive(t, firstWrote)
	require.GreaterOrEqual(t, metric(t, r.reg, "twinwatch_sink_rows_written_total", map[string]string{"table": sink.TableObservations}), float64(len(obs)))
	require.Empty(t, deadLetters(t, b))
}

// TestSinkClickHouseOutageIntegration stops ClickHouse while messages flow,
// keeps it down while the sink retries, then starts it again on the same data
// directory: everything lands once, nothing is dead-lettered.
func TestSinkClickHouseOutageIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test")
	}
	ctx := context.Background()
	dir := t.TempDir()
	local, err := chstore.StartLocal(ctx, "clickhouse-server", dir, slog.New(slog.DiscardHandler))
	if errors.Is(err, chstore.ErrNotInstalled) {
		t.Skip(err)
	}
	require.NoError(t, err)
	t.Cleanup(func() { _ = local.Stop(context.Background()) })
	// The restarted server listens on another port: the sink talks to a
	// proxy with a fixed one.
	px := startProxy(t, local.Addr())
	chCfg := chstore.DefaultConfig()
	chCfg.Addr = []string{px.addr()}
	chCfg.Database = "outage"
	chCfg.DialTimeout = spec.Duration(2 * time.Second)
	chCfg.QueryTimeout = spec.Duration(10 * time.Second)
	st := openStore(t, chCfg)

	b := bustest.Start(t)
	cfg := testConfig()
	r := startSink(t, cfg, b, st)

	first := sinktest.Observations(3, 0, 1000)
	require.NoError(t, b.PublishObservations(ctx, first))
	eventually(t, "the first observations to land", func() bool {
		c, err := st.Counts(ctx) // fails until the sink has migrated
		return err == nil && c == expected(first, nil)
	})

	stopCtx, cancel := context.WithTimeout(ctx, time.Minute)
	require.NoError(t, local.Stop(stopCtx))
	cancel()
	second := sinktest.Observations(3, 1000, 3000)
	require.NoError(t, b.PublishObservations(ctx, second))
	eventually(t, "the sink to retry", func() bool {
		return metric(t, r.reg, "twinwatch_sink_batches_total", map[string]string{"table": sink.TableObservations, "outcome": "retry"}) >= 8
	})

	local, err = chstore.StartLocal(ctx, "clickhouse-server", dir, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() { _ = local.Stop(context.Background()) })
	px.retarget(local.Addr())

	waitDrained(t, b)
	require.NoError(t, r.stop(t))
	require.Equal(t, expected(append(first, second...), nil), counts(t, st))
	require.Empty(t, deadLetters(t, b))
}

// TestSinkPoisonIntegration mixes undecodable messages and rows that pass
// twin validation but that ClickHouse cannot hold (an observation seen past
// 2106, a page with HTTP status 70000) into a stream of good ones: the poison
// ends in DEADLETTER with its reason, the rest lands.
func TestSinkPoisonIntegration(t *testing.T) {
	ctx := context.Background()
	b := bustest.Start(t)
	st := openStore(t, chtest.NewDatabase(t))

	good := sinktest.Observations(4, 0, 1000)
	require.NoError(t, b.PublishObservations(ctx, good[:500]))
	_, err := b.Publish(ctx, bus.SubjectAgreement, "poison-json", []byte(`{"v":1,"type":"agreement",`))
	require.NoError(t, err)
	_, err = b.Publish(ctx, bus.PageSubject("x"), "poison-page", []byte(`{"v":1,"url":""}`))
	require.NoError(t, err)
	badStatus := sinktest.Page(4, 1, 100)
	badStatus.Status = 70000 // twin accepts it, UInt16 cannot hold it
	require.NoError(t, b.PublishPage(ctx, badStatus))
	goodPage := sinktest.Page(4, 2, 100)
	require.NoError(t, b.PublishPage(ctx, goodPage))
	future := sinktest.Observation(4, 5000)
	future.SeenAt = time.Date(2200, 1, 1, 0, 0, 0, 0, time.UTC)
	require.NoError(t, future.Validate(), "twin accepts it")
	require.NoError(t, b.PublishObservations(ctx, []twin.Observation{future}))
	require.NoError(t, b.PublishObservations(ctx, good[500:]))

	r := startSink(t, testConfig(), b, st)
	waitDrained(t, b)
	require.NoError(t, r.stop(t))

	require.Equal(t, expected(good, []twin.Page{goodPage}), counts(t, st))
	reasons := map[string]string{}
	for _, m := range deadLetters(t, b) {
		reasons[m.Header.Get(bus.HeaderMsgID)] = m.Header.Get(bus.HeaderReason)
	}
	require.Len(t, reasons, 4)
	require.Contains(t, reasons[badStatus.MsgID()], "status 70000")
	require.Contains(t, reasons["poison-json"], "decode")
	require.Contains(t, reasons["poison-page"], "url")
	require.Contains(t, reasons[future.MsgID()], "seen_at")
	require.Equal(t, float64(2), metric(t, r.reg, "twinwatch_sink_messages_total", map[string]string{"table": sink.TableObservations, "outcome": "invalid"}))
}

// faultyWriter is the real store with injected failures.
type faultyWriter struct {
	*chstore.Store
	// fail returns the error an insert of obs should fail with, or nil.
	fail func(obs []twin.Observation) error
}

func (w *faultyWriter) InsertObservations(ctx context.Context, obs []twin.Observation) error {
	if err := w.fail(obs); err != nil {
		return err
	}
	return w.Store.InsertObservations(ctx, obs)
}

// TestSinkWriterFailuresIntegration drives the sink's error paths with a
// Writer that fails on purpose in front of the real ClickHouse.
func TestSinkWriterFailuresIntegration(t *testing.T) {
	cannotParse := &clickhouse.Exception{Code: 27, Name: "DB::Exception", Message: "Cannot parse input: expected ( before: POISON"}
	cases := []struct {
		name      string
		poison    map[int]bool // indexes of obs ClickHouse "refuses"
		fail      func(calls int64, obs []twin.Observation, poison map[string]bool) error
		wantDead  int
		wantRetry bool
	}{
		{
			// A server exception for single rows: bisection finds them.
			name:   "refused rows are bisected out",
			poison: map[int]bool{3: true, 400: true, 401: true, 999: true},
			fail: func(_ int64, obs []twin.Observation, poison map[string]bool) error {
				for _, o := range obs {
					if poison[o.MsgID()] {
						return fmt.Errorf("chstore: insert %d rows into events: %w", len(obs), cannotParse)
					}
				}
				return nil
			},
			wantDead: 4,
		},
		{
			// A retryable error: the batch is retried in place, never nak'ed.
			name: "connection refused is retried",
			fail: func(calls int64, obs []twin.Observation, _ map[string]bool) error {
				if calls <= 6 {
					return fmt.Errorf("chstore: insert: dial tcp: %w", syscall.ECONNREFUSED)
				}
				return nil
			},
			wantRetry: true,
		},
		{
			// Every row fails, whatever the rows: a table problem, not the
			// rows'. Nothing is dead-lettered as invalid; the messages come
			// back and land once the table works.
			name: "systemic failure is not blamed on rows",
			fail: func(calls int64, _ []twin.Observation, _ map[string]bool) error {
				if calls <= 40 {
					return &clickhouse.Exception{Code: 60, Name: "DB::Exception", Message: "Table x.events doesn't exist."}
				}
				return nil
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			b := bustest.Start(t)
			st := openStore(t, chtest.NewDatabase(t))
			obs := sinktest.Observations(5, 0, 1000)
			poison := map[string]bool{}
			var good []twin.Observation
			for i, o := range obs {
				if tc.poison[i] {
					poison[o.MsgID()] = true
				} else {
					good = append(good, o)
				}
			}
			var calls atomic.Int64
			w := &faultyWriter{Store: st, fail: func(o []twin.Observation) error { return tc.fail(calls.Add(1), o, poison) }}
			require.NoError(t, b.PublishObservations(ctx, obs))

			cfg := testConfig()
			cfg.MaxDeliver = 20
			r := startSink(t, cfg, b, w)
			waitDrained(t, b)
			require.NoError(t, r.stop(t))

			require.Equal(t, expected(good, nil), counts(t, st))
			dead := deadLetters(t, b)
			require.Len(t, dead, tc.wantDead)
			for _, m := range dead {
				require.True(t, poison[m.Header.Get(bus.HeaderMsgID)])
				require.Contains(t, m.Header.Get(bus.HeaderReason), "Cannot parse input")
			}
			retries := metric(t, r.reg, "twinwatch_sink_batches_total", map[string]string{"table": sink.TableObservations, "outcome": "retry"})
			require.Equal(t, tc.wantRetry, retries > 0)
			if tc.wantDead > 0 {
				require.Positive(t, metric(t, r.reg, "twinwatch_sink_batches_total", map[string]string{"table": sink.TableObservations, "outcome": "dead_letter"}))
			}
		})
	}
}

// flakyMigrator fails its first Migrate calls as if ClickHouse were down.
type flakyMigrator struct {
	*chstore.Store
	failures atomic.Int32
}

func (w *flakyMigrator) Migrate(ctx context.Context) ([]string, error) {
	if w.failures.Add(-1) >= 0 {
		return nil, fmt.Errorf("chstore: dial: %w", syscall.ECONNREFUSED)
	}
	return w.Store.Migrate(ctx)
}

// TestSinkWaitsForClickHouseAtStartIntegration starts the sink while its
// migration cannot reach ClickHouse: it retries, then runs.
func TestSinkWaitsForClickHouseAtStartIntegration(t *testing.T) {
	ctx := context.Background()
	b := bustest.Start(t)
	st := openStore(t, chtest.NewDatabase(t))
	w := &flakyMigrator{Store: st}
	w.failures.Store(3)
	obs := sinktest.Observations(9, 0, 100)
	require.NoError(t, b.PublishObservations(ctx, obs))
	r := startSink(t, testConfig(), b, w)
	waitDrained(t, b)
	require.NoError(t, r.stop(t))
	require.Equal(t, expected(obs, nil), counts(t, st))
	require.Equal(t, int32(-1), w.failures.Load(), "three failures, then one success")
}

// TestSinkGivesUpAfterMaxDeliverIntegration makes every insert fail with a
// non-retryable server error: the sink does not blame the rows (nothing is
// dead-lettered as invalid at once); each message is nak'ed until its
// deliveries are used up and then dead-lettered with the server's reason.
func TestSinkGivesUpAfterMaxDeliverIntegration(t *testing.T) {
	ctx := context.Background()
	b := bustest.Start(t)
	st := openStore(t, chtest.NewDatabase(t))
	noTable := &clickhouse.Exception{Code: 60, Name: "DB::Exception", Message: "Table x.events doesn't exist."}
	w := &faultyWriter{Store: st, fail: func([]twin.Observation) error { return noTable }}
	obs := sinktest.Observations(8, 0, 40)
	require.NoError(t, b.PublishObservations(ctx, obs))

	cfg := testConfig()
	cfg.MaxDeliver = 3
	r := startSink(t, cfg, b, w)
	eventually(t, "every message to be dead-lettered", func() bool { return len(deadLetters(t, b)) == len(obs) })
	waitDrained(t, b)
	require.NoError(t, r.stop(t))

	for _, m := range deadLetters(t, b) {
		require.Equal(t, "3", m.Header.Get(bus.HeaderDelivered))
		require.Contains(t, m.Header.Get(bus.HeaderReason), "gave up after 3 deliveries")
		require.Contains(t, m.Header.Get(bus.HeaderReason), "doesn't exist")
	}
	require.Zero(t, metric(t, r.reg, "twinwatch_sink_messages_total", map[string]string{"table": sink.TableObservations, "outcome": "invalid"}))
	require.Equal(t, float64(len(obs)), metric(t, r.reg, "twinwatch_sink_messages_total", map[string]string{"table": sink.TableObservations, "outcome": "dead_letter"}))
}

// TestSinkShutdownFlushesIntegration cancels the sink while a batch is open
// (its period is an hour): Run flushes it, settles it and returns nil.
func TestSinkShutdownFlushesIntegration(t *testing.T) {
	ctx := context.Background()
	b := bustest.Start(t)
	st := openStore(t, chtest.NewDatabase(t))
	cfg := testConfig()
	cfg.Batch = sink.BatchConfig{Count: 100000, Bytes: 1 << 30, Period: spec.Duration(time.Hour)}

	obs := sinktest.Observations(6, 0, 700)
	require.NoError(t, b.PublishObservations(ctx, obs))
	r := startSink(t, cfg, b, st)
	eventually(t, "the sink to hold everything in its open batch", func() bool {
		return metric(t, r.reg, "twinwatch_sink_held_messages", map[string]string{"table": sink.TableObservations}) == float64(len(obs))
	})
	require.Zero(t, rawRows(t, st), "the batch is still open")
	require.NoError(t, r.stop(t))
	require.Equal(t, expected(obs, nil), counts(t, st))
	require.True(t, drained(t, b, bus.StreamObservations, sink.ObservationsDurable))
}

// BenchmarkSinkFlushIntegration measures observations per second through a
// running sink: each iteration publishes 20,000 observations and waits until
// the sink has written and acknowledged all of them (publishing overlaps the
// sink's work, as it does in production; cmd/twinbench measures the sink
// alone on a pre-filled stream).
func BenchmarkSinkFlushIntegration(b *testing.B) {
	ctx := context.Background()
	nb := bustest.Start(b)
	st := openStore(b, chtest.NewDatabase(b))
	cfg := sink.DefaultConfig()
	r := startSink(b, cfg, nb, st)
	const per = 20000
	written := func() float64 {
		return metric(b, r.reg, "twinwatch_sink_rows_written_total", map[string]string{"table": sink.TableObservations})
	}
	b.ReportAllocs()
	var (
		i       int
		elapsed time.Duration
	)
	for b.Loop() {
		want := float64((i + 1) * per)
		obs := sinktest.Observations(7, i*per, per)
		start := time.Now()
		require.NoError(b, nb.PublishObservations(ctx, obs))
		for written() < want || !drained(b, nb, bus.StreamObservations, sink.ObservationsDurable) {
			time.Sleep(2 * time.Millisecond)
		}
		elapsed += time.Since(start)
		i++
	}
	b.ReportMetric(float64(i*per)/elapsed.Seconds(), "obs/s")
	require.NoError(b, r.stop(b))
}
