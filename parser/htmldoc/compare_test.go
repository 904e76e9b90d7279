package htmldoc_test

import (
	"bytes"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/markusmobius/go-trafilatura"
	"golang.org/x/net/html"
	"golang.org/x/net/html/charset"

	"github.com/twinwatch/twinwatch/parser/htmldoc"
)

// TestCompareTrafilatura prints, for the corpus, how often the publication
// date matches gold and how many table rows survive, for Parse and for
// go-trafilatura (default options, with the page URL). Set HTMLDOC_COMPARE=1 to run it.
func TestCompareTrafilatura(t *testing.T) {
	if os.Getenv("HTMLDOC_COMPARE") == "" {
		t.Skip("set HTMLDOC_COMPARE=1 to compare with go-trafilatura")
	}
	pages := loadCorpus(t)
	var ourDate, trDate, ourRows, trRows, goldRows int
	for _, g := range pages {
		raw, err := os.ReadFile(filepath.Join(corpusDir, g.Page))
		if err != nil {
			t.Fatal(err)
		}
		d, err := htmldoc.Parse(raw, htmldoc.Hints{URL: g.URL})
		if err != nil {
			t.Fatal(err)
		}
		if d.Published.String() == g.Published {
			ourDate++
		}
		for _, b := range d.Blocks {
			if b.Kind == htmldoc.TableRow {
				ourRows++
			}
		}
		r, err := charset.NewReader(bytes.NewReader(raw), "text/html")
		if err != nil {
			t.Fatal(err)
		}
		u, _ := url.Parse(g.URL)
		res, err := trafilatura.Extract(r, trafilatura.Options{OriginalURL: u})
		if err != nil {
			t.Logf("%s: trafilatura: %v", g.Page, err)
			continue
		}
		got := ""
		if !res.Metadata.Date.IsZero() {
			got = res.Metadata.Date.Format("2006-01-02")
		}
		if got == g.Published {
			trDate++
		} else {
			t.Logf("%s: trafilatura date %q, gold %q", g.Page, got, g.Published)
		}
		if res.ContentNode != nil {
			trRows += countTag(res.ContentNode, "tr")
		}
		goldRows += countTag(mustHTML(t, raw), "tr")
	}
	t.Logf("published exact: htmldoc %d/%d, trafilatura %d/%d", ourDate, len(pages), trDate, len(pages))
	t.Logf("table rows kept: htmldoc %d (TableRow blocks), trafilatura %d (<tr> in ContentNode), all <tr> in pages %d", ourRows, trRows, goldRows)
}

func mustHTML(t *testing.T, raw []byte) *html.Node {
	r, _ := charset.NewReader(bytes.NewReader(raw), "text/html")
	n, err := html.Parse(r)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func countTag(n *html.Node, tag string) int {
	c := 0
	if n.Type == html.ElementNode && strings.EqualFold(n.Data, tag) {
		c++
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		c += countTag(ch, tag)
	}
	return c
}
