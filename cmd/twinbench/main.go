// Command twinbench measures the sink end to end on this machine: it starts
// an embedded NATS server and a private clickhouse-server (or uses
// -clickhouse ADDR), publishes N synthetic observations to OBSERVATIONS, runs
// the sink until the stream is drained, and prints the sink's rate, its peak
// RSS, and — in the same run, on the same rows — the rate of a bare batch
// insert (chstore.InsertObservations: clickhouse-go PrepareBatch/Append/Send,
// no NATS, no JSON) for comparison. The last line is JSON.
//
//	go run ./cmd/twinbench -n 200000
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"runtime/pprof"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/twinwatch/twinwatch/config/spec"
	"github.com/twinwatch/twinwatch/internal/bus"
	"github.com/twinwatch/twinwatch/internal/chstore"
	"github.com/twinwatch/twinwatch/sink"
	"github.com/twinwatch/twinwatch/sink/sinktest"
)

// result is the JSON last line.
type result struct {
	N               int     `json:"n"`
	Batch           int     `json:"batch"`
	FetchSize       int     `json:"fetch_size"`
	PublishPerSec   float64 `json:"publish_obs_per_s"`
	SinkSeconds     float64 `json:"sink_seconds"`
	SinkPerSec      float64 `json:"sink_obs_per_s"`
	BarePerSec      float64 `json:"bare_obs_per_s"`
	Ratio           float64 `json:"sink_to_bare"`
	SinkPeakRSSMiB  float64 `json:"sink_peak_rss_mib"`
	SinkPeakHeapMiB float64 `json:"sink_peak_heap_mib"`
	TotalPeakRSSMiB float64 `json:"total_peak_rss_mib"`
	RowsVerified    bool    `json:"rows_verified"`
	Redelivered     int     `json:"redelivered"`
}

func main() {
	var (
		n        = flag.Int("n", 200000, "observations to publish")
		addr     = flag.String("clickhouse", "", "host:port of a ClickHouse native port to use; empty starts a private clickhouse-server")
		batch    = flag.Int("batch", sink.DefaultConfig().Batch.Count, "sink batch.count (also the bare insert's batch size)")
		fetch    = flag.Int("fetch", sink.DefaultConfig().FetchSize, "sink fetch_size")
		seed     = flag.Uint64("seed", 1, "seed of the synthetic observations")
		keep     = flag.Bool("keep", false, "keep the temporary directory")
		verbose  = flag.Bool("v", false, "log at info level")
		skipBare = flag.Bool("skip-bare", false, "skip the bare insert comparison")
		cpuProf  = flag.String("cpuprofile", "", "write a CPU profile of the sink phase to this file")
		memProf  = flag.String("memprofile", "", "write a heap profile taken when the sink has drained to this file")
	)
	flag.Parse()
	level := slog.LevelWarn
	if *verbose {
		level = slog.LevelInfo
	}
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: level}))
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	res, err := run(ctx, logger, opts{n: *n, addr: *addr, batch: *batch, fetch: *fetch, seed: *seed, keep: *keep, skipBare: *skipBare, cpuProfile: *cpuProf, memProfile: *memProf})
	if err != nil {
		fmt.Fprintln(os.Stderr, "twinbench:", err)
		os.Exit(1)
	}
	line, _ := json.Marshal(res)
	fmt.Println(string(line))
}

type opts struct {
	n, batch, fetch int
	addr            string
	seed            uint64
	keep, skipBare  bool
	cpuProfile      string
	memProfile      string
}

func run(ctx context.Context, logger *slog.Logger, o opts) (res result, err error) {
	res = result{N: o.n, Batch: o.batch, FetchSize: o.fetch}
	dir, err := os.MkdirTemp("", "twinbench-")
	if err != nil {
		return res, err
	}
	if !o.keep {
		defer os.RemoveAll(dir)
	} else {
		fmt.Println("data in", dir)
	}

	chCfg := chstore.DefaultConfig()
	chCfg.QueryTimeout = spec.Duration(5 * time.Minute)
	if o.addr != "" {
		chCfg.Addr = []string{o.addr}
	} else {
		local, err := chstore.StartLocal(ctx, chCfg.Local.Binary, filepath.Join(dir, "clickhouse"), logger)
		if err != nil {
			return res, err
		}
		defer func() {
			sctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			_ = local.Stop(sctx)
		}()
		chCfg.Addr = []string{local.Addr()}
	}
	suffix := strconv.FormatInt(time.Now().Unix(), 36)
	sinkDB, bareDB := chCfg, chCfg
	sinkDB.Database, bareDB.Database = "twinbench_sink_"+suffix, "twinbench_bare_"+suffix

	busCfg := bus.DefaultConfig()
	busCfg.Embedded.DataDir = filepath.Join(dir, "nats")
	busCfg.Streams.Observations.MaxBytes = 8 << 30
	b, err := bus.Open(ctx, busCfg, logger, prometheus.NewRegistry())
	if err != nil {
		return res, err
	}
	defer func() {
		cctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		_ = b.Close(cctx)
	}()

	// Publish (not measured against the sink).
	const chunk = 10000
	start := time.Now()
	for from := 0; from < o.n; from += chunk {
		if err := b.PublishObservations(ctx, sinktest.Observations(o.seed, from, min(chunk, o.n-from))); err != nil {
			return res, err
		}
	}
	res.PublishPerSec = float64(o.n) / time.Since(start).Seconds()
	fmt.Printf("published %d observations in %s (%.0f/s)\n", o.n, time.Since(start).Round(time.Millisecond), res.PublishPerSec)

	store, err := chstore.Open(ctx, sinkDB, logger)
	if err != nil {
		return res, err
	}
	defer store.Close()
	if _, err := store.Migrate(ctx); err != nil {
		return res, err
	}

	// The sink, measured from start to drained, with its peak RSS.
	runtime.GC()
	debug.FreeOSMemory()
	resetPeakRSS()
	cfg := sink.DefaultConfig()
	cfg.Batch.Count, cfg.FetchSize = o.batch, o.fetch
	reg := prometheus.NewRegistry()
	s, err := sink.New(cfg, b, store, logger, reg)
	if err != nil {
		return res, err
	}
	if o.cpuProfile != "" {
		f, err := os.Create(o.cpuProfile)
		if err != nil {
			return res, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return res, err
		}
		defer pprof.StopCPUProfile()
	}
	sctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	start = time.Now()
	go func() { done <- s.Run(sctx) }()
	var (
		ms       runtime.MemStats
		lastHeap time.Time
	)
	for {
		pending, err := b.StreamPending(ctx, bus.StreamObservations, sink.ObservationsDurable)
		if err != nil {
			cancel()
			return res, err
		}
		if pending == 0 && written(reg) >= float64(o.n) {
			break
		}
		if time.Since(lastHeap) >= 100*time.Millisecond {
			runtime.ReadMemStats(&ms)
			res.SinkPeakHeapMiB = max(res.SinkPeakHeapMiB, float64(ms.HeapInuse)/(1<<20))
			lastHeap = time.Now()
		}
		select {
		case err := <-done:
			cancel()
			return res, fmt.Errorf("sink stopped early: %w", err)
		case <-ctx.Done():
			cancel()
			return res, ctx.Err()
		case <-time.After(5 * time.Millisecond):
		}
	}
	elapsed := time.Since(start)
	res.SinkPeakRSSMiB = peakRSSMiB()
	if o.memProfile != "" {
		if f, err := os.Create(o.memProfile); err == nil {
			_ = pprof.Lookup("heap").WriteTo(f, 0)
			f.Close()
		}
	}
	if c, err := b.JetStream().Consumer(ctx, bus.StreamObservations, sink.ObservationsDurable); err == nil {
		if info, err := c.Info(ctx); err == nil {
			res.Redelivered = info.NumRedelivered
		}
	}
	cancel()
	if err := <-done; err != nil {
		return res, err
	}
	res.SinkSeconds = elapsed.Seconds()
	res.SinkPerSec = float64(o.n) / elapsed.Seconds()
	fmt.Printf("sink: %d observations into ClickHouse in %s: %.0f obs/s, peak RSS %.0f MiB (Go heap in use %.0f MiB; batch %d, fetch %d)\n",
		o.n, elapsed.Round(time.Millisecond), res.SinkPerSec, res.SinkPeakRSSMiB, res.SinkPeakHeapMiB, o.batch, o.fetch)
	c, err := store.Counts(ctx)
	if err != nil {
		return res, err
	}
	res.RowsVerified = c.Mentions+c.Events == uint64(o.n)
	fmt.Printf("verified: %d mentions + %d events = %d distinct (want %d): %v\n", c.Mentions, c.Events, c.Mentions+c.Events, o.n, res.RowsVerified)

	if !o.skipBare {
		// The bare insert: the same rows, already in memory, same batch size.
		bare, err := chstore.Open(ctx, bareDB, logger)
		if err != nil {
			return res, err
		}
		defer bare.Close()
		if _, err := bare.Migrate(ctx); err != nil {
			return res, err
		}
		rows := sinktest.Observations(o.seed, 0, o.n)
		start = time.Now()
		for from := 0; from < o.n; from += o.batch {
			if err := bare.InsertObservations(ctx, rows[from:min(from+o.batch, o.n)]); err != nil {
				return res, err
			}
		}
		d := time.Since(start)
		res.BarePerSec = float64(o.n) / d.Seconds()
		res.Ratio = res.SinkPerSec / res.BarePerSec
		fmt.Printf("bare clickhouse-go batch insert of the same rows: %s: %.0f obs/s (sink/bare = %.2f)\n",
			d.Round(time.Millisecond), res.BarePerSec, res.Ratio)
		dropDB(ctx, bare, bareDB.Database)
	}
	dropDB(ctx, store, sinkDB.Database)
	res.TotalPeakRSSMiB = peakRSSMiB()
	return res, nil
}

func written(reg *prometheus.Registry) float64 {
	mfs, _ := reg.Gather()
	for _, mf := range mfs {
		if mf.GetName() != "twinwatch_sink_rows_written_total" {
			continue
		}
		for _, m := range mf.GetMetric() {
			for _, l := range m.GetLabel() {
				if l.GetName() == "table" && l.GetValue() == sink.TableObservations {
					return m.GetCounter().GetValue()
				}
			}
		}
	}
	return 0
}

func dropDB(ctx context.Context, s *chstore.Store, name string) {
	if err := s.Conn().Exec(ctx, "DROP DATABASE IF EXISTS "+name); err != nil {
		fmt.Fprintln(os.Stderr, "twinbench: drop database:", err)
	}
}

// resetPeakRSS resets VmHWM (Linux: write 5 to /proc/self/clear_refs).
func resetPeakRSS() {
	if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
		fmt.Fprintln(os.Stderr, "twinbench: cannot reset peak RSS:", err)
	}
}

// peakRSSMiB reads VmHWM from /proc/self/status.
func peakRSSMiB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err != nil {
				return 0
			}
			return kb / 1024
		}
	}
	return 0
}
