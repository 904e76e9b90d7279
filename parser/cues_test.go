package parser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/parser/htmldoc"
)

// TestPageHasAgreesWithHas checks that the automaton's answer (page.has)
// equals the plain substring test (has) for every known cue list, on every
// sentence of the corpus and case pages, in every language's lexicon.
func TestPageHasAgreesWithHas(t *testing.T) {
	files, err := filepath.Glob("testdata/*/pages/*.html")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	var texts []string
	for _, f := range files {
		body, err := os.ReadFile(f)
		require.NoError(t, err)
		doc, err := htmldoc.Parse(body, htmldoc.Hints{})
		require.NoError(t, err)
		texts = append(texts, pad(doc.Title), pad(doc.Text()))
		for _, b := range doc.Blocks {
			for _, s := range splitSentences(b.Text) {
				texts = append(texts, pad(s))
			}
		}
	}
	texts = append(texts, "  ", " побратимы побратимство ", " 友好城市友城 ", " sister-city sister cities ")
	checked := 0
	for lang, ci := range anyCue() {
		require.NotEmpty(t, ci.lists, lang)
		pg := &page{lex: lexicons[lang], lang: lang, ci: ci}
		lists := append(sharedCueLists(), []string{"not", "a known list"})
		lx := lexicons[lang]
		lists = append(lists, lx.twin, lx.partner, lx.friendship, lx.cooperation, lx.weak, lx.signed, lx.intent,
			lx.intentDoc, lx.terminated, lx.anniversary, lx.recent, lx.plan, lx.general, lx.video, lx.institution)
		for _, l := range lx.categories {
			lists = append(lists, l)
		}
		agr := [][]string{lx.twin, lx.partner, lx.friendship, lx.cooperation, lx.weak, lx.signed, lx.intent,
			lx.intentDoc, lx.terminated, lx.anniversary, lx.recent, documentCues}
		for _, text := range texts {
			var want cueGroup
			for _, l := range agr {
				if has(text, l) {
					want |= agreementCues
				}
			}
			for _, l := range lx.categories {
				if has(text, l) {
					want |= eventCues
				}
			}
			require.Equal(t, want, cueGroups(text, lang), "%s groups of %q", lang, text)
			for _, l := range lists {
				require.Equal(t, has(text, l), pg.has(text, l), "%s %q in %q", lang, l, text)
				checked++
			}
		}
	}
	t.Logf("%d checks", checked)
	for lang, ci := range anyCue() {
		t.Logf("%s: %d states, %d classes, %d patterns", lang, len(ci.dfa.out), ci.dfa.ncls, len(ci.groups))
	}
}

// TestCueDFA checks the automaton against substring search on overlapping
// and nested patterns.
func TestCueDFA(t *testing.T) {
	pats := []string{"he", "she", "his", "hers", "побратим", "побратимств", "友城", "友好城市", "城"}
	d := newCueDFA(pats)
	for _, text := range []string{"ushers", "", "h", "ahishers", " побратимство и 友好城市 友城 ", "побрати", "xyz"} {
		got := map[int32]bool{}
		d.each(text, func(p int32) { got[p] = true })
		for i, p := range pats {
			require.Equal(t, strings.Contains(text, p), got[int32(i)], "%q in %q", p, text)
		}
	}
}

// TestTradHan checks that tradHan covers every key of trad2simp, as pad
// assumes.
func TestTradHan(t *testing.T) {
	require.NotEmpty(t, trad2simp)
	for r, s := range trad2simp {
		require.True(t, r >= 0x4e00 && r <= 0x9fff, "%c", r)
		require.NotZero(t, tradHan[(r-0x4e00)/64]&(1<<((r-0x4e00)%64)), "%c", r)
		require.Equal(t, " "+string(s)+" ", pad(string(r)))
	}
}
