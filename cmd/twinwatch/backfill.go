package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/twinwatch/twinwatch/internal/backfill"
	"github.com/twinwatch/twinwatch/internal/bus"
	"github.com/twinwatch/twinwatch/internal/chstore"
	"github.com/twinwatch/twinwatch/internal/places"
	"github.com/twinwatch/twinwatch/parser/gazetteer"
	"github.com/twinwatch/twinwatch/sink"
)

func newBackfillCmd(g *globals) *cobra.Command {
	var (
		format      string
		publishOnly bool
		dryRun      bool
	)
	cmd := &cobra.Command{
		Use:   "backfill FILE",
		Short: "Load the reference list of known relations through the pipeline",
		Long: `Load a reference list of known Russia–China relations (the columns of
data/twinning/ru_cn_relations.tsv, as TSV or CSV) through the same pipeline as
crawled data: each good row becomes an agreement observation (source
"reference", origin reference, so it never alerts; its source_url as provenance)
published to OBSERVATIONS and stored by the sink, so the time series starts in
1988 and crawled mentions of the same agreements merge with it by ID.

Every bad row is reported (line and reason) on stderr and the good ones are
loaded all the same. Undated rows stay undated. The places table (gazetteer
places with region, federal district / province, coordinates, population) is
loaded too.

By default an in-process sink stores the observations and the command waits
until the stream is drained (with no clickhouse.addr, a private server under
clickhouse.local.data_dir is used). --publish-only only publishes, for a
pipeline whose sink runs elsewhere. Re-running is harmless: message IDs and
mention IDs are deterministic.`,
		Example: `  twinwatch backfill data/twinning/ru_cn_relations.tsv
  twinwatch backfill --format csv relations.csv --dry-run`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return runBackfill(cmd.Context(), g, args[0], backfill.Format(format), publishOnly, dryRun, cmd.OutOrStdout(), cmd.ErrOrStderr())
		},
	}
	cmd.Flags().StringVar(&format, "format", "", "tsv or csv (default: from the file name; .csv is CSV)")
	cmd.Flags().BoolVar(&publishOnly, "publish-only", false, "publish to OBSERVATIONS and exit; a sink elsewhere stores them")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "read and check the file, report bad rows, publish nothing")
	return cmd
}

func runBackfill(ctx context.Context, g *globals, path string, format backfill.Format, publishOnly, dryRun bool, out, errOut io.Writer) (err error) {
	if format == "" {
		format = backfill.FormatOf(path)
	}
	e, err := g.load()
	if err != nil {
		return err
	}
	defer func() {
		if cerr := e.close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	gz, err := gazetteer.Load()
	if err != nil {
		return err
	}
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("backfill: %w", err)
	}
	defer f.Close()
	res, err := backfill.Load(f, format, gz, time.Now())
	if err != nil {
		return err
	}
	for _, b := range res.Bad {
		fmt.Fprintf(errOut, "%s:%d: %s\n", path, b.Line, b.Reason)
	}
	summary := func(verb string) {
		fmt.Fprintf(out, "%s: %d rows, %d agreements %s (%d undated), %d bad rows\n",
			path, res.Rows, len(res.Observations), verb, res.Undated, len(res.Bad))
	}
	if dryRun {
		summary("checked")
		return nil
	}
	if publishOnly && e.cfg.NATS.URL == "" {
		return fmt.Errorf("backfill: --publish-only needs nats.url: an embedded server stops with this command")
	}
	b, err := e.openBus(ctx)
	if err != nil {
		return err
	}
	if publishOnly {
		if err := backfill.Publish(ctx, b, res.Observations, 0); err != nil {
			return err
		}
		summary("published")
		return nil
	}
	st, err := e.openStore(ctx, true)
	if err != nil {
		return err
	}
	if _, err := st.Migrate(ctx); err != nil {
		return err
	}
	if err := ensurePlaces(ctx, st, gz); err != nil {
		return err
	}
	snk, err := sink.New(e.cfg.Sink, b, st, e.log, e.reg)
	if err != nil {
		return err
	}
	started := time.Now()
	sinkCtx, stopSink := context.WithCancel(ctx)
	defer stopSink()
	grp, gctx := errgroup.WithContext(sinkCtx)
	grp.Go(func() error { return snk.Run(gctx) })
	pubErr := backfill.Publish(ctx, b, res.Observations, 0)
	if pubErr == nil {
		pubErr = waitObservationsDrained(gctx, b)
	}
	stopSink()
	if err := grp.Wait(); err != nil {
		return err
	}
	if pubErr != nil {
		return pubErr
	}
	summary("stored")
	fmt.Fprintf(out, "pipeline time %s (publish + sink + drain)\n", time.Since(started).Round(time.Millisecond))
	return nil
}

// ensurePlaces loads the gazetteer's places into the places table when it
// does not already hold this version of them.
func ensurePlaces(ctx context.Context, st *chstore.Store, gz *gazetteer.Gazetteer) error {
	recs, err := gz.Records()
	if err != nil {
		return err
	}
	ps := make([]places.Place, len(recs))
	for i, r := range recs {
		ps[i] = places.Place(r)
	}
	_, err = places.Ensure(ctx, st.Conn(), places.Rows(ps))
	return err
}

// waitObservationsDrained returns once the sink's consumer on OBSERVATIONS
// has nothing pending or unacknowledged twice in a row.
func waitObservationsDrained(ctx context.Context, b *bus.Bus) error {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for quiet := 0; quiet < 2; {
		select {
		case <-ctx.Done():
			return fmt.Errorf("backfill: wait for the sink: %w", ctx.Err())
		case <-tick.C:
		}
		// until the sink has created its consumer, StreamPending says 0
		if _, err := b.JetStream().Consumer(ctx, bus.StreamObservations, sink.ObservationsDurable); err != nil {
			continue
		}
		n, err := b.StreamPending(ctx, bus.StreamObservations, sink.ObservationsDurable)
		if err != nil {
			return fmt.Errorf("backfill: wait for the sink: %w", err)
		}
		if n == 0 {
			quiet++
		} else {
			quiet = 0
		}
	}
	return nil
}
