package htmldoc_test

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/parser/htmldoc"
)

// corpusDir is the labelled development corpus, copied into testdata.
const corpusDir = "../testdata/corpus"

type goldPage struct {
	Page      string `json:"page"`
	URL       string `json:"url"`
	Lang      string `json:"lang"`
	Published string `json:"published"`
}

func loadCorpus(t testing.TB) []goldPage {
	t.Helper()
	f, err := os.Open(filepath.Join(corpusDir, "gold.jsonl"))
	if os.IsNotExist(err) {
		t.Skip("corpus not in " + corpusDir)
	}
	require.NoError(t, err)
	defer f.Close()
	var out []goldPage
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var g goldPage
		require.NoError(t, json.Unmarshal(sc.Bytes(), &g))
		out = append(out, g)
	}
	require.NoError(t, sc.Err())
	return out
}

func parseCorpusPage(t testing.TB, g goldPage) *htmldoc.Doc {
	t.Helper()
	body, err := os.ReadFile(filepath.Join(corpusDir, g.Page))
	require.NoError(t, err)
	d, err := htmldoc.Parse(body, htmldoc.Hints{URL: g.URL})
	require.NoError(t, err)
	return d
}

// TestCorpusPublishedAndLang checks the publication date and language of
// every corpus page against gold, without hints other than the URL.
func TestCorpusPublishedAndLang(t *testing.T) {
	t.Parallel()
	pages := loadCorpus(t)
	okDate, okLang := 0, 0
	for _, g := range pages {
		d := parseCorpusPage(t, g)
		if d.Published.String() == g.Published {
			okDate++
		} else {
			t.Errorf("%s: published %q (%s), gold %q", g.Page, d.Published, d.PublishedSource, g.Published)
		}
		if d.Lang == g.Lang {
			okLang++
		} else {
			t.Errorf("%s: lang %q, gold %q", g.Page, d.Lang, g.Lang)
		}
	}
	t.Logf("published exact: %d/%d, lang: %d/%d", okDate, len(pages), okLang, len(pages))
}

// TestCorpusDump prints every page's extraction when HTMLDOC_DUMP=1.
func TestCorpusDump(t *testing.T) {
	if os.Getenv("HTMLDOC_DUMP") == "" {
		t.Skip("set HTMLDOC_DUMP=1 to print the corpus extraction")
	}
	for _, g := range loadCorpus(t) {
		if f := os.Getenv("HTMLDOC_PAGE"); f != "" && !strings.Contains(g.Page, f) {
			continue
		}
		d := parseCorpusPage(t, g)
		fmt.Printf("===== %s\nTITLE %q\nDATE %s (%s) LANG %s\n", g.Page, d.Title, d.Published, d.PublishedSource, d.Lang)
		for _, b := range d.Blocks {
			if b.Kind == htmldoc.TableRow {
				fmt.Printf("  [%s] %q hdr=%q\n", b.Kind, b.Cells, b.Header)
				continue
			}
			fmt.Printf("  [%s] %s\n", b.Kind, b.Text)
		}
	}
}
