package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/twinwatch/twinwatch/crawler"
	"github.com/twinwatch/twinwatch/internal/bus"
)

// crawlStats is one source's crawl result.
type crawlStats = crawler.Stats

// newCrawler builds the crawler on the bus: pages go to PAGES, crawl state
// lives in a KV bucket shared by every replica, and with frontier.mode
// jetstream the URLs of a run are shared through a work-queue stream.
func newCrawler(ctx context.Context, e *env, b *bus.Bus, opts []crawler.Option) (*crawler.Crawler, error) {
	kv, err := b.KeyValue(ctx, e.cfg.Crawler.StateBucketConfig())
	if err != nil {
		return nil, fmt.Errorf("crawl state: %w", err)
	}
	if e.cfg.Crawler.Frontier.Mode == crawler.FrontierJetStream {
		opts = append(opts, crawler.WithJetStreamFrontier(b.JetStream()))
	}
	cr, err := crawler.New(e.cfg.Crawler, b, crawler.NewKVState(kv), e.log, e.reg, opts...)
	if err != nil {
		return nil, err
	}
	e.onClose(func(context.Context) error { cr.Close(); return nil })
	return cr, nil
}

// runSchedule runs every source on its cron schedule until ctx is done; a
// lock in NATS KV makes each firing happen on one replica only.
func runSchedule(ctx context.Context, e *env, b *bus.Bus, cr *crawler.Crawler) error {
	locks, err := b.KeyValue(ctx, e.cfg.Crawler.LockBucketConfig())
	if err != nil {
		return fmt.Errorf("schedule locks: %w", err)
	}
	return cr.Schedule(ctx, crawler.NewKVLocker(locks), func(r crawler.ScheduledRun) {
		if r.Err != nil {
			e.log.Warn("scheduled crawl failed", "source", r.Source, "err", r.Err)
			return
		}
		e.log.Info("scheduled crawl done", "source", r.Source, "fetched", r.Stats.Fetched,
			"published", r.Stats.Published, "unchanged", r.Stats.Unchanged, "failed", r.Stats.Failed)
	})
}

func newCrawlCmd(g *globals) *cobra.Command {
	var (
		source string
		all    bool
		print  bool
	)
	cmd := &cobra.Command{
		Use:   "crawl --source NAME | --all",
		Short: "Crawl one source (or all) once and exit",
		Long: `Crawl a configured source once, publish new and changed pages to PAGES and exit:
for cron or a Kubernetes CronJob. Unchanged pages (304, or the same content hash
as in crawl state) publish nothing. On a terminal it shows progress; it ends
with a summary, and a source that yielded no articles is reported as such.`,
		Example: `  twinwatch crawl -c twinwatch.yaml --source khabarovsk-news
  twinwatch crawl -c twinwatch.yaml --source harbin-fao --print | jq .`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if (source == "") == !all {
				return fmt.Errorf("give exactly one of --source NAME or --all")
			}
			ctx := cmd.Context()
			return g.withBus(ctx, func(e *env, b *bus.Bus) error {
				var opts []crawler.Option
				if print {
					opts = append(opts, crawler.WithPrint(cmd.OutOrStdout()))
				}
				if isTerminal(os.Stderr) {
					opts = append(opts, crawler.WithProgress(os.Stderr))
				}
				cr, err := newCrawler(ctx, e, b, opts)
				if err != nil {
					return err
				}
				stats := map[string]crawlStats{}
				if all {
					stats, err = cr.CrawlAll(ctx)
				} else {
					var st crawlStats
					st, err = cr.Crawl(ctx, source)
					stats[source] = st
				}
				printCrawlSummary(cmd.ErrOrStderr(), stats)
				return err
			})
		},
	}
	cmd.Flags().StringVarP(&source, "source", "s", "", "name of the source to crawl (crawler.sources[].name)")
	cmd.Flags().BoolVar(&all, "all", false, "crawl every configured source")
	cmd.Flags().BoolVar(&print, "print", false, "write one JSON line per fetched page to stdout (for debugging selectors)")
	_ = cmd.RegisterFlagCompletionFunc("source", func(cmd *cobra.Command, _ []string, _ string) ([]string, cobra.ShellCompDirective) {
		e, err := g.load()
		if err != nil {
			return nil, cobra.ShellCompDirectiveError
		}
		var names []string
		for _, s := range e.cfg.Crawler.Sources {
			names = append(names, s.Name)
		}
		return names, cobra.ShellCompDirectiveNoFileComp
	})
	return cmd
}

func printCrawlSummary(w io.Writer, stats map[string]crawlStats) {
	for name, st := range stats {
		fmt.Fprintf(w, "%s: %d fetched, %d published, %d unchanged, %d failed\n", name, st.Fetched, st.Published, st.Unchanged, st.Failed)
	}
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

func newScheduleCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "schedule",
		Short: "Run every source's crawl on its cron schedule",
		Long: `Run each configured source's crawl on its cron schedule (with optional jitter).
With several replicas, each job fires once: replicas take a lock in NATS KV.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.runStage(cmd.Context(), func(ctx context.Context, e *env, b *bus.Bus) (func(context.Context) error, error) {
				cr, err := newCrawler(ctx, e, b, nil)
				if err != nil {
					return nil, err
				}
				return func(ctx context.Context) error { return runSchedule(ctx, e, b, cr) }, nil
			})
		},
	}
}
