package gazetteer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// conventional holds Russian exonyms that differ from a strict Palladius
// transcription, keyed by toneless space-separated pinyin. Palladius returns
// these in preference to the mechanical form, as Russian texts do.
var conventional = map[string]string{
	"ha er bin":      "Харбин",
	"bei jing":       "Пекин",
	"nan jing":       "Нанкин",
	"xiang gang":     "Гонконг",
	"qi qi ha er":    "Цицикар",
	"wu lu mu qi":    "Урумчи",
	"hu he hao te":   "Хух-Хото",
	"man zhou li":    "Маньчжурия",
	"ka shi":         "Кашгар",
	"hu lun bei er":  "Хулун-Буир",
	"wu lan cha bu":  "Уланчаб",
	"er lian hao te": "Эрэн-Хото",
	"hai la er":      "Хайлар",
	"wu lan hao te":  "Улан-Хото",
	"xi lin hao te":  "Шилин-Хото",
	"bao tou":        "Баотоу",
	"ao men":         "Макао",
	"a le tai":       "Алтай",
	"yi ning":        "Кульджа",
	"ta cheng":       "Чугучак",
	"la sa":          "Лхаса",
	"ge er mu":       "Голмуд",
	"he tian":        "Хотан",
	"a ke su":        "Аксу",
	"ha mi":          "Хами",
	"tu lu fan":      "Турфан",
	"ku er le":       "Корла",
	"ke la ma yi":    "Карамай",
}

// initials maps pinyin initials to Cyrillic, longest first.
var initials = []struct{ py, ru string }{
	{"zh", "чж"}, {"ch", "ч"}, {"sh", "ш"},
	{"b", "б"}, {"p", "п"}, {"m", "м"}, {"f", "ф"}, {"d", "д"}, {"t", "т"},
	{"n", "н"}, {"l", "л"}, {"g", "г"}, {"k", "к"}, {"h", "х"},
	{"j", "цз"}, {"q", "ц"}, {"x", "с"}, {"r", "ж"}, {"z", "цз"}, {"c", "ц"}, {"s", "с"},
}

// finals maps a pinyin final (after an initial) to Cyrillic.
var finals = map[string]string{
	"a": "а", "o": "о", "e": "э", "i": "и", "ai": "ай", "ei": "эй", "ao": "ао", "ou": "оу",
	"an": "ань", "en": "энь", "ang": "ан", "eng": "эн", "ong": "ун", "er": "эр",
	"ia": "я", "ie": "е", "iao": "яо", "iu": "ю", "ian": "янь", "in": "инь", "iang": "ян",
	"ing": "ин", "iong": "юн",
	"u": "у", "ua": "уа", "uo": "о", "ui": "уй", "uai": "уай", "uan": "уань", "un": "унь",
	"uang": "уан", "ueng": "уэн",
	"v": "юй", "ve": "юэ", "van": "юань", "vn": "юнь", "ue": "юэ",
}

// zeroInitial maps syllables without an initial.
var zeroInitial = map[string]string{
	"a": "а", "ai": "ай", "an": "ань", "ang": "ан", "ao": "ао", "e": "э", "ei": "эй", "en": "энь",
	"eng": "эн", "er": "эр", "o": "о", "ou": "оу",
	"yi": "и", "ya": "я", "yao": "яо", "ye": "е", "you": "ю", "yan": "янь", "yin": "инь",
	"yang": "ян", "ying": "ин", "yong": "юн", "yu": "юй", "yue": "юэ", "yuan": "юань",
	"yun": "юнь", "yo": "йо",
	"wu": "у", "wa": "ва", "wo": "во", "wai": "вай", "wei": "вэй", "wan": "вань", "wen": "вэнь",
	"wang": "ван", "weng": "вэн",
}

// Palladius transcribes toneless pinyin into Russian Cyrillic by the
// Palladius system: "ha er bin" -> "Харбин", "shuang ya shan" -> "Шуанъяшань".
// Syllables are separated by spaces (apostrophes and hyphens also separate);
// ü may be written ü, v or u:. Where Russian uses a customary exonym that
// differs from the mechanical form (Харбин, Пекин, Урумчи, Уланчаб), that
// exonym is returned. Unknown syllables are kept as they are. The result is
// capitalised; "" gives "".
func Palladius(pinyin string) string {
	key := normPinyin(pinyin)
	if key == "" {
		return ""
	}
	if c, ok := conventional[key]; ok {
		return c
	}
	return palladiusStrict(key)
}

// normPinyin lower-cases pinyin, folds ü spellings to v, strips tone marks
// and digits, and joins the syllables with single spaces.
func normPinyin(s string) string {
	s = strings.ReplaceAll(strings.ToLower(s), "u:", "v")
	b := make([]byte, 0, len(s))
	space := true
	for _, r := range s {
		switch r {
		case 'ü', 'ǖ', 'ǘ', 'ǚ', 'ǜ':
			r = 'v'
		case '\'', '’', '-', '\t':
			r = ' '
		}
		if r > 127 {
			r = foldLatin(r)
		}
		switch {
		case r >= 'a' && r <= 'z':
			b = append(b, byte(r))
			space = false
		case r == ' ' && !space:
			b = append(b, ' ')
			space = true
		}
	}
	return strings.TrimRight(string(b), " ")
}

// palladiusStrict transcribes normalised pinyin mechanically.
func palladiusStrict(key string) string {
	syls := strings.Fields(key)
	var b strings.Builder
	prevNG := false // previous syllable ended in -ng (Cyrillic н without ь)
	for i, s := range syls {
		c := syllable(s)
		if i > 0 && prevNG {
			if r, _ := utf8.DecodeRuneInString(c); strings.ContainsRune("аоуэяеюиё", r) {
				b.WriteString("ъ")
			}
		}
		b.WriteString(c)
		prevNG = strings.HasSuffix(s, "ng")
	}
	return capitalise(b.String())
}

// syllable transcribes one pinyin syllable.
func syllable(s string) string {
	if c, ok := zeroInitial[s]; ok {
		return c
	}
	for _, in := range initials {
		if !strings.HasPrefix(s, in.py) {
			continue
		}
		fin := s[len(in.py):]
		switch {
		case fin == "i" && strings.ContainsAny(in.py, "zcs") && len(in.py) == 1:
			return in.ru + "ы" // zi ci si
		case (in.py == "j" || in.py == "q" || in.py == "x") && strings.HasPrefix(fin, "u"):
			fin = "v" + fin[1:] // ju = jü
		case in.py == "h" && fin == "ui":
			return "хуэй"
		}
		if f, ok := finals[fin]; ok {
			return in.ru + f
		}
		return s
	}
	return s
}

// capitalise upper-cases the first letter of s.
func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// pinyinLatin renders pinyin syllables as a capitalised Latin name, with an
// apostrophe before a syllable that starts with a vowel ("xi an" -> "Xi'an").
func pinyinLatin(key string) string {
	syls := strings.Fields(normPinyin(key))
	var b strings.Builder
	for i, s := range syls {
		s = strings.ReplaceAll(s, "v", "ü")
		if i > 0 && strings.ContainsRune("aeo", rune(s[0])) {
			b.WriteByte('\'')
		}
		b.WriteString(s)
	}
	return capitalise(b.String())
}

// journalistVariants returns spellings of a Cyrillic Chinese name that Russian
// journalists use besides the Palladius one: дж for чж (Чанджоу), -нь/-н
// confusion (Чжэньцзянь), -нь- before a consonant without the soft sign
// (Удалянчи, Муданцзян), е for э (Ченду). The input itself is not included.
func journalistVariants(name string) []string {
	type rule struct{ from, to string }
	rules := []rule{{"чж", "дж"}, {"Чж", "Дж"}, {"цз", "дз"}} // э/е is folded by matching
	seen := map[string]bool{name: true}
	out := []string{}
	add := func(s string) {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	// ng/n confusion at the end of the name and of each hyphenated part.
	nVariants := []string{name}
	switch {
	case strings.HasSuffix(name, "нь"):
		nVariants = append(nVariants, strings.TrimSuffix(name, "ь"))
	case strings.HasSuffix(name, "н"):
		nVariants = append(nVariants, name+"ь")
	}
	// -нь- before a consonant inside the name is often written without the
	// soft sign (Удалянчи for Удаляньчи, Муданцзян for Муданьцзян).
	if hard := dropInnerSoftN(name); hard != name {
		nVariants = append(nVariants, hard)
		if strings.HasSuffix(hard, "нь") {
			nVariants = append(nVariants, strings.TrimSuffix(hard, "ь"))
		}
	}
	for _, v := range nVariants {
		add(v)
		for _, r := range rules {
			if strings.Contains(v, r.from) {
				add(strings.ReplaceAll(v, r.from, r.to))
			}
		}
		all := v
		for _, r := range rules[:2] {
			all = strings.ReplaceAll(all, r.from, r.to)
		}
		add(all)
	}
	return out
}

// dropInnerSoftN removes the soft sign of every "нь" followed by a Cyrillic
// consonant (not at the end of the name or of a hyphenated part).
func dropInnerSoftN(name string) string {
	rs := []rune(name)
	out := make([]rune, 0, len(rs))
	for i, r := range rs {
		if r == 'ь' && i > 0 && i+1 < len(rs) && rs[i-1] == 'н' && strings.ContainsRune("бвгджзйклмнпрстфхцчшщ", unicode.ToLower(rs[i+1])) {
			continue
		}
		out = append(out, r)
	}
	return string(out)
}
