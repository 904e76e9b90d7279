package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/twinwatch/twinwatch/alert"
	"github.com/twinwatch/twinwatch/internal/bus"
	"github.com/twinwatch/twinwatch/internal/chstore"
	"github.com/twinwatch/twinwatch/internal/demo"
	"github.com/twinwatch/twinwatch/sink"
)

func newUpCmd(g *globals) *cobra.Command {
	var (
		withDemo, once bool
		demoAddr       string
	)
	cmd := &cobra.Command{
		Use:   "up",
		Short: "Run every stage in one process (embedded NATS, private ClickHouse)",
		Long: `Run the whole pipeline in one process: crawler (on its schedule), parser and
sink, over the configured NATS or an embedded nats-server with JetStream. When no
clickhouse.addr is configured, a private clickhouse-server found on PATH is
started under clickhouse.local.data_dir and stopped on exit.

--demo serves a bundled offline demo of sources (Russian, Chinese and English
municipal portals and news) on a loopback port and crawls it instead of the
configured sources. --once crawls each source once, waits until the pipeline has
drained into ClickHouse, prints a summary (its last line is JSON) and exits.`,
		Example: `  twinwatch up --demo --once
  twinwatch up -c twinwatch.yaml`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runUp(cmd.Context(), g, upOptions{demo: withDemo, demoAddr: demoAddr, once: once}, cmd.OutOrStdout())
		},
	}
	cmd.Flags().BoolVar(&withDemo, "demo", false, "serve and crawl the bundled offline demo sources")
	cmd.Flags().StringVar(&demoAddr, "demo-addr", defaultDemoAddr, "address the demo site listens on; a fixed port keeps its URLs, and so crawl state, stable across runs")
	cmd.Flags().BoolVar(&once, "once", false, "crawl each source once, wait for the pipeline to drain, print a summary and exit")
	return cmd
}

// defaultDemoAddr is where `up --demo` serves the demo site. A fixed port
// keeps the demo's URLs the same from run to run, so a second run finds its
// pages unchanged in crawl state instead of new.
const defaultDemoAddr = "127.0.0.1:8177"

// upOptions are the flags of `twinwatch up`.
type upOptions struct {
	demo     bool
	demoAddr string
	once     bool
}

func runUp(ctx context.Context, g *globals, opt upOptions, out io.Writer) (err error) {
	e, err := g.load()
	if err != nil {
		return err
	}
	defer func() {
		if cerr := e.close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if opt.demo {
		site, err := demo.Start(ctx, opt.demoAddr)
		if err != nil && opt.demoAddr == defaultDemoAddr {
			e.log.Warn("demo port taken, using a random one: URLs will differ from earlier runs", "err", err)
			site, err = demo.Start(ctx, "127.0.0.1:0")
		}
		if err != nil {
			return err
		}
		e.onClose(site.Close)
		e.cfg.Crawler.Sources = demo.Sources(site.URL())
		e.cfg.Crawler.AllowPrivateNetworks = true
		e.log.Info("demo sources served", "url", site.URL(), "sources", len(e.cfg.Crawler.Sources))
	}
	b, err := e.openBus(ctx)
	if err != nil {
		return err
	}
	st, err := e.openStore(ctx, true)
	if err != nil {
		return err
	}
	// Migrate before any stage starts: the sink would do it too, but the
	// alerter records into alert_log from its first decision.
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	p, err := newParser(e)
	if err != nil {
		return err
	}
	snk, err := sink.New(e.cfg.Sink, b, st, e.log, e.reg)
	if err != nil {
		return err
	}
	cr, err := newCrawler(ctx, e, b, nil)
	if err != nil {
		return err
	}

	// The stages run until stopStages: on a signal, or once --once has drained.
	stagesCtx, stopStages := context.WithCancel(ctx)
	defer stopStages()
	grp, gctx := errgroup.WithContext(stagesCtx)
	// Metrics are a convenience on a laptop: a port that is taken (another
	// `up`, say) is worth a warning, not a failed run.
	if err := e.serveMetrics(gctx, grp, nil); err != nil {
		e.log.Warn("metrics endpoint disabled", "err", err)
	}
	grp.Go(func() error { return newParseStage(b, p, e.log, e.reg).Run(gctx) })
	grp.Go(func() error { return snk.Run(gctx) })
	alertConsumers, err := startAlertStage(gctx, e, b, st, grp)
	if err != nil {
		stopStages()
		_ = grp.Wait()
		return err
	}

	if !opt.once {
		grp.Go(func() error { return runSchedule(gctx, e, b, cr) })
		return grp.Wait()
	}

	started := time.Now()
	stats, crawlErr := cr.CrawlAll(ctx)
	if crawlErr != nil {
		e.log.Warn("crawl finished with errors", "err", crawlErr)
	}
	if err := waitDrained(ctx, b, alertConsumers); err != nil {
		stopStages()
		_ = grp.Wait()
		return err
	}
	counts, err := st.Counts(ctx)
	if err != nil {
		stopStages()
		_ = grp.Wait()
		return err
	}
	dead, _ := deadLetters(ctx, b)
	stopStages()
	if err := grp.Wait(); err != nil {
		return err
	}
	sum := newUpSummary(stats, counts, dead, time.Since(started))
	// Shut everything down first, so that the summary, and its JSON line
	// last, follow the shutdown logs even on a combined terminal.
	if err := e.close(); err != nil {
		return err
	}
	sum.print(out)
	return nil
}

// pipelineConsumers are the durable consumers that must have nothing pending
// before the pipeline counts as drained: the parser on PAGES and the sink on
// both streams (the alerter adds its own).
var pipelineConsumers = []alert.Consumer{
	{Stream: bus.StreamPages, Durable: parserDurable},
	{Stream: bus.StreamPages, Durable: sink.PagesDurable},
	{Stream: bus.StreamObservations, Durable: sink.ObservationsDurable},
}

// waitDrained polls the consumers until all of them have nothing pending or
// unacknowledged twice in a row (a message handed from one stage to the next
// is always pending somewhere, because a stage acks only after publishing or
// committing).
func waitDrained(ctx context.Context, b *bus.Bus, more []alert.Consumer) error {
	consumers := append(append([]alert.Consumer(nil), pipelineConsumers...), more...)
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	quiet := 0
	for quiet < 2 {
		select {
		case <-ctx.Done():
			return fmt.Errorf("wait for the pipeline to drain: %w", ctx.Err())
		case <-tick.C:
		}
		var total uint64
		for _, c := range consumers {
			n, err := b.StreamPending(ctx, c.Stream, c.Durable)
			if err != nil {
				return fmt.Errorf("wait for the pipeline to drain: %w", err)
			}
			total += n
		}
		if total == 0 {
			quiet++
		} else {
			quiet = 0
		}
	}
	return nil
}

// deadLetters counts the messages in the dead-letter stream.
func deadLetters(ctx context.Context, b *bus.Bus) (uint64, error) {
	s, err := b.JetStream().Stream(ctx, bus.StreamDeadLetter)
	if err != nil {
		return 0, err
	}
	info, err := s.Info(ctx)
	if err != nil {
		return 0, err
	}
	return info.State.Msgs, nil
}

// upSummary is what `up --once` reports; its JSON form is the last line.
type upSummary struct {
	Sources     int     `json:"sources"`
	Fetched     int     `json:"fetched"`
	Published   int     `json:"published"`
	Unchanged   int     `json:"unchanged"`
	Failed      int     `json:"failed"`
	Pages       uint64  `json:"pages"`
	Agreements  uint64  `json:"agreements"`
	Mentions    uint64  `json:"mentions"`
	Events      uint64  `json:"events"`
	DeadLetters uint64  `json:"dead_letters"`
	Seconds     float64 `json:"seconds"`
}

func newUpSummary(stats map[string]crawlStats, c chstore.Counts, dead uint64, took time.Duration) upSummary {
	s := upSummary{Sources: len(stats), Pages: c.Pages, Agreements: c.Agreements, Mentions: c.Mentions,
		Events: c.Events, DeadLetters: dead, Seconds: float64(took.Milliseconds()) / 1000}
	for _, st := range stats {
		s.Fetched += st.Fetched
		s.Published += st.Published
		s.Unchanged += st.Unchanged
		s.Failed += st.Failed
	}
	return s
}

func (s upSummary) print(w io.Writer) {
	fmt.Fprintf(w, "crawled %d sources in %.1fs: %d pages fetched, %d published, %d unchanged, %d failed\n",
		s.Sources, s.Seconds, s.Fetched, s.Published, s.Unchanged, s.Failed)
	fmt.Fprintf(w, "ClickHouse now holds %d pages, %d agreements (%d mentions) and %d events\n",
		s.Pages, s.Agreements, s.Mentions, s.Events)
	if s.DeadLetters > 0 {
		fmt.Fprintf(w, "%d messages are in the dead-letter stream %s\n", s.DeadLetters, bus.StreamDeadLetter)
	}
	b, _ := json.Marshal(s)
	fmt.Fprintln(w, string(b))
}
