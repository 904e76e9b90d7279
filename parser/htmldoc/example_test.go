package htmldoc_test

import (
	"fmt"

	"github.com/twinwatch/twinwatch/parser/htmldoc"
)

func ExampleParse() {
	page := `<html><head><meta charset="utf-8"><title>Иркутск и Маньчжурия стали побратимами — IRK.ru</title></head><body>
<ul class="menu"><li><a href="/">Новости</a></li></ul>
<div class="news"><h1>Иркутск и Маньчжурия стали побратимами</h1>
<div class="news-info">19 августа 2025, 09:15</div>
<p>Вчера мэры Иркутска и Маньчжурии подписали соглашение об установлении побратимских отношений.</p>
<table><tr><th>Город</th><th>С</th></tr><tr><td>Маньчжурия (КНР)</td><td>2025 г.</td></tr></table></div>
<div class="read-also"><a href="/x">Иркутская область и провинция Ляонин обсудили проекты</a></div>
<footer>© 2000—2025 IRK.ru</footer></body></html>`
	d, err := htmldoc.Parse([]byte(page), htmldoc.Hints{URL: "https://www.irk.ru/news/20250819/twin/"})
	if err != nil {
		panic(err)
	}
	fmt.Println(d.Title)
	fmt.Println(d.Published, d.PublishedSource, d.Lang)
	for _, b := range d.Blocks {
		fmt.Printf("%s: %s %q\n", b.Kind, b.Text, b.Header)
	}
	// Output:
	// Иркутск и Маньчжурия стали побратимами
	// 2025-08-19 byline ru
	// paragraph: 19 августа 2025, 09:15 []
	// paragraph: Вчера мэры Иркутска и Маньчжурии подписали соглашение об установлении побратимских отношений. []
	// table_header: Город | С []
	// table_row: Маньчжурия (КНР) | 2025 г. ["Город" "С"]
}
