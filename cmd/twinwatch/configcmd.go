package main

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/twinwatch/twinwatch/config"
)

func newConfigCmd(g *globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "config",
		Short: "Check and print configuration",
	}
	cmd.AddCommand(&cobra.Command{
		Use:   "check [FILE]",
		Short: "Validate a config file and print the effective config, secrets masked",
		Long: `Validate a config file: unknown keys, wrong types and invalid values are all
reported at once, each with its file, line and key. On success, print the
effective config (defaults filled in, ${VAR} secrets expanded and masked).`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			path := g.configPath
			if len(args) == 1 {
				path = args[0]
			}
			var (
				f   *config.File
				err error
			)
			if path == "" {
				f = config.Default()
			} else if f, err = config.Load(path); err != nil {
				fmt.Fprintln(cmd.ErrOrStderr(), err)
				return exitCode(1)
			}
			out, err := f.Effective()
			if err != nil {
				return err
			}
			_, err = cmd.OutOrStdout().Write(out)
			return err
		},
	})
	return cmd
}
