package parser

import (
	"regexp"
	"strconv"
	"strings"
)

var (
	annRU    = regexp.MustCompile(`(\d{1,3})\s*(?:-?\s*(?:летие|летия|летию|летием|летнего|летней|летний|лет|го|й|ой|я)\b)`)
	annEN    = regexp.MustCompile(`(\d{1,3})(?:st|nd|rd|th)?\s+anniversary|(\d{1,3})\s+years\s+of`)
	annZH    = regexp.MustCompile(`([0-9]{1,3}|[一二三四五六七八九十两]{1,4})\s*周年`)
	annRUAny = regexp.MustCompile(`(\d{1,3})\s*-?\s*(?:летие|летия|летию|летием)|(\d{1,3})\s+(?:лет|года|год)\s+(?:побратим|дружб|со дня|сотрудничеств|партн|с момента)|(\d{1,3})\s*-?\s*(?:я|й|ю)\s+годовщин`)
)

// firstAnnRU and firstAnnEN are a first anniversary said in words: "первая
// годовщина", "(ровно) год назад" (not "полгода назад", "два года назад"),
// "first anniversary", "one year ago".
var (
	firstAnnRU = regexp.MustCompile(`перв(?:ая|ую|ой)\s+годовщин|(?:^|[\s,.(«"])год\s+назад`)
	firstAnnEN = regexp.MustCompile(`\bfirst\s+anniversary|\bone\s+year\s+ago|\ba\s+year\s+ago`)
)

var ruOrdinalWords = []struct {
	stem string
	n    int
}{
	{"двадцатипятилет", 25}, {"пятнадцатилет", 15}, {"десятилет", 10}, {"двадцатилет", 20}, {"тридцатилет", 30},
	{"сорокалет", 40}, {"пятидесятилет", 50}, {"пятилет", 5}, {"тридцатипятилет", 35}, {"сорокапятилет", 45},
}

var numberWords = map[string]bool{"два": true, "две": true, "три": true, "четыре": true, "пять": true, "несколько": true, "почти": true, "полтора": true, "более": true}

// anniversaryYears returns N of an "N years" / "N-летие" / "N周年" phrase in
// the sentence, or 0.
func anniversaryYears(low, lang string) int {
	switch lang {
	case "zh":
		if m := annZH.FindStringSubmatch(low); m != nil {
			return zhNumber(m[1])
		}
	case "en":
		if m := annEN.FindStringSubmatch(low); m != nil {
			for _, g := range m[1:] {
				if n, err := strconv.Atoi(g); err == nil && n > 0 && n < 200 {
					return n
				}
			}
		}
		if firstAnnEN.MatchString(low) {
			return 1
		}
	default:
		if m := annRUAny.FindStringSubmatch(low); m != nil {
			for _, g := range m[1:] {
				if n, err := strconv.Atoi(g); err == nil && n > 0 && n < 200 {
					return n
				}
			}
		}
		best, bestLen := 0, 0
		if firstAnnRU.MatchString(low) {
			best = 1 // "первая годовщина", "ровно год назад … стали побратимами"
		}
		for _, w := range ruOrdinalWords {
			i := strings.Index(low, " "+w.stem)
			if i < 0 || len(w.stem) <= bestLen {
				continue
			}
			// "три десятилетия" is thirty years, not a tenth anniversary.
			before := strings.Fields(low[:i])
			if len(before) > 0 && numberWords[before[len(before)-1]] {
				continue
			}
			best, bestLen = w.n, len(w.stem)
		}
		return best
	}
	return 0
}

// zhNumber parses Arabic digits or Chinese numerals up to 99 ("三十", "二十五", "十").
func zhNumber(s string) int {
	if n, err := strconv.Atoi(s); err == nil {
		return n
	}
	digit := map[rune]int{'一': 1, '二': 2, '两': 2, '三': 3, '四': 4, '五': 5, '六': 6, '七': 7, '八': 8, '九': 9}
	n, cur := 0, 0
	for _, r := range s {
		if r == '十' {
			if cur == 0 {
				cur = 1
			}
			n += cur * 10
			cur = 0
			continue
		}
		cur = digit[r]
	}
	return n + cur
}
