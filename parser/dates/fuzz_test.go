package dates_test

import (
	"testing"
	"unicode/utf8"

	"github.com/twinwatch/twinwatch/parser/dates"
	"github.com/twinwatch/twinwatch/twin"
)

func FuzzFind(f *testing.F) {
	for _, s := range []string{"15 июня 2017 г.", "1993年6月15日", "June 15, 2017", "вчера", "上周五", "© 2005–2025", "в 1990-е", "2025-06-30T16:20", "３月", "31.02.2017", "в конце прошлого года"} {
		f.Add(s, "ru", 2017, 6, 22)
	}
	f.Fuzz(func(t *testing.T, text, lang string, y, m, d int) {
		ref := twin.Date{Year: y, Month: m, Day: d}
		if !ref.Valid() {
			ref = twin.Date{}
		}
		prev := -1
		for _, mn := range dates.Find(text, lang, ref) {
			if mn.Start < prev || mn.Start >= mn.End || mn.End > len(text) {
				t.Fatalf("bad span %d..%d after %d in %q", mn.Start, mn.End, prev, text)
			}
			prev = mn.End
			if !mn.Date.Valid() || mn.Date.IsZero() {
				t.Fatalf("invalid date %+v from %q", mn.Date, text)
			}
			if mn.Relative && ref.IsZero() {
				t.Fatalf("relative date without ref from %q", text)
			}
			if utf8.ValidString(text) && !utf8.ValidString(text[mn.Start:mn.End]) {
				t.Fatalf("span splits a rune in %q", text)
			}
		}
		if dt, ok := dates.ParseOne(text, lang); ok && (!dt.Valid() || dt.IsZero()) {
			t.Fatalf("ParseOne(%q) = invalid %+v", text, dt)
		}
	})
}
