package parser

import (
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/twinwatch/twinwatch/twin"
)

// splitSentences cuts a block's text into sentences. Russian and English
// sentences end at . ! ? followed by a space and an upper-case letter, a digit
// or a quote, except after an initial or a common abbreviation ("г.", "ул.",
// "Mr."); Chinese ones end at 。！？；. Offsets are not kept: each sentence is
// searched on its own.
func splitSentences(text string) []string {
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
			if r == '.' && isAbbrev(rs[:i]) {
				continue
			}
			flush(j)
			i = j - 1
		}
	}
	flush(n)
	return out
}

var abbrevs = map[string]bool{
	"г": true, "гг": true, "ул": true, "им": true, "т": true, "д": true, "н": true, "э": true, "с": true, "стр": true, "обл": true,
	"руб": true, "млн": true, "млрд": true, "тыс": true, "пр": true, "проф": true, "акад": true, "св": true, "см": true, "др": true, "пос": true,
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "no": true, "jan": true, "feb": true, "aug": true, "sept": true, "sep": true,
	"oct": true, "nov": true, "dec": true, "gov": true, "prof": true, "vs": true, "co": true, "inc": true, "ltd": true, "jr": true,
}

// isAbbrev reports whether the word before a period is an initial or an abbreviation.
func isAbbrev(before []rune) bool {
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

// detectLang guesses "zh", "ru" or "en" from the script of the letters.
func detectLang(s string) string {
	var han, cyr, lat int
	for i, r := range s {
		if i > 200000 {
			break
		}
		switch {
		case unicode.Is(unicode.Han, r):
			han++
		case unicode.Is(unicode.Cyrillic, r):
			cyr++
		case r < utf8.RuneSelf && unicode.IsLetter(r):
			lat++
		}
	}
	switch {
	case han*3 >= cyr && han*3 >= lat && han > 0:
		return "zh"
	case cyr >= lat/2 && cyr > 0:
		return "ru"
	case lat > 0:
		return "en"
	}
	return ""
}

var (
	urlDateFull  = regexp.MustCompile(`(?:^|[/_-])((?:19|20)\d\d)[/-]?(0[1-9]|1[0-2])[/-]?(0[1-9]|[12]\d|3[01])(?:[/_.-]|$)`)
	urlDateMonth = regexp.MustCompile(`(?:^|/)((?:19|20)\d\d)[/-]?(0[1-9]|1[0-2])(?:/|$)`)
	urlDateSplit = regexp.MustCompile(`/((?:19|20)\d\d)/(0[1-9]|1[0-2])(\d\d)/`)
)

// dateFromURL finds a publication date in a URL path: /2015/05/22/,
// /20250819/, /2015-11-30/, /t20090612_, /2017/0923/; a lone /200906/ gives
// the month.
func dateFromURL(raw string) twin.Date {
	u, err := url.Parse(raw)
	if err != nil {
		return twin.Date{}
	}
	path := u.Path
	try := func(y, m, d string) (twin.Date, bool) {
		yi, _ := strconv.Atoi(y)
		mi, _ := strconv.Atoi(m)
		di := 0
		if d != "" {
			di, _ = strconv.Atoi(d)
		}
		dt := twin.Date{Year: yi, Month: mi, Day: di}
		return dt, dt.Valid()
	}
	if m := urlDateSplit.FindStringSubmatch(path); m != nil {
		if d, ok := try(m[1], m[2], m[3]); ok {
			return d
		}
	}
	if m := urlDateFull.FindStringSubmatch(strings.ReplaceAll(path, "/t", "/")); m != nil {
		if d, ok := try(m[1], m[2], m[3]); ok {
			return d
		}
	}
	if m := urlDateMonth.FindStringSubmatch(path); m != nil {
		if d, ok := try(m[1], m[2], ""); ok {
			return d
		}
	}
	return twin.Date{}
}

// pad returns " lower(s) " for cue matching, with traditional Chinese
// characters of the cue lexicon folded to simplified ones (簽署 → 签署).
func pad(s string) string {
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

// trad2simp folds the traditional characters that occur in the cue lexicon.
var trad2simp = func() map[rune]rune {
	const pairs = "簽签訂订締缔結结為为關关係系協协議议書书週周來来訪访問问團团經经貿贸學学遊游將将劃划計计擬拟備备錄录與与發发區区縣县際际國国業业導导長长會会藝艺覽览體体動动續续當当時时間间開开館馆華华實实務务進进這这們们聯联請请參参觀观歷历雙双兩两廣广東东達达產产術术傳传統统節节樂乐論论壇坛對对邊边疆疆賽赛運运圖图數数據据愛爱親亲戰战紀纪念念慶庆屆届歡欢迎迎辦办員员領领域域夥伙伴伴議议約约醫医療疗捐捐贈赠援援罩罩營营兒儿童童"
	m := map[rune]rune{}
	rs := []rune(pairs)
	for i := 0; i+1 < len(rs); i += 2 {
		if rs[i] != rs[i+1] {
			m[rs[i]] = rs[i+1]
		}
	}
	return m
}()

// clip shortens evidence to at most n runes.
func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-1]) + "…"
}
