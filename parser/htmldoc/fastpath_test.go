package htmldoc

import (
	"testing"
	"unicode"
)

// TestRuneClassFastPaths checks the hand-written rune classes against the
// unicode tables they stand for, over every rune.
func TestRuneClassFastPaths(t *testing.T) {
	for r := rune(0); r <= unicode.MaxRune; r++ {
		cjk := r >= 0x2e80 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r))
		if isCJK(r) != cjk {
			t.Fatalf("isCJK(%U) = %v", r, !cjk)
		}
		if r >= 0x80 && isSpace(r) != unicode.IsSpace(r) {
			t.Fatalf("isSpace(%U) = %v", r, !unicode.IsSpace(r))
		}
	}
	for r := rune(0x3f0); r <= 0x540; r++ {
		if cyr := r >= 0x400 && r <= 0x484 || r >= 0x487 && r <= 0x52f; cyr != unicode.Is(unicode.Cyrillic, r) {
			t.Fatalf("Cyrillic range of detectLang wrong at %U", r)
		}
	}
}
