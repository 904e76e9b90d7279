package parser

import (
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/parser/htmldoc"
)

// The rune-based reference versions of splitSentences and pad, as first
// written; the byte-based ones must give the same results.

func splitSentencesRef(text string) []string {
	var out []string
	start := 0
	rs := []rune(text)
	n := len(rs)
	flush := func(end int) {
		s := strings.TrimSpace(string(rs[start:end]))
		if s != "" {
			out = append(out, s)
		}
		start = end
	}
	for i := 0; i < n; i++ {
		r := rs[i]
		switch r {
		case '。', '！', '？', '；':
			j := i + 1
			for j < n && (rs[j] == '”' || rs[j] == '」' || rs[j] == '"' || rs[j] == '）') {
				j++
			}
			flush(j)
			i = j - 1
		case '.', '!', '?':
			j := i + 1
			for j < n && (rs[j] == '»' || rs[j] == '"' || rs[j] == '”' || rs[j] == ')' || rs[j] == '.') {
				j++
			}
			if j >= n {
				continue
			}
			if !unicode.IsSpace(rs[j]) {
				continue
			}
			k := j
			for k < n && unicode.IsSpace(rs[k]) {
				k++
			}
			if k >= n {
				continue
			}
			next := rs[k]
			if !(unicode.IsUpper(next) || unicode.IsDigit(next) || next == '«' || next == '"' || next == '“' || next == '—' || unicode.Is(unicode.Han, next)) {
				continue
			}
			if r == '.' && isAbbrevRef(rs[:i]) {
				continue
			}
			flush(j)
			i = j - 1
		}
	}
	flush(n)
	return out
}
func isAbbrevRef(before []rune) bool {
	j := len(before)
	for j > 0 && unicode.IsLetter(before[j-1]) {
		j--
	}
	w := before[j:]
	if len(w) == 0 {
		return false
	}
	if len(w) == 1 && unicode.IsUpper(w[0]) {
		return true
	}
	return abbrevs[strings.ToLower(string(w))]
}

func padRef(s string) string {
	return " " + strings.Map(func(r rune) rune {
		if r >= 0x4e00 {
			if t, ok := trad2simp[r]; ok {
				return t
			}
			return r
		}
		return unicode.ToLower(r)
	}, s) + " "
}

// refTexts returns the block texts of the corpus and case pages, sentences
// with abbreviations and quotes, and random mixes of their runes with bytes
// that are not UTF-8.
func refTexts(t *testing.T) []string {
	texts := []string{
		"", " ", "Мэр г. Уфы прибыл. Делегация А. С. Иванова уехала.", "Mr. Li arrived. «Это дружба», — сказал мэр. Затем…",
		"昨天，两市签署协议。双方表示满意！”好。簽署協議；結束", "End.\u00a0Next? Yes! 2024. Done...", "ИРКУТСК ЁЛКА Ǆ İstanbul ΣΑΣ",
	}
	files, err := filepath.Glob("testdata/*/pages/*.html")
	require.NoError(t, err)
	var pool []rune
	for _, f := range files {
		body, err := os.ReadFile(f)
		require.NoError(t, err)
		doc, err := htmldoc.Parse(body, htmldoc.Hints{})
		require.NoError(t, err)
		texts = append(texts, doc.Title)
		for _, b := range doc.Blocks {
			texts = append(texts, b.Text)
			pool = append(pool, []rune(b.Text)...)
		}
	}
	rng := rand.New(rand.NewSource(1))
	bad := []string{"\xff", "\xe4\xb8", "\xd0", "\xed\xa0\x80", "\xc0\xaf"}
	for i := 0; i < 2000; i++ {
		var b strings.Builder
		for j := rng.Intn(60); j > 0; j-- {
			if rng.Intn(20) == 0 {
				b.WriteString(bad[rng.Intn(len(bad))])
				continue
			}
			b.WriteRune(pool[rng.Intn(len(pool))])
		}
		texts = append(texts, b.String())
	}
	return texts
}

func TestFastTextMatchesReference(t *testing.T) {
	for _, text := range refTexts(t) {
		require.Equal(t, padRef(text), pad(text), "pad(%q)", text)
		require.Equal(t, splitSentencesRef(text), splitSentences(text), "splitSentences(%q)", text)
	}
}
