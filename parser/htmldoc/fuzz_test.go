package htmldoc_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/twinwatch/twinwatch/parser/htmldoc"
)

func FuzzParse(f *testing.F) {
	if entries, err := os.ReadDir(filepath.Join(corpusDir, "pages")); err == nil {
		for i, e := range entries {
			if i%4 != 0 {
				continue
			}
			if b, err := os.ReadFile(filepath.Join(corpusDir, "pages", e.Name())); err == nil {
				f.Add(b, "https://example.org/2015/05/22/x", "")
			}
		}
	}
	f.Add([]byte("<table><tr><th>a</th><th>b</th></tr><tr><td>1993年</td><td>x</td></tr></table>"), "", "gbk")
	f.Add([]byte("plain text\n\n15 июня 2017 г."), "", "windows-1251")
	f.Add([]byte("<div><div><div><p>x"), "", "")
	f.Fuzz(func(t *testing.T, body []byte, url, cs string) {
		d, err := htmldoc.Parse(body, htmldoc.Hints{URL: url, Charset: cs})
		if err != nil {
			return
		}
		if !d.Published.Valid() {
			t.Fatalf("invalid published %+v", d.Published)
		}
		if d.Published.IsZero() != (d.PublishedSource == "") {
			t.Fatalf("published %v with source %q", d.Published, d.PublishedSource)
		}
		for _, b := range d.Blocks {
			if b.Text == "" {
				t.Fatal("empty block")
			}
			if (b.Kind == htmldoc.TableRow || b.Kind == htmldoc.TableHeader) != (b.Cells != nil) {
				t.Fatalf("cells on %s", b.Kind)
			}
		}
		switch d.Lang {
		case "", "ru", "zh", "en":
		default:
			t.Fatalf("lang %q", d.Lang)
		}
		_ = d.Text()
	})
}
