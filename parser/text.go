package parser

import (
	"github.com/twinwatch/twinwatch/parser/internal/runes"
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
	if !utf8.ValidString(text) {
		// Decode as the rune-based rules always did: each bad byte is U+FFFD.
		text = string([]rune(text))
	}
	var out []string
	start := 0
	n := len(text)
	flush := func(end int) {
		if s := strings.TrimSpace(text[start:end]); s != "" {
			out = append(out, s)
		}
		start = end
	}
	for i := 0; i < n; {
		c := text[i]
		if c != '.' && c != '!' && c != '?' && c != 0xE3 && c != 0xEF {
			// Not the first byte of . ! ? 。 ！ ？ ；: skip it (in valid UTF-8
			// no byte inside a sequence looks like one).
			i++
			continue
		}
		r, size := rune(c), 1
		if r >= utf8.RuneSelf {
			r, size = runes.Decode(text, i)
		}
		next := i + size
		switch r {
		case '。', '！', '？', '；':
			j := next
			for j < n {
				c, sz := utf8.DecodeRuneInString(text[j:])
				if c != '”' && c != '」' && c != '"' && c != '）' {
					break
				}
				j += sz
			}
			flush(j)
			next = j
		case '.', '!', '?':
			if j, ok := sentenceEnd(text, i, next, r); ok {
				flush(j)
				next = j
			}
		}
		i = next
	}
	flush(n)
	return out
}

// sentenceEnd reports whether the . ! or ? r at text[i:next] ends a
// sentence, and where the sentence ends (after closing quotes).
func sentenceEnd(text string, i, next int, r rune) (int, bool) {
	n := len(text)
	j := next
	for j < n {
		c, sz := utf8.DecodeRuneInString(text[j:])
		if c != '»' && c != '"' && c != '”' && c != ')' && c != '.' {
			break
		}
		j += sz
	}
	if j >= n {
		return 0, false
	}
	if c, _ := utf8.DecodeRuneInString(text[j:]); !unicode.IsSpace(c) {
		return 0, false
	}
	k := j
	for k < n {
		c, sz := utf8.DecodeRuneInString(text[k:])
		if !unicode.IsSpace(c) {
			break
		}
		k += sz
	}
	if k >= n {
		return 0, false
	}
	nx, _ := utf8.DecodeRuneInString(text[k:])
	if !(unicode.IsUpper(nx) || unicode.IsDigit(nx) || nx == '«' || nx == '"' || nx == '“' || nx == '—' || unicode.Is(unicode.Han, nx)) {
		return 0, false
	}
	if r == '.' && isAbbrev(text[:i]) {
		return 0, false
	}
	return j, true
}

var abbrevs = map[string]bool{
	"г": true, "гг": true, "ул": true, "им": true, "т": true, "д": true, "н": true, "э": true, "с": true, "стр": true, "обл": true,
	"руб": true, "млн": true, "млрд": true, "тыс": true, "пр": true, "проф": true, "акад": true, "св": true, "см": true, "др": true, "пос": true,
	"mr": true, "mrs": true, "ms": true, "dr": true, "st": true, "no": true, "jan": true, "feb": true, "aug": true, "sept": true, "sep": true,
	"oct": true, "nov": true, "dec": true, "gov": true, "prof": true, "vs": true, "co": true, "inc": true, "ltd": true, "jr": true,
}

// isAbbrev reports whether the word before a period is an initial or an abbreviation.
func isAbbrev(before string) bool {
	j := len(before)
	for j > 0 {
		r, sz := utf8.DecodeLastRuneInString(before[:j])
		if !unicode.IsLetter(r) {
			break
		}
		j -= sz
	}
	w := before[j:]
	if w == "" {
		return false
	}
	if r, sz := utf8.DecodeRuneInString(w); sz == len(w) && unicode.IsUpper(r) {
		return true
	}
	return abbrevs[strings.ToLower(w)]
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
// It lower-cases as unicode.ToLower does, with fast paths for ASCII and
// Cyrillic; bytes that are not UTF-8 become U+FFFD (as strings.Map does).
func pad(s string) string {
	b := make([]byte, 0, len(s)+2)
	b = append(b, ' ')
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if 'A' <= c && c <= 'Z' {
				c += 'a' - 'A'
			}
			b = append(b, c)
			i++
			continue
		}
		if c >= 0xE4 && c <= 0xE9 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			// A three-byte rune of U+4000..U+9FFF: Han ones other than the
			// traditional characters of trad2simp are copied as they are.
			if r := rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F); r >= 0x4e00 && tradHan[(r-0x4e00)/64]&(1<<((r-0x4e00)%64)) == 0 {
				b = append(b, s[i:i+3]...)
				i += 3
				continue
			}
		}
		r, size := runes.Decode(s, i)
		i += size
		switch {
		case r >= 0x430 && r < 0x460: // lower-case Cyrillic
		case r >= 0x410 && r < 0x430:
			r += 0x20
		case r >= 0x4e00:
			// Every key of trad2simp is in U+4E00..U+9FFF (TestTradHan).
			if r <= 0x9fff && tradHan[(r-0x4e00)/64]&(1<<((r-0x4e00)%64)) != 0 {
				if t, ok := trad2simp[r]; ok {
					r = t
				}
			}
		default:
			r = unicode.ToLower(r)
		}
		b = utf8.AppendRune(b, r)
	}
	b = append(b, ' ')
	return string(b)
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

// tradHan marks the keys of trad2simp in U+4E00..U+9FFF, one bit each: most
// Han characters are not among them and need no map lookup.
var tradHan = func() (set [(0x9fff - 0x4e00 + 64) / 64]uint64) {
	for r := range trad2simp {
		if r >= 0x4e00 && r <= 0x9fff {
			set[(r-0x4e00)/64] |= 1 << ((r - 0x4e00) % 64)
		}
	}
	return set
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
