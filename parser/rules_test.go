package parser_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"

	"github.com/twinwatch/twinwatch/parser"
	"github.com/twinwatch/twinwatch/twin"
)

// html builds a small news page: title, a <time> byline when published is
// set, and one paragraph per element of paras (a paragraph starting with
// "<" is inserted as raw HTML).
func html(charset, title, published string, paras ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "<!doctype html><html><head><meta charset=%q><title>%s</title>", charset, title)
	if published != "" {
		fmt.Fprintf(&b, `<meta property="article:published_time" content="%sT10:00:00+03:00">`, published)
	}
	b.WriteString("</head><body><header><nav><a href=\"/\">Главная</a> <a href=\"/news\">Новости</a></nav></header><main><article>")
	fmt.Fprintf(&b, "<h1>%s</h1>", title)
	if published != "" {
		fmt.Fprintf(&b, `<time datetime="%s">%s</time>`, published, published)
	}
	for _, p := range paras {
		if strings.HasPrefix(p, "<") {
			b.WriteString(p)
			continue
		}
		fmt.Fprintf(&b, "<p>%s</p>", p)
	}
	b.WriteString("</article></main><footer>(c) 2026</footer></body></html>")
	return b.String()
}

func short(name string) string {
	if i := strings.Index(name, ","); i >= 0 {
		name = name[:i]
	}
	return name
}

// summary renders observations as sorted lines:
// "A Ufa–Qiqihar twin signed 2015-11-28" and "E Ufa–Qiqihar delegation 2015-11".
func summary(obs []twin.Observation) []string {
	var out []string
	for _, o := range obs {
		pair := short(o.Places[0].NameEN) + "–" + short(o.Places[1].NameEN)
		if o.Type == twin.KindAgreement {
			out = append(out, strings.TrimSpace(fmt.Sprintf("A %s %s %s %s", pair, o.Relation, o.Status, o.Established)))
		} else {
			out = append(out, strings.TrimSpace(fmt.Sprintf("E %s %s %s", pair, o.Category, o.Date)))
		}
	}
	sort.Strings(out)
	return out
}

type ruleCase struct {
	name string
	lang string
	url  string
	body string
	// want lists every agreement ("A ...") the page must yield; events are
	// checked only when wantEvents is set.
	want       []string
	wantEvents []string
	checkEv    bool
}

func runCases(t *testing.T, cases []ruleCase) {
	p := newParser(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			obs, _, err := p.ParseInput(parser.Input{Body: []byte(tc.body), URL: tc.url, Lang: tc.lang, Source: "test"})
			require.NoError(t, err)
			var ags, evs []string
			for _, s := range summary(obs) {
				if strings.HasPrefix(s, "A ") {
					ags = append(ags, s)
				} else {
					evs = append(evs, s)
				}
			}
			require.Equal(t, tc.want, ags, "agreements")
			if tc.checkEv {
				require.Equal(t, tc.wantEvents, evs, "events")
			}
			for _, o := range obs {
				require.NoError(t, o.Validate())
				require.Equal(t, parser.Version, o.Extractor)
				require.Equal(t, twin.OriginCrawl, o.Origin)
				require.NotEmpty(t, o.Evidence)
			}
		})
	}
}

func TestDeclensionAndRelativeDates(t *testing.T) {
	runCases(t, []ruleCase{{
		name: "ru oblique cases and вчера",
		lang: "ru", url: "https://example.ru/news/1",
		body: html("utf-8", "Уфа и Цицикар стали побратимами", "2015-11-30",
			"Вчера в Цицикаре глава Уфы и мэр Цицикара подписали меморандум об установлении побратимских отношений.",
			"Делегация Уфы пробыла в Китае три дня."),
		want: []string{"A Ufa–Qiqihar twin signed 2015-11-29"},
	}, {
		name: "zh 昨天",
		lang: "zh", url: "http://example.cn/2025/0819/1.html",
		body: html("utf-8", "满洲里市与伊尔库茨克市缔结友好城市关系", "2025-08-19",
			"昨天，满洲里市与俄罗斯伊尔库茨克市正式签署建立友好城市关系协议书。"),
		want: []string{"A Irkutsk–Manzhouli twin signed 2025-08-18"},
	}, {
		name: "en on Sunday, place of signing is not a party",
		lang: "en", url: "http://example.cn/en/1.htm",
		body: html("utf-8", "Changchun and Ulan-Ude become sister cities", "2000-09-28",
			"Changchun and Ulan-Ude signed a sister-city agreement in Beijing on Sunday."),
		want: []string{"A Ulan-Ude–Changchun twin signed 2000-09-24"},
	}})
}

func TestAnniversariesAndExisting(t *testing.T) {
	runCases(t, []ruleCase{{
		name: "ru 30-летие gives the year",
		lang: "ru", url: "https://example.ru/news/2",
		body: html("utf-8", "Липецк и Аньшань: 30 лет дружбы", "2022-07-20",
			"Липецк и китайский Аньшань отмечают 30-летие побратимских связей."),
		want: []string{"A Lipetsk–Anshan twin anniversary 1992"},
	}, {
		name: "zh 十周年",
		lang: "zh", url: "http://example.cn/2.html",
		body: html("utf-8", "南京与雅罗斯拉夫尔结好十周年", "2022-10-14",
			"今年是南京市与俄罗斯雅罗斯拉夫尔市结为友好城市十周年。"),
		want: []string{"A Yaroslavl–Nanjing twin anniversary 2012"},
	}, {
		name: "en sister cities since",
		lang: "en", url: "http://example.cn/en/3.htm",
		body: html("utf-8", "Sanya tourism week opens", "2019-11-05",
			"Khabarovsk and Sanya have been sister cities since 2011."),
		want: []string{"A Khabarovsk–Sanya twin existing 2011"},
	}, {
		name: "ru old signing is existing",
		lang: "ru", url: "https://example.ru/news/4",
		body: html("utf-8", "В Кемерово прибыли гости", "2019-06-11",
			"Кемерово и Ляоян породнились в 1992 году."),
		want: []string{"A Kemerovo–Liaoyang twin existing 1992"},
	}, {
		name: "ru history feature under a signing headline",
		lang: "ru", url: "https://example.ru/history/5",
		body: html("utf-8", "Как Омск и Урумчи стали побратимами", "2024-02-01",
			"Омск и Урумчи породнились в 2010 году, после нескольких лет переговоров."),
		want: []string{"A Omsk–Ürümqi twin existing 2010"},
	}})
}

func TestIntentVersusSigning(t *testing.T) {
	runCases(t, []ruleCase{{
		name: "ru протокол о намерениях",
		lang: "ru", url: "https://example.ru/news/5",
		body: html("utf-8", "Пенза и Ланьчжоу намерены породниться", "2019-05-10",
			"Мэр Пензы и мэр Ланьчжоу подписали протокол о намерениях установить побратимские отношения."),
		want: []string{"A Penza–Lanzhou twin intent"},
	}, {
		name: "ru future signing",
		lang: "ru", url: "https://example.ru/news/6",
		body: html("utf-8", "Пермь может породниться с Хух-Хото", "2023-03-13",
			"Соглашение о побратимстве Перми и Хух-Хото, возможно, будет подписано в следующем году."),
		want: []string{"A Perm–Hohhot twin intent"},
	}, {
		name: "en letter of intent",
		lang: "en", url: "http://example.cn/en/7.htm",
		body: html("utf-8", "Tongchuan, Ulyanovsk sign letter of intent", "",
			"Tongchuan and the Russian city of Ulyanovsk signed a letter of intent on sister-city relations."),
		want: []string{"A Ulyanovsk–Tongchuan twin intent"},
	}})
}

func TestOtherCountriesAndTermination(t *testing.T) {
	runCases(t, []ruleCase{{
		name: "japanese twin in the same sentence",
		lang: "ru", url: "https://example.ru/news/8",
		body: html("utf-8", "Побратимы Владивостока", "2022-08-26",
			"У Владивостока несколько побратимов: японский Хакодате, американский Сан-Диего и китайский Далянь, с которым город породнился в 1992 году."),
		want: []string{"A Vladivostok–Dalian twin existing 1992"},
	}, {
		name: "ru came to nothing",
		lang: "ru", url: "https://example.ru/news/9",
		body: html("utf-8", "Бывшие побратимы", "2017-06-15",
			"В 2003 году у Райчихинска появился китайский побратим — уезд Сюнькэ. Связи поддерживали, но постепенно отношения сошли на нет."),
		want: []string{"A Raychikhinsk–Xunke twin terminated 2003"},
	}})
}

func TestListingPages(t *testing.T) {
	table := `<table><tr><th>友好城市</th><th>所在国家及地区</th><th>缔结时间</th></tr>` +
		`<tr><td>乌兰乌德市</td><td>俄罗斯布里亚特共和国</td><td>1993年12月18日</td></tr>` +
		`<tr><td>赤塔市</td><td>俄罗斯外贝加尔边疆区</td><td>—</td></tr>` +
		`<tr><td>乔巴山市</td><td>蒙古国东方省</td><td>2005年</td></tr></table>`
	list := `<ul><li>Нанкин (Китай) — с 2012 года</li><li>Эксетер (Великобритания) — с 1989 года</li><li>Цзюцзян (Китай) — с 2023 года</li></ul>`
	runCases(t, []ruleCase{{
		name: "zh table of 友好城市",
		lang: "zh", url: "http://www.manzhouli.gov.cn/yhcs/1.html",
		body: html("utf-8", "满洲里市友好城市", "2025-09-02", "满洲里市已与以下城市缔结友好城市关系。", table),
		want: []string{"A Chita–Manzhouli twin existing", "A Ulan-Ude–Manzhouli twin existing 1993-12-18"},
	}, {
		name: "ru list of twin cities",
		lang: "ru", url: "https://city-yar.ru/twin-cities/",
		body: html("utf-8", "Ярославль: города-побратимы", "2024-11-12", list),
		want: []string{"A Yaroslavl–Jiujiang twin existing 2023", "A Yaroslavl–Nanjing twin existing 2012"},
	}})
}

func TestEvents(t *testing.T) {
	runCases(t, []ruleCase{{
		name: "delegation yes, plans and video no",
		lang: "ru", url: "https://example.ru/news/10",
		body: html("utf-8", "Делегация Ляояна посетила Кемерово", "2019-06-11",
			"Сегодня официальная делегация города-побратима Ляояна во главе с мэром посетила Кемерово.",
			"В сентябре школьники Кемерово поедут в Ляоян: обмен планируется продолжить.",
			"Мэр Ляояна поздравил кемеровчан по видеосвязи."),
		want:       []string{"A Kemerovo–Liaoyang twin existing"},
		wantEvents: []string{"E Kemerovo–Liaoyang delegation 2019-06-11"},
		checkEv:    true,
	}, {
		name: "zh photo exhibition",
		lang: "zh", url: "http://example.cn/11.html",
		body: html("utf-8", "南京摄影展在雅罗斯拉夫尔开幕", "2022-10-14",
			"10月12日，“南京印象”摄影展在俄罗斯雅罗斯拉夫尔市开幕。"),
		want:       nil,
		wantEvents: []string{"E Yaroslavl–Nanjing culture 2022-10-12"},
		checkEv:    true,
	}})
}

func TestLegacyEncodings(t *testing.T) {
	p := newParser(t)
	for _, tc := range []struct {
		name, charset, lang, title, published, text string
		enc                                         encoding.Encoding
	}{
		{"windows-1251", "windows-1251", "ru", "Находка и Цзилинь", "2008-03-14",
			"Находка и китайский город Цзилинь стали побратимами 16 июля 1991 года.", charmap.Windows1251},
		{"gbk", "gbk", "zh", "上海市友好城市", "2011-06-30",
			"1988年，上海市与俄罗斯圣彼得堡市结为友好城市。", simplifiedchinese.GBK},
	} {
		t.Run(tc.name, func(t *testing.T) {
			utf := html("utf-8", tc.title, tc.published, tc.text)
			legacy, err := tc.enc.NewEncoder().String(html(tc.charset, tc.title, tc.published, tc.text))
			require.NoError(t, err)
			want, _, err := p.ParseInput(parser.Input{Body: []byte(utf), URL: "http://example/1", Lang: tc.lang})
			require.NoError(t, err)
			require.NotEmpty(t, want)
			got, _, err := p.ParseInput(parser.Input{Body: []byte(legacy), URL: "http://example/1", Lang: tc.lang})
			require.NoError(t, err)
			require.Equal(t, summary(want), summary(got))
			// Through the pipeline: a page whose body is still in legacy bytes.
			page := twin.Page{V: twin.Version, Source: "s", URL: "http://example/1", FetchedAt: time.Unix(1e9, 0).UTC(),
				Charset: tc.charset, Lang: tc.lang, ContentHash: "x", Body: legacy}
			got, err = p.Parse(page)
			require.NoError(t, err)
			require.Equal(t, summary(want), summary(got))
			for _, o := range got {
				require.Equal(t, page.FetchedAt, o.SeenAt)
				require.Equal(t, "s", o.Source)
			}
			// The crawler's usual case: the body already decoded to UTF-8 while
			// the document still declares the legacy charset.
			page.Body = html(tc.charset, tc.title, tc.published, tc.text)
			got, err = p.Parse(page)
			require.NoError(t, err)
			require.Equal(t, summary(want), summary(got))
		})
	}
}

func TestConfigValidate(t *testing.T) {
	require.NoError(t, parser.DefaultConfig().Validate())
	err := parser.Config{MinConfidence: 2, MaxBodyBytes: -1}.Validate()
	require.ErrorContains(t, err, "min_confidence")
	require.ErrorContains(t, err, "max_body_bytes")
}

func TestTooBigAndEmpty(t *testing.T) {
	p := newParser(t)
	_, _, err := p.ParseInput(parser.Input{Body: nil, URL: "http://example/empty"})
	require.ErrorIs(t, err, twin.ErrInvalid)
	small := parser.New(parser.Config{MaxBodyBytes: 10}, gaz)
	_, _, err = small.ParseInput(parser.Input{Body: []byte(strings.Repeat("x", 11)), URL: "http://example/big"})
	require.ErrorContains(t, err, "max_body_bytes")
}
