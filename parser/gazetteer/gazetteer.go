package gazetteer

import (
	"cmp"
	"embed"
	"fmt"
	"github.com/twinwatch/twinwatch/parser/internal/runes"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/twinwatch/twinwatch/twin"
)

//go:embed data/places_ru_cn.tsv data/cn_divisions_nbs2023.tsv data/README.md
var dataFS embed.FS

// Mention is one place name found in a text.
type Mention struct {
	Start, End int    // byte offsets in the text: Surface == text[Start:End]
	Surface    string // the name as written
	// Place is the best candidate for the surface form.
	Place twin.Place
	// Alternatives are the other places with the same surface form
	// (homonyms), best first; nil when the form is unique.
	Alternatives []twin.Place
	// Exact is true when the surface is a listed name or alternate name of
	// Place, false for a generated form (Russian case form, Palladius
	// transcription, spelling variant, suffix variant).
	Exact bool
	// Ambiguous is true when the surface is also a common word, a given
	// name or surname, the name of a place outside Russia and China, or a
	// weak derived form: the caller should require context.
	Ambiguous bool
}

// candidate flags
const (
	fExact   uint8 = 1 << iota // a listed name or alternate name
	fPrimary                   // the place's own name (name_ru/zh/en), not an alternate
	fName                      // a nominative / base form: used by Lookup
	fWeak                      // derived for a minor place, or a journalist variant
	fAmbig                     // common word / surname / foreign homonym
	fStrong                    // set on merge when some source was not weak
	fLower                     // may match text that starts in lower case
)

type cand struct {
	place int32
	flags uint8
}

// place is a gazetteer row with what ranking needs.
type place struct {
	twin.Place
	level   string
	pop     int64
	feature string
	pinyin  string
	ambig   bool // the place name itself is a common word / surname
}

// Gazetteer recognises Russian and Chinese places in text. It is built once
// by Load and is safe for concurrent use afterwards.
type Gazetteer struct {
	places []place
	byID   map[string]int32

	// trie over folded runes: the edges of node n are labels/child
	// [first[n]:first[n+1]], sorted by label
	first  []int32
	labels []rune
	child  []int32
	term   []int32 // node -> index into entries, or -1
	// entries are candidate lists, best first
	entries [][]cand
	// lookup maps folded nominative keys to candidate lists, best first
	lookup map[string][]cand

	t2s map[rune]rune
	// hanT2S and hanRoot index the CJK Unified Ideographs block
	// (hanLo..hanHi), the runes of almost every Chinese text: the folded
	// form (0: itself) and the trie root's child (-1: none).
	hanT2S  []rune
	hanRoot []int32
	// lowerOK marks entries that may match text starting with a lower-case
	// letter ("провинции Цзилинь"); lowerFirst holds their first runes.
	lowerOK    []bool
	lowerFirst []rune
}

// Load parses the embedded data and builds the matcher.
func Load() (*Gazetteer, error) {
	g := &Gazetteer{
		byID:   map[string]int32{},
		term:   []int32{-1},
		lookup: map[string][]cand{},
		t2s:    map[rune]rune{},
	}
	tr := []rune(tradSimp)
	for i := 0; i+1 < len(tr); i += 2 {
		if tr[i] != tr[i+1] {
			g.t2s[tr[i]] = tr[i+1]
		}
	}
	rows, err := readTSV("data/places_ru_cn.tsv")
	if err != nil {
		return nil, err
	}
	divs, err := readTSV("data/cn_divisions_nbs2023.tsv")
	if err != nil {
		return nil, err
	}
	g.learnTradSimp(rows)
	b := newBuilder(g)
	if err := b.addRows(rows); err != nil {
		return nil, err
	}
	if err := b.addDivisions(divs); err != nil {
		return nil, err
	}
	b.addExtras()
	b.finish()
	g.indexHan()
	return g, nil
}

// The CJK Unified Ideographs block, indexed by hanT2S and hanRoot.
const hanLo, hanHi = 0x4E00, 0x9FFF

// indexHan fills hanT2S and hanRoot from t2s and the trie.
func (g *Gazetteer) indexHan() {
	g.hanT2S = make([]rune, hanHi-hanLo+1)
	g.hanRoot = make([]int32, hanHi-hanLo+1)
	for r := rune(hanLo); r <= hanHi; r++ {
		if s, ok := g.t2s[r]; ok {
			g.hanT2S[r-hanLo] = s
		}
		g.hanRoot[r-hanLo] = g.search(0, r)
	}
}

// learnTradSimp learns traditional→simplified characters from the data: a
// Han alternate name of the same length as the simplified name that differs
// in a character that no simplified name uses (楡林 / 榆林 teaches 楡→榆),
// where at least two places agree.
func (g *Gazetteer) learnTradSimp(rows []map[string]string) {
	simp := map[rune]bool{}
	seen := map[[2]rune]int{}
	for _, r := range rows {
		for _, c := range r["name_zh"] {
			simp[c] = true
		}
	}
	for _, r := range rows {
		z := []rune(r["name_zh"])
		for _, a := range strings.Split(r["alt_names"], "|") {
			ar := []rune(a)
			if len(ar) != len(z) || len(ar) < 2 || !isHan(ar[0]) {
				continue
			}
			same := 0
			for i := range ar {
				if ar[i] == z[i] {
					same++
				}
			}
			if same == len(ar) || 2*same < len(ar) {
				continue
			}
			for i := range ar {
				if ar[i] != z[i] && !simp[ar[i]] && simp[z[i]] && isHan(ar[i]) {
					seen[[2]rune{ar[i], z[i]}]++
				}
			}
		}
	}
	for p, n := range seen {
		if _, ok := g.t2s[p[0]]; !ok && n >= 2 { // two places agree: not a one-off alias
			g.t2s[p[0]] = p[1]
		}
	}
}

// readTSV reads an embedded TSV file as header-keyed rows.
func readTSV(name string) ([]map[string]string, error) {
	raw, err := dataFS.ReadFile(name)
	if err != nil {
		return nil, fmt.Errorf("gazetteer: read %s: %w", name, err)
	}
	lines := strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
	if len(lines) < 2 {
		return nil, fmt.Errorf("gazetteer: %s: no rows", name)
	}
	head := strings.Split(lines[0], "\t")
	rows := make([]map[string]string, 0, len(lines)-1)
	for i, l := range lines[1:] {
		f := strings.Split(strings.TrimRight(l, "\r"), "\t")
		if len(f) != len(head) {
			return nil, fmt.Errorf("gazetteer: %s line %d: %d fields, want %d", name, i+2, len(f), len(head))
		}
		m := make(map[string]string, len(head))
		for j, h := range head {
			m[h] = f[j]
		}
		rows = append(rows, m)
	}
	return rows, nil
}

// Place returns the place with the given gazetteer id.
func (g *Gazetteer) Place(id string) (twin.Place, bool) {
	i, ok := g.byID[id]
	if !ok {
		return twin.Place{}, false
	}
	return g.places[i].Place, true
}

// Lookup returns the places known by name, best first, or nil. The name may
// be in any script and is compared after normalisation: case, ё/е, spacing
// and dashes, traditional characters, a final 市/省 (and, failing an exact
// hit, 自治区/自治州/自治县/县/区), and a trailing ", Disambiguator" — which,
// when it names a place's region or country, narrows the result ("Kirovsk,
// Leningrad Oblast", "Yulin, Shaanxi"). Only base forms are looked up, not
// Russian case forms.
func (g *Gazetteer) Lookup(name string) []twin.Place {
	name = strings.TrimSpace(name)
	if name == "" {
		return nil
	}
	if c := g.lookup[g.fold(name)]; len(c) > 0 {
		return g.toPlaces(c)
	}
	base, dis := name, ""
	if i := strings.LastIndex(name, ","); i > 0 {
		base, dis = strings.TrimSpace(name[:i]), strings.TrimSpace(name[i+1:])
	}
	c := g.lookup[g.fold(base)]
	if len(c) == 0 {
		for _, suf := range []string{"市", "省", "自治区", "自治州", "自治县", "县", "区", "地区", "盟", "旗"} {
			if t, ok := strings.CutSuffix(base, suf); ok && utf8.RuneCountInString(t) >= 2 {
				if c = g.lookup[g.fold(t)]; len(c) > 0 {
					break
				}
			}
		}
	}
	if len(c) == 0 {
		// "Республика Саха (Якутия)": drop a parenthesis
		if i := strings.IndexAny(base, "(（"); i > 0 {
			c = g.lookup[g.fold(base[:i])]
		}
	}
	if len(c) == 0 {
		return nil
	}
	ps := g.toPlaces(c)
	if dis != "" {
		fd := g.fold(dis)
		var keep []twin.Place
		for _, p := range ps {
			if g.fold(p.Region) == fd || g.fold(string(p.Country)) == fd ||
				(fd == "russia" && p.Country == twin.Country("RU")) || (fd == "china" && p.Country == twin.Country("CN")) ||
				(p.Region != "" && strings.Contains(g.fold(p.Region), fd)) {
				keep = append(keep, p)
			}
		}
		if len(keep) > 0 {
			return keep
		}
	}
	return ps
}

func (g *Gazetteer) toPlaces(c []cand) []twin.Place {
	out := make([]twin.Place, 0, len(c))
	for _, x := range c {
		out = append(out, g.places[x.place].Place)
	}
	return out
}

// isHan reports a CJK ideograph.
func isHan(r rune) bool {
	switch {
	case r < 0x2E80:
		return false
	case r >= 0x4E00 && r <= 0x9FFF:
		return true
	}
	return unicode.Is(unicode.Han, r)
}

// wordRune reports a rune that continues a non-Han word.
func wordRune(r rune) bool {
	switch {
	case r < 0x80:
		return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
	case r >= 0x400 && r <= 0x4FF:
		return true
	case r >= hanLo && r <= hanHi: // Han letters do not continue a word
		return false
	}
	return (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r)) && !isHan(r)
}

// isUpper reports an upper-case letter, with fast paths for ASCII and Cyrillic.
func isUpper(r rune) bool {
	switch {
	case r < 0x80:
		return r >= 'A' && r <= 'Z'
	case r >= 0x410 && r <= 0x42F, r == 'Ё':
		return true
	case r >= 0x430 && r <= 0x45F:
		return false
	}
	return unicode.IsUpper(r)
}

// foldRune maps a rune to its matching form: lower case, ё→е, Latin
// diacritics stripped, dashes→'-', apostrophes→'\”, spaces→' ',
// traditional→simplified Han.
func (g *Gazetteer) foldRune(r rune) rune {
	switch {
	case r < 0x80:
		if r >= 'A' && r <= 'Z' {
			return r + 32
		}
		if r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v' {
			return ' '
		}
		if r == '`' {
			return '\''
		}
		return r
	case r >= 0x400 && r <= 0x4FF:
		if r >= 'А' && r <= 'Я' {
			r += 'а' - 'А'
		} else if r < 0x430 || r > 0x44F {
			r = unicode.ToLower(r)
		}
		if r == 'ё' || r == 'э' {
			return 'е' // Хэйхэ / Хейхе: journalists mix э and е
		}
		return r
	case r >= hanLo && r <= hanHi:
		if g.hanT2S != nil {
			if s := g.hanT2S[r-hanLo]; s != 0 {
				return s
			}
			return r
		}
		if s, ok := g.t2s[r]; ok {
			return s
		}
		return r
	case r >= 0xC0 && r <= 0x24F:
		if f := foldLatin(r); f != 0 {
			return f
		}
		return unicode.ToLower(r)
	}
	switch r {
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212':
		return '-'
	case '\u2018', '\u2019', '\u02bc', '\u02bb', '\u2032':
		return '\''
	case '\u00a0', '\u2002', '\u2003', '\u2009', '\u202f', '\u3000':
		return ' '
	case '（':
		return '('
	case '）':
		return ')'
	}
	if unicode.IsSpace(r) {
		return ' '
	}
	return unicode.ToLower(r)
}

// latinFold strips common diacritics from Latin letters.
var latinFold = map[rune]rune{
	'à': 'a', 'á': 'a', 'â': 'a', 'ã': 'a', 'ä': 'a', 'å': 'a', 'ā': 'a', 'ă': 'a', 'ą': 'a', 'ǎ': 'a',
	'ç': 'c', 'ć': 'c', 'č': 'c', 'ĉ': 'c', 'ď': 'd', 'đ': 'd',
	'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e', 'ē': 'e', 'ė': 'e', 'ę': 'e', 'ě': 'e',
	'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i', 'ī': 'i', 'ǐ': 'i', 'ı': 'i',
	'ñ': 'n', 'ń': 'n', 'ň': 'n', 'ò': 'o', 'ó': 'o', 'ô': 'o', 'õ': 'o', 'ö': 'o', 'ø': 'o', 'ō': 'o', 'ǒ': 'o', 'ő': 'o',
	'ŕ': 'r', 'ř': 'r', 'ś': 's', 'š': 's', 'ş': 's', 'ť': 't', 'ţ': 't',
	'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u', 'ū': 'u', 'ů': 'u', 'ǔ': 'u', 'ǖ': 'u', 'ǘ': 'u', 'ǚ': 'u', 'ǜ': 'u', 'ű': 'u',
	'ý': 'y', 'ÿ': 'y', 'ź': 'z', 'ż': 'z', 'ž': 'z', 'ł': 'l', 'ĝ': 'g', 'ğ': 'g', 'ĥ': 'h', 'ĵ': 'j', 'ŝ': 's', 'ŭ': 'u',
}

// foldLatin lower-cases a Latin letter and strips its diacritic; 0 if unknown.
func foldLatin(r rune) rune {
	l := unicode.ToLower(r)
	if f, ok := latinFold[l]; ok {
		return f
	}
	if l < 0x80 {
		return l
	}
	return 0
}

// fold normalises a whole name: runes folded, spaces collapsed and trimmed.
func (g *Gazetteer) fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true
	for _, r := range s {
		f := g.foldRune(r)
		if f == ' ' {
			if space {
				continue
			}
			space = true
		} else {
			space = false
		}
		b.WriteRune(f)
	}
	return strings.TrimRight(b.String(), " ")
}

// Find returns the place names in text, sorted by Start, non-overlapping,
// leftmost-longest. Text is scanned once: a trie of every known form (all
// Russian case forms, spelling variants, Han with and without suffix) is
// walked from each possible start. Latin and Cyrillic names must start with
// a capital letter and be whole words; Han names need no boundary.
func (g *Gazetteer) Find(text string) []Mention {
	var out []Mention
	prevWord := false
	for i := 0; i < len(text); {
		r, size := rune(text[i]), 1
		if r >= utf8.RuneSelf {
			r, size = runes.Decode(text, i)
		}
		han := isHan(r)
		if han && r >= hanLo && r <= hanHi && g.hanRoot != nil {
			f := r
			if t := g.hanT2S[r-hanLo]; t != 0 {
				f = t
			}
			if f >= hanLo && f <= hanHi && g.hanRoot[f-hanLo] < 0 {
				// No key starts with this character: match would find nothing.
				prevWord = false // wordRune of a Han letter
				i += size
				continue
			}
		}
		if han || (!prevWord && (isUpper(r) || slices.Contains(g.lowerFirst, r))) {
			if end, e := g.match(text, i, !han && !isUpper(r)); end > 0 {
				if len(g.entries[e]) > 0 { // else a blocker: a foreign name
					out = append(out, g.mention(text, i, end, e))
				}
				lr, _ := utf8.DecodeLastRuneInString(text[:end])
				prevWord = wordRune(lr)
				i = end
				continue
			}
		}
		prevWord = wordRune(r)
		i += size
	}
	return out
}

// match walks the trie from text[i:] and returns the end of the longest
// key that ends on a word boundary, with its entry; end is 0 if none.
// lower restricts the match to entries allowed to start in lower case.
func (g *Gazetteer) match(text string, i int, lower bool) (int, int32) {
	node := int32(0)
	best, bestE := 0, int32(-1)
	space := false
	for j := i; j < len(text); {
		r, size := rune(text[j]), 1
		if r >= utf8.RuneSelf {
			r, size = runes.Decode(text, j)
		}
		var f rune
		if r >= hanLo && r <= hanHi && g.hanT2S != nil { // foldRune's Han case, inline
			if f = g.hanT2S[r-hanLo]; f == 0 {
				f = r
			}
		} else {
			f = g.foldRune(r)
		}
		if f == ' ' {
			if space {
				j += size
				continue
			}
			space = true
		} else {
			space = false
		}
		child := g.next(node, f)
		if child < 0 {
			break
		}
		node = child
		j += size
		if e := g.term[node]; e >= 0 && (!lower || g.lowerOK[e]) {
			if !wordRune(f) {
				best, bestE = j, e
			} else {
				nr, _ := utf8.DecodeRuneInString(text[j:])
				if j >= len(text) || !wordRune(nr) {
					best, bestE = j, e
				}
			}
		}
	}
	return best, bestE
}

// next returns the child of node labelled r, or -1.
func (g *Gazetteer) next(node int32, r rune) int32 {
	if node == 0 && r >= hanLo && r <= hanHi && g.hanRoot != nil {
		return g.hanRoot[r-hanLo]
	}
	return g.search(node, r)
}

// search finds the child of node labelled r in the trie's edges, or -1.
func (g *Gazetteer) search(node int32, r rune) int32 {
	lo, hi := g.first[node], g.first[node+1]
	for hi-lo > 8 {
		mid := lo + (hi-lo)/2
		switch l := g.labels[mid]; {
		case l == r:
			return g.child[mid]
		case l < r:
			lo = mid + 1
		default:
			hi = mid
		}
	}
	for ; lo < hi; lo++ {
		if g.labels[lo] == r {
			return g.child[lo]
		}
	}
	return -1
}

func (g *Gazetteer) mention(text string, start, end int, e int32) Mention {
	cs := g.entries[e]
	m := Mention{Start: start, End: end, Surface: text[start:end], Place: g.places[cs[0].place].Place}
	m.Exact = cs[0].flags&fExact != 0
	m.Ambiguous = cs[0].flags&(fWeak|fAmbig) != 0
	if len(cs) > 1 {
		m.Alternatives = make([]twin.Place, 0, len(cs)-1)
		for _, c := range cs[1:] {
			m.Alternatives = append(m.Alternatives, g.places[c.place].Place)
		}
	}
	return m
}

// tier orders places of the same name: major cities first, then regions,
// then county-level cities and prefectures, then minor places.
func (p *place) tier() int {
	switch p.level {
	case "city", "prefecture_city":
		return 0
	case "municipality":
		if p.Kind == twin.City {
			return 0
		}
		return 1
	case "province", "autonomous_region", "republic", "krai", "oblast", "federal_city",
		"autonomous_okrug", "autonomous_oblast":
		return 1
	case "county_city", "prefecture":
		return 2
	case "county_seat", "settlement":
		return 3
	case "division":
		return 4
	}
	return 5
}

func featureRank(f string) int {
	switch f {
	case "PPLC":
		return 0
	case "PPLA":
		return 1
	case "PPLA2":
		return 2
	case "PPLA3":
		return 3
	case "ADM1", "ADM2":
		return 4
	}
	return 5
}

// compareCand orders candidates best first.
func (g *Gazetteer) compareCand(a, b cand) int {
	pa, pb := &g.places[a.place], &g.places[b.place]
	bad := func(c cand) int {
		if c.flags&fStrong == 0 && c.flags&fWeak != 0 {
			return 1
		}
		return 0
	}
	prim := func(c cand) int {
		if c.flags&fPrimary != 0 {
			return 0
		}
		return 1
	}
	return cmp.Or(
		cmp.Compare(bad(a), bad(b)),
		cmp.Compare(pa.tier(), pb.tier()),
		cmp.Compare(prim(a), prim(b)),
		cmp.Compare(pb.pop, pa.pop),
		cmp.Compare(featureRank(pa.feature), featureRank(pb.feature)),
		cmp.Compare(pa.ID, pb.ID),
	)
}

func atoi64(s string) int64 {
	n, _ := strconv.ParseInt(s, 10, 64)
	return n
}

// sortCands sorts and normalises the weak flag of a candidate list.
func (g *Gazetteer) sortCands(cs []cand) {
	slices.SortStableFunc(cs, g.compareCand)
	for i := range cs {
		if cs[i].flags&fStrong != 0 {
			cs[i].flags &^= fWeak
		}
	}
}
