package parser_test

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/markusmobius/go-trafilatura"
	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/parser"
)

// filler paragraphs of ordinary news prose per language, with a few place
// names and dates, to pad corpus pages to realistic article sizes.
var filler = map[string][]string{
	"ru": {
		"В минувшую пятницу в областном центре прошло заседание комиссии по благоустройству, на котором обсудили ремонт дорог и дворов.",
		"По словам специалистов, за девять месяцев 2024 года объём перевозок через пограничный переход вырос на двенадцать процентов.",
		"Жители Иркутска и гости города смогут посетить выставку современного искусства в историческом квартале до конца месяца.",
		"Губернатор отметил, что программа поддержки малого бизнеса будет продлена, а число получателей грантов увеличится.",
	},
	"zh": {
		"据了解，今年前三季度全市外贸进出口总额同比增长百分之十二，其中对俄贸易增长明显。",
		"会议强调，要进一步优化营商环境，推动重点项目建设，确保全年目标任务顺利完成。",
		"近年来，哈尔滨市积极推进冰雪旅游发展，吸引了大量国内外游客前来观光。",
		"活动期间，还举办了文艺演出、美食展示和非遗技艺体验等系列活动，市民参与热情高涨。",
	},
	"en": {
		"Officials said the city would continue to improve its business environment and attract more investment in high-tech industries.",
		"In the first three quarters of 2024, the province's foreign trade grew by 12 percent year on year, with trade with Russia rising fastest.",
		"The festival, which runs until the end of the month, features food stalls, folk performances and an exhibition of local crafts.",
		"Harbin has become a popular destination for winter tourism, drawing visitors from across China and abroad.",
	},
}

// bigPage pads a corpus page with filler paragraphs before </body> until it
// is about size bytes.
func bigPage(t testing.TB, path, lang string, size int) []byte {
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	var pad strings.Builder
	for i := 0; len(b)+pad.Len() < size; i++ {
		pad.WriteString("<p>" + filler[lang][i%len(filler[lang])] + "</p>\n")
	}
	i := bytes.LastIndex(b, []byte("</article>"))
	if i < 0 {
		i = bytes.LastIndex(b, []byte("</body>"))
	}
	if i < 0 {
		i = len(b)
	}
	return append(append(append([]byte{}, b[:i]...), pad.String()...), b[i:]...)
}

// benchPages are the pages of BenchmarkParse and its baseline.
var benchPages = []struct{ lang, page, url string }{
	{"ru", "testdata/corpus/pages/039-ulan-ude-seven-twins.html", "https://ulan-ude-eg.ru/press/news/index.php?ELEMENT_ID=132456"},
	{"zh", "testdata/corpus/pages/010-yekaterinburg-chengdu.html", "http://cdfao.chengdu.gov.cn/cdwqb/c107823/2024-09/13/x.shtml"},
	{"en", "testdata/corpus/pages/020-khabarovsk-sanya-tourism-en.html", "http://en.sanya.gov.cn/news/2019-11/05/c_5123.htm"},
}

// BenchmarkParse measures pages of ~100 KB per language (target: at least
// 200 pages/s per core). Compare with BenchmarkTrafilaturaBaseline, a
// main-text-only extractor, in the same run.
func BenchmarkParse(b *testing.B) {
	p := newParser(b)
	for _, tc := range benchPages {
		body := bigPage(b, tc.page, tc.lang, 100<<10)
		b.Run(tc.lang, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			cpu := processCPU()
			for b.Loop() {
				if _, _, err := p.ParseInput(parser.Input{Body: body, URL: tc.url, Lang: tc.lang}); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, processCPU()-cpu)
		})
	}
}

// BenchmarkTrafilaturaBaseline runs go-trafilatura (default options, no
// fallback) on the pages of BenchmarkParse: main text only, no places,
// dates or rules.
func BenchmarkTrafilaturaBaseline(b *testing.B) {
	for _, tc := range benchPages {
		body := bigPage(b, tc.page, tc.lang, 100<<10)
		b.Run(tc.lang, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			cpu := processCPU()
			for b.Loop() {
				if _, err := trafilatura.Extract(bytes.NewReader(body), trafilatura.Options{}); err != nil {
					b.Fatal(err)
				}
			}
			reportCPU(b, processCPU()-cpu)
		})
	}
}

// reportCPU reports the process CPU time per op (GC included, whatever
// -cpu says) and the pages per second of one core it amounts to.
func reportCPU(b *testing.B, cpu time.Duration) {
	if cpu <= 0 || b.N == 0 {
		return
	}
	per := float64(cpu.Nanoseconds()) / float64(b.N)
	b.ReportMetric(per, "cpu-ns/op")
	b.ReportMetric(1e9/per, "pages/s/core")
}
