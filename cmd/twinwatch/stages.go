package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/spf13/cobra"

	"github.com/twinwatch/twinwatch/internal/bus"
	"github.com/twinwatch/twinwatch/parser"
	"github.com/twinwatch/twinwatch/parser/gazetteer"
	"github.com/twinwatch/twinwatch/sink"
	"github.com/twinwatch/twinwatch/twin"
)

// parserDurable is the durable consumer of the parse stage on PAGES.
const parserDurable = "parser"

// parseStage is the PAGES → parser → OBSERVATIONS stage. It is wiring, not a
// package: the parser is pure and the bus settles.
type parseStage struct {
	bus    *bus.Bus
	parser *parser.Parser
	log    *slog.Logger
	obs    *prometheus.CounterVec
}

func newParseStage(b *bus.Bus, p *parser.Parser, log *slog.Logger, reg *prometheus.Registry) *parseStage {
	obs := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "twinwatch_parser_observations_total",
		Help: "Observations extracted from pages, by kind and language.",
	}, []string{"kind", "lang"})
	reg.MustRegister(obs)
	return &parseStage{bus: b, parser: p, log: log.With("stage", "parser"), obs: obs}
}

// Run consumes PAGES until ctx is done. A page that cannot be decoded is
// dead-lettered by the bus (the error wraps twin.ErrInvalid); a publish
// failure is retried by redelivery.
func (s *parseStage) Run(ctx context.Context) error {
	return s.bus.Consume(ctx, bus.ConsumerSpec{Stream: bus.StreamPages, Durable: parserDurable}, s.handle)
}

func (s *parseStage) handle(ctx context.Context, m *bus.Msg) error {
	page, err := twin.DecodePage(m.Data)
	if err != nil {
		return err
	}
	obs, err := s.parser.Parse(page)
	if err != nil {
		return fmt.Errorf("parse %s: %w", page.URL, err)
	}
	if len(obs) == 0 {
		s.log.Debug("page has no observations", "url", page.URL)
		return nil
	}
	if err := s.bus.PublishObservations(ctx, obs); err != nil {
		return fmt.Errorf("publish %d observations of %s: %w", len(obs), page.URL, err)
	}
	for _, o := range obs {
		s.obs.WithLabelValues(string(o.Type), o.Lang).Inc()
	}
	s.log.Debug("page parsed", "url", page.URL, "observations", len(obs))
	return nil
}

func newParser(e *env) (*parser.Parser, error) {
	g, err := gazetteer.Load()
	if err != nil {
		return nil, err
	}
	return parser.New(e.cfg.Parser, g), nil
}

func newParseCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "parse",
		Short: "Run the parser stage: PAGES → extraction → OBSERVATIONS",
		Long: `Run the parser stage on its own: consume pages from the PAGES stream (durable
consumer "parser"), extract agreements and events, publish them to OBSERVATIONS.
Run several for more throughput; they share the consumer.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.runStage(cmd.Context(), func(_ context.Context, e *env, b *bus.Bus) (func(context.Context) error, error) {
				p, err := newParser(e)
				if err != nil {
					return nil, err
				}
				return newParseStage(b, p, e.log, e.reg).Run, nil
			})
		},
	}
}

func newSinkCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "sink",
		Short: "Run the sink stage: PAGES and OBSERVATIONS → ClickHouse",
		Long: `Run the sink on its own: apply pending migrations, then consume PAGES (crawl
log) and OBSERVATIONS in batches into ClickHouse. A message is acknowledged only
after its batch is committed. Needs clickhouse.addr.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.runStage(cmd.Context(), func(ctx context.Context, e *env, b *bus.Bus) (func(context.Context) error, error) {
				st, err := e.openStore(ctx, false)
				if err != nil {
					return nil, err
				}
				w, err := newLockedMigrations(ctx, b, st)
				if err != nil {
					return nil, err
				}
				s, err := sink.New(e.cfg.Sink, b, w, e.log, e.reg)
				if err != nil {
					return nil, err
				}
				return s.Run, nil
			})
		},
	}
}

func newMigrateCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "migrate",
		Short: "Apply pending ClickHouse schema migrations",
		Long: `Apply the numbered SQL migrations embedded in the binary that the database has
not seen yet, and record them in its schema_migrations table. Safe to run twice.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, err := g.load()
			if err != nil {
				return err
			}
			defer e.close()
			st, err := e.openStore(cmd.Context(), false)
			if err != nil {
				return err
			}
			applied, err := st.Migrate(cmd.Context())
			if err != nil {
				return err
			}
			if len(applied) == 0 {
				fmt.Fprintln(cmd.OutOrStdout(), "schema is up to date")
			}
			for _, m := range applied {
				fmt.Fprintln(cmd.OutOrStdout(), "applied", m)
			}
			return nil
		},
	}
}
