package htmldoc_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/twinwatch/twinwatch/parser/htmldoc"
	"github.com/twinwatch/twinwatch/twin"
)

func readCorpus(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(corpusDir, "pages", name))
	if os.IsNotExist(err) {
		t.Skip("corpus not in " + corpusDir)
	}
	require.NoError(t, err)
	return b
}

func mustParse(t *testing.T, body []byte, h htmldoc.Hints) *htmldoc.Doc {
	t.Helper()
	d, err := htmldoc.Parse(body, h)
	require.NoError(t, err)
	return d
}

const article = `<!DOCTYPE html><html lang="ru"><head><meta charset="%s"><title>Хабаровск и Харбин продлили соглашение — Новости</title></head>
<body><nav class="menu"><a href="/">Главная</a> <a href="/news">Новости</a></nav>
<div class="article"><h1>Хабаровск и Харбин продлили соглашение</h1>
<div class="date">16 июня 2017, 12:40</div>
<p>Вчера мэры Хабаровска и Харбина продлили соглашение о побратимских связях, действующее с 1993 года.</p>
<p>Стороны договорились об обмене школьниками, о совместных выставках и о новых авиарейсах между городами.</p>
</div>
<aside class="sidebar"><h3>Читайте также</h3><ul><li><a href="/x">Делегация из Даляня посетила Владивосток 12 мая 2017</a></li></ul></aside>
<footer>© 2024 Хабаровск.ру</footer></body></html>`

func TestParseEncodings(t *testing.T) {
	t.Parallel()
	utf8Page := strings.ReplaceAll(article, "%s", "utf-8")
	cp1251Page := strings.ReplaceAll(article, "%s", "windows-1251")
	cp, err := charmap.Windows1251.NewEncoder().String(cp1251Page)
	require.NoError(t, err)
	undeclared, err := charmap.Windows1251.NewEncoder().String(strings.ReplaceAll(article, `<meta charset="%s">`, ""))
	require.NoError(t, err)
	u16 := utf16.Encode([]rune(utf8Page))
	var le bytes.Buffer
	le.Write([]byte{0xff, 0xfe})
	for _, c := range u16 {
		le.Write([]byte{byte(c), byte(c >> 8)})
	}
	zh := `<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>满洲里友好城市</title></head><body><div class="txt"><p>1993年6月28日，满洲里市与克拉斯诺卡缅斯克市缔结友好城市关系，两市在经贸、文化、教育等领域开展了广泛交流。</p></div></body></html>`
	gbk, err := simplifiedchinese.GBK.NewEncoder().String(zh)
	require.NoError(t, err)
	gbkUndeclared, err := simplifiedchinese.GBK.NewEncoder().String(strings.ReplaceAll(zh, `<meta http-equiv="Content-Type" content="text/html; charset=gb2312">`, ""))
	require.NoError(t, err)

	cases := []struct {
		name      string
		body      []byte
		charset   string
		wantTitle string
		wantText  string
	}{
		{"utf-8", []byte(utf8Page), "", "Хабаровск и Харбин продлили соглашение", "мэры Хабаровска"},
		{"utf-8 with BOM", append([]byte("\xef\xbb\xbf"), utf8Page...), "", "Хабаровск и Харбин продлили соглашение", "мэры Хабаровска"},
		{"windows-1251 declared", []byte(cp), "", "Хабаровск и Харбин продлили соглашение", "мэры Хабаровска"},
		{"windows-1251 from hint", []byte(undeclared), "windows-1251", "Хабаровск и Харбин продлили соглашение", "мэры Хабаровска"},
		{"windows-1251 guessed", []byte(undeclared), "", "Хабаровск и Харбин продлили соглашение", "мэры Хабаровска"},
		{"decoded utf-8 with stale declaration", []byte(cp1251Page), "windows-1251", "Хабаровск и Харбин продлили соглашение", "мэры Хабаровска"},
		{"utf-16le BOM", le.Bytes(), "", "Хабаровск и Харбин продлили соглашение", "мэры Хабаровска"},
		{"gb2312 declared", []byte(gbk), "", "满洲里友好城市", "克拉斯诺卡缅斯克市"},
		{"gbk from hint", []byte(gbkUndeclared), "GBK", "满洲里友好城市", "克拉斯诺卡缅斯克市"},
		{"gbk guessed", []byte(gbkUndeclared), "", "满洲里友好城市", "克拉斯诺卡缅斯克市"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := mustParse(t, tc.body, htmldoc.Hints{Charset: tc.charset})
			require.Equal(t, tc.wantTitle, d.Title)
			require.Contains(t, d.Text(), tc.wantText)
		})
	}
}

func TestParseLegacyCorpusPages(t *testing.T) {
	t.Parallel()
	cases := []struct {
		file, title, text, lang string
	}{
		{"024-nakhodka-pobratimy.cp1251.html", "Города-побратимы Находки", "Цзилинь", "ru"},
		{"027-penza-gansu-protokol-namereniy.cp1251.html", "Пензенская область и провинция Ганьсу подписали протокол о намерениях", "Ганьсу", "ru"},
		{"025-shanghai-youhao-chengshi.gbk.html", "上海市国际友好城市一览", "圣彼得堡市", "zh"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			d := mustParse(t, readCorpus(t, tc.file), htmldoc.Hints{})
			require.Equal(t, tc.title, d.Title)
			require.Contains(t, d.Text(), tc.text)
			require.Equal(t, tc.lang, d.Lang)
			require.NotContains(t, d.Text(), "\uFFFD")
		})
	}
}

func TestParseArticle(t *testing.T) {
	t.Parallel()
	d := mustParse(t, []byte(strings.ReplaceAll(article, "%s", "utf-8")), htmldoc.Hints{})
	require.Equal(t, "Хабаровск и Харбин продлили соглашение", d.Title)
	require.Equal(t, "2017-06-16", d.Published.String())
	require.Equal(t, "byline", d.PublishedSource)
	require.Equal(t, "ru", d.Lang)
	text := d.Text()
	require.Contains(t, text, "Вчера мэры")
	require.NotContains(t, text, "Даляня", "sidebar")
	require.NotContains(t, text, "Главная", "menu")
	require.NotContains(t, text, "©", "footer")
	for _, b := range d.Blocks {
		require.NotEqual(t, d.Title, b.Text, "title repeated")
	}
}

func TestParseSidebarsExcluded(t *testing.T) {
	t.Parallel()
	cases := []struct {
		file    string
		absent  []string
		present []string
	}{
		{"031-vladivostok-hakodate-sidebar.html", []string{"Далянь", "Даляня", "Ниигата", "Русском острове"}, []string{"Хакодате — один из первых побратимов"}},
		{"002-irkutsk-manzhouli.html", []string{"Ляонин", "Пекин", "Читайте также", "Глазковского", "IRK.ru"}, []string{"Соглашение подписали вчера", "Вчера мэр Иркутска"}},
		{"032-tianjin-kobe-50-years.html", []string{"新西伯利亚", "哈尔滨"}, []string{"神户"}},
		{"016-blagoveshchensk-heihe-basketball.html", []string{"Харбин", "ледовый фестиваль"}, []string{"Хэйхэ"}},
		{"046-khabarovsk-sanya-traditional.html", []string{"相關新聞", "格洛納斯"}, []string{"三亞"}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			text := mustParse(t, readCorpus(t, tc.file), htmldoc.Hints{}).Text()
			for _, s := range tc.absent {
				require.NotContains(t, text, s)
			}
			for _, s := range tc.present {
				require.Contains(t, text, s)
			}
		})
	}
}

func TestParseTables(t *testing.T) {
	t.Parallel()
	cases := []struct {
		file      string
		header    []string
		row       []string // one expected row
		rows      int      // expected TableRow count
		afterText string   // a paragraph after the table that must survive
	}{
		{"022-manzhouli-youhao-chengshi.html", []string{"序号", "友好城市", "所在国家及地区", "关系类型", "缔结时间"},
			[]string{"5", "克拉斯诺亚尔斯克市", "俄罗斯联邦 克拉斯诺亚尔斯克边疆区", "友好合作关系城市", "2017年12月13日"}, 7, "缔结时间待核实"},
		{"021-yaroslavl-goroda-pobratimy.html", []string{"Город", "Страна", "Год", "Документ", "Статус"},
			[]string{"Нанкин", "КНР", "2012", "Меморандум о дружбе и сотрудничестве", "побратим"}, 10, "Дата изменения"},
		{"023-heilongjiang-sister-provinces-en.html", []string{"Partner", "Country", "Relationship", "Established"},
			[]string{"Amur Oblast", "Russia", "Sister province/state", "May 14, 1995"}, 5, "gateway"},
		{"024-nakhodka-pobratimy.cp1251.html", []string{"Город", "Страна", "Дата подписания соглашения"},
			[]string{"Цзилинь (провинция Цзилинь)", "Китайская Народная Республика", "16 июля 1991 г."}, 5, "Последнее обновление"},
		{"025-shanghai-youhao-chengshi.gbk.html", []string{"序号", "友好城市（省、州）", "国家", "结好年份"},
			[]string{"9", "圣彼得堡市", "俄罗斯", "1988"}, 10, "仅列出部分友好城市"},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			d := mustParse(t, readCorpus(t, tc.file), htmldoc.Hints{})
			var rows [][]string
			headers := 0
			for _, b := range d.Blocks {
				switch b.Kind {
				case htmldoc.TableRow:
					require.Equal(t, tc.header, b.Header)
					require.Equal(t, strings.Join(nonEmpty(b.Cells), " | "), b.Text)
					rows = append(rows, b.Cells)
				case htmldoc.TableHeader:
					headers++
					require.Equal(t, tc.header, b.Cells)
				}
			}
			require.Equal(t, 1, headers)
			require.Len(t, rows, tc.rows)
			require.Contains(t, rows, tc.row)
			require.Contains(t, d.Text(), tc.afterText)
		})
	}
}

func nonEmpty(cells []string) []string {
	var out []string
	for _, c := range cells {
		if c != "" {
			out = append(out, c)
		}
	}
	return out
}

func TestParseListItems(t *testing.T) {
	t.Parallel()
	page := `<html><body><div class="content"><h1>Города-побратимы</h1><p>Город поддерживает связи с городами Китая.</p>
<ul><li>Харбин (КНР) — с 1993 г.</li><li>Лоян (КНР) — с 2000 г.</li><li><a href="/dalian">Далянь</a> (КНР) — с 2012 г.</li></ul>
<p>Цзилинь<br>Сиань — с 2015 г.</p></div></body></html>`
	d := mustParse(t, []byte(page), htmldoc.Hints{})
	var items []string
	for _, b := range d.Blocks {
		if b.Kind == htmldoc.ListItem {
			items = append(items, b.Text)
		}
	}
	require.Equal(t, []string{"Харбин (КНР) — с 1993 г.", "Лоян (КНР) — с 2000 г.", "Далянь (КНР) — с 2012 г."}, items)
	require.Contains(t, d.Text(), "Цзилинь\nСиань — с 2015 г.", "<br> separates blocks")
}

func TestParseSelectorsOverride(t *testing.T) {
	t.Parallel()
	page := `<html><head><title>Site</title><meta property="article:published_time" content="2020-01-01"></head><body>
<div class="teaser"><h1>Wrong headline</h1><p>A long teaser paragraph that a generic extractor would happily take as the main text of this page, with commas, words, and more words.</p>
<p>Another long teaser paragraph that a generic extractor would happily take as the main text of this page, with commas, words, and more words.</p></div>
<div class="story"><span class="hl">Right headline</span><span class="when">Updated 5 March 2021</span><p>Short real body.</p></div>
</body></html>`
	sel := twin.Selectors{Title: ".story .hl", Date: ".story .when", Body: ".story p"}
	d := mustParse(t, []byte(page), htmldoc.Hints{Selectors: sel})
	require.Equal(t, "Right headline", d.Title)
	require.Equal(t, "2021-03-05", d.Published.String())
	require.Equal(t, "selector", d.PublishedSource)
	require.Equal(t, "Short real body.", d.Text())

	// Selectors that match nothing (or do not compile) fall back.
	d = mustParse(t, []byte(page), htmldoc.Hints{Selectors: twin.Selectors{Title: ".nope", Date: "[[", Body: "#missing"}})
	require.Equal(t, "Wrong headline", d.Title)
	require.Equal(t, "2020-01-01", d.Published.String())
	require.Contains(t, d.Text(), "teaser paragraph")

	require.NoError(t, htmldoc.ValidateSelectors(sel))
	var se *htmldoc.SelectorError
	require.ErrorAs(t, htmldoc.ValidateSelectors(twin.Selectors{Date: "[["}), &se)
	require.Equal(t, "date", se.Field)
}

func TestParsePublished(t *testing.T) {
	t.Parallel()
	body := func(s string) string {
		return `<html><head>` + s + `</head><body><div class="content"><p>Первый абзац статьи о побратимских связях двух городов, довольно длинный, с запятыми, словами и смыслом.</p></div>` +
			`<div class="footer">© 2024 Редакция. Все права защищены. 2005–2024</div></body></html>`
	}
	cases := []struct {
		name, page, url string
		hint            twin.Date
		want, source    string
	}{
		{"meta", body(`<meta property="article:published_time" content="2025-06-30T16:20:00+03:00">`), "", twin.Date{}, "2025-06-30", "meta"},
		{"meta pubdate", body(`<meta name="PubDate" content="2024-09-13 10:21">`), "", twin.Date{}, "2024-09-13", "meta"},
		{"jsonld", body(`<script type="application/ld+json">{"@type":"NewsArticle","datePublished":"2023-08-24T15:30:00+03:00"}</script>`), "", twin.Date{}, "2023-08-24", "jsonld"},
		{"time", strings.Replace(body(""), `<div class="content">`, `<div class="content"><time datetime="2023-03-13T16:10:00+05:00">13 марта</time>`, 1), "", twin.Date{}, "2023-03-13", "time"},
		{"cms line", strings.Replace(body(""), `<div class="content">`, `<div class="content"><div class="xx">发布时间：2009-06-12 16:30 信息来源：欧亚处</div>`, 1), "", twin.Date{}, "2009-06-12", "byline"},
		{"url", body(""), "https://www.yakutia.info/article/2015/05/22/yakutsk", twin.Date{}, "2015-05-22", "url"},
		{"hint", body(""), "https://example.org/news/5321.html", twin.MustDate("2011-02-28"), "2011-02-28", "hint"},
		{"copyright footer is no date", body(""), "", twin.Date{}, "", ""},
		{"hint beats a month-only url", body(""), "https://example.org/news/202509/x.html", twin.MustDate("2025-09-02"), "2025-09-02", "hint"},
		{"day url beats hint", body(""), "https://example.org/news/2025/09/01/x.html", twin.MustDate("2025-09-02"), "2025-09-01", "url"},
		{"body sentence is no byline", strings.Replace(body(""), `<div class="content">`, `<div class="content"><p>14 июля 1993 года Астрахань и Даньдун подписали соглашение.</p><p>活动时间：2024年6月1日，两市举行活动。</p>`, 1), "", twin.Date{}, "", ""},
		{"weak label inside a sentence", strings.Replace(body(""), `<div class="content">`, `<div class="content"><div>两市商定的活动时间：2024年6月1日，届时将举办展览。</div>`, 1), "", twin.Date{}, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			d := mustParse(t, []byte(tc.page), htmldoc.Hints{URL: tc.url, Published: tc.hint})
			require.Equal(t, tc.want, d.Published.String())
			require.Equal(t, tc.source, d.PublishedSource)
		})
	}
}

func TestURLDate(t *testing.T) {
	t.Parallel()
	cases := []struct{ url, want string }{
		{"https://www.irk.ru/news/20250819/twin/", "2025-08-19"},
		{"https://www.yakutia.info/article/2015/05/22/yakutsk-i-hejhe", "2015-05-22"},
		{"https://www.bashinform.ru/news/politics/2015-11-30/v-tsitsikare-2871045", "2015-11-30"},
		{"http://www.0745news.cn/2017/0923/1034567.shtml", "2017-09-23"},
		{"http://english.peopledaily.com.cn/199908/24/eng19990824X104.html", "1999-08-24"},
		{"http://www.hnfao.gov.cn/xxgk/gzdt/200906/t20090612_1084327.html", "2009-06-12"},
		{"http://en.sanya.gov.cn/news/2019-11/05/c_5123.htm", "2019-11-05"},
		{"http://russian.people.com.cn/n3/2017/1214/c31518-9304712.html", "2017-12-14"},
		{"https://example.org/news/2018/11/", "2018-11"},
		{"http://www.penza.ru/news/5321.html", ""},
		{"https://admomsk.ru/web/guest/news/-/asset_publisher/Jmd3/content/1934227", ""},
		{"https://example.org/news?date=2015-05-22", ""},
		{"https://20150522.example.org/", ""},
		{"", ""},
	}
	for _, tc := range cases {
		t.Run(tc.url, func(t *testing.T) {
			t.Parallel()
			d, ok := htmldoc.URLDate(tc.url)
			require.Equal(t, tc.want != "", ok)
			require.Equal(t, tc.want, d.String())
		})
	}
}

func TestParsePlainText(t *testing.T) {
	t.Parallel()
	text := "Хабаровск и Санья стали побратимами\n\nОпубликовано: 28.02.2011\n\nГорода подписали соглашение о побратимстве.\nСтороны договорились о туризме.\n\nВ 2012 году откроются рейсы."
	d := mustParse(t, []byte(text), htmldoc.Hints{Lang: "ru"})
	require.Equal(t, "Хабаровск и Санья стали побратимами", d.Title)
	require.Equal(t, "2011-02-28", d.Published.String())
	require.Equal(t, "ru", d.Lang)
	require.Len(t, d.Blocks, 3)
	require.Equal(t, "Города подписали соглашение о побратимстве. Стороны договорились о туризме.", d.Blocks[1].Text)
}

func TestParseLangHint(t *testing.T) {
	t.Parallel()
	d := mustParse(t, []byte("<html><body><p>OK 2019</p></body></html>"), htmldoc.Hints{Lang: "zh"})
	require.Equal(t, "zh", d.Lang, "too little text: the hint decides")
	d = mustParse(t, []byte("<html><body><p>Договор подписан в Пекине в присутствии делегаций обеих сторон.</p></body></html>"), htmldoc.Hints{Lang: "zh"})
	require.Equal(t, "ru", d.Lang, "clear text beats the hint")
}

func TestParseBadInput(t *testing.T) {
	t.Parallel()
	for _, body := range [][]byte{nil, []byte("   \n\t "), []byte("\xef\xbb\xbf")} {
		_, err := htmldoc.Parse(body, htmldoc.Hints{})
		require.ErrorIs(t, err, htmldoc.ErrEmpty)
		require.ErrorIs(t, err, twin.ErrInvalid)
	}
	_, err := htmldoc.Parse([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x02\x00\x00\x00\x90\x91h6"), htmldoc.Hints{})
	require.ErrorIs(t, err, htmldoc.ErrBinary)
	require.True(t, errors.Is(err, twin.ErrInvalid))
}

func TestParseBoundedOnHostileInput(t *testing.T) {
	t.Parallel()
	deep := strings.Repeat("<div>", 200000) + "<p>deep text that is long enough to count as content, with commas, words, and more.</p>" + strings.Repeat("</div>", 200000)
	d := mustParse(t, []byte(deep), htmldoc.Hints{})
	require.NotNil(t, d)
	unclosed := "<html><body>" + strings.Repeat("<b id=x><i><span>t", 50000) + "</body></html>"
	d = mustParse(t, []byte(unclosed), htmldoc.Hints{})
	require.NotNil(t, d)
	huge := bytes.Repeat([]byte("<p>Большой текст, много слов, повторяется.</p>"), htmldoc.MaxInput/40)
	d = mustParse(t, huge, htmldoc.Hints{})
	require.NotEmpty(t, d.Blocks)
}
