package gazetteer

import (
	"strings"
	"unicode/utf8"
)

// Russian grammatical cases, in the order declension tables use.
const (
	nom = iota
	gen
	dat
	acc
	ins
	prep
	nCases
)

// forms holds the variants of one word or phrase per case.
type forms [nCases][]string

// maxPerCase bounds the cartesian product of word variants in a phrase.
const maxPerCase = 8

// declineName returns every case form of a Russian place name (lower case,
// ё kept), the nominative first. foreign marks a transcribed Chinese name,
// which never takes Russian plural or fleeting-vowel patterns.
func declineName(name string, foreign bool) []string {
	name = strings.ToLower(strings.Join(strings.Fields(name), " "))
	f := declinePhrase(name, foreign)
	seen := map[string]bool{}
	var out []string
	for c := range nCases {
		for _, s := range f[c] {
			if s != "" && !seen[s] {
				seen[s] = true
				out = append(out, s)
			}
		}
	}
	return out
}

// declinePhrase declines a multi-word name: adjectives and possessives
// before the head noun agree with it, the head noun declines, and every
// word after the head (an appositive name, a parenthesis) stays as it is.
func declinePhrase(name string, foreign bool) forms {
	words := strings.Split(name, " ")
	head := len(words) - 1
	for i, w := range words {
		if strings.HasPrefix(w, "(") {
			head = max(i-1, 0)
			break
		}
		if !isAdjective(lastPart(w)) && !(i < len(words)-1 && isPossessive(w)) {
			head = i
			break
		}
	}
	var res forms
	for c := range nCases {
		res[c] = []string{""}
	}
	for i, w := range words {
		var wf forms
		if i <= head {
			wf = declineToken(w, foreign, i < head)
		} else {
			for c := range nCases {
				wf[c] = []string{w}
			}
		}
		for c := range nCases {
			var next []string
			for _, pre := range res[c] {
				for _, v := range wf[c] {
					if len(next) >= maxPerCase {
						break
					}
					if pre == "" {
						next = append(next, v)
					} else {
						next = append(next, pre+" "+v)
					}
				}
			}
			res[c] = next
		}
	}
	return res
}

// lastPart returns the part after the last hyphen.
func lastPart(w string) string {
	if i := strings.LastIndexByte(w, '-'); i >= 0 {
		return w[i+1:]
	}
	return w
}

// declineToken declines one space-free token, which may be hyphenated.
func declineToken(w string, foreign, modifier bool) forms {
	parts := strings.Split(w, "-")
	if len(parts) == 1 {
		return declineWord(w, foreign, modifier)
	}
	// Ростов-на-Дону, Комсомольск-на-Амуре: only the first part declines.
	for i := 1; i < len(parts)-1; i++ {
		if parts[i] == "на" || parts[i] == "в" || parts[i] == "у" || parts[i] == "над" {
			first := declineWord(parts[0], foreign, false)
			rest := "-" + strings.Join(parts[1:], "-")
			return mapForms(first, func(s string) string { return s + rest })
		}
	}
	lastIdx := len(parts) - 1
	last := declineWord(parts[lastIdx], foreign, modifier)
	prefix := strings.Join(parts[:lastIdx], "-") + "-"
	if r, _ := utf8.DecodeLastRuneInString(parts[0]); !isAdjective(parts[lastIdx]) || lastIdx != 1 || vowel(r) {
		// Южно-Сахалинск, Хулун-Буир, Улан-Удэ: the last part declines.
		return mapForms(last, func(s string) string { return prefix + s })
	}
	// Гусь-Хрустальный, Петропавловск-Камчатский: both parts agree.
	first := declineWord(parts[0], foreign, false)
	var res forms
	for c := range nCases {
		for _, a := range first[c] {
			for _, b := range last[c] {
				if len(res[c]) < maxPerCase {
					res[c] = append(res[c], a+"-"+b)
				}
			}
		}
	}
	return res
}

// mapForms applies fn to every form.
func mapForms(f forms, fn func(string) string) forms {
	var res forms
	for c := range nCases {
		for _, s := range f[c] {
			res[c] = append(res[c], fn(s))
		}
	}
	return res
}

// adjEndings are the nominative endings of adjectives with their case endings
// (gen, dat, acc, ins, prep).
var adjEndings = []struct {
	nom  string
	rest [5][]string
}{
	{"ский", [5][]string{{"ского"}, {"скому"}, {"ский"}, {"ским"}, {"ском"}}},
	{"цкий", [5][]string{{"цкого"}, {"цкому"}, {"цкий"}, {"цким"}, {"цком"}}},
	{"кий", [5][]string{{"кого"}, {"кому"}, {"кий"}, {"ким"}, {"ком"}}},
	{"гий", [5][]string{{"гого"}, {"гому"}, {"гий"}, {"гим"}, {"гом"}}},
	{"хий", [5][]string{{"хого"}, {"хому"}, {"хий"}, {"хим"}, {"хом"}}},
	{"ий", [5][]string{{"его"}, {"ему"}, {"ий"}, {"им"}, {"ем"}}},
	{"ый", [5][]string{{"ого"}, {"ому"}, {"ый"}, {"ым"}, {"ом"}}},
	{"ой", [5][]string{{"ого"}, {"ому"}, {"ой"}, {"ым"}, {"ом"}}},
	{"ая", [5][]string{{"ой"}, {"ой"}, {"ую"}, {"ой", "ою"}, {"ой"}}},
	{"яя", [5][]string{{"ей"}, {"ей"}, {"юю"}, {"ей"}, {"ей"}}},
	{"ое", [5][]string{{"ого"}, {"ому"}, {"ое"}, {"ым"}, {"ом"}}},
	{"ее", [5][]string{{"его"}, {"ему"}, {"ее"}, {"им"}, {"ем"}}},
	{"ые", [5][]string{{"ых"}, {"ым"}, {"ые"}, {"ыми"}, {"ых"}}},
	{"ие", [5][]string{{"их"}, {"им"}, {"ие"}, {"ими"}, {"их"}}},
}

// isAdjective reports whether a word has an adjective ending.
func isAdjective(w string) bool {
	if utf8.RuneCountInString(w) < 4 {
		return false
	}
	for _, e := range adjEndings {
		if strings.HasSuffix(w, e.nom) {
			return true
		}
	}
	return false
}

// isPossessive reports a short possessive adjective (Сергиев Посад).
func isPossessive(w string) bool {
	return utf8.RuneCountInString(w) >= 5 &&
		(strings.HasSuffix(w, "ов") || strings.HasSuffix(w, "ев") || strings.HasSuffix(w, "ин"))
}

// sibilant reports the hushing consonants and ц, after which ы/о are spelt и/е.
func sibilant(r rune) bool { return strings.ContainsRune("жшчщц", r) }

// velar reports г, к, х.
func velar(r rune) bool { return strings.ContainsRune("гкх", r) }

func vowel(r rune) bool { return strings.ContainsRune("аеёиоуыэюя", r) }

// lastRune returns the last rune of s and the string before it.
func lastRune(s string) (string, rune) {
	r, n := utf8.DecodeLastRuneInString(s)
	return s[:len(s)-n], r
}

// declineWord declines one word. modifier marks a possessive before the
// head noun, which also takes the adjective instrumental -ым.
func declineWord(w string, foreign, modifier bool) forms {
	var f forms
	set := func(g, d, a, i, p []string) {
		f = forms{{w}, g, d, a, i, p}
	}
	one := func(s ...string) []string { return s }
	stem, last := lastRune(w)
	_, prev := lastRune(stem)
	n := utf8.RuneCountInString(w)
	if n < 2 {
		return forms{{w}, {w}, {w}, {w}, {w}, {w}}
	}
	if isAdjective(w) && !foreign {
		for _, e := range adjEndings {
			if strings.HasSuffix(w, e.nom) {
				base := strings.TrimSuffix(w, e.nom)
				var r [5][]string
				for k := range 5 {
					for _, end := range e.rest[k] {
						r[k] = append(r[k], base+end)
					}
				}
				set(r[0], r[1], r[2], r[3], r[4])
				return f
			}
		}
	}
	switch {
	case last == 'а':
		g := stem + "ы"
		if velar(prev) || sibilant(prev) && prev != 'ц' {
			g = stem + "и"
		}
		ins := one(stem + "ой")
		if sibilant(prev) {
			ins = append(ins, stem+"ей")
		}
		set(one(g), one(stem+"е"), one(stem+"у"), ins, one(stem+"е"))
	case last == 'я':
		if prev == 'и' {
			set(one(stem+"и"), one(stem+"и"), one(stem+"ю"), one(stem+"ей"), one(stem+"и"))
		} else {
			set(one(stem+"и"), one(stem+"е"), one(stem+"ю"), one(stem+"ей", stem+"ёй"), one(stem+"е"))
		}
	case last == 'ы' && !foreign, last == 'и' && !foreign && (velar(prev) || strings.ContainsRune("жшщ", prev)):
		// plural: Чебоксары, Шахты, Мытищи, Химки, Набережные Челны
		g := []string{stem, stem + "ов"}
		if velar(prev) {
			if s2, _ := lastRune(stem); !vowel(lastRuneOf(s2)) {
				g = append(g, s2+"о"+string(prev)) // Химки -> Химок
			}
		}
		set(g, one(stem+"ам"), one(w), one(stem+"ами"), one(stem+"ах"))
	case last == 'ь':
		// masculine (Ярославль, Цзилинь) and feminine (Пермь, Тверь) patterns
		set(one(stem+"я", stem+"и"), one(stem+"ю", stem+"и"), one(w), one(stem+"ем", stem+"ью"), one(stem+"е", stem+"и"))
		if w == "камень" && !foreign { // Большой Камень, Камень-на-Оби
			set(one("камня"), one("камню"), one(w), one("камнем"), one("камне"))
		}
	case last == 'й':
		set(one(stem+"я"), one(stem+"ю"), one(w), one(stem+"ем"), one(stem+"е"))
	case vowel(last):
		// indeclinable: Сочи, Тольятти, Улан-Удэ, Чэнду, Хух-Хото, Циндао
		set(one(w), one(w), one(w), one(w), one(w))
		if !foreign && last == 'о' && (strings.HasSuffix(w, "ово") || strings.HasSuffix(w, "ево") ||
			strings.HasSuffix(w, "ино") || strings.HasSuffix(w, "ыно")) {
			// colloquial declension: в Кемерове, Ступином
			set(one(w, stem+"а"), one(w, stem+"у"), one(w), one(w, stem+"ом"), one(w, stem+"е"))
		}
	default:
		// consonant
		b := w
		if !foreign {
			switch {
			case strings.HasSuffix(w, "ёл"): // Орёл -> Орла
				b = strings.TrimSuffix(w, "ёл") + "л"
			case strings.HasSuffix(w, "ёк"): // Волочёк -> Волочка
				b = strings.TrimSuffix(w, "ёк") + "к"
			case strings.HasSuffix(w, "ец") && n > 3: // Елец -> Ельца, Череповец -> Череповца
				s := strings.TrimSuffix(w, "ец")
				_, c := lastRune(s)
				switch {
				case vowel(c):
					b = s + "йц"
				case c == 'л':
					b = s + "ьц"
				default:
					b = s + "ц"
				}
			}
		}
		ins := one(b + "ом")
		if sibilant(last) {
			ins = append(ins, b+"ем")
		}
		if modifier { // possessive adjective: Сергиевым Посадом, в Сергиевом Посаде
			set(one(b+"а"), one(b+"у"), one(w), one(b+"ым"), one(b+"ом", b+"е"))
			return f
		}
		set(one(b+"а"), one(b+"у"), one(w), ins, one(b+"е"))
	}
	return f
}
