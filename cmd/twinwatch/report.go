package main

import (
	"bufio"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/twinwatch/twinwatch/internal/report"
	"github.com/twinwatch/twinwatch/parser/gazetteer"
)

func newReportCmd(g *globals) *cobra.Command {
	var (
		f        report.Filter
		htmlPath string
		format   string
	)
	cmd := &cobra.Command{
		Use:   "report",
		Short: "Tell the growth story: agreements per year since 1988, regions, provinces, events",
		Long: `Read the analyst views in ClickHouse (docs/ANALYSTS.md) and print the growth
story: agreements established per year and cumulative since 1988 (undated ones
counted apart, never placed in a year), by relation and level, by Russian federal
district and region, by Chinese province, events by category, the busiest pairs
and what each source contributed.

--html FILE also writes a self-contained HTML report with charts (ECharts
inlined: it opens offline), a schematic map of the pairs and the tables.
--format json|csv prints the same numbers for scripts instead of the text.
With no clickhouse.addr, the private server under clickhouse.local.data_dir
(started by "up" or "backfill") is used.`,
		Example: `  twinwatch report
  twinwatch report --from 2000 --to 2020 --region Heilongjiang
  twinwatch report --html report.html
  twinwatch report --format json | jq .totals`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) (err error) {
			if format != "text" && format != "json" && format != "csv" {
				return fmt.Errorf("report: --format %q is not text, json or csv", format)
			}
			if f.From != 0 && f.To != 0 && f.From > f.To {
				return fmt.Errorf("report: --from %d is after --to %d", f.From, f.To)
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
			ctx := cmd.Context()
			st, err := e.openStore(ctx, true)
			if err != nil {
				return err
			}
			if _, err := st.Migrate(ctx); err != nil {
				return err
			}
			gz, err := gazetteer.Load()
			if err != nil {
				return err
			}
			if err := ensurePlaces(ctx, st, gz); err != nil {
				return err
			}
			r, err := report.Collect(ctx, st.Conn(), f, time.Now())
			if err != nil {
				return err
			}
			out := bufio.NewWriter(cmd.OutOrStdout())
			switch format {
			case "json":
				err = report.WriteJSON(out, r)
			case "csv":
				err = report.WriteCSV(out, r)
			default:
				err = report.WriteText(out, r)
			}
			if ferr := out.Flush(); err == nil {
				err = ferr
			}
			if err != nil || htmlPath == "" {
				return err
			}
			hf, err := os.Create(htmlPath)
			if err != nil {
				return fmt.Errorf("report: %w", err)
			}
			if err := report.WriteHTML(hf, r); err != nil {
				hf.Close()
				return err
			}
			if err := hf.Close(); err != nil {
				return fmt.Errorf("report: %w", err)
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s\n", htmlPath)
			return nil
		},
	}
	cmd.Flags().IntVar(&f.From, "from", 0, "first establishment year shown (default 1988)")
	cmd.Flags().IntVar(&f.To, "to", 0, "last establishment year shown (default this year)")
	cmd.Flags().StringVar(&f.Region, "region", "", "only agreements of this Russian region, federal district or Chinese province (English name)")
	cmd.Flags().StringVar(&htmlPath, "html", "", "also write a self-contained HTML report to FILE")
	cmd.Flags().StringVar(&format, "format", "text", "output on stdout: text, json or csv")
	return cmd
}
