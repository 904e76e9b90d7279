package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/twinwatch/twinwatch/parser"
	"github.com/twinwatch/twinwatch/parser/eval"
	"github.com/twinwatch/twinwatch/twin"
)

func newExtractCmd(g *globals) *cobra.Command {
	var (
		url, published, lang string
	)
	cmd := &cobra.Command{
		Use:   "extract [--url URL] [--published YYYY-MM-DD] [--lang ru|zh|en] FILE|-",
		Short: "Extract agreements and events from one HTML (or text) file",
		Long: `Run the extractor on one page and print one JSON object per line, one per
observation: the same messages the pipeline publishes to OBSERVATIONS. The page
may be in any charset it declares (windows-1251, GBK...) or plain text. --url
and --published help resolve relative dates ("вчера", "昨天") and identify the
page's own city on listing pages; --lang is a hint.`,
		Example: `  twinwatch extract --url https://www.irk.ru/news/20250819/twin/ page.html
  curl -s https://example.org/news/1 | twinwatch extract --published 2025-06-30 -`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var in parser.Input
			var err error
			if args[0] == "-" {
				in.Body, err = io.ReadAll(io.LimitReader(cmd.InOrStdin(), 64<<20))
			} else {
				in.Body, err = os.ReadFile(args[0])
			}
			if err != nil {
				return fmt.Errorf("read page: %w", err)
			}
			if in.Published, err = twin.ParseDate(published); err != nil {
				return fmt.Errorf("--published: %w", err)
			}
			switch lang {
			case "", "ru", "zh", "en":
				in.Lang = lang
			default:
				return fmt.Errorf("--lang must be ru, zh or en, got %q", lang)
			}
			in.URL, in.Source = url, "extract"
			e, err := g.load()
			if err != nil {
				return err
			}
			p, err := newParser(e)
			if err != nil {
				return err
			}
			obs, _, err := p.ParseInput(in)
			if err != nil {
				return err
			}
			enc := json.NewEncoder(cmd.OutOrStdout())
			enc.SetEscapeHTML(false)
			for _, o := range obs {
				if err := enc.Encode(o); err != nil {
					return err
				}
			}
			return nil
		},
	}
	cmd.Flags().StringVar(&url, "url", "", "the page's address (for relative dates in the URL and the page's own city)")
	cmd.Flags().StringVar(&published, "published", "", "publication date YYYY-MM-DD when the page lacks one")
	cmd.Flags().StringVar(&lang, "lang", "", "language hint: ru, zh or en")
	return cmd
}

func newEvalCmd(g *globals) *cobra.Command {
	var (
		corpus  string
		verbose bool
	)
	cmd := &cobra.Command{
		Use:   "eval --corpus DIR [-v]",
		Short: "Score the extractor on a labelled corpus",
		Long: `Score the extractor on a labelled corpus (gold.jsonl + pages/, in the format of
parser/testdata/corpus/README.md): precision, recall and F1 of agreements, of
signed agreements alone (these become alerts), accuracy of status, relation and
year, and event precision/recall — per language and overall. -v lists every
miss and false hit.`,
		Example: `  twinwatch eval --corpus parser/testdata/corpus -v`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			e, err := g.load()
			if err != nil {
				return err
			}
			p, err := newParser(e)
			if err != nil {
				return err
			}
			_, err = eval.Run(corpus, p, verbose, cmd.OutOrStdout())
			return err
		},
	}
	cmd.Flags().StringVar(&corpus, "corpus", "parser/testdata/corpus", "corpus directory with gold.jsonl and pages/")
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list every miss and false hit")
	return cmd
}
