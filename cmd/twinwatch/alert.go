package main

import (
	"context"
	"fmt"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/sync/errgroup"

	"github.com/twinwatch/twinwatch/alert"
	"github.com/twinwatch/twinwatch/alert/chrecord"
	"github.com/twinwatch/twinwatch/internal/bus"
	"github.com/twinwatch/twinwatch/internal/chstore"
)

// newAlerter builds the alert stage on b. With ClickHouse configured (and
// rec nil), decisions and updates are recorded in alert_log; the schema is
// the sink's and `twinwatch migrate`'s business (migration 0021).
func newAlerter(ctx context.Context, e *env, b *bus.Bus, rec alert.Recorder) (*alert.Alerter, error) {
	if rec == nil && len(e.cfg.ClickHouse.Addr) > 0 {
		st, err := e.openStore(ctx, false)
		if err != nil {
			return nil, err
		}
		rec = chrecord.New(st.Conn(), e.cfg.ClickHouse.QueryTimeout.D())
	}
	var sources []string
	for _, s := range e.cfg.Crawler.Sources {
		sources = append(sources, s.Name)
	}
	return alert.New(e.cfg.Alert, b, rec, e.log, e.reg, alert.WithSources(sources))
}

// startAlertStage runs the alerter in grp for `twinwatch up`, recording in
// st (nil: nothing recorded), and returns its durable consumers: `up --once`
// counts the pipeline as drained only when these have nothing pending too.
func startAlertStage(ctx context.Context, e *env, b *bus.Bus, st *chstore.Store, grp *errgroup.Group) ([]alert.Consumer, error) {
	var rec alert.Recorder = noRecorder{}
	if st != nil {
		rec = chrecord.New(st.Conn(), e.cfg.ClickHouse.QueryTimeout.D())
	}
	a, err := newAlerter(ctx, e, b, rec)
	if err != nil {
		return nil, err
	}
	grp.Go(func() error { return a.Run(ctx) })
	return a.Consumers(), nil
}

func newAlertCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "alert",
		Short: "Run the alert stage: new agreements → webhook, chat, Telegram, e-mail, NATS",
		Long: `Run the alerter on its own: consume agreement and event observations
(durable consumer "alert"), decide which agreements are new (once, via NATS KV),
deliver alerts and updates to the channels of the alert section, each channel on
its own retried consumer, and send the digest on its schedule. With
clickhouse.addr set, decisions and updates are recorded in alert_log.
Several replicas may run at once: every agreement alerts once.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.runStage(cmd.Context(), func(ctx context.Context, e *env, b *bus.Bus) (func(context.Context) error, error) {
				a, err := newAlerter(ctx, e, b, nil)
				if err != nil {
					return nil, err
				}
				return a.Run, nil
			})
		},
	}
	cmd.AddCommand(newAlertTestCmd(g), newAlertDigestCmd(g))
	return cmd
}

func newAlertTestCmd(g *globals) *cobra.Command {
	var name string
	cmd := &cobra.Command{
		Use:   "test --channel NAME",
		Short: "Send a sample alert to one channel now",
		Long: `Send a sample alert (Khabarovsk – Harbin, marked as a test) to the named channel
right away, bypassing the queue and its retries, and report the destination's
answer. Use it to check URLs, secrets, tokens and SMTP settings.`,
		Example: `  twinwatch -c twinwatch.yaml alert test --channel ops-webhook`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, err := g.load()
			if err != nil {
				return err
			}
			defer e.close()
			ctx := cmd.Context()
			var b alert.Bus = noBus{}
			for _, c := range e.cfg.Alert.Channels {
				if c.Name == name && c.Type == alert.TypeNATS {
					if b, err = e.openBus(ctx); err != nil {
						return err
					}
				}
			}
			a, err := alert.New(e.cfg.Alert, b, nil, e.log, e.reg)
			if err != nil {
				return err
			}
			if err := a.Test(ctx, name); err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "sample alert sent to %s\n", name)
			return nil
		},
	}
	cmd.Flags().StringVar(&name, "channel", "", "name of the channel (alert.channels[].name)")
	_ = cmd.MarkFlagRequired("channel")
	return cmd
}

func newAlertDigestCmd(g *globals) *cobra.Command {
	return &cobra.Command{
		Use:   "digest",
		Short: "Queue the digest now (late discoveries, events by category, silent sources)",
		Long: `Build the digest for the period since the last one and queue it for every
channel that takes digests; a running alerter (or "twinwatch alert") delivers it.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return g.withBus(cmd.Context(), func(e *env, b *bus.Bus) error {
				a, err := newAlerter(cmd.Context(), e, b, noRecorder{})
				if err != nil {
					return err
				}
				if err := a.SendDigest(cmd.Context(), time.Now()); err != nil {
					return err
				}
				fmt.Fprintln(cmd.OutOrStdout(), "digest queued")
				return nil
			})
		},
	}
}

// noBus stands in for the bus where a command needs none (alert test of a
// channel other than nats).
type noBus struct{ alert.Bus }

// noRecorder records nothing.
type noRecorder struct{}

func (noRecorder) Record(context.Context, alert.Record) error { return nil }
