package htmldoc

import (
	"strings"
	"unicode"
)

// maxLangRunes is how much text language detection reads.
const maxLangRunes = 20000

// detectLang counts Han, Cyrillic and Latin letters of the main text (the
// title when there is none). A Han character counts as three letters,
// roughly a word. The hint decides when there is too little text or no
// script clearly leads.
func detectLang(d *Doc, hint string) string {
	var han, cyr, lat float64
	n := 0
	count := func(s string) {
		for _, r := range s {
			if n >= maxLangRunes {
				return
			}
			n++
			switch {
			case r < 0x80:
				if 'a' <= r|0x20 && r|0x20 <= 'z' {
					lat++
				}
			case r >= 0x400 && r <= 0x484 || r >= 0x487 && r <= 0x52f: // Cyrillic script
				cyr++
			case r >= 0x4e00 && r <= 0x9fff: // CJK Unified Ideographs: Han
				han += 3
			case unicode.Is(unicode.Han, r):
				han += 3
			case unicode.Is(unicode.Cyrillic, r):
				cyr++
			case r < 0x250 && unicode.IsLetter(r):
				lat++
			}
		}
	}
	for _, b := range d.Blocks {
		count(b.Text)
	}
	if han+cyr+lat < 30 {
		count(d.Title)
	}
	hint = strings.ToLower(hint)
	total := han + cyr + lat
	if total < 15 {
		if hint != "" || total == 0 {
			return hint
		}
	}
	best, second := "zh", han
	top := han
	for _, c := range []struct {
		lang string
		v    float64
	}{{"ru", cyr}, {"en", lat}} {
		if c.v > top {
			second, top, best = top, c.v, c.lang
		} else if c.v > second {
			second = c.v
		}
	}
	if second > 0.7*top && hint != "" {
		return hint
	}
	return best
}
