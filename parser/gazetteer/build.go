package gazetteer

import (
	"fmt"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/twinwatch/twinwatch/twin"
)

// nameRUOverride replaces doubtful Russian names in the data, keyed by name_zh.
var nameRUOverride = map[string]string{
	"吉林省": "Цзилинь", // the data has the pre-1950s «Гирин»
}

// hanSuffixes are administrative suffixes; a Han name ending in one is
// specific enough to match without further checks.
const hanSuffixes = "市县区旗州省盟"

// builder accumulates keys while Load runs.
type builder struct {
	g       *Gazetteer
	keys    map[string][]cand
	order   []string
	common  map[string]bool // folded common words / surnames (RU and Latin)
	foreign map[string]bool // folded foreign homonyms
	fHan    map[string]bool
	cHan    map[string]bool
	generic map[string]bool
}

func newBuilder(g *Gazetteer) *builder {
	b := &builder{g: g, keys: make(map[string][]cand, 1<<17), common: map[string]bool{},
		foreign: map[string]bool{}, fHan: map[string]bool{}, cHan: map[string]bool{}, generic: map[string]bool{}}
	for _, w := range commonWordsRU {
		b.common[g.fold(w)] = true
	}
	for _, w := range commonWordsLatin {
		b.common[g.fold(w)] = true
	}
	for _, w := range foreignNames {
		b.foreign[g.fold(w)] = true
	}
	for _, w := range foreignHan {
		b.fHan[w] = true
	}
	for _, w := range commonWordsHan {
		b.cHan[w] = true
	}
	for _, w := range genericDivisions {
		b.generic[w] = true
	}
	return b
}

// add records key -> place with flags.
func (b *builder) add(key string, p int32, flags uint8) {
	if key == "" {
		return
	}
	if flags&fWeak == 0 {
		flags |= fStrong
	}
	cs, ok := b.keys[key]
	if !ok {
		b.order = append(b.order, key)
	}
	for i := range cs {
		if cs[i].place == p {
			cs[i].flags |= flags
			return
		}
	}
	b.keys[key] = append(cs, cand{place: p, flags: flags})
}

// script classifies a name by its first letter.
func script(s string) byte {
	for _, r := range s {
		switch {
		case isHan(r):
			return 'h'
		case r >= 0x400 && r <= 0x4FF:
			return 'c'
		case unicode.IsLetter(r):
			return 'l'
		}
	}
	return 0
}

// addName adds a name in whatever script it is written.
func (b *builder) addName(p int32, name string, flags uint8) {
	name = strings.TrimSpace(name)
	if name == "" {
		return
	}
	switch script(name) {
	case 'h':
		b.addHan(p, name, flags)
	case 'c':
		b.addCyr(p, name, flags, b.g.places[p].Country == "CN", b.g.places[p].Country == "CN")
	case 'l':
		b.addLatin(p, name, flags)
	}
}

// addCyr adds a Russian name with all its case forms; variants adds the
// spellings journalists use for Chinese names.
func (b *builder) addCyr(p int32, name string, flags uint8, foreign, variants bool) {
	pl := &b.g.places[p]
	if flags&fPrimary == 0 && utf8.RuneCountInString(name) <= 3 {
		return
	}
	if pl.ambig || b.foreign[b.g.fold(name)] || b.common[b.g.fold(name)] {
		flags |= fAmbig
	}
	forms := declineName(name, foreign)
	for i, f := range forms {
		fl := flags
		if i == 0 {
			fl |= fName
		} else {
			fl &^= fExact
		}
		b.add(b.g.fold(f), p, fl)
		if w, ok := strings.CutSuffix(f, " области"); ok && strings.HasSuffix(w, "ой") {
			b.add(b.g.fold(w+" обл."), p, fl&^(fExact|fName)) // Свердловской обл.
		} else if w, ok := strings.CutSuffix(f, " область"); ok {
			b.add(b.g.fold(w+" обл."), p, fl&^fExact)
		}
		if strings.Contains(f, "-на-") {
			b.add(b.g.fold(strings.ReplaceAll(f, "-на-", " на ")), p, fl&^fExact) // Ростов на Дону
		}
	}
	if variants {
		for _, v := range journalistVariants(name) {
			b.addCyr(p, v, (flags|fWeak)&^fExact, foreign, false)
		}
	}
}

// addLatin adds an English / pinyin / Wade–Giles name.
func (b *builder) addLatin(p int32, name string, flags uint8) {
	pl := &b.g.places[p]
	k := b.g.fold(name)
	if flags&fPrimary == 0 && utf8.RuneCountInString(k) <= 3 {
		return // "In", "Ob": alternate names too short to trust
	}
	if pl.ambig || b.foreign[k] || b.common[k] {
		flags |= fAmbig
	}
	flags |= fName
	b.add(k, p, flags)
	if strings.ContainsAny(k, "'-") {
		b.add(strings.ReplaceAll(strings.ReplaceAll(k, "'", ""), "-", " "), p, flags&^fExact)
		if strings.Contains(k, "-") {
			b.add(strings.ReplaceAll(k, "-", ""), p, flags&^fExact)
		}
	}
}

// addHan adds a Chinese name. Short bare names of minor places are weak;
// bare names that are common words are skipped.
func (b *builder) addHan(p int32, name string, flags uint8) {
	pl := &b.g.places[p]
	k := b.g.fold(name)
	n := utf8.RuneCountInString(k)
	if n < 2 {
		return
	}
	last, _ := utf8.DecodeLastRuneInString(k)
	suffixed := strings.ContainsRune(hanSuffixes, last) && n >= 3
	if !suffixed {
		if b.cHan[k] {
			return
		}
		if n == 2 && (pl.tier() >= 3 || flags&fPrimary == 0) {
			flags |= fWeak
		}
	}
	b.add(k, p, flags|fName)
}

// newPlace appends a place and returns its index.
func (b *builder) newPlace(p place) (int32, error) {
	if _, dup := b.g.byID[p.ID]; dup {
		return 0, fmt.Errorf("gazetteer: duplicate id %s", p.ID)
	}
	i := int32(len(b.g.places))
	b.g.places = append(b.g.places, p)
	b.g.byID[p.ID] = i
	return i, nil
}

// trimZH removes a final 市 or 省.
func trimZH(s string) string {
	for _, suf := range []string{"市", "省"} {
		if t, ok := strings.CutSuffix(s, suf); ok && utf8.RuneCountInString(t) >= 2 {
			return t
		}
	}
	return s
}

func (b *builder) addRows(rows []map[string]string) error {
	for _, r := range rows {
		p := place{level: r["level"], pop: atoi64(r["population"]), feature: r["feature_code"], pinyin: r["pinyin"]}
		p.ID, p.Country, p.NameEN = r["id"], twin.Country(r["country"]), r["name_en"]
		p.NameZH = trimZH(r["name_zh"])
		p.NameRU = r["name_ru"]
		if o, ok := nameRUOverride[r["name_zh"]]; ok {
			p.NameRU = o
		}
		p.Kind = twin.PlaceKind(r["kind"])
		if p.Country == "CN" && p.level == "prefecture" {
			p.Kind = twin.City // autonomous prefectures are municipal (corpus README)
		}
		if p.Kind == twin.City {
			p.Region = r["admin1_name"]
		}
		derivedRU := false
		if p.NameRU == "" && p.Country == "CN" && p.pinyin != "" {
			p.NameRU, derivedRU = Palladius(p.pinyin), true
		}
		if p.Country == "RU" && p.NameRU != "" {
			lw := strings.ToLower(p.NameRU)
			if b.common[b.g.fold(lw)] || (!strings.ContainsAny(lw, " -") && isAdjective(lw)) {
				p.ambig = true
			}
		}
		if p.Kind != twin.City && p.Kind != twin.Region || p.Country != "RU" && p.Country != "CN" {
			return fmt.Errorf("gazetteer: %s: bad country/kind %s/%s", p.ID, p.Country, p.Kind)
		}
		i, err := b.newPlace(p)
		if err != nil {
			return err
		}
		b.addPlaceNames(i, r, derivedRU)
	}
	return nil
}

// addPlaceNames adds every name of a data row.
func (b *builder) addPlaceNames(i int32, r map[string]string, derivedRU bool) {
	p := &b.g.places[i]
	cn := p.Country == "CN"
	tier := p.tier()
	// Russian
	if p.NameRU != "" {
		fl := fPrimary | fExact
		if derivedRU {
			fl = fPrimary
			if tier >= 4 || len(strings.Fields(p.pinyin)) < 2 {
				fl |= fWeak
			}
		}
		b.addCyr(i, p.NameRU, fl, cn, cn)
		if r["name_ru"] != "" && r["name_ru"] != p.NameRU {
			b.addCyr(i, r["name_ru"], fExact, cn, cn)
		}
	}
	if cn && tier <= 2 && p.NameRU != "" && !strings.ContainsAny(p.NameRU, " -") {
		// Шэньянский, Харбинский (университет): weak, the caller needs context
		if _, last := lastRune(strings.ToLower(p.NameRU)); !vowel(last) && last != 'й' {
			b.addCyr(i, p.NameRU+"ский", fWeak, false, false)
		}
	}
	if cn && p.pinyin != "" {
		fl := uint8(0)
		if tier >= 4 || len(strings.Fields(p.pinyin)) < 2 {
			fl |= fWeak
		}
		strict := palladiusStrict(normPinyin(p.pinyin))
		b.addCyr(i, strict, fl, true, tier <= 2)
		b.addLatin(i, pinyinLatin(p.pinyin), fl)
		if p.Kind == twin.Region {
			for _, pre := range []string{"провинция", "провинции", "провинцию", "провинцией", "провинцея"} {
				for _, n := range []string{p.NameRU, strict} {
					fl := fLower
					if pre == "провинция" {
						fl |= fName
					}
					b.add(b.g.fold(pre+" "+n), i, fl)
				}
			}
		}
	}
	// Chinese
	if z := r["name_zh"]; z != "" {
		b.addHan(i, z, fPrimary|fExact)
		if !cn && p.Kind == twin.City && !strings.HasSuffix(z, "市") {
			b.addHan(i, z+"市", fPrimary) // 伊尔库茨克市
		}
		if t := trimZH(z); t != z {
			b.addHan(i, t, fPrimary|fExact)
		}
	}
	// English
	if p.NameEN != "" {
		b.addLatin(i, p.NameEN, fPrimary|fExact)
		b.addEnglishVariants(i, p.NameEN)
	}
	for _, a := range strings.Split(r["alt_names"], "|") {
		if a = strings.TrimSpace(a); a == "" {
			continue
		}
		switch sc := script(a); {
		case sc == 'h' && b.fHan[b.g.fold(a)]:
			continue // an alternate name that is really a foreign place
		case sc == 'l' && tier >= 3:
			continue // minor places: GeoNames' foreign-language alternates only add noise
		}
		b.addName(i, a, fExact)
	}
}

// addEnglishVariants adds "X Region", "X City", "X Province" and the like.
func (b *builder) addEnglishVariants(i int32, en string) {
	p := &b.g.places[i]
	var vs []string
	switch {
	case p.Country == "RU" && p.Kind == twin.Region:
		for _, suf := range []string{" Oblast", " Krai", " Kray", " Autonomous Okrug"} {
			if base, ok := strings.CutSuffix(en, suf); ok {
				vs = append(vs, base+" Region", base+" region")
				if suf == " Krai" {
					vs = append(vs, base+" Territory", base+" Kray")
				}
			}
		}
		if p.level == "republic" {
			vs = append(vs, "Republic of "+en, en+" Republic")
		}
	case p.Country == "CN" && p.Kind == twin.Region:
		vs = append(vs, en+" Province", en+" province", en+" Sheng")
	case p.Country == "CN" && (p.level == "prefecture_city" || p.level == "county_city" || p.level == "municipality"):
		vs = append(vs, en+" City", en+" city", en+" Shi")
	case p.Country == "CN" && p.level == "prefecture":
		vs = append(vs, en+" Prefecture")
	}
	for _, v := range vs {
		b.addLatin(i, v, 0)
	}
}

// divisionSuffixEN names a county-level unit in English by its suffix.
func divisionSuffixEN(name string) string {
	switch {
	case strings.HasSuffix(name, "自治县"):
		return " Autonomous County"
	case strings.HasSuffix(name, "县"):
		return " County"
	case strings.HasSuffix(name, "区"):
		return " District"
	case strings.HasSuffix(name, "旗"):
		return " Banner"
	}
	return ""
}

func (b *builder) addDivisions(rows []map[string]string) error {
	provEN := map[string]string{}
	for _, r := range rows {
		if r["level"] == "province" {
			if i, ok := b.g.byID[r["gazetteer_id"]]; ok {
				provEN[r["code"]] = b.g.places[i].NameEN
			}
		}
	}
	for _, r := range rows {
		name := r["name_zh"]
		if b.generic[name] || name == "" {
			continue
		}
		if id := r["gazetteer_id"]; id != "" {
			i, ok := b.g.byID[id]
			if !ok {
				return fmt.Errorf("gazetteer: division %s links to unknown id %s", r["code"], id)
			}
			p := &b.g.places[i]
			if r["level"] == "county" && p.level == "county_seat" && !strings.ContainsRune(hanSuffixes, lastRuneOf(p.NameZH)) {
				p.NameZH = name // 逊克 -> 逊克县, as the corpus names counties
			}
			b.addHan(i, name, fExact)
			if c := r["name_core"]; c != "" && c != name && r["level"] != "county" {
				b.addHan(i, c, fExact|fPrimary) // 湘西, 延边: the customary short form
			}
			if suf := divisionSuffixEN(name); suf != "" && r["level"] == "county" && p.NameEN != "" {
				b.addLatin(i, p.NameEN+suf, fName) // Xunke County, Hailar District
			}
			continue
		}
		if r["level"] != "county" {
			continue
		}
		p := place{level: "division", pinyin: r["pinyin_core"]}
		p.ID, p.Country, p.Kind = "cngb:"+r["code"], "CN", twin.City
		p.NameZH = name
		if p.pinyin != "" {
			p.NameRU = Palladius(p.pinyin)
			p.NameEN = pinyinLatin(p.pinyin) + divisionSuffixEN(name)
		} else {
			p.NameEN = name
		}
		p.Region = provEN[r["province_code"]]
		i, err := b.newPlace(p)
		if err != nil {
			return err
		}
		b.addHan(i, name, fPrimary|fExact)
		if p.pinyin != "" {
			fl := fPrimary
			if strings.HasSuffix(name, "区") {
				fl |= fWeak // urban districts: names repeat across cities
			}
			b.addCyr(i, p.NameRU, fl, true, false)
			b.addLatin(i, p.NameEN, fPrimary)
		}
	}
	return nil
}

func lastRuneOf(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

// addExtras attaches the hand-made names and places.
func (b *builder) addExtras() {
	for _, e := range extraPlaces {
		p := place{level: "division"}
		p.ID, p.Country, p.Kind = e.id, twin.Country(e.country), twin.PlaceKind(e.kind)
		p.NameRU, p.NameZH, p.NameEN, p.Region = e.ru, e.zh, e.en, e.region
		i, err := b.newPlace(p)
		if err != nil {
			continue
		}
		for _, n := range append([]string{e.ru, e.zh, e.en}, e.names...) {
			b.addName(i, n, fExact|fPrimary)
		}
	}
	for _, e := range extraNames {
		k := b.g.fold(e.known)
		var best []cand
		for _, c := range b.keys[k] {
			p := &b.g.places[c.place]
			if c.flags&fName == 0 || string(p.Country) != e.country || e.kind != "" && string(p.Kind) != e.kind {
				continue
			}
			best = append(best, c)
		}
		if len(best) == 0 {
			continue
		}
		b.g.sortCands(best)
		for _, n := range e.names {
			b.addName(best[0].place, n, fExact)
		}
	}
}

// finish applies key-level rules, ranks candidates and builds the trie.
// Foreign names that no place has become blockers: keys without candidates
// that consume the text, so that 乌兰巴托 does not yield 乌兰.
func (b *builder) finish() {
	g := b.g
	for _, w := range append(append([]string{}, foreignHan...), foreignNames...) {
		if k := g.fold(w); b.keys[k] == nil {
			b.keys[k] = []cand{}
			b.order = append(b.order, k)
		}
	}
	slices.Sort(b.order) // UTF-8 byte order is rune order: the trie is built in one pass
	g.lookup = make(map[string][]cand, len(b.order))
	g.entries = make([][]cand, 0, len(b.order))
	g.lowerOK = make([]bool, 0, len(b.order))
	var (
		path    = []int32{0}
		prev    []rune
		parents []int32 // per node (index-1): parent node
		labels  []rune  // per node (index-1): edge label
	)
	for _, k := range b.order {
		cs := b.keys[k]
		n := utf8.RuneCountInString(k)
		han := script(k) == 'h'
		if han && b.fHan[k] {
			kept := cs[:0]
			for _, c := range cs {
				if c.flags&fPrimary != 0 {
					c.flags |= fAmbig
					kept = append(kept, c)
				}
			}
			cs = kept
		}
		if !han && (n <= 2 || b.common[k] || b.foreign[k]) {
			for i := range cs {
				cs[i].flags |= fAmbig
			}
		}
		g.sortCands(cs)
		e := int32(len(g.entries))
		g.entries = append(g.entries, cs)
		lower := false
		for _, c := range cs {
			lower = lower || c.flags&fLower != 0
		}
		g.lowerOK = append(g.lowerOK, lower)
		if lower {
			r, _ := utf8.DecodeRuneInString(k)
			if !slices.Contains(g.lowerFirst, r) {
				g.lowerFirst = append(g.lowerFirst, r)
			}
		}
		rs := []rune(k)
		l := 0
		for l < len(rs) && l < len(prev) && rs[l] == prev[l] {
			l++
		}
		path = path[:l+1]
		for _, r := range rs[l:] {
			id := int32(len(g.term))
			g.term = append(g.term, -1)
			parents = append(parents, path[len(path)-1])
			labels = append(labels, r)
			path = append(path, id)
		}
		prev = rs
		g.term[path[len(path)-1]] = e
		named := cs
		for i, c := range cs {
			if c.flags&fName == 0 {
				named = nil
				for _, c := range cs[i:] {
					if c.flags&fName != 0 {
						named = append(named, c)
					}
				}
				named = append(slices.Clone(cs[:i]), named...)
				break
			}
		}
		if len(named) > 0 {
			g.lookup[k] = named
		}
	}
	// Lay the edges out per parent: nodes were created in sorted order, so
	// a stable counting sort by parent keeps each node's labels sorted.
	nodes := len(g.term)
	g.first = make([]int32, nodes+1)
	for _, p := range parents {
		g.first[p+1]++
	}
	for i := 1; i <= nodes; i++ {
		g.first[i] += g.first[i-1]
	}
	g.labels = make([]rune, len(labels))
	g.child = make([]int32, len(labels))
	fill := slices.Clone(g.first[:nodes])
	for i, p := range parents {
		j := fill[p]
		fill[p]++
		g.labels[j] = labels[i]
		g.child[j] = int32(i + 1)
	}
	b.keys = nil
}
