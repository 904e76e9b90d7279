package parser_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/parser"
)

// FuzzParse feeds arbitrary bytes to the extractor: it must not panic, every
// observation must validate, and equal input must give equal IDs.
func FuzzParse(f *testing.F) {
	pages, _ := filepath.Glob("testdata/corpus/pages/*.html")
	for i, path := range pages {
		if i%4 != 0 {
			continue // a sample keeps the seed corpus quick
		}
		b, err := os.ReadFile(path)
		require.NoError(f, err)
		if len(b) > 4096 {
			// Large seeds make every mutation slow; the head of a page
			// (charset, title, dates) is where parsing is most varied.
			b = b[:4096]
		}
		f.Add(b, "ru")
	}
	f.Add([]byte("<p>Вчера Уфа и Цицикар подписали соглашение о побратимстве.</p>"), "ru")
	f.Add([]byte("<p>昨天，满洲里市与伊尔库茨克市缔结友好城市。</p>"), "zh")
	f.Add([]byte("<table><tr><td>Harbin</td><td>sister city</td><td>1993</td></tr></table>"), "en")
	f.Add([]byte("\xff\xfe<\x00h\x00"), "")
	p := newParser(f)
	f.Fuzz(func(t *testing.T, body []byte, lang string) {
		in := parser.Input{Body: body, URL: "https://example.ru/2024/05/17/x", Lang: lang, Source: "fuzz"}
		a, _, err := p.ParseInput(in)
		if err != nil {
			return
		}
		for _, o := range a {
			require.NoError(t, o.Validate())
		}
		b, _, err := p.ParseInput(in)
		require.NoError(t, err)
		require.Equal(t, len(a), len(b))
		for i := range a {
			require.Equal(t, a[i].ID, b[i].ID)
			require.Equal(t, a[i].MsgID(), b[i].MsgID())
		}
	})
}
