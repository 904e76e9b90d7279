package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/spf13/cobra"

	"github.com/twinwatch/twinwatch/internal/bus"
	"github.com/twinwatch/twinwatch/parser"
	"github.com/twinwatch/twinwatch/twin"
)

func newReplayCmd(g *globals) *cobra.Command {
	var source string
	cmd := &cobra.Command{
		Use:   "replay [--source NAME]",
		Short: "Re-extract the pages kept in PAGES with the current extractor",
		Long: `Re-read every page kept in the PAGES stream (or one source's) through the
current extractor and publish the observations again. They carry the extractor
version, so they are new messages, and ClickHouse keeps the newest version's
view of each mention. Crawling is not repeated. Runs until the pages that were
in the stream when it started have been replayed.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.withBus(cmd.Context(), func(e *env, b *bus.Bus) error {
				p, err := newParser(e)
				if err != nil {
					return err
				}
				n, obs, bad, err := replay(cmd.Context(), b, p, source)
				fmt.Fprintf(cmd.OutOrStdout(), "replayed %d pages with extractor %s: %d observations published, %d pages undecodable\n", n, parser.Version, obs, bad)
				return err
			})
		},
	}
	cmd.Flags().StringVarP(&source, "source", "s", "", "replay only this source's pages")
	return cmd
}

// replay reads PAGES from its first message up to the last one present at
// start with an ordered (ephemeral) consumer, so it neither disturbs nor
// depends on the pipeline's durable consumers.
func replay(ctx context.Context, b *bus.Bus, p *parser.Parser, source string) (pages, published, bad int, err error) {
	js := b.JetStream()
	st, err := js.Stream(ctx, bus.StreamPages)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("replay: %w", err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("replay: %w", err)
	}
	last := info.State.LastSeq
	if info.State.Msgs == 0 {
		return 0, 0, 0, nil
	}
	cfg := jetstream.OrderedConsumerConfig{DeliverPolicy: jetstream.DeliverAllPolicy}
	if source != "" {
		cfg.FilterSubjects = []string{bus.PageSubject(source)}
	}
	cons, err := st.OrderedConsumer(ctx, cfg)
	if err != nil {
		return 0, 0, 0, fmt.Errorf("replay: %w", err)
	}
	for {
		batch, err := cons.Fetch(256, jetstream.FetchMaxWait(2*time.Second))
		if err != nil {
			return pages, published, bad, fmt.Errorf("replay: fetch: %w", err)
		}
		var done bool
		got := 0
		for m := range batch.Messages() {
			got++
			meta, err := m.Metadata()
			if err != nil {
				return pages, published, bad, fmt.Errorf("replay: %w", err)
			}
			if meta.Sequence.Stream >= last {
				done = true
			}
			page, err := twin.DecodePage(m.Data())
			if err != nil {
				bad++
				continue
			}
			obs, err := p.Parse(page)
			if err != nil {
				bad++
				continue
			}
			pages++
			if err := b.PublishObservations(ctx, obs); err != nil {
				return pages, published, bad, fmt.Errorf("replay: publish: %w", err)
			}
			published += len(obs)
		}
		if err := batch.Error(); err != nil && !errors.Is(err, jetstream.ErrNoMessages) {
			return pages, published, bad, fmt.Errorf("replay: fetch: %w", err)
		}
		if done || got == 0 || ctx.Err() != nil {
			return pages, published, bad, ctx.Err()
		}
	}
}
