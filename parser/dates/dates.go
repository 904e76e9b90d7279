package dates

import (
	"regexp"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/twinwatch/twinwatch/twin"
)

// Mention is one date expression found in a text.
type Mention struct {
	// Start and End are byte offsets of the expression in the text given to
	// Find: text[Start:End] is what was read (a leading preposition such as
	// "в" or "in" may be part of it).
	Start, End int
	// Date is the date at the precision the text supports.
	Date twin.Date
	// Relative is true when Date was resolved against the reference date
	// ("вчера", "в мае", "26 июня", "昨天", "on Sunday").
	Relative bool
}

// Year bounds: numbers outside them are never read as years.
const (
	minYear = 1800
	maxYear = 2100
)

// maxFindInput caps the text Find reads (bounded work on any input).
const maxFindInput = 1 << 20

// D matches one ASCII or full-width digit.
const dg = `[0-9０-９]`

// Month name alternations. Longer forms come first so that leftmost-first
// matching takes the full word.
const (
	ruMonGen  = `января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря`
	ruMonPrep = `январе|феврале|марте|апреле|мае|июне|июле|августе|сентябре|октябре|ноябре|декабре`
	ruMonNom  = `январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь`
	ruMonAbbr = `янв\.|февр?\.|мар\.|апр\.|июн\.|июл\.|авг\.|сент?\.|окт\.|нояб?\.|дек\.`
	enMon     = `january|february|march|april|may|june|july|august|september|october|november|december|jan\.?|feb\.?|mar\.?|apr\.?|jun\.?|jul\.?|aug\.?|sept?\.?|oct\.?|nov\.?|dec\.?`
	ruYearSfx = `(?:\s*(?:годами|годах|годом|годы|года|году|год|гг\.|г\.|г)(?:[^\p{L}]|$))?`
	enDaySfx  = `(?:st|nd|rd|th)?`
	ruWeekday = `понедельник|вторник|среду|четверг|пятницу|субботу|воскресенье`
	enWeekday = `monday|tuesday|wednesday|thursday|friday|saturday|sunday`
	zhWeekday = `[一二三四五六日天]`
	ruYearRel = `позапрошлого|прошлого|этого|текущего|нынешнего`
)

// kind says how a pattern's submatches become a date.
type kind uint8

const (
	kISO        kind = iota // y sep m sep d
	kDMY                    // d . m . y
	kSlashDMY               // d / m / y (m / d / y in English)
	kYM                     // y-m
	kZhYMD                  // y年m月d日
	kZhYM                   // y年m月
	kZhY                    // y年
	kZhRelYMD               // 今年/去年 m月[d日]
	kZhMD                   // m月d日 (relative)
	kZhM                    // m月 (relative)
	kZhWord                 // 昨天, 日前, 上周五 ...
	kRuDMY                  // 15 июня 2017
	kRuDM                   // 15 июня [прошлого года] (relative)
	kRuMY                   // июнь/июне/июня 2017
	kRuM                    // в июне [прошлого года] (relative)
	kRuYear                 // 1993 г., 1993 году
	kRuPrepYear             // в/с/до 1993
	kRuWord                 // вчера, сегодня, позавчера
	kRuWeekday              // в четверг
	kRuWeek                 // на прошлой неделе
	kRuWeekend              // в выходные
	kRuRelYear              // в прошлом году, в конце прошлого года
	kRuRelMonth             // в прошлом месяце
	kEnMDY                  // June 15, 2017
	kEnDMY                  // 15 June 2017
	kEnMY                   // June 2017
	kEnMD                   // June 15 (relative)
	kEnDM                   // 15 June (relative)
	kEnM                    // in June (relative)
	kEnPrepYear             // in 1993
	kEnWord                 // yesterday, today
	kEnWeekday              // on Sunday
	kEnRel                  // last month, this year
	kYearRange              // 2017–2019
)

type pattern struct {
	k  kind
	re *regexp.Regexp
	// need is a cheap substring test: the pattern runs only if the text
	// contains one of these (nil: always).
	need []string
}

// cyrMonthNeed: a lower-cased window holds one of these if it holds a
// Russian month name.
var cyrMonthNeed = []string{"янв", "фев", "мар", "апр", "мая", "май", "мае", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"}

// enMonthNeed: a lower-cased window holds one of these if it holds an
// English month name (every form of enMon starts with one).
var enMonthNeed = []string{"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}

// patterns is read-only after package initialisation; regexp values are safe
// for concurrent use.
var patterns = []pattern{
	{k: kISO, re: regexp.MustCompile(`(` + dg + `{4})([-/.])(` + dg + `{1,2})([-/.])(` + dg + `{1,2})`), need: []string{"-", "/", "."}},
	{k: kDMY, re: regexp.MustCompile(`(` + dg + `{1,2})\.(` + dg + `{1,2})\.(` + dg + `{4})`), need: []string{"."}},
	{k: kSlashDMY, re: regexp.MustCompile(`(` + dg + `{1,2})/(` + dg + `{1,2})/(` + dg + `{4})`), need: []string{"/"}},
	{k: kYM, re: regexp.MustCompile(`(` + dg + `{4})-(` + dg + `{2})`), need: []string{"-"}},
	{k: kZhYMD, re: regexp.MustCompile(`(` + dg + `{4})\s*年\s*(` + dg + `{1,2})\s*月\s*(` + dg + `{1,2})\s*[日号]`), need: []string{"年"}},
	{k: kZhYM, re: regexp.MustCompile(`(` + dg + `{4})\s*年\s*(` + dg + `{1,2})\s*月`), need: []string{"年"}},
	{k: kZhY, re: regexp.MustCompile(`(` + dg + `{4})\s*年(代?)`), need: []string{"年"}},
	{k: kZhRelYMD, re: regexp.MustCompile(`(今年|去年|前年)\s*(` + dg + `{1,2})\s*月(?:\s*(` + dg + `{1,2})\s*[日号])?`), need: []string{"年"}},
	{k: kZhMD, re: regexp.MustCompile(`(` + dg + `{1,2})\s*月\s*(` + dg + `{1,2})\s*[日号]`), need: []string{"月"}},
	{k: kZhM, re: regexp.MustCompile(`(` + dg + `{1,2})\s*月(份)?`), need: []string{"月"}},
	{k: kZhWord, re: regexp.MustCompile(`前天|昨天|昨日|今天|今日|日前|近日|近期|上个?(?:周|星期|礼拜)` + zhWeekday + `|(?:本周|这周|周|星期|礼拜)` + zhWeekday + `|上个?月|本月|今年|去年|前年`)},
	{k: kRuDMY, re: regexp.MustCompile(`(` + dg + `{1,2})(?:-?(?:го|е))?\s*(?:-|–|—)?\s*(` + ruMonGen + `|` + ruMonAbbr + `)\s*,?\s*(` + dg + `{4})` + ruYearSfx), need: cyrMonthNeed},
	{k: kRuDM, re: regexp.MustCompile(`(` + dg + `{1,2})(?:-?(?:го|е))?\s+(` + ruMonGen + `)(?:\s+(` + ruYearRel + `)\s+года)?`), need: cyrMonthNeed},
	{k: kRuMY, re: regexp.MustCompile(`(` + ruMonPrep + `|` + ruMonGen + `|` + ruMonNom + `|` + ruMonAbbr + `)\s*(` + dg + `{4})` + ruYearSfx), need: cyrMonthNeed},
	{k: kRuM, re: regexp.MustCompile(`(?:(?:в|во)\s+(` + ruMonPrep + `)(?:\s+(` + ruYearRel + `)\s+года)?|(?:в\s+)?(?:начале|конце|середине)\s+(` + ruMonGen + `)(?:\s+(` + ruYearRel + `)\s+года)?)`), need: cyrMonthNeed},
	{k: kRuYear, re: regexp.MustCompile(`(` + dg + `{4})\s*(?:годами|годах|годом|годы|года|году|год|-го|-м|гг\.|г\.|г)`), need: []string{"г", "-м"}},
	{k: kRuPrepYear, re: regexp.MustCompile(`(?:в|с|со|до|к|по|от|на|после|между|около)\s+(` + dg + `{4})`)},
	{k: kRuWord, re: regexp.MustCompile(`позавчера|вчера|сегодня|накануне`), need: []string{"вчера", "сегодня", "накануне"}},
	{k: kRuWeekday, re: regexp.MustCompile(`(?:в|во)\s+(?:(?:минувш|прошл|эт|нынешн)[\p{L}]*\s+)?(` + ruWeekday + `)`), need: []string{"понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье"}},
	{k: kRuWeek, re: regexp.MustCompile(`на\s+(прошлой|минувшей|этой|текущей|нынешней)\s+неделе`), need: []string{"неделе"}},
	{k: kRuWeekend, re: regexp.MustCompile(`в\s+(?:(?:минувш|прошл|эт)[\p{L}]*\s+)?выходные`), need: []string{"выходные"}},
	{k: kRuRelYear, re: regexp.MustCompile(`(?:в\s+)?(?:(?:конце|начале|середине)\s+(` + ruYearRel + `)\s+года|(?:в\s+)(позапрошлом|прошлом|этом|текущем|нынешнем|минувшем)\s+году)`), need: []string{"года", "году"}},
	{k: kRuRelMonth, re: regexp.MustCompile(`в\s+(прошлом|этом|текущем|минувшем)\s+месяце`), need: []string{"месяце"}},
	{k: kEnMDY, re: regexp.MustCompile(`(` + enMon + `)\s+(` + dg + `{1,2})` + enDaySfx + `,?\s+(` + dg + `{4})`), need: enMonthNeed},
	{k: kEnDMY, re: regexp.MustCompile(`(` + dg + `{1,2})` + enDaySfx + `\s+(?:of\s+)?(` + enMon + `),?\s+(` + dg + `{4})`), need: enMonthNeed},
	{k: kEnMY, re: regexp.MustCompile(`(` + enMon + `),?\s+(?:of\s+)?(` + dg + `{4})`), need: enMonthNeed},
	{k: kEnMD, re: regexp.MustCompile(`(` + enMon + `)\s+(` + dg + `{1,2})` + enDaySfx), need: enMonthNeed},
	{k: kEnDM, re: regexp.MustCompile(`(` + dg + `{1,2})` + enDaySfx + `\s+(?:of\s+)?(` + enMon + `)`), need: enMonthNeed},
	{k: kEnM, re: regexp.MustCompile(`(?:in|since|early|late|mid-)\s+(` + enMon + `)`), need: enMonthNeed},
	{k: kEnPrepYear, re: regexp.MustCompile(`(?:in|since|from|by|until|till|of|to|during|year|early|late|mid-?|between|before|after)\s+(` + dg + `{4})`)},
	{k: kEnWord, re: regexp.MustCompile(`the day before yesterday|yesterday|today`), need: []string{"yesterday", "today"}},
	{k: kEnWeekday, re: regexp.MustCompile(`(?:on|last|this past)\s+(` + enWeekday + `)`), need: []string{"day"}},
	{k: kEnRel, re: regexp.MustCompile(`(?:earlier\s+)?(last|this|past)\s+(week|month|year)`), need: []string{"week", "month", "year"}},
	{k: kYearRange, re: regexp.MustCompile(`(` + dg + `{4})\s*(?:-|–|—|‒|~|～|至|到|по|to)\s*(` + dg + `{4})`)},
}

var (
	monthNames = func() map[string]int {
		m := map[string]int{}
		add := func(list string) {
			for i, w := range strings.Split(list, "|") {
				w = strings.ReplaceAll(w, `\.`, "")
				w = strings.ReplaceAll(w, `?`, "")
				m[strings.ToLower(w)] = i + 1
			}
		}
		add(ruMonGen)
		add(ruMonPrep)
		add(ruMonNom)
		add("январь|февраль|март|апрель|май|июнь|июль|август|сентябрь|октябрь|ноябрь|декабрь")
		for _, w := range []struct {
			s string
			n int
		}{{"янв", 1}, {"фев", 2}, {"февр", 2}, {"мар", 3}, {"апр", 4}, {"июн", 6}, {"июл", 7}, {"авг", 8}, {"сен", 9}, {"сент", 9}, {"окт", 10}, {"ноя", 11}, {"нояб", 11}, {"дек", 12}} {
			m[w.s] = w.n
		}
		add("january|february|march|april|may|june|july|august|september|october|november|december")
		for _, w := range []struct {
			s string
			n int
		}{{"jan", 1}, {"feb", 2}, {"mar", 3}, {"apr", 4}, {"jun", 6}, {"jul", 7}, {"aug", 8}, {"sep", 9}, {"sept", 9}, {"oct", 10}, {"nov", 11}, {"dec", 12}} {
			m[w.s] = w.n
		}
		return m
	}()
	ruWeekdays = map[string]time.Weekday{"понедельник": time.Monday, "вторник": time.Tuesday, "среду": time.Wednesday,
		"четверг": time.Thursday, "пятницу": time.Friday, "субботу": time.Saturday, "воскресенье": time.Sunday}
	zhWeekdays = map[string]time.Weekday{"一": time.Monday, "二": time.Tuesday, "三": time.Wednesday, "四": time.Thursday,
		"五": time.Friday, "六": time.Saturday, "日": time.Sunday, "天": time.Sunday}
)

// monthOf returns the month number of a month word or abbreviation.
func monthOf(s string) int {
	s = strings.ToLower(strings.TrimSuffix(strings.TrimSpace(s), "."))
	return monthNames[s]
}

// num parses ASCII or full-width digits; -1 if s has anything else.
func num(s string) int {
	if s == "" {
		return -1
	}
	n := 0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9':
			n = n*10 + int(r-'0')
		case r >= '０' && r <= '９':
			n = n*10 + int(r-'０')
		default:
			return -1
		}
		if n > 1e6 {
			return -1
		}
	}
	return n
}

func isDigitRune(r rune) bool { return (r >= '0' && r <= '9') || (r >= '０' && r <= '９') }

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// boundaryOK rejects matches glued to a neighbouring word or number:
// "12019" is not "2019", "вчерашний" is not "вчера". Han characters may touch
// anything, since Chinese has no spaces.
func boundaryOK(text string, start, end int) bool {
	if start < 0 || end > len(text) || start >= end {
		return false
	}
	first, _ := utf8.DecodeRuneInString(text[start:])
	last, _ := utf8.DecodeLastRuneInString(text[:end])
	if start > 0 {
		prev, _ := utf8.DecodeLastRuneInString(text[:start])
		if glued(prev, first) {
			return false
		}
	}
	if end < len(text) {
		next, _ := utf8.DecodeRuneInString(text[end:])
		if glued(last, next) {
			return false
		}
	}
	return true
}

func glued(a, b rune) bool {
	if isHan(a) || isHan(b) {
		return isDigitRune(a) && isDigitRune(b)
	}
	wa := unicode.IsLetter(a) || unicode.IsDigit(a)
	wb := unicode.IsLetter(b) || unicode.IsDigit(b)
	return wa && wb
}

// copyrightBefore reports whether a "©", "(c)" or "copyright" sign stands
// just before start, possibly followed by a name and a comma ("© Мэрия, 2024").
func copyrightBefore(text string, start int) bool {
	lo := max(0, start-80)
	before := strings.ToLower(text[lo:start])
	i := strings.LastIndexAny(before, "©")
	if j := strings.LastIndex(before, "(c)"); j > i {
		i = j
	}
	if j := strings.LastIndex(before, "copyright"); j > i {
		i = j
	}
	if j := strings.LastIndex(before, "版权"); j > i {
		i = j
	}
	if i < 0 {
		return false
	}
	// Nothing sentence-like between the sign and the year.
	between := before[i:]
	return !strings.ContainsAny(between, ".!?。\n")
}

// decadeAfter reports "1990-е", "1990-х", "1990s", "1990年代".
func decadeAfter(text string, end int) bool {
	rest := text[end:]
	for _, s := range []string{"-е", "-х", "-ые", "-ых", "-ии", "s", "'s", "年代"} {
		if strings.HasPrefix(rest, s) {
			if s == "s" || s == "'s" {
				n := len(s)
				if len(rest) > n {
					r, _ := utf8.DecodeRuneInString(rest[n:])
					if unicode.IsLetter(r) {
						continue
					}
				}
			}
			return true
		}
	}
	return false
}

func validYear(y int) bool { return y >= minYear && y <= maxYear }

func dayDate(y, m, d int) (twin.Date, bool) {
	if !validYear(y) || m < 1 || m > 12 || d < 1 {
		return twin.Date{}, false
	}
	dt := twin.Date{Year: y, Month: m, Day: d}
	if !dt.Valid() {
		return twin.Date{}, false
	}
	return dt, true
}

func monthDate(y, m int) (twin.Date, bool) {
	if !validYear(y) || m < 1 || m > 12 {
		return twin.Date{}, false
	}
	return twin.MonthDate(y, m), true
}

func yearDate(y int) (twin.Date, bool) {
	if !validYear(y) {
		return twin.Date{}, false
	}
	return twin.YearDate(y), true
}

// Find returns the explicit and relative dates in text, in order of their
// position, without overlaps (the longest expression wins). lang ("ru",
// "zh", "en" or "") is a hint: English slash dates are read month first.
// Relative expressions ("вчера", "в мае", "26 июня", "昨天", "on Sunday",
// "last month") are resolved against ref and marked Relative; when ref is
// the zero Date they give nothing. Years behind a copyright sign ("© 2024")
// and decades ("1990-е") are not dates. Find is pure and safe for
// concurrent use; it reads at most the first MiB of text.
func Find(text, lang string, ref twin.Date) []Mention {
	if len(text) > maxFindInput {
		text = text[:maxFindInput]
		for len(text) > 0 && !utf8.RuneStart(text[len(text)-1]) {
			text = text[:len(text)-1]
		}
		if len(text) > 0 {
			if r, _ := utf8.DecodeLastRuneInString(text); r == utf8.RuneError {
				text = text[:len(text)-1]
			}
		}
	}
	var cands []Mention
	for _, w := range windows(text) {
		win := lowerSameLen(text[w[0]:w[1]])
		f := features(win)
		for _, p := range patterns {
			if need := featOf(p.k); need&f != need {
				continue
			}
			if p.need != nil && !containsAny(win, p.need) {
				continue
			}
			for _, loc := range p.re.FindAllStringSubmatchIndex(win, -1) {
				for i := range loc {
					if loc[i] >= 0 {
						loc[i] += w[0]
					}
				}
				cands = p.apply(cands, text, loc, lang, ref)
			}
		}
	}
	return resolveOverlaps(cands)
}

func containsAny(s string, subs []string) bool {
	for _, x := range subs {
		if strings.Contains(s, x) {
			return true
		}
	}
	return false
}

// lowerSameLen lower-cases s rune by rune, keeping a rune whose lower
// case would change its UTF-8 length, so that byte offsets stay valid.
func lowerSameLen(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return strings.ToLower(s)
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if l := unicode.ToLower(r); l != r && r != utf8.RuneError && utf8.RuneLen(l) == size {
			b = utf8.AppendRune(b, l)
		} else {
			b = append(b, s[i:i+size]...)
		}
		i += size
	}
	return string(b)
}

// capitalised reports whether the word starting at i in text begins with
// an upper-case letter: English month and weekday names do.
func capitalised(text string, i int) bool {
	if i < 0 || i >= len(text) {
		return false
	}
	r, _ := utf8.DecodeRuneInString(text[i:])
	return unicode.IsUpper(r)
}

// Features of a window of text that patterns require.
const (
	featDigit uint8 = 1 << iota
	featCyr
	featHan
	featLatin
)

// featOf is what a pattern of kind k needs in a window to possibly match.
func featOf(k kind) uint8 {
	switch k {
	case kISO, kDMY, kSlashDMY, kYM, kYearRange:
		return featDigit
	case kZhYMD, kZhYM, kZhY, kZhMD, kZhM, kZhRelYMD:
		return featDigit | featHan
	case kZhWord:
		return featHan
	case kRuDMY, kRuDM, kRuMY, kRuYear, kRuPrepYear:
		return featDigit | featCyr
	case kRuM, kRuWord, kRuWeekday, kRuWeek, kRuWeekend, kRuRelYear, kRuRelMonth:
		return featCyr
	case kEnMDY, kEnDMY, kEnMY, kEnMD, kEnDM, kEnPrepYear:
		return featDigit | featLatin
	default: // kEnM, kEnWord, kEnWeekday, kEnRel
		return featLatin
	}
}

func features(s string) uint8 {
	var f uint8
	for _, r := range s {
		switch {
		case isDigitRune(r):
			f |= featDigit
		case r < 0x80:
			if (r|0x20) >= 'a' && (r|0x20) <= 'z' {
				f |= featLatin
			}
		case r >= 0x400 && r < 0x530:
			f |= featCyr
		case isHan(r):
			f |= featHan
		}
	}
	return f
}

// Windows around anchors: how far a date expression may reach before and
// after the anchor (a digit or a keyword) that Find looks for first.
const (
	winBefore = 36
	winAfter  = 36
)

// anchorWords start a date expression without digits, or sit inside one.
// Keyed by first rune; alphabetic ones must start a word.
var anchorWords = func() map[rune][]string {
	words := []string{
		"вчера", "Вчера", "сегодня", "Сегодня", "позавчера", "Позавчера", "накануне", "Накануне",
		"понедельник", "вторник", "среду", "четверг", "пятницу", "субботу", "воскресенье", "неделе", "выходные",
		"году", "года", "месяце", "январ", "феврал", "март", "апрел", "мая", "мае", "май", "июн", "июл", "август",
		"сентябр", "октябр", "ноябр", "декабр", "начале", "конце", "середине",
		"昨", "今天", "今日", "今年", "前天", "前年", "去年", "日前", "近日", "近期", "周", "星期", "礼拜", "上个月", "上月", "本月",
		"yesterday", "Yesterday", "today", "Today", "last", "Last", "this", "This", "past", "Past",
		"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
		"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
	}
	m := map[rune][]string{}
	for _, w := range words {
		r, _ := utf8.DecodeRuneInString(w)
		m[r] = append(m[r], w)
	}
	return m
}()

// windows returns the merged byte ranges of text around digits and anchor
// words, at rune boundaries. Patterns run on these small windows only.
func windows(text string) [][2]int {
	var out [][2]int
	add := func(s, e int) {
		s = max(0, s-winBefore)
		e = min(len(text), e+winAfter)
		for s > 0 && !utf8.RuneStart(text[s]) {
			s--
		}
		for e < len(text) && !utf8.RuneStart(text[e]) {
			e++
		}
		if n := len(out); n > 0 && s <= out[n-1][1] {
			out[n-1][1] = max(out[n-1][1], e)
			return
		}
		out = append(out, [2]int{s, e})
	}
	prevLetter := false
	for i := 0; i < len(text); {
		c := text[i]
		if c >= '0' && c <= '9' {
			j := i
			for j < len(text) && text[j] >= '0' && text[j] <= '9' {
				j++
			}
			add(i, j)
			i, prevLetter = j, false
			continue
		}
		if c < 0x80 {
			if (c|0x20) >= 'a' && (c|0x20) <= 'z' {
				if !prevLetter {
					if ws := anchorWords[rune(c)]; ws != nil {
						for _, w := range ws {
							if strings.HasPrefix(text[i:], w) {
								add(i, i+len(w))
								break
							}
						}
					}
				}
				prevLetter = true
			} else {
				prevLetter = false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(text[i:])
		han := isHan(r)
		if r >= '０' && r <= '９' {
			add(i, i+size)
		} else if ws := anchorWords[r]; ws != nil && (han || !prevLetter) {
			for _, w := range ws {
				if strings.HasPrefix(text[i:], w) {
					add(i, i+len(w))
					break
				}
			}
		}
		prevLetter = unicode.IsLetter(r) && !han
		i += size
	}
	return splitLong(text, out)
}

// Long windows (date-dense text, tables) are cut into overlapping chunks
// short enough for the regexp backtracker, which is much faster than its
// NFA. A date expression is far shorter than the overlap, so each one lies
// whole in some chunk; partial matches at a cut lose to the whole one in
// resolveOverlaps.
const (
	maxWindow     = 384
	windowOverlap = 96
)

func splitLong(text string, ws [][2]int) [][2]int {
	var out [][2]int
	for _, w := range ws {
		s, e := w[0], w[1]
		for e-s > maxWindow {
			cut := s + maxWindow
			for cut > s && !utf8.RuneStart(text[cut]) {
				cut--
			}
			out = append(out, [2]int{s, cut})
			next := cut - windowOverlap
			for next > s && !utf8.RuneStart(text[next]) {
				next--
			}
			if next <= s {
				next = cut
			}
			s = next
		}
		out = append(out, [2]int{s, e})
	}
	return out
}

// resolveOverlaps keeps the longest of overlapping candidates (earliest on a
// tie; duplicates from overlapping windows collapse) and returns them in
// text order.
func resolveOverlaps(c []Mention) []Mention {
	if len(c) == 0 {
		return nil
	}
	sort.SliceStable(c, func(i, j int) bool {
		li, lj := c[i].End-c[i].Start, c[j].End-c[j].Start
		if li != lj {
			return li > lj
		}
		return c[i].Start < c[j].Start
	})
	var out []Mention
	for _, m := range c {
		ok := true
		for _, o := range out {
			if m.Start < o.End && o.Start < m.End {
				ok = false
				break
			}
		}
		if ok {
			out = append(out, m)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return out
}

// sub returns submatch i of loc in text, or "".
func sub(text string, loc []int, i int) string {
	if 2*i+1 >= len(loc) || loc[2*i] < 0 {
		return ""
	}
	return text[loc[2*i]:loc[2*i+1]]
}

// apply turns one regexp match into zero, one or two candidate mentions.
func (p pattern) apply(out []Mention, text string, loc []int, lang string, ref twin.Date) []Mention {
	start, end := loc[0], loc[1]
	// Trailing non-letters captured by the year suffix's look-ahead.
	for end > start {
		r, size := utf8.DecodeLastRuneInString(text[start:end])
		if unicode.IsLetter(r) || unicode.IsDigit(r) || r == '.' {
			break
		}
		end -= size
	}
	okEnd := end
	if p.k == kISO && end < len(text) && text[end] == 'T' {
		okEnd = end + 1 // "2025-06-30T16:20:00"
		if okEnd >= len(text) || !isDigitRune(rune(text[okEnd])) {
			okEnd = end
		}
	}
	if !boundaryOK(text, start, end) && (okEnd == end || !boundaryOK(text[:end], start, end)) {
		return out
	}
	add := func(d twin.Date, ok, rel bool) []Mention {
		if ok && !d.IsZero() {
			out = append(out, Mention{Start: start, End: end, Date: d, Relative: rel})
		}
		return out
	}
	s := func(i int) string { return sub(text, loc, i) }
	switch p.k {
	case kISO:
		if s(2) != s(4) {
			return out
		}
		d, ok := dayDate(num(s(1)), num(s(3)), num(s(5)))
		return add(d, ok, false)
	case kDMY:
		d, ok := dayDate(num(s(3)), num(s(2)), num(s(1)))
		return add(d, ok, false)
	case kSlashDMY:
		a, b, y := num(s(1)), num(s(2)), num(s(3))
		if lang == "en" && a <= 12 {
			a, b = b, a
		}
		d, ok := dayDate(y, b, a)
		return add(d, ok, false)
	case kYM:
		if end < len(text) && (text[end] == '-' || text[end] == '.' || text[end] == '/') {
			return out // a longer numeric form that is not a date
		}
		d, ok := monthDate(num(s(1)), num(s(2)))
		return add(d, ok, false)
	case kZhYMD:
		d, ok := dayDate(num(s(1)), num(s(2)), num(s(3)))
		return add(d, ok, false)
	case kZhYM:
		d, ok := monthDate(num(s(1)), num(s(2)))
		return add(d, ok, false)
	case kZhY:
		if s(2) != "" || copyrightBefore(text, start) {
			return out
		}
		d, ok := yearDate(num(s(1)))
		return add(d, ok, false)
	case kZhRelYMD:
		if ref.IsZero() {
			return out
		}
		y := ref.Year
		switch s(1) {
		case "去年":
			y--
		case "前年":
			y -= 2
		}
		m := num(s(2))
		if s(3) != "" {
			d, ok := dayDate(y, m, num(s(3)))
			return add(d, ok, true)
		}
		d, ok := monthDate(y, m)
		return add(d, ok, true)
	case kZhMD:
		d, ok := dayNoYearIn(ref, num(s(1)), num(s(2)), directionAt(text, start, end, lang))
		return add(d, ok, true)
	case kZhM:
		if start > 0 {
			r, _ := utf8.DecodeLastRuneInString(text[:start])
			if r == '个' || r == '年' || isDigitRune(r) {
				return out
			}
		}
		d, ok := monthNoYear(ref, num(s(1)))
		return add(d, ok, true)
	case kZhWord:
		d, ok := zhWord(ref, text[start:end])
		return add(d, ok, true)
	case kRuDMY:
		m := monthOf(s(2))
		d, ok := dayDate(num(s(3)), m, num(s(1)))
		return add(d, ok, false)
	case kRuDM:
		m := monthOf(s(2))
		if q := strings.ToLower(s(3)); q != "" {
			y, ok := relYear(ref, q)
			if !ok {
				return out
			}
			d, ok := dayDate(y, m, num(s(1)))
			return add(d, ok, true)
		}
		d, ok := dayNoYearIn(ref, m, num(s(1)), directionAt(text, start, end, lang))
		return add(d, ok, true)
	case kRuMY:
		d, ok := monthDate(num(s(2)), monthOf(s(1)))
		return add(d, ok, false)
	case kRuM:
		mw, q := s(1), s(2)
		if mw == "" {
			mw, q = s(3), s(4)
		}
		m := monthOf(mw)
		if q != "" {
			y, ok := relYear(ref, strings.ToLower(q))
			if !ok {
				return out
			}
			d, ok := monthDate(y, m)
			return add(d, ok, true)
		}
		d, ok := monthNoYear(ref, m)
		return add(d, ok, true)
	case kRuYear, kRuPrepYear, kEnPrepYear:
		ys := s(1)
		yEnd := loc[3]
		if decadeAfter(text, yEnd) || copyrightBefore(text, start) {
			return out
		}
		if yEnd < len(text) {
			// "в 2000 человек" is rare; "в 1993,5" is not a year.
			r, _ := utf8.DecodeRuneInString(text[yEnd:])
			if r == ',' || r == '.' {
				if yEnd+1 < len(text) && isDigitRune(rune(text[yEnd+1])) {
					return out
				}
			}
			if r == '%' {
				return out
			}
		}
		d, ok := yearDate(num(ys))
		return add(d, ok, false)
	case kRuWord:
		if ref.IsZero() {
			return out
		}
		var n int
		switch strings.ToLower(text[start:end]) {
		case "позавчера":
			n = 2
		case "вчера":
			n = 1
		case "накануне":
			return out // "on the eve of" something, not a date by itself
		}
		d, ok := daysBefore(ref, n)
		return add(d, ok, true)
	case kRuWeekday:
		wd, ok := ruWeekdays[strings.ToLower(s(1))]
		if !ok {
			return out
		}
		d, ok := weekdayOnOrBefore(ref, wd)
		return add(d, ok, true)
	case kRuWeek:
		days := 0
		switch strings.ToLower(s(1)) {
		case "прошлой", "минувшей":
			days = 7
		}
		d, ok := daysBefore(ref, days)
		if ok {
			d = monthOfDate(d)
		}
		return add(d, ok, true)
	case kRuWeekend:
		d, ok := weekdayOnOrBefore(ref, time.Saturday)
		if ok {
			d = monthOfDate(d)
		}
		return add(d, ok, true)
	case kRuRelYear:
		q := strings.ToLower(s(1))
		if q == "" {
			q = strings.ToLower(s(2))
		}
		y, ok := relYear(ref, q)
		if !ok {
			return out
		}
		d, ok := yearDate(y)
		return add(d, ok, true)
	case kRuRelMonth:
		if ref.IsZero() || ref.Month == 0 {
			return out
		}
		t := time.Date(ref.Year, time.Month(ref.Month), 1, 0, 0, 0, 0, time.UTC)
		switch strings.ToLower(s(1)) {
		case "прошлом", "минувшем":
			t = t.AddDate(0, -1, 0)
		}
		d, ok := monthDate(t.Year(), int(t.Month()))
		return add(d, ok, true)
	case kEnMDY, kEnDMY, kEnMY, kEnMD, kEnDM, kEnM, kEnWeekday:
		// English month and weekday names are capitalised; "may", "march"
		// and "sun" in lower case are other words.
		mi := 1
		if p.k == kEnDMY || p.k == kEnDM {
			mi = 2
		}
		if !capitalised(text, loc[2*mi]) {
			return out
		}
	}
	switch p.k {
	case kEnMDY:
		d, ok := dayDate(num(s(3)), monthOf(s(1)), num(s(2)))
		return add(d, ok, false)
	case kEnDMY:
		d, ok := dayDate(num(s(3)), monthOf(s(2)), num(s(1)))
		return add(d, ok, false)
	case kEnMY:
		d, ok := monthDate(num(s(2)), monthOf(s(1)))
		return add(d, ok, false)
	case kEnMD:
		d, ok := dayNoYearIn(ref, monthOf(s(1)), num(s(2)), directionAt(text, start, end, lang))
		return add(d, ok, true)
	case kEnDM:
		d, ok := dayNoYearIn(ref, monthOf(s(2)), num(s(1)), directionAt(text, start, end, lang))
		return add(d, ok, true)
	case kEnM:
		if strings.TrimSuffix(s(1), ".") == "May" && !strings.HasPrefix(strings.ToLower(text[start:]), "in ") {
			return out
		}
		d, ok := monthNoYear(ref, monthOf(s(1)))
		return add(d, ok, true)
	case kEnWord:
		if ref.IsZero() {
			return out
		}
		n := 0
		switch strings.ToLower(text[start:end]) {
		case "yesterday":
			n = 1
		case "the day before yesterday":
			n = 2
		}
		d, ok := daysBefore(ref, n)
		return add(d, ok, true)
	case kEnWeekday:
		wd := time.Sunday
		for i := time.Sunday; i <= time.Saturday; i++ {
			if strings.EqualFold(i.String(), s(1)) {
				wd = i
			}
		}
		w := strings.ToLower(text[start:end])
		if strings.HasPrefix(w, "last") || strings.HasPrefix(w, "this past") {
			d, ok := daysBefore(ref, 1)
			if !ok {
				return out
			}
			d, ok = weekdayOnOrBefore(d, wd)
			return add(d, ok, true)
		}
		d, ok := weekdayOnOrBefore(ref, wd)
		return add(d, ok, true)
	case kEnRel:
		if ref.IsZero() {
			return out
		}
		which, unit := strings.ToLower(s(1)), strings.ToLower(s(2))
		back := which == "last" || which == "past"
		switch unit {
		case "year":
			y := ref.Year
			if back {
				y--
			}
			d, ok := yearDate(y)
			return add(d, ok, true)
		case "month":
			if ref.Month == 0 {
				return out
			}
			t := time.Date(ref.Year, time.Month(ref.Month), 1, 0, 0, 0, 0, time.UTC)
			if back {
				t = t.AddDate(0, -1, 0)
			}
			d, ok := monthDate(t.Year(), int(t.Month()))
			return add(d, ok, true)
		default: // week
			n := 0
			if back {
				n = 7
			}
			d, ok := daysBefore(ref, n)
			if ok {
				d = monthOfDate(d)
			}
			return add(d, ok, true)
		}
	case kYearRange:
		if copyrightBefore(text, start) {
			return out
		}
		y1, y2 := num(s(1)), num(s(2))
		if !validYear(y1) || !validYear(y2) || y2 < y1 || y2-y1 > 200 {
			return out
		}
		if decadeAfter(text, end) {
			return out
		}
		// Two mentions: the range's ends. The second covers the rest of
		// the range so that overlap resolution keeps both.
		e1 := loc[3]
		out = append(out, Mention{Start: start, End: e1, Date: twin.YearDate(y1)})
		out = append(out, Mention{Start: loc[4], End: end, Date: twin.YearDate(y2)})
		return out
	}
	return out
}

// dayNoYear resolves "26 июня" against ref: ref's year, or the year before
// when that day would be after ref.
func dayNoYear(ref twin.Date, m, d int) (twin.Date, bool) {
	if ref.IsZero() || m < 1 || m > 12 || d < 1 || d > 31 {
		return twin.Date{}, false
	}
	y := ref.Year
	if ref.Month != 0 && (m > ref.Month || (m == ref.Month && ref.Day != 0 && d > ref.Day)) {
		y--
	}
	return dayDate(y, m, d)
}

// direction says which occurrence of a day and month without a year the
// text means, relative to the reference date.
type direction uint8

const (
	dirPast    direction = iota // the most recent on or before ref: a report of what happened
	dirNearest                  // the closest to ref: the end of a period ("до 2 ноября", "until May 3", "至11月2日")
	dirNext                     // the next on or after ref: a future context ("пройдёт 2 ноября", "will open on May 3")
)

// periodEndBefore are the words that, right before a date, make it the end
// of a period or a deadline; dashes make it the end of a range.
var periodEndBefore = []string{" до", " по", " к", " вплоть до", " until", " till", " through", " thru", " by", " to", "至", "到", "止", "–", "—", "-"}

// futureCues mark a sentence about what is still to come.
var futureCues = []string{" будет ", " будут ", "пройдёт", "пройдет", "пройдут", "состоится", "состоятся", "продлится", "продлятся",
	"откроется", "начнётся", "начнется", "завершится", "запланирован", "планируется", "намечен",
	" will ", " is scheduled", " are scheduled", " is set to", " are set to", " upcoming", " is expected to", " are expected to",
	"将于", "将在", "拟于", "计划于", "预计于", "即将"}

// directionAt reads the context of the date expression text[start:end].
func directionAt(text string, start, end int, lang string) direction {
	lo := max(0, start-24)
	for lo > 0 && !utf8.RuneStart(text[lo]) {
		lo++
	}
	before := " " + strings.ToLower(strings.TrimRight(text[lo:start], " \u00a0\t"))
	for _, w := range periodEndBefore {
		if strings.HasSuffix(before, w) {
			return dirNearest
		}
	}
	if strings.HasPrefix(text[end:], "前") || strings.HasPrefix(text[end:], "止") {
		return dirNearest // "11月2日前", "截至11月2日止"
	}
	// The sentence around the date, at most 300 bytes either way.
	a, b := max(0, start-300), min(len(text), end+300)
	if i := strings.LastIndexAny(text[a:start], ".!?。！？\n"); i >= 0 {
		a += i + 1
	}
	if i := strings.IndexAny(text[end:b], ".!?。！？\n"); i >= 0 {
		b = end + i
	}
	for !utf8.RuneStart(text[a]) && a < start {
		a++
	}
	for b < len(text) && !utf8.RuneStart(text[b]) {
		b++
	}
	sent := " " + strings.ToLower(text[a:b]) + " "
	for _, c := range futureCues {
		if strings.Contains(sent, c) {
			return dirNext
		}
	}
	return dirPast
}

// dayNoYearIn resolves a day and month without a year against ref in the
// given direction: dirPast is dayNoYear; dirNext takes ref's year, or the
// year after when that day would be before ref; dirNearest the occurrence
// closest to ref.
func dayNoYearIn(ref twin.Date, m, d int, dir direction) (twin.Date, bool) {
	if dir == dirPast || ref.IsZero() || ref.Month == 0 || m < 1 || m > 12 || d < 1 || d > 31 {
		return dayNoYear(ref, m, d)
	}
	rd := max(ref.Day, 1)
	if ref.Day == 0 {
		rd = 15
	}
	r := time.Date(ref.Year, time.Month(ref.Month), rd, 0, 0, 0, 0, time.UTC)
	best, bestGap := 0, time.Duration(-1)
	for _, y := range []int{ref.Year - 1, ref.Year, ref.Year + 1} {
		t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
		gap := t.Sub(r)
		if dir == dirNext && gap < 0 && (ref.Day != 0 || t.Month() != r.Month()) {
			continue
		}
		if gap < 0 {
			gap = -gap
		}
		if bestGap < 0 || gap < bestGap {
			best, bestGap = y, gap
		}
	}
	return dayDate(best, m, d)
}

// monthNoYear resolves "в мае" against ref: ref's year, or the year before
// when that month is after ref's.
func monthNoYear(ref twin.Date, m int) (twin.Date, bool) {
	if ref.IsZero() || m < 1 || m > 12 {
		return twin.Date{}, false
	}
	y := ref.Year
	if ref.Month != 0 && m > ref.Month {
		y--
	}
	return monthDate(y, m)
}

func relYear(ref twin.Date, q string) (int, bool) {
	if ref.IsZero() {
		return 0, false
	}
	switch q {
	case "прошлого", "прошлом", "минувшем":
		return ref.Year - 1, true
	case "позапрошлого", "позапрошлом":
		return ref.Year - 2, true
	default:
		return ref.Year, true
	}
}

// daysBefore returns ref minus n days; a ref known only to the month or year
// gives ref itself at its precision.
func daysBefore(ref twin.Date, n int) (twin.Date, bool) {
	if ref.IsZero() {
		return twin.Date{}, false
	}
	if ref.Precision() != twin.PrecisionDay {
		return ref, true
	}
	return twin.DayDate(ref.Start().AddDate(0, 0, -n)), true
}

// weekdayOnOrBefore returns the most recent wd on or before ref.
func weekdayOnOrBefore(ref twin.Date, wd time.Weekday) (twin.Date, bool) {
	if ref.IsZero() {
		return twin.Date{}, false
	}
	if ref.Precision() != twin.PrecisionDay {
		return ref, true
	}
	t := ref.Start()
	back := (int(t.Weekday()) - int(wd) + 7) % 7
	return twin.DayDate(t.AddDate(0, 0, -back)), true
}

func monthOfDate(d twin.Date) twin.Date {
	if d.Month == 0 {
		return d
	}
	return twin.MonthDate(d.Year, d.Month)
}

// zhWord resolves Chinese relative words.
func zhWord(ref twin.Date, w string) (twin.Date, bool) {
	if ref.IsZero() {
		return twin.Date{}, false
	}
	switch w {
	case "前天":
		return daysBefore(ref, 2)
	case "昨天", "昨日":
		return daysBefore(ref, 1)
	case "今天", "今日":
		return daysBefore(ref, 0)
	case "日前", "近日", "近期", "本月":
		return monthOfDate(ref), ref.Month != 0
	case "上月", "上个月":
		if ref.Month == 0 {
			return twin.Date{}, false
		}
		t := time.Date(ref.Year, time.Month(ref.Month), 1, 0, 0, 0, 0, time.UTC).AddDate(0, -1, 0)
		return monthDate(t.Year(), int(t.Month()))
	case "今年":
		return yearDate(ref.Year)
	case "去年":
		return yearDate(ref.Year - 1)
	case "前年":
		return yearDate(ref.Year - 2)
	}
	last, _ := utf8.DecodeLastRuneInString(w)
	wd, ok := zhWeekdays[string(last)]
	if !ok {
		return twin.Date{}, false
	}
	if strings.HasPrefix(w, "上") {
		// The given weekday of the previous Monday-based week.
		if ref.Precision() != twin.PrecisionDay {
			return ref, true
		}
		t := ref.Start()
		sinceMon := (int(t.Weekday()) + 6) % 7
		mon := t.AddDate(0, 0, -sinceMon-7)
		off := (int(wd) + 6) % 7
		return twin.DayDate(mon.AddDate(0, 0, off)), true
	}
	return weekdayOnOrBefore(ref, wd)
}
