package parser

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/twinwatch/twinwatch/parser/gazetteer"
	"github.com/twinwatch/twinwatch/parser/htmldoc"
)

// TestDebugPage prints how the rules see one page: set
// TWINWATCH_DEBUG_PAGE=testdata/corpus/pages/002-irkutsk-manzhouli.html
// (and optionally TWINWATCH_DEBUG_LANG, TWINWATCH_DEBUG_URL).
func TestDebugPage(t *testing.T) {
	path := os.Getenv("TWINWATCH_DEBUG_PAGE")
	if path == "" {
		t.Skip("set TWINWATCH_DEBUG_PAGE")
	}
	body, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	g, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	lang := os.Getenv("TWINWATCH_DEBUG_LANG")
	doc, err := htmldoc.Parse(body, htmldoc.Hints{URL: os.Getenv("TWINWATCH_DEBUG_URL"), Lang: lang})
	if err != nil {
		t.Fatal(err)
	}
	if lang == "" {
		lang = doc.Lang
	}
	p := New(DefaultConfig(), g)
	pg := &page{p: p, lex: lexicons[lang], lang: lang, pub: doc.Published, url: os.Getenv("TWINWATCH_DEBUG_URL"), regions: map[string]bool{}}
	pg.build(doc)
	pg.findMain(doc)
	var b strings.Builder
	fmt.Fprintf(&b, "title=%q published=%s (%s) lang=%s listing=%v pageRel=%s\n", doc.Title, doc.Published, doc.PublishedSource, lang, pg.listing, pg.pageRel)
	if pg.mainRU != nil {
		fmt.Fprintf(&b, "mainRU=%s ", pg.mainRU.NameEN)
	}
	if pg.mainCN != nil {
		fmt.Fprintf(&b, "mainCN=%s ", pg.mainCN.NameEN)
	}
	if pg.home != nil {
		fmt.Fprintf(&b, "home=%s", pg.home.NameEN)
	}
	b.WriteString("\n")
	for _, u := range pg.units {
		fmt.Fprintf(&b, "[%d %s] %s\n", u.block, u.kind, u.text)
		for _, m := range u.ms {
			fmt.Fprintf(&b, "      place %q -> %s %s %s (%s) exact=%v amb=%v alts=%d\n", m.Surface, m.Place.ID, m.Place.NameEN, m.Place.Kind, m.Place.Region, m.Exact, m.Ambiguous, len(m.Alternatives))
		}
		for _, d := range pg.ds(u) {
			fmt.Fprintf(&b, "      date %q -> %s rel=%v\n", u.text[d.Start:d.End], d.Date, d.Relative)
		}
	}
	for _, c := range pg.agreements() {
		fmt.Fprintf(&b, "CAND %s–%s %s/%s %s conf=%.2f | %s\n", c.ru.NameEN, c.cn.NameEN, c.rel, c.status, c.date, c.conf, c.evidence)
	}
	for _, e := range pg.events() {
		fmt.Fprintf(&b, "EV %s–%s %s %s | %s\n", e.ru.NameEN, e.cn.NameEN, e.cat, e.date, e.evidence)
	}
	t.Log("\n" + b.String())
}

// TestDebugFind prints the gazetteer's mentions in TWINWATCH_DEBUG_TEXT.
func TestDebugFind(t *testing.T) {
	text := os.Getenv("TWINWATCH_DEBUG_TEXT")
	if text == "" {
		t.Skip("set TWINWATCH_DEBUG_TEXT")
	}
	g, err := gazetteer.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range g.Find(text) {
		t.Logf("%q -> %s %s/%s/%s %s region=%s exact=%v amb=%v alts=%v", m.Surface, m.Place.ID, m.Place.NameRU, m.Place.NameZH, m.Place.NameEN, m.Place.Kind, m.Place.Region, m.Exact, m.Ambiguous, m.Alternatives)
	}
}
