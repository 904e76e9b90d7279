package htmldoc_test

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/markusmobius/go-trafilatura"

	"github.com/twinwatch/twinwatch/parser/dates"
	"github.com/twinwatch/twinwatch/parser/htmldoc"
	"github.com/twinwatch/twinwatch/twin"
)

// benchPages are corpus pages, one per language, inflated with realistic
// chrome (inline scripts, mega-menus, sidebars, comment threads) to the
// 50–150 KB of real news pages.
var benchPages = []struct{ lang, file, url string }{
	{"ru", "pages/038-tatarstan-zhejiang-long-article.html", "https://www.tatar-inform.ru/news/2018/05/17/612345/"},
	{"zh", "pages/022-manzhouli-youhao-chengshi.html", "http://www.manzhouli.gov.cn/mzl/wsb/yhcs/202509/t20250902_118734.html"},
	{"en", "pages/040-old-spellings-en.html", "http://vn.vladnews.ru/2008/10/16/features/sister-cities-kirin-to-chungking.html"},
}

// inflate pads a page to about size bytes: a script in the head, a menu
// after <body>, a sidebar and a comment thread before </body>.
func inflate(page []byte, size int) []byte {
	var script, menu, tail bytes.Buffer
	script.WriteString("<script>")
	for i := 0; script.Len() < size/5; i++ {
		fmt.Fprintf(&script, "window.__cfg_%d={a:%d,b:'%s',c:[1,2,3]};function f%d(x){return x*%d+1}\n", i, i, strings.Repeat("x", 20), i, i)
	}
	script.WriteString("</script>")
	menu.WriteString(`<nav class="mega-menu"><ul>`)
	for i := 0; menu.Len() < size/5; i++ {
		fmt.Fprintf(&menu, `<li class="menu-item"><a href="/section/%d/">Раздел %d</a><ul><li><a href="/section/%d/a">Подраздел А</a></li><li><a href="/section/%d/b">Подраздел Б</a></li></ul></li>`, i, i, i, i)
	}
	menu.WriteString("</ul></nav>")
	tail.WriteString(`<div class="sidebar"><h3>Популярное</h3><ul>`)
	for i := 0; tail.Len() < size/5; i++ {
		fmt.Fprintf(&tail, `<li><a href="/news/2024/01/%02d/%d/"><img src="/i/%d.jpg" alt="">Новость номер %d о жизни города и области</a> <span class="date">%02d.01.2024</span></li>`, i%28+1, i, i, i, i%28+1)
	}
	tail.WriteString(`</ul></div><div class="comments"><h3>Комментарии</h3>`)
	for i := 0; tail.Len() < 2*size/5; i++ {
		fmt.Fprintf(&tail, `<div class="comment" id="c%d"><div class="comment__author">Читатель %d</div><div class="comment__text"><p>Интересно, а когда откроют прямой рейс? Было бы удобно, цены на билеты уже сейчас высокие, а летом будут ещё выше. Комментарий %d.</p></div></div>`, i, i, i)
	}
	tail.WriteString(`</div>`)
	s := string(page)
	s = strings.Replace(s, "</head>", script.String()+"</head>", 1)
	if i := strings.Index(s, "<body"); i >= 0 {
		j := strings.IndexByte(s[i:], '>') + i + 1
		s = s[:j] + menu.String() + s[j:]
	}
	s = strings.Replace(s, "</body>", tail.String()+"</body>", 1)
	return []byte(s)
}

func loadBenchPage(b *testing.B, file string) []byte {
	b.Helper()
	body, err := os.ReadFile(filepath.Join(corpusDir, file))
	if os.IsNotExist(err) {
		b.Skip("corpus not in " + corpusDir)
	}
	if err != nil {
		b.Fatal(err)
	}
	return inflate(body, 100<<10)
}

// BenchmarkParse measures Parse on ~100 KB pages; compare with
// BenchmarkTrafilaturaBaseline in the same run.
func BenchmarkParse(b *testing.B) {
	for _, p := range benchPages {
		b.Run(p.lang, func(b *testing.B) {
			body := loadBenchPage(b, p.file)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				d, err := htmldoc.Parse(body, htmldoc.Hints{URL: p.url})
				if err != nil || len(d.Blocks) == 0 {
					b.Fatalf("parse: %v, %d blocks", err, len(d.Blocks))
				}
			}
		})
	}
}

// BenchmarkTrafilaturaBaseline runs go-trafilatura (default options, no
// fallback) on the same pages.
func BenchmarkTrafilaturaBaseline(b *testing.B) {
	for _, p := range benchPages {
		b.Run(p.lang, func(b *testing.B) {
			body := loadBenchPage(b, p.file)
			b.SetBytes(int64(len(body)))
			b.ReportAllocs()
			for b.Loop() {
				if _, err := trafilatura.Extract(bytes.NewReader(body), trafilatura.Options{}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestInflatedPagesKeepContent checks that the benchmark's chrome (menus,
// sidebars with dates, comments) stays out of the extraction.
func TestInflatedPagesKeepContent(t *testing.T) {
	t.Parallel()
	pages := loadCorpus(t)
	byFile := map[string]goldPage{}
	for _, g := range pages {
		byFile[g.Page] = g
	}
	for _, p := range benchPages {
		body, err := os.ReadFile(filepath.Join(corpusDir, p.file))
		if err != nil {
			t.Fatal(err)
		}
		d, err := htmldoc.Parse(inflate(body, 100<<10), htmldoc.Hints{URL: p.url})
		if err != nil {
			t.Fatal(err)
		}
		text := d.Text()
		for _, chrome := range []string{"Раздел", "Новость номер", "Комментарий", "Читатель"} {
			if strings.Contains(text, chrome) {
				t.Errorf("%s: chrome %q in text", p.lang, chrome)
			}
		}
		if got, want := d.Published.String(), byFile[p.file].Published; got != want {
			t.Errorf("%s: published %s, want %s", p.lang, got, want)
		}
	}
}

// BenchmarkFindCorpusText runs dates.Find over the main text of every
// corpus page (one op = all 46 pages), as the extractor would.
func BenchmarkFindCorpusText(b *testing.B) {
	pages := loadCorpus(b)
	type item struct {
		text, lang string
		ref        twin.Date
	}
	var items []item
	total := 0
	for _, g := range pages {
		d := parseCorpusPage(b, g)
		items = append(items, item{d.Text(), d.Lang, d.Published})
		total += len(d.Text())
	}
	b.SetBytes(int64(total))
	b.ReportAllocs()
	for b.Loop() {
		for _, it := range items {
			dates.Find(it.text, it.lang, it.ref)
		}
	}
}
