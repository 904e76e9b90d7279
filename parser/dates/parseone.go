package dates

import (
	"regexp"
	"strings"

	"github.com/twinwatch/twinwatch/twin"
)

var (
	isoPrefix  = regexp.MustCompile(`^(` + dg + `{4})[-/.](` + dg + `{1,2})[-/.](` + dg + `{1,2})(?:$|[T\s_])`)
	compact    = regexp.MustCompile(`^(` + dg + `{4})(` + dg + `{2})(` + dg + `{2})(?:$|[T\s])`)
	yearOnly   = regexp.MustCompile(`(?i)^(` + dg + `{4})\s*(?:г\.?|гг\.?|года?|году|年|year)?\.?$`)
	monthOnly  = regexp.MustCompile(`^(` + dg + `{4})[-/.](` + dg + `{1,2})$`)
	spaceRunes = strings.NewReplacer("\u00a0", " ", "\u3000", " ", "\u2009", " ", "\u202f", " ")
)

// maxParseOneInput caps what ParseOne reads.
const maxParseOneInput = 512

// ParseOne reads one date expression: a table cell ("1993年6月28日", "1961 г.",
// "May 14, 1995", "2012"), a meta value ("2025-06-30T16:20:00+03:00",
// "2024-09-13 10:21", "Mon, 02 Jan 2006 15:04:05 GMT", "20250819") or a
// <time datetime>. A date-time keeps the calendar date as written (no time
// zone conversion). Inside a longer string the first explicit date counts;
// relative expressions and a day and month without a year give false.
// ParseOne is pure and safe for concurrent use.
func ParseOne(s, lang string) (twin.Date, bool) {
	if len(s) > maxParseOneInput {
		s = s[:maxParseOneInput]
	}
	s = strings.TrimSpace(spaceRunes.Replace(s))
	if s == "" {
		return twin.Date{}, false
	}
	if m := isoPrefix.FindStringSubmatch(s); m != nil {
		return dayDate(num(m[1]), num(m[2]), num(m[3]))
	}
	if m := compact.FindStringSubmatch(s); m != nil {
		return dayDate(num(m[1]), num(m[2]), num(m[3]))
	}
	if m := yearOnly.FindStringSubmatch(s); m != nil {
		return yearDate(num(m[1]))
	}
	if m := monthOnly.FindStringSubmatch(s); m != nil {
		return monthDate(num(m[1]), num(m[2]))
	}
	for _, m := range Find(s, lang, twin.Date{}) {
		if !m.Relative {
			return m.Date, true
		}
	}
	return twin.Date{}, false
}
