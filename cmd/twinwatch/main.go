// Command twinwatch tracks twinning between Russian and Chinese cities and
// regions: it crawls sources, extracts agreements and events, moves them over
// NATS JetStream and stores them in ClickHouse.
//
// Every stage is a subcommand that can run as its own process (crawl,
// schedule, parse, sink); `twinwatch up` runs them all in one process with an
// embedded NATS server. This package only wires: it builds config, telemetry,
// the bus and the store, and hands them to the stages.
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := newRootCmd().ExecuteContext(ctx); err != nil {
		var ec exitCode
		if errors.As(err, &ec) {
			os.Exit(int(ec))
		}
		fmt.Fprintln(os.Stderr, "twinwatch:", err)
		os.Exit(1)
	}
}

// exitCode ends the process with a code and no further message.
type exitCode int

func (e exitCode) Error() string { return fmt.Sprintf("exit %d", int(e)) }

func newRootCmd() *cobra.Command {
	var g globals
	root := &cobra.Command{
		Use:   "twinwatch",
		Short: "Track Russian–Chinese twin cities: crawl, extract, store, alert",
		Long: `twinwatch is an event-driven pipeline that tracks twinning between Russian and
Chinese cities and regions. Crawlers fetch municipal portals and news; the parser
extracts agreements and events; they travel over NATS JetStream; the sink stores
them in ClickHouse for analysts.

Start with "twinwatch up --demo --once" for a complete local pipeline on a
bundled offline demo.`,
		SilenceUsage:  true,
		SilenceErrors: true,
		Version:       version,
	}
	root.PersistentFlags().StringVarP(&g.configPath, "config", "c", "", "YAML config file (default: built-in defaults; see config.example.yaml)")
	root.AddCommand(
		newUpCmd(&g),
		newCrawlCmd(&g),
		newScheduleCmd(&g),
		newParseCmd(&g),
		newSinkCmd(&g),
		newMigrateCmd(&g),
		newExtractCmd(&g),
		newEvalCmd(&g),
		newReplayCmd(&g),
		newConfigCmd(&g),
		newBackfillCmd(&g),
		newReportCmd(&g),
		newAlertCmd(&g),
	)
	return root
}
