package parser

import (
	"net/url"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/twinwatch/twinwatch/parser/dates"
	"github.com/twinwatch/twinwatch/parser/gazetteer"
	"github.com/twinwatch/twinwatch/parser/htmldoc"
	"github.com/twinwatch/twinwatch/twin"
)

// maxSentenceRunes bounds the work on one "sentence" of a page without
// punctuation (tables dumped as text, minified junk).
const maxSentenceRunes = 2000

// unit is one sentence (or table row, list item, title) of a page with what
// the rules need to know about it.
type unit struct {
	block    int // index of the block; -1 for the title
	kind     htmldoc.BlockKind
	title    bool
	text     string
	low      string // pad(text)
	section  string // pad(nearest heading before the block)
	header   string // pad(table header)
	ms       []gazetteer.Mention
	ds       []dates.Mention // computed on first use: see page.ds
	dsDone   bool
	lead     bool     // first sentence of its block
	cues     cueGroup // the groups of cues the unit has (cueGroups)
	set      cueSet   // the cues of low (nil: not scanned), see page.enter
	self     [][2]int // "我市", "наш город": the page's own place
	firstPar bool     // in the lead (title, first heading or first paragraphs)
	// agrParties caches parties(u, true), set once agrPartiesDone.
	agrParties     []gazetteer.Mention
	agrPartiesDone bool
}

// page is the state of one extraction.
type page struct {
	p     *Parser
	lex   *lexicon
	lang  string
	pub   twin.Date
	url   string
	units []*unit
	// main places of the page: the Russian and the Chinese place the page
	// is about (title, lead), used when a sentence names only one side.
	mainRU, mainCN *twin.Place
	// home is the listing page's own place, if the page is a listing.
	home     *twin.Place
	listing  bool
	titleIDs map[string]bool
	unique   map[twin.Country]*twin.Place // the only place of a country on the page
	site     *twin.Place                  // the place the site's host names, if any
	pageRel  twin.Relation
	regions  map[string]bool   // English names of regions mentioned on the page
	named    map[string]int    // how often the page names a place without doubt
	fetched  twin.Date         // day of the fetch, if known: "now" for an undated page
	ci       *cueIndex         // the language's cue automaton (nil: none)
	sets     map[string]cueSet // cue sets of the texts page.has was asked about
	lastLow  string            // the text page.has was last asked about
	lastSet  cueSet            // and its cue set
}

// cand is one sentence's claim about an agreement.
type cand struct {
	ru, cn   twin.Place
	rel      twin.Relation
	status   twin.Status
	date     twin.Date
	evidence string
	conf     float64
	order    int
	explicit bool // the date is written out, not relative ("вчера")
	quoted   bool // the sentence is a quotation
	title    bool // the claim comes from the page's title
}

// ev is one sentence's claim about an event.
type ev struct {
	ru, cn   twin.Place
	cat      twin.Category
	date     twin.Date
	fromPub  bool // date is the publication date, for want of one
	evidence string
	conf     float64
	order    int
}

func (p *Parser) extract(doc *htmldoc.Doc, lang string, pub, fetched twin.Date, pageURL string) []twin.Observation {
	pg := &page{p: p, lex: lexicons[lang], lang: lang, pub: pub, fetched: fetched, url: pageURL, regions: map[string]bool{},
		ci: anyCue()[lang], sets: map[string]cueSet{}}
	pg.build(doc)
	pg.findMain(doc)
	cands := pg.agreements()
	evs := pg.events()
	return pg.observations(cands, evs)
}

// build segments the document into units and finds places and dates in each.
func (pg *page) build(doc *htmldoc.Doc) {
	var slab []unit // units are allocated in chunks
	var sets cueSet // and so are their cue sets
	add := func(v *unit) {
		if len(slab) == cap(slab) {
			slab = make([]unit, 0, 128)
		}
		slab = append(slab, *v)
		u := &slab[len(slab)-1]
		if len(u.text) > maxSentenceRunes && utf8.RuneCountInString(u.text) > maxSentenceRunes {
			u.text = string([]rune(u.text)[:maxSentenceRunes])
		}
		if u.lead && !u.title && mayBeDateline(u.text) && mayHaveDateline(u.text) {
			if loc := datelineRE.FindStringIndex(u.text); loc != nil {
				u.text = strings.TrimSpace(u.text[loc[1]:])
			}
		}
		u.low = pad(u.text)
		if pg.ci != nil {
			if len(sets) < pg.ci.words {
				sets = make(cueSet, 128*pg.ci.words)
			}
			set := sets[:pg.ci.words:pg.ci.words]
			sets = sets[pg.ci.words:]
			u.cues = pg.ci.scanInto(u.low, set)
			u.set = set
		} else {
			u.cues = cueGroups(u.low, pg.lang)
		}
		u.ms = filterMentions(u.text, pg.p.g.Find(u.text))
		if strings.Contains(u.text, "我") || strings.Contains(u.low, "наш") || strings.Contains(u.low, "our city") {
			for _, m := range selfRE.FindAllStringIndex(u.text, -1) {
				u.self = append(u.self, [2]int{m[0], m[1]})
			}
		}
		pg.units = append(pg.units, u)
	}
	if t := strings.TrimSpace(doc.Title); t != "" {
		add(&unit{block: -1, title: true, text: t, firstPar: true})
	}
	section := ""
	paragraphs := 0
	headings := 0
	for i, b := range doc.Blocks {
		text := strings.TrimSpace(b.Text)
		if text == "" {
			continue
		}
		switch b.Kind {
		case htmldoc.Heading:
			headings++
			section = pad(text)
			add(&unit{block: i, kind: b.Kind, text: text, section: section, firstPar: headings <= 1 && paragraphs == 0})
			continue
		case htmldoc.TableHeader:
			continue
		case htmldoc.TableRow, htmldoc.ListItem:
			add(&unit{block: i, kind: b.Kind, text: text, section: section, header: pad(strings.Join(b.Header, " | "))})
			continue
		}
		if b.Kind == htmldoc.Paragraph {
			paragraphs++
		}
		for j, s := range splitSentences(text) {
			add(&unit{block: i, kind: b.Kind, text: s, section: section, firstPar: paragraphs == 1 && j < 2, lead: j == 0})
		}
	}
	for _, u := range pg.units {
		for _, m := range u.ms {
			if m.Place.Kind == twin.Region {
				pg.regions[m.Place.NameEN] = true
			}
		}
	}
	// Resolve homonyms with what the page says elsewhere.
	// Count how often the page names each place without doubt: unique
	// forms and forms with a kind word next to them ("Jilin Province").
	pg.named = map[string]int{}
	for _, u := range pg.units {
		for _, m := range u.ms {
			if len(m.Alternatives) == 0 {
				pg.named[m.Place.ID]++
			} else if want := kindNextTo(u, m); want != "" {
				for _, pl := range append([]twin.Place{m.Place}, m.Alternatives...) {
					if pl.Kind == want {
						pg.named[pl.ID]++
						break
					}
				}
			}
		}
	}
	for _, u := range pg.units {
		for k := range u.ms {
			u.ms[k] = pg.disambiguate(u, u.ms[k])
		}
	}
	// A surface that is also a common word or a foreign place needs context:
	// an unambiguous mention of the same place on the page, or a place word
	// next to it ("город Орёл", "китайский Шанхай", "乌苏里斯克市").
	sure := map[string]bool{}
	for _, u := range pg.units {
		for _, m := range u.ms {
			if !m.Ambiguous {
				sure[m.Place.ID] = true
			}
		}
	}
	for _, u := range pg.units {
		pg.enter(u)
		keep := u.ms[:0]
		// A relation sentence that names a sure place of the other country
		// vouches for its ambiguous names ("Находка и Цзилинь стали побратимами").
		vouched := map[twin.Country]bool{}
		if u.cues&agreementCues != 0 && slices.ContainsFunc(u.ms, func(m gazetteer.Mention) bool { return m.Ambiguous }) && pg.relationOf(u.low, pg.lex) != "" {
			for _, m := range u.ms {
				if !m.Ambiguous {
					vouched[otherCountry(m.Place.Country)] = true
				}
			}
		}
		for _, m := range u.ms {
			if !m.Ambiguous || sure[m.Place.ID] || ((vouched[m.Place.Country] || latinName(m.Surface)) && !personName(u.text, m)) || placeContext(u.text, m) {
				keep = append(keep, m)
			}
		}
		u.ms = keep
	}
}

var (
	// datelineRE matches a news agency dateline at the start of a paragraph:
	// "URUMQI, August 23 (Xinhua) --", "Пекин, 14 декабря /Синьхуа/ --",
	// "俄新网哈巴罗夫斯克2月28日电". Its place is not a party, its date not the act's.
	datelineRE = regexp.MustCompile(`^(?:[\p{Lu}][\p{L}.' -]{1,30},\s+(?:[\p{L}.]+\.?\s+\d{1,2}|\d{1,2}\s+\p{L}+)(?:,\s*\d{4})?\s*(?:\([^)]{1,30}\)|/[^/]{1,30}/)?\s*(?:--|—|–|-)\s*|[^，。\s]{0,16}?\d{1,2}月\d{1,2}日(?:电|電)\s*)`)
	// selfRE are the ways a page names its own place.
	selfRE       = regexp.MustCompile(`我市|我区|我县|我省|本市|我州|我區|我縣|[Нн]аш(?:его|ем|им)? город(?:а|е|ом)?|our city`)
	subUnitAfter = regexp.MustCompile(`^(?:市)?\p{Han}{1,6}?(?:区|县|镇)`)
	yearAfter    = regexp.MustCompile(`^\s*(?:год|года|году|годом|годы|годов)(?:\P{L}|$)`)
)

// mayHaveDateline reports whether text has a character every dateline
// ends with (strings.ContainsAny(text, "-—–电電"), without its slow path
// for non-ASCII sets).
func mayHaveDateline(text string) bool {
	return strings.IndexByte(text, '-') >= 0 || strings.Contains(text, "—") || strings.Contains(text, "–") ||
		strings.Contains(text, "电") || strings.Contains(text, "電")
}

// mayBeDateline reports whether text can match datelineRE: an agency
// dateline has a comma within its first 125 bytes ("URUMQI, August 23"), a
// Chinese one "日电".
func mayBeDateline(text string) bool {
	return strings.IndexByte(text[:min(len(text), 128)], ',') >= 0 || strings.Contains(text, "日电") || strings.Contains(text, "日電")
}

var yearFormRE = regexp.MustCompile(`((?:19|20)\d\d)-(?:го|м|х)`)

// addYearForms adds years the dates package leaves out ("с 2009-го").
func addYearForms(text string, ds []dates.Mention) []dates.Mention {
	var found [][]int
	if strings.IndexByte(text, '-') >= 0 && hasYear(text) {
		// Every match has a year and a hyphen: most texts skip the regexp.
		found = yearFormRE.FindAllStringSubmatchIndex(text, -1)
	}
	for _, m := range found {
		covered := false
		for _, d := range ds {
			if d.Start <= m[0] && d.End >= m[3] {
				covered = true
			}
		}
		if covered {
			continue
		}
		y, _ := strconv.Atoi(text[m[2]:m[3]])
		ds = append(ds, dates.Mention{Start: m[0], End: m[1], Date: twin.YearDate(y)})
	}
	sort.SliceStable(ds, func(i, j int) bool { return ds[i].Start < ds[j].Start })
	return ds
}

// ds returns the dates of a unit, finding them on first use: most
// sentences of a long page name no place and never need them.
func (pg *page) ds(u *unit) []dates.Mention {
	if !u.dsDone {
		u.dsDone = true
		u.ds = addYearForms(u.text, dates.Find(u.text, pg.lang, pg.pub))
	}
	return u.ds
}

// filterMentions drops mentions that are not places in context: a name
// followed by "год" ("Нового года"), a border crossing (满洲里口岸, 经满洲里).
func filterMentions(text string, ms []gazetteer.Mention) []gazetteer.Mention {
	out := ms[:0]
	for _, m := range ms {
		after := text[clampIdx(text, m.End):clampIdx(text, m.End+12)]
		before := text[clampIdx(text, m.Start-3):clampIdx(text, m.Start)]
		if rest := text[clampIdx(text, m.End):clampIdx(text, m.End+30)]; !strings.HasPrefix(rest, "市政区") && subUnitAfter.MatchString(rest) {
			// "圣彼得堡市库罗尔特区…": the city only locates its district.
			continue
		}
		if yearAfter.MatchString(after) || strings.HasPrefix(after, "口岸") || strings.HasSuffix(before, "经") || strings.HasSuffix(before, "經") {
			continue
		}
		out = append(out, m)
	}
	return out
}

// personName reports whether a mention is followed by a capitalised word,
// as a given name is by a surname ("Владимир Котов", "Надежда Петрова").
func personName(text string, m gazetteer.Mention) bool {
	rest := text[clampIdx(text, m.End):]
	if !strings.HasPrefix(rest, " ") {
		return false
	}
	r, _ := utf8.DecodeRuneInString(rest[1:])
	return unicode.IsUpper(r)
}

// latinName reports a Latin-script surface: the gazetteer's ambiguity
// (a Russian common word such as "находка") does not carry over to a
// transliteration ("Nakhodka"); person names are still checked.
func latinName(s string) bool {
	for _, r := range s {
		if r >= utf8.RuneSelf {
			return false
		}
	}
	return len(s) >= 5
}

func otherCountry(c twin.Country) twin.Country {
	if c == twin.RU {
		return twin.CN
	}
	return twin.RU
}

var placeWords = []string{"город", "г.", "китайск", "российск", "уезд", "провинци", "област", "район", "city of", "russian city", "chinese city",
	"province", "county", "俄罗斯", "中国"}

func placeContext(text string, m gazetteer.Mention) bool {
	before := strings.ToLower(text[clampIdx(text, m.Start-30):clampIdx(text, m.Start)])
	after := text[clampIdx(text, m.End):clampIdx(text, m.End+4)]
	if strings.HasPrefix(after, "市") || strings.HasPrefix(after, "县") || strings.HasPrefix(after, "省") || strings.HasPrefix(after, " City") {
		return true
	}
	fields := strings.Fields(before)
	if len(fields) == 0 {
		return strings.HasSuffix(before, "俄罗斯") || strings.HasSuffix(before, "中国")
	}
	last := fields[len(fields)-1]
	for _, w := range placeWords {
		if strings.Contains(last, w) {
			return true
		}
	}
	return strings.HasSuffix(before, "俄罗斯") || strings.HasSuffix(before, "中国")
}

var (
	// Words (stems of the word right before a name) that name its kind.
	regionStems = []string{"провинци", "област", "край", "края", "краю", "краем", "крае", "республик"}
	cityStems   = []string{"город", "г."}
	// Endings of the text right before a name that name its kind.
	regionWordsBefore = []string{"province of ", "region of "}
	cityWordsBefore   = []string{"city of ", "town of "}
)

// disambiguate chooses among a mention's alternatives: the kind the text
// names next to it ("провинция Цзилинь" vs "город Цзилинь"), else the
// alternative whose region the page mentions.
func (pg *page) disambiguate(u *unit, m gazetteer.Mention) gazetteer.Mention {
	if len(m.Alternatives) == 0 {
		return m
	}
	all := append([]twin.Place{m.Place}, m.Alternatives...)
	if want := kindNextTo(u, m); want != "" {
		for _, pl := range all {
			if pl.Kind == want {
				m.Place = pl
				return m
			}
		}
	}
	// A headline's "Jilin" is the "Jilin Province" of the body: the
	// alternative the page names without doubt more often than the default.
	best := m.Place
	for _, pl := range all[1:] {
		if pg.named[pl.ID] > pg.named[best.ID] {
			best = pl
		}
	}
	if best.ID != m.Place.ID {
		m.Place = best
		return m
	}
	for _, pl := range all {
		if pl.Region != "" && pg.regions[pl.Region] {
			m.Place = pl
			return m
		}
	}
	return m
}

// kindNextTo returns the kind a word next to a mention names: "провинция
// Цзилинь", "吉林省" → region; "город Цзилинь", "city of" → city; else "".
func kindNextTo(u *unit, m gazetteer.Mention) twin.PlaceKind {
	before := strings.ToLower(u.text[clampIdx(u.text, m.Start-24):clampIdx(u.text, m.Start)])
	after := strings.ToLower(u.text[clampIdx(u.text, m.End):clampIdx(u.text, m.End+12)])
	last := ""
	if f := strings.Fields(before); len(f) > 0 {
		last = f[len(f)-1]
	}
	startsAny := func(w string, stems []string) bool {
		for _, st := range stems {
			if w != "" && strings.HasPrefix(w, st) {
				return true
			}
		}
		return false
	}
	switch {
	case startsAny(last, regionStems) || hasSuffixAny(before, regionWordsBefore) || strings.HasPrefix(after, "省") || strings.HasPrefix(after, " province"):
		return twin.Region
	case startsAny(last, cityStems) || hasSuffixAny(before, cityWordsBefore) || strings.HasPrefix(after, "市") || strings.HasPrefix(after, " city"):
		return twin.City
	}
	return ""
}

func clampIdx(s string, i int) int {
	if i < 0 {
		return 0
	}
	if i > len(s) {
		return len(s)
	}
	for i > 0 && i < len(s) && !utf8.RuneStart(s[i]) {
		i--
	}
	return i
}

func hasSuffixAny(s string, list []string) bool {
	for _, x := range list {
		if strings.HasSuffix(s, x) {
			return true
		}
	}
	return false
}

// findMain decides the page's main Russian and Chinese places and, for a
// listing page, its own place; then it resolves self-references ("我市").
func (pg *page) findMain(doc *htmldoc.Doc) {
	score := map[string]float64{}
	places := map[string]twin.Place{}
	titleIDs, leadIDs := map[string]bool{}, map[string]bool{}
	for _, u := range pg.units {
		w := 1.0
		switch {
		case u.title:
			w = 4
		case u.kind == htmldoc.Heading && u.firstPar:
			w = 3
		case u.firstPar:
			w = 2
		}
		for _, m := range pg.parties(u, false) {
			score[m.Place.ID] += w
			places[m.Place.ID] = m.Place
			if u.title || (u.kind == htmldoc.Heading && u.firstPar) {
				titleIDs[m.Place.ID] = true
			}
			if u.firstPar {
				leadIDs[m.Place.ID] = true
			}
		}
	}
	best := func(c twin.Country, kind twin.PlaceKind) (*twin.Place, float64) {
		var id string
		var top float64
		for k, s := range score {
			pl := places[k]
			if pl.Country != c || (kind != "" && pl.Kind != kind) {
				continue
			}
			if s > top || (s == top && k < id) {
				id, top = k, s
			}
		}
		if id == "" || (top < 3 && !titleIDs[id]) {
			return nil, 0
		}
		pl := places[id]
		return &pl, top
	}
	// anyBest is best without the bar: a self-reference needs a place.
	anyBest := func(c twin.Country, kind twin.PlaceKind) *twin.Place {
		var id string
		var top float64
		for k, s := range score {
			if pl := places[k]; pl.Country == c && pl.Kind == kind && (s > top || (s == top && k < id)) {
				id, top = k, s
			}
		}
		if id == "" {
			return nil
		}
		pl := places[id]
		return &pl
	}
	pg.unique = map[twin.Country]*twin.Place{}
	for _, c := range []twin.Country{twin.RU, twin.CN} {
		n := 0
		var last twin.Place
		for k := range score {
			if places[k].Country == c {
				n++
				last = places[k]
			}
		}
		if n == 1 && leadIDs[last.ID] {
			pg.unique[c] = &last
		}
	}
	var sRU, sCN float64
	pg.mainRU, sRU = best(twin.RU, "")
	pg.mainCN, sCN = best(twin.CN, "")
	pg.titleIDs = titleIDs

	// A listing page is titled with a relation ("Города-побратимы", "友好城市")
	// and reports no act.
	head := ""
	var headUnits []*unit
	for _, u := range pg.units {
		if u.title || (u.kind == htmldoc.Heading && u.firstPar) {
			head += u.low
			headUnits = append(headUnits, u)
		}
	}
	lx := pg.lex
	pg.site = pg.siteplace()
	pg.pageRel = pg.relationOf(head, lx)
	if pg.pageRel != "" && !pg.has(head, lx.signed) && !pg.has(head, lx.intent) && !pg.has(head, lx.anniversary) && !pg.has(head, lx.intentDoc) && !pg.has(head, pg.future()) {
		// ... and lists: rows or items with places, or many partners.
		rows := 0
		distinct := map[twin.Country]map[string]bool{twin.RU: {}, twin.CN: {}}
		for _, u := range pg.units {
			if u.title {
				continue
			}
			for _, m := range u.ms {
				distinct[m.Place.Country][m.Place.ID] = true
			}
			if (u.kind == htmldoc.TableRow || u.kind == htmldoc.ListItem) && len(u.ms) > 0 {
				rows++
			}
		}
		pg.listing = rows > 0 || len(distinct[twin.RU]) >= 3 || len(distinct[twin.CN]) >= 3
	}
	if pg.listing {
		// The listing's own place: the only place in its title, else the
		// site's name, else its dominant place.
		ids := map[string]twin.Place{}
		for _, u := range headUnits {
			for _, m := range pg.parties(u, false) {
				ids[m.Place.ID] = m.Place
			}
		}
		if len(ids) == 1 {
			for _, pl := range ids {
				pl := pl
				pg.home = &pl
			}
		}
		if pg.home == nil {
			pg.home = pg.site
		}
		if pg.home == nil {
			switch {
			case pg.mainRU != nil && (pg.mainCN == nil || sRU > sCN):
				pg.home = pg.mainRU
			case pg.mainCN != nil && (pg.mainRU == nil || sCN > sRU):
				pg.home = pg.mainCN
			}
		}
	}

	// Self-references name the page's own place: the home, else the main
	// place of the page's language (我省 → a region).
	for _, u := range pg.units {
		for _, sp := range u.self {
			surface := u.text[sp[0]:sp[1]]
			own := twin.RU
			switch {
			case pg.lang == "zh":
				own = twin.CN
			case pg.lang == "en" && pg.home != nil:
				own = pg.home.Country
			}
			kind := twin.City
			if strings.Contains(surface, "省") {
				kind = twin.Region
			}
			var pl *twin.Place
			if pg.home != nil && pg.home.Country == own {
				pl = pg.home
			} else {
				pl = anyBest(own, kind)
			}
			if pl == nil {
				continue
			}
			u.ms = append(u.ms, gazetteer.Mention{Start: sp[0], End: sp[1], Surface: surface, Place: *pl, Exact: true})
		}
		if len(u.self) > 0 {
			sort.SliceStable(u.ms, func(i, j int) bool { return u.ms[i].Start < u.ms[j].Start })
		}
	}
}

// siteplace looks the URL's host labels up in the gazetteer
// ("manzhouli.gov.cn" → Manzhouli, "nakhodka-city.ru" → Nakhodka).
func (pg *page) siteplace() *twin.Place {
	u, err := url.Parse(pg.url)
	if err != nil {
		return nil
	}
	for _, label := range strings.FieldsFunc(u.Hostname(), func(r rune) bool { return r == '.' || r == '-' }) {
		if len(label) < 4 || label == "www" || label == "city" || label == "news" || label == "gov" {
			continue
		}
		if pls := pg.p.g.Lookup(label); len(pls) > 0 {
			for _, pl := range pls {
				if pl.Kind == twin.City {
					return &pl
				}
			}
			pl := pls[0]
			return &pl
		}
	}
	return nil
}

// relFriendCoop is the provisional relation of a "friendship and
// cooperation" document ("договор о дружбе и сотрудничестве", "friendly
// cooperation"): observations makes it twin when the page calls the same
// pair twins elsewhere, partner otherwise. It never leaves the package.
const relFriendCoop twin.Relation = "friendship+cooperation"

// relationOf returns the relation a text's cues name, strongest first.
func (pg *page) relationOf(low string, lx *lexicon) twin.Relation {
	switch {
	case pg.has(low, lx.twin):
		return twin.Twin
	case pg.has(low, lx.partner):
		return twin.Partner
	case pg.has(low, lx.friendship):
		return twin.Friendship
	case pg.has(low, lx.friendCoop):
		return relFriendCoop
	case pg.has(low, lx.cooperation):
		return twin.Cooperation
	}
	return ""
}

// parties returns the unit's place mentions that can be parties. When
// agreement is set, the place of signing goes when another place of its
// country is named ("в Пекине", "in Beijing", "在长沙"), and so does a region
// named as a location ("в Забайкалье", "в провинции Аньхой"). Then a region
// goes when one of its own cities is named ("Уфа ... Цицикар (провинция
// Хэйлунцзян)", "黑龙江省哈尔滨市").
func (pg *page) parties(u *unit, agreement bool) []gazetteer.Mention {
	if len(u.ms) == 0 {
		return nil
	}
	if agreement {
		// Asked several times per unit once the mentions are final (after
		// findMain); callers only read the result.
		if !u.agrPartiesDone {
			u.agrParties, u.agrPartiesDone = pg.findParties(u, true), true
		}
		return u.agrParties
	}
	return pg.findParties(u, false)
}

// findParties computes parties.
func (pg *page) findParties(u *unit, agreement bool) []gazetteer.Mention {
	// Each filter reads one half of buf and writes the other.
	n := len(u.ms)
	buf := make([]gazetteer.Mention, 2*n)
	ms, keep := buf[:0:n], buf[n:n:2*n]
	for _, m := range u.ms {
		if m.Place.ID != "" {
			ms = append(ms, m)
		}
	}
	if agreement {
		for _, m := range ms {
			if m.Place.Kind == twin.Region && (pg.isVenue(u, m) || pg.regionLocative(u, m)) {
				continue
			}
			keep = append(keep, m)
		}
		ms, keep = keep, ms[:0]
		for _, m := range ms {
			if pg.isVenue(u, m) && pg.otherOfCountry(ms, m) {
				continue
			}
			keep = append(keep, m)
		}
		ms, keep = keep, ms[:0]
	}
	return withoutRegionsOfCities(ms, keep)
}

// withoutRegionsOfCities appends to keep (a buffer of the caller's, empty)
// the mentions of ms except regions one of whose cities ms also names: the
// city is the party, its region only says where it is. It returns nil when
// nothing is left.
func withoutRegionsOfCities(ms, keep []gazetteer.Mention) []gazetteer.Mention {
	for _, m := range ms {
		if m.Place.Kind == twin.Region && hasCityOf(ms, m.Place) {
			continue
		}
		keep = append(keep, m)
	}
	if len(keep) == 0 {
		return nil
	}
	return keep
}

// hasCityOf reports whether ms names a city of region r.
func hasCityOf(ms []gazetteer.Mention, r twin.Place) bool {
	for _, m := range ms {
		if m.Place.Kind == twin.City && m.Place.Country == r.Country && m.Place.Region != "" && m.Place.Region == r.NameEN {
			return true
		}
	}
	return false
}

// regionLocative reports whether a region is named as where something is
// ("побратимы в Сибири и Забайкалье", "a city in Shaanxi"): the last
// preposition before it, since the previous place, is "в"/"in", not "с"/"with".
func (pg *page) regionLocative(u *unit, m gazetteer.Mention) bool {
	from := 0
	for _, o := range u.ms {
		if o.End <= m.Start {
			from = o.End
		}
	}
	gap := pad(u.text[clampIdx(u.text, from):clampIdx(u.text, m.Start)])
	if pg.has(gap, describedIn) || hasSuffixAny(strings.TrimSpace(gap), describedBy) {
		// "в Цицикаре — втором по величине городе провинции Хэйлунцзян"
		return true
	}
	switch pg.lang {
	case "ru":
		in := max(strings.LastIndex(gap, " в "), strings.LastIndex(gap, " во "))
		with := max(strings.LastIndex(gap, " с "), strings.LastIndex(gap, " со "), strings.LastIndex(gap, " между "))
		return in >= 0 && in > with && shortPhrase(gap[in:])
	case "en":
		in := strings.LastIndex(gap, " in ")
		with := max(strings.LastIndex(gap, " with "), strings.LastIndex(gap, " and "), strings.LastIndex(gap, " between "))
		return in >= 0 && in > with && shortPhrase(gap[in:])
	}
	return false
}

// droppedLocative reports whether the unit names a region as a location
// ("побратимы в Забайкалье"): its unnamed places are not the page's.
func (pg *page) droppedLocative(u *unit) bool {
	for _, m := range u.ms {
		if m.Place.Kind == twin.Region && !hasCityOf(u.ms, m.Place) && pg.regionLocative(u, m) {
			return true
		}
	}
	return false
}

// describedIn are the words that make a region the description of the place
// before it ("городе провинции", "capital of", "省会").
var describedIn = []string{"городе провинции", "город провинции", "городом провинции", "центр провинции", "столица провинции", "столице провинции",
	"городе области", "центр области", "столица республики", "a city in ", "city in northern", "capital of ", "省会", "省的"}

// describedBy end the words right before a region that describes the place
// named before them ("втором по величине городе [провинции] Хэйлунцзян").
var describedBy = []string{"городе", "город", "городом", "центре", "центр", "столице", "столица", "city in", "capital of"}

// shortPhrase reports whether a prepositional phrase before a place is
// short and has no number ("в Сибири и ", not "в июне 2022 года ").
func shortPhrase(s string) bool {
	return utf8.RuneCountInString(s) <= 30 && !strings.ContainsAny(s, "0123456789")
}

// isVenue reports whether a mention is introduced as a location ("в Пекине",
// "in Beijing", "在长沙").
func (pg *page) isVenue(u *unit, m gazetteer.Mention) bool { return pg.venue(u, m, true) }

// venue is isVenue; with visits, the destination of a visit ("访问X",
// "visited X") counts as a venue too (for agreements, not for events).
func (pg *page) venue(u *unit, m gazetteer.Mention, visits bool) bool {
	before := strings.ToLower(u.text[clampIdx(u.text, m.Start-16):clampIdx(u.text, m.Start)])
	switch pg.lang {
	case "zh":
		for _, v := range []string{"在", "于", "在中国", "在俄罗斯", "访问", "访问俄罗斯", "访问中国", "抵达", "到访", "来到"} {
			if (visits || len(v) <= 3 || strings.HasPrefix(v, "在")) && strings.HasSuffix(before, v) {
				return true
			}
		}
		return false
	case "en":
		return strings.HasSuffix(before, " in ") || strings.HasSuffix(before, "in ") || (visits && (strings.HasSuffix(before, "visit to ") ||
			strings.HasSuffix(before, "visited ") || strings.HasSuffix(before, "visiting ")))
	default:
		return strings.HasSuffix(before, " в ") || strings.HasSuffix(before, " во ") || before == "в " || strings.HasSuffix(before, "\u00a0в ")
	}
}

func (pg *page) otherOfCountry(ms []gazetteer.Mention, m gazetteer.Mention) bool {
	for _, o := range ms {
		if o.Place.Country == m.Place.Country && o.Place.ID != m.Place.ID && !sameSpan(o, m) {
			return true
		}
	}
	return false
}

func sameSpan(a, b gazetteer.Mention) bool { return a.Start == b.Start && a.End == b.End }

// split returns the Russian and the Chinese places among ms, each once, in order.
func split(ms []gazetteer.Mention) (ru, cn []gazetteer.Mention) {
	seen := map[string]bool{}
	for _, m := range ms {
		if seen[m.Place.ID] {
			continue
		}
		seen[m.Place.ID] = true
		switch m.Place.Country {
		case twin.RU:
			ru = append(ru, m)
		case twin.CN:
			cn = append(cn, m)
		}
	}
	return ru, cn
}

// pairUp pairs Russian and Chinese mentions: one side single → every place
// of the other side; otherwise each mention with the nearest of the other side.
func pairUp(ru, cn []gazetteer.Mention) [][2]twin.Place {
	var out [][2]twin.Place
	seen := map[[2]string]bool{}
	addp := func(a, b twin.Place) {
		k := [2]string{a.ID, b.ID}
		if !seen[k] {
			seen[k] = true
			out = append(out, [2]twin.Place{a, b})
		}
	}
	switch {
	case len(ru) == 0 || len(cn) == 0:
	case len(ru) == 1:
		for _, c := range cn {
			addp(ru[0].Place, c.Place)
		}
	case len(cn) == 1:
		for _, r := range ru {
			addp(r.Place, cn[0].Place)
		}
	default:
		// Each place with the nearest of the other side, of the same kind
		// when there is one (Voronezh–Chungking, not Voronezh–Szechwan).
		near := func(m gazetteer.Mention, others []gazetteer.Mention, sameKindOnly bool) (gazetteer.Mention, bool) {
			var best gazetteer.Mention
			bd, found := -1, false
			for pass := 0; pass < 2 && !found; pass++ {
				if pass == 1 && sameKindOnly {
					break
				}
				for _, o := range others {
					if pass == 0 && o.Place.Kind != m.Place.Kind {
						continue
					}
					d := o.Start - m.End
					if m.Start > o.End {
						d = m.Start - o.End
					}
					if d < 0 {
						d = -d
					}
					if bd < 0 || d < bd {
						best, bd, found = o, d, true
					}
				}
			}
			return best, found
		}
		used := map[string]bool{}
		for _, r := range ru {
			if c, ok := near(r, cn, false); ok {
				addp(r.Place, c.Place)
				used[c.Place.ID] = true
			}
		}
		for _, c := range cn {
			if used[c.Place.ID] {
				continue
			}
			if r, ok := near(c, ru, true); ok {
				addp(r.Place, c.Place)
			}
		}
	}
	return out
}

var (
	futureRU = []string{"будет подпис", "будут подпис", "предстоит", "планиру", "возможно", "может породн", "могут породн", "может стать", "могут стать", "предлож", "намерен", "собираются", "готовится", "готовят", "хотят", "хочет", "рассматрива", "изуча", "обсуждается", "перейти к", "в будущем", "запланирован", "намечен", "наметили"}
	futureZH = []string{"拟", "计划", "将", "有望", "希望", "准备", "推动", "争取", "推进", "有意", "探讨"}
	futureEN = []string{" will ", " would ", "expected to", " plan ", " plans ", " plan to", " planning", " planned", "proposed", "possible", "prepare", "could ", "consider", "before it can"}
	sinceRE  = regexp.MustCompile(`(?:^|\s)(?:с|since|from)\s+(?:\S+\s+)?(?:19|20)\d\d|(?:19|20)\d\d年(?:起|以来)|自(?:19|20)\d\d|以来|(?:19|20)\d\d-(?:го|х)`)
)

// since reports whether low says since when something holds (sinceRE).
// Every match has a year or 以来; text with neither skips the regexp.
func since(low string) bool {
	return (hasYear(low) || strings.Contains(low, "以来")) && sinceRE.MatchString(low)
}

// hasYear reports whether s has "19" or "20" followed by two digits.
func hasYear(s string) bool {
	for i := 0; i+3 < len(s); i++ {
		if (s[i] == '1' && s[i+1] == '9' || s[i] == '2' && s[i+1] == '0') && isDigit(s[i+2]) && isDigit(s[i+3]) {
			return true
		}
	}
	return false
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func (pg *page) future() []string {
	switch pg.lang {
	case "zh":
		return futureZH
	case "en":
		return futureEN
	}
	return futureRU
}

// status classifies what a sentence says about the agreement it names.
func (pg *page) status(low string) twin.Status {
	lx := pg.lex
	sig := pg.has(low, lx.signed)
	switch {
	case pg.has(low, lx.terminated):
		return twin.Terminated
	case pg.has(low, lx.intentDoc):
		return twin.Intent
	case pg.has(low, lx.anniversary) && (anniversaryYears(low, pg.lang) > 0 || pg.lang != "ru"):
		return twin.Anniversary
	case since(low) || pg.has(low, existingCues):
		return twin.Existing
	case pg.has(low, pg.future()):
		return twin.Intent
	case sig:
		return twin.Signed
	case pg.has(low, lx.intent):
		return twin.Intent
	}
	return twin.Existing
}

// agreements runs the agreement rules over every unit.
func (pg *page) agreements() []cand {
	var out []cand
	lastBlock, order := -2, 0
	var lastPairs [][2]twin.Place
	var lastRel twin.Relation
	var lastDate twin.Date // of the last act reported, for "同日" / "the same day"
	blockRU, blockCN := (*twin.Place)(nil), (*twin.Place)(nil)
	for _, u := range pg.units {
		pg.enter(u)
		if u.block != lastBlock {
			lastPairs, lastRel, lastBlock = nil, "", u.block
			blockRU, blockCN = nil, nil
		}
		order++
		ms := pg.parties(u, true)
		prevRU, prevCN := blockRU, blockCN
		for _, m := range ms {
			pl := m.Place
			if pl.Country == twin.RU {
				blockRU = &pl
			} else {
				blockCN = &pl
			}
		}
		if pg.listing && !u.title && u.kind != htmldoc.Heading {
			prevHome := prevRU
			if pg.home != nil && pg.home.Country == twin.CN {
				prevHome = prevCN
			}
			if c, ok := pg.listingRow(u, order, prevHome); ok {
				out = append(out, c...)
				lastPairs, lastRel = nil, c[0].rel
				for _, x := range c {
					lastPairs = append(lastPairs, [2]twin.Place{x.ru, x.cn})
				}
				continue
			}
			if u.kind == htmldoc.TableRow || u.kind == htmldoc.ListItem {
				continue
			}
		}
		if u.cues&agreementCues == 0 && lastRel == "" && !(pg.listing && pg.pageRel != "" && len(ms) > 0) {
			continue
		}
		rel := pg.relationOf(u.low, pg.lex)
		clauses := []string{u.text}
		if rel != "" && pg.countRelations(u.low, pg.lex) > 1 {
			clauses = splitClauses(u.text)
		}
		for _, cl := range clauses {
			low, r := u.low, rel
			if len(clauses) > 1 {
				low = pad(cl)
				r = pg.relationOf(low, pg.lex)
			}
			weak, topic := false, false
			if r == "" && pg.has(low, pg.lex.weak) {
				r, weak = pg.defaultRel(), true
			}
			if r == "" && lastRel == "" && !(pg.listing && pg.pageRel != "" && len(ms) > 0) {
				continue // nothing here can be about an agreement: skip the costly checks
			}
			st := pg.status(low)
			inherit := false
			if r == "" {
				switch {
				case lastRel != "" && len(lastPairs) > 0 && (st == twin.Terminated || st == twin.Anniversary ||
					(pg.has(low, documentCues) && pg.has(low, pg.lex.signed))):
					// A sentence that only reports a change of status refers
					// to the agreement of the sentence before it.
					r, inherit = lastRel, true
				case pg.listing && pg.pageRel != "" && len(ms) > 0 && !pg.has(low, pg.lex.plan) && !pg.has(low, pg.future()) &&
					(pg.has(low, pg.lex.signed) || slices.ContainsFunc(pg.ds(u), func(d dates.Mention) bool { return !d.Relative })):
					// On a page about twinning, a dated sentence that links
					// places is about their relation.
					r, topic = pg.pageRel, true
				default:
					continue
				}
			}
			pairs, conf, filled := pg.pairsFor(u, cl, inherit, lastPairs, prevRU, prevCN, st)
			if len(pairs) == 0 || (topic && filled > 1) || (filled > 0 && !inherit && pg.has(low, pg.lex.institution)) {
				// An agreement of universities or companies is not the places'.
				continue
			}
			if weak || topic {
				conf -= 0.1
			}
			st0 := st
			for _, pr := range pairs {
				st := st0
				d, explicit := pg.agreementDate(u, cl, st, pg.pairDates(u, cl, pr, pairs))
				if st == twin.Anniversary && pg.pastCelebration(u, cl) {
					st = twin.Existing
				}
				if st == twin.Existing && !d.IsZero() && !pg.pub.IsZero() && !pg.has(low, pg.lex.signed) && !since(low) &&
					d.Start().After(pg.pub.Start().AddDate(0, -3, 0)) {
					// "7月12日 … 前往我区友好城市": the date is the news, not the relation's.
					d = twin.Date{}
				}
				if d.IsZero() && pg.has(low, sameDayCues) && !lastDate.IsZero() {
					d, explicit = lastDate, true
				}
				if st == twin.Signed && d.IsZero() {
					d, explicit = pg.blockDate(u)
				}
				if st == twin.Signed && (pg.old(d) || (pg.pub.IsZero() && d.Precision() == twin.PrecisionYear)) {
					st = twin.Existing
				}
				if st == twin.Signed && d.IsZero() && pg.has(low, pg.lex.recent) && !pg.pub.IsZero() {
					d = twin.MonthDate(pg.pub.Year, max(pg.pub.Month, 1))
				}
				if !d.IsZero() && (st == twin.Signed || st == twin.Intent) {
					lastDate = d
				}
				out = append(out, cand{ru: pr[0], cn: pr[1], rel: r, status: st, date: d, explicit: explicit,
					evidence: clip(u.text, 400), conf: conf, order: order, quoted: inQuote(u.text), title: u.title})
			}
			lastPairs, lastRel = pairs, r
		}
	}
	for i, c := range out {
		if c.status == twin.Intent && c.date.IsZero() {
			// Talks reported without a date took place when the page says
			// the two places met ("В понедельник … провела видеоконференцию с Хух-Хото").
			out[i].date = pg.meetingDate(c.ru, c.cn)
		}
	}
	return out
}

// meetingDate is the date of the first sentence that names both places and
// an act (a meeting, talks, a visit) within a year before publication.
func (pg *page) meetingDate(ru, cn twin.Place) twin.Date {
	if pg.pub.IsZero() {
		return twin.Date{}
	}
	for _, u := range pg.units {
		pg.enter(u)
		var r, c bool
		for _, m := range u.ms {
			r = r || m.Place.ID == ru.ID
			c = c || m.Place.ID == cn.ID
		}
		if !r || !c || u.title || !pg.has(u.low, meetingCues) {
			continue
		}
		for _, d := range pg.ds(u) {
			if !d.Date.Start().After(pg.pub.Start()) && !d.Date.Start().Before(pg.pub.Start().AddDate(-1, 0, 0)) {
				return d.Date
			}
		}
	}
	return twin.Date{}
}

// meetingCues name a meeting between places.
var meetingCues = []string{"встреч", "видеоконференц", "переговор", "визит", "talks", "meeting", "met ", "conference", "会见", "会谈", "视频会议", "座谈"}

// pairDates returns the dates of a clause that belong to one pair: when
// the clause names several partners of one country, the dates between the
// previous partner and the next one ("с Удаляньчи с 2003 года, а с Хэйхэ —
// с 2009-го"), those after the partner's name first.
func (pg *page) pairDates(u *unit, clause string, pr [2]twin.Place, pairs [][2]twin.Place) []dates.Mention {
	off, end := 0, len(u.text)
	if clause != u.text {
		if i := strings.Index(u.text, clause); i >= 0 {
			off, end = i, i+len(clause)
		}
	}
	var ds []dates.Mention
	for _, d := range pg.ds(u) {
		if d.Start >= off && d.End <= end {
			ds = append(ds, d)
		}
	}
	// The partner side is the one with several places, else the Chinese one.
	side := 1
	ids := map[string]bool{}
	for _, p := range pairs {
		ids[p[0].ID] = true
	}
	if len(ids) > 1 {
		side = 0
	}
	var partners []gazetteer.Mention
	seen := map[string]bool{}
	for _, m := range u.ms {
		if m.Start < off || m.End > end || seen[m.Place.ID] {
			continue
		}
		for _, p := range pairs {
			if p[side].ID == m.Place.ID {
				partners = append(partners, m)
				seen[m.Place.ID] = true
				break
			}
		}
	}
	idx := -1
	for i, m := range partners {
		if m.Place.ID == pr[side].ID {
			idx = i
		}
	}
	if idx < 0 {
		return ds
	}
	lo, hi := off, end
	if idx > 0 {
		lo = partners[idx-1].End
	}
	if idx+1 < len(partners) {
		hi = partners[idx+1].Start
	}
	var after, before []dates.Mention
	for _, d := range ds {
		switch {
		case d.Start >= partners[idx].End && d.End <= hi:
			after = append(after, d)
		case d.Start >= lo && d.End <= partners[idx].Start:
			before = append(before, d)
		}
	}
	if len(partners) == 1 {
		// A single partner keeps every date; those after its name come first.
		return append(after, before...)
	}
	if len(after) > 0 {
		return after
	}
	return before
}

// sameDayCues refer to the date of the sentence before.
var sameDayCues = []string{"同日", "当天", "в тот же день", "в этот же день", "the same day", "on the same day"}

// blockDate is the date of a signing reported without one, from the
// sentences before it in the paragraph ("今年5月…访问我省。访问期间…签署了"):
// the latest date not after publication and within a year of it.
func (pg *page) blockDate(u *unit) (twin.Date, bool) {
	i := slices.Index(pg.units, u)
	for j := i - 1; j >= 0 && j >= i-2 && pg.units[j].block == u.block; j-- {
		var best twin.Date
		ex := false
		for _, d := range pg.ds(pg.units[j]) {
			if pg.pub.IsZero() || d.Date.Start().After(pg.pub.Start().AddDate(0, 0, 1)) || d.Date.Start().Before(pg.pub.Start().AddDate(-1, 0, 0)) {
				continue
			}
			if best.IsZero() || d.Date.Start().After(best.Start()) {
				best, ex = d.Date, !d.Relative
			}
		}
		if !best.IsZero() {
			return best, ex
		}
	}
	return twin.Date{}, false
}

// pastCelebration reports whether an anniversary sentence dates its
// celebration to a year before publication ("В 2022 году … отметили
// десятилетие" on a 2024 page): the relation is then only existing.
func (pg *page) pastCelebration(u *unit, clause string) bool {
	if pg.pub.IsZero() {
		return false
	}
	n := anniversaryYears(pad(clause), pg.lang)
	for _, d := range pg.ds(u) {
		if !d.Relative && d.Date.Year < pg.pub.Year && (n == 0 || d.Date.Year-n > 1900) && d.Date.Year != pg.pub.Year-n {
			return true
		}
	}
	return false
}

// inQuote reports whether a sentence is (part of) a quotation.
func inQuote(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, "«") || strings.HasPrefix(s, "\"") || strings.HasPrefix(s, "“") || strings.HasPrefix(s, "“") ||
		strings.Contains(s, "», —") || strings.Contains(s, "» —")
}

func (pg *page) countRelations(low string, lx *lexicon) int {
	n := 0
	for _, l := range [][]string{lx.twin, lx.partner, lx.friendship, lx.cooperation} {
		if pg.has(low, l) {
			n++
		}
	}
	return n
}

// existingCues say a relation was in place before the news.
var existingCues = []string{"已建立", "已经建立", "此前", "早在", "先后与", " ранее ", "previously", " already ", "earlier"}

// documentCues name an agreement document: a sentence about "the
// agreement" refers to the relation of the sentence before it.
var documentCues = []string{"соглашени", "договор", "меморандум", "agreement", "协议", "协定", "memorandum"}

// bothRE are the ways a sentence names both places of the page at once.
var bothRE = regexp.MustCompile(`两市|两地|两城|双方|两省|оба города|обоих городов|стороны|the two cities|both cities|the two sides`)

// foreignCues name countries other than Russia and China: a sentence that
// names one does not refer to the page's places by context.
var foreignCues = []string{"японск", "япони", "француз", "франци", "итальян", "итали", "американ", "сша", "немецк", "германи", "корей", "монгол",
	"казах", "белорус", "турец", "турци", "финск", "финлянд", "британ", "испан", "польш", "польск", "европ", "америк",
	"日本", "韩国", "朝鲜", "蒙古", "美国", "德国", "法国", "意大利", "哈萨克", "白俄罗斯", "英国", "加拿大",
	"japan", "korea", "mongolia", "american", "u.s.", "german", "france", "french", "italian", "kazakh", "canada", "belarus", "europe"}

func (pg *page) foreign(low string) bool { return pg.has(low, foreignCues) }

var clauseRE = regexp.MustCompile(`[，；;]|, (?:а|но|и|while|and|but) |, `)

func splitClauses(s string) []string {
	idx := clauseRE.FindAllStringIndex(s, -1)
	var out []string
	start := 0
	for _, ix := range idx {
		out = append(out, s[start:ix[0]])
		start = ix[1]
	}
	out = append(out, s[start:])
	return out
}

// defaultRel is the relation that weak cues ("дружат") stand for on this page.
func (pg *page) defaultRel() twin.Relation {
	if pg.pageRel != "" {
		return pg.pageRel
	}
	return twin.Twin
}

// pairsFor finds the (Russian, Chinese) pairs a clause of u is about:
// places named in the clause, else in the sentence. A missing side is the
// place of that country named last in the paragraph, else the page's main
// one; a missing pair is the previous sentence's. filled counts the sides
// taken from context (0, 1 or 2). A signing whose side comes from context
// must join places of the same kind (no Tatarstan–Wenling for "two districts
// of the republic").
func (pg *page) pairsFor(u *unit, clause string, inherit bool, last [][2]twin.Place, prevRU, prevCN *twin.Place, st twin.Status) ([][2]twin.Place, float64, int) {
	if inherit {
		return last, 0.7, 2
	}
	ms := pg.parties(u, true)
	if clause != u.text {
		if off := strings.Index(u.text, clause); off >= 0 {
			var in []gazetteer.Mention
			for _, m := range ms {
				if m.Start >= off && m.End <= off+len(clause) {
					in = append(in, m)
				}
			}
			if len(in) > 0 {
				ru, cn := split(in)
				ru2, cn2 := split(ms)
				if len(ru) == 0 {
					ru = ru2
				}
				if len(cn) == 0 {
					cn = cn2
				}
				ms = append(ru, cn...)
			}
		}
	}
	ru, cn := split(ms)
	conf := 0.9
	switch {
	case len(ru) > 0 && len(cn) > 0:
		return pairUp(ru, cn), conf, 0
	case len(ru) == 0 && len(cn) == 0:
		if len(last) > 0 {
			return last, 0.7, 2
		}
		if pg.mainRU != nil && pg.mainCN != nil && !u.title && !pg.listing && (st != twin.Existing || bothRE.MatchString(u.low)) &&
			pg.titleIDs[pg.mainRU.ID] && pg.titleIDs[pg.mainCN.ID] {
			return [][2]twin.Place{{*pg.mainRU, *pg.mainCN}}, 0.7, 2
		}
		if bothRE.MatchString(u.low) && !pg.listing && !u.title {
			// "两市" / "оба города": the page's two places, however found.
			if r, c := pg.context(twin.RU, prevRU), pg.context(twin.CN, prevCN); r != nil && c != nil {
				return [][2]twin.Place{{*r, *c}}, 0.65, 2
			}
		}
		return nil, 0, 2
	case pg.foreign(u.low) || pg.droppedLocative(u):
		return nil, 0, 1
	case len(ru) == 0:
		main := pg.context(twin.RU, prevRU)
		if main == nil || (st == twin.Signed && main.Kind != cn[0].Place.Kind) {
			return nil, 0, 1
		}
		ru = []gazetteer.Mention{{Place: *main}}
		cn = pg.regionToMainCity(cn, pg.mainCN)
		conf = 0.75
	default:
		ru = pg.regionToMainCity(ru, pg.mainRU)
		main := pg.context(twin.CN, prevCN)
		if main == nil || (st == twin.Signed && main.Kind != ru[0].Place.Kind) {
			return nil, 0, 1
		}
		cn = []gazetteer.Mention{{Place: *main}}
		conf = 0.75
	}
	return pairUp(ru, cn), conf, 1
}

// regionToMainCity replaces a lone region ("Гости из провинции Шаньдун")
// by the page's main city of that region when a sentence names no place of
// the other country: the region stands for the city the page is about.
func (pg *page) regionToMainCity(ms []gazetteer.Mention, main *twin.Place) []gazetteer.Mention {
	if len(ms) != 1 || main == nil || main.Kind != twin.City || ms[0].Place.Kind != twin.Region ||
		main.Region == "" || main.Region != ms[0].Place.NameEN {
		return ms
	}
	return []gazetteer.Mention{{Start: ms[0].Start, End: ms[0].End, Surface: ms[0].Surface, Place: *main}}
}

// context returns the place of country c a sentence that does not name one
// refers to: the listing's own place, the last one named in the paragraph,
// else the page's main place.
func (pg *page) context(c twin.Country, inBlock *twin.Place) *twin.Place {
	if pg.home != nil && pg.home.Country == c && inBlock == nil {
		return pg.home
	}
	if inBlock != nil {
		return inBlock
	}
	if pg.listing {
		return nil
	}
	main := pg.mainCN
	if c == twin.RU {
		main = pg.mainRU
	}
	if main == nil {
		// The only place of that country on the page ("来芷" for Zhijiang).
		main = pg.unique[c]
	}
	if main == nil && pg.site != nil && pg.site.Country == c {
		// The site's own place: "市长会见…" on changchun.gov.cn.
		main = pg.site
	}
	return main
}

// listingRow reads a table row, list item or sentence of a listing page:
// the partners named in it with the page's own place, the relation of the
// row or of its section, the date next to each partner.
func (pg *page) listingRow(u *unit, order int, prevHome *twin.Place) ([]cand, bool) {
	if pg.home == nil || (prevHome != nil && prevHome.ID != pg.home.ID && u.kind != htmldoc.TableRow) {
		return nil, false
	}
	var partners []gazetteer.Mention
	for _, m := range pg.parties(u, true) {
		if m.Place.Country != pg.home.Country {
			partners = append(partners, m)
		} else if m.Place.ID != pg.home.ID && u.kind != htmldoc.TableRow {
			// A sentence about another place of the home country is not the home's.
			return nil, false
		}
	}
	if len(partners) == 0 {
		return nil, false
	}
	if u.kind == htmldoc.TableRow {
		partners = partners[:1]
	}
	rel := pg.relationOf(u.low, pg.lex)
	if rel == "" && (u.kind == htmldoc.TableRow || u.kind == htmldoc.ListItem) && pg.has(u.low, rowPartner) {
		rel = twin.Partner // a status column: "побратим" | "партнёр"
	}
	if rel == "" {
		rel = pg.relationOf(u.header, pg.lex)
	}
	if rel == "" {
		rel = pg.relationOf(u.section, pg.lex)
	}
	if rel == "" && pg.has(u.low, pg.lex.weak) {
		rel = pg.defaultRel()
	}
	if rel == "" {
		if u.kind != htmldoc.TableRow && u.kind != htmldoc.ListItem {
			return nil, false
		}
		rel = pg.defaultRel()
	}
	st := twin.Existing
	switch {
	case pg.has(u.low, pg.lex.terminated):
		st = twin.Terminated
	case u.kind != htmldoc.TableRow:
		if s := pg.status(u.low); s == twin.Intent || s == twin.Anniversary {
			st = s
		}
	}
	var out []cand
	for i, m := range partners {
		// The date of a partner is the first one after its name and before
		// the next partner's; a single partner takes the row's earliest.
		var d twin.Date
		if len(partners) == 1 {
			d = pg.earliest(pg.ds(u), u.text)
			if d.IsZero() {
				d = pg.cellDate(u)
			}
		} else {
			next := len(u.text)
			if i+1 < len(partners) {
				next = partners[i+1].Start
			}
			for _, dm := range pg.ds(u) {
				if dm.Start >= m.End && dm.Start < next {
					d = dm.Date
					break
				}
			}
		}
		if st == twin.Anniversary {
			d, _ = pg.agreementDate(u, u.text, st, pg.ds(u))
			if pg.pastCelebration(u, u.text) {
				st = twin.Existing
			}
		}
		c := cand{rel: rel, status: st, date: d, explicit: true, evidence: clip(u.text, 400), conf: 0.85, order: order}
		if pg.home.Country == twin.RU {
			c.ru, c.cn = *pg.home, m.Place
		} else {
			c.ru, c.cn = m.Place, *pg.home
		}
		out = append(out, c)
	}
	return out, true
}

// rowPartner marks a partner in a row or item of a listing.
var rowPartner = []string{"партнёр", "партнер", "partner", "伙伴", "友好合作"}

// anniversaryDay cues say that a date is the anniversary day itself.
var anniversaryDay = []string{"纪念日", "годовщина со дня", "anniversary day", "день подписания"}

var bareYear = regexp.MustCompile(`^\s*((?:19|20)\d\d)\s*(?:年|г\.?|гг\.?)?\s*$`)

// cellDate reads a date from a table row's cells: "1988", "1993年", "2004".
func (pg *page) cellDate(u *unit) twin.Date {
	for _, cell := range strings.Split(u.text, "|") {
		if m := bareYear.FindStringSubmatch(cell); m != nil {
			y, _ := strconv.Atoi(m[1])
			if pg.pub.IsZero() || y <= pg.pub.Year {
				return twin.YearDate(y)
			}
		}
		if d, ok := dates.ParseOne(strings.TrimSpace(cell), pg.lang); ok && !d.IsZero() {
			return d
		}
	}
	return twin.Date{}
}

// agreementDate picks the date of the agreement in a clause: the act's date
// (latest date not after publication, explicit before relative) for signed
// and intent; the earliest (the establishment) for the other statuses; for
// an anniversary, the date named if it is N years back, else N years before
// the celebration (a year named in the sentence, else publication).
func (pg *page) agreementDate(u *unit, clause string, st twin.Status, ds []dates.Mention) (twin.Date, bool) {
	switch st {
	case twin.Signed, twin.Intent:
		var best twin.Date
		explicit := false
		for _, d := range ds {
			if !pg.pub.IsZero() && d.Date.Start().After(pg.pub.Start().AddDate(0, 0, 1)) && d.Date.Year >= pg.pub.Year {
				continue
			}
			ex := !d.Relative
			if best.IsZero() || (ex && !explicit) || (ex == explicit && (d.Date.Start().After(best.Start()) ||
				(d.Date.Start().Equal(best.Start()) && d.Date.Precision() > best.Precision()))) {
				best, explicit = d.Date, ex
			}
		}
		return best, explicit
	case twin.Anniversary:
		n := anniversaryYears(pad(clause), pg.lang)
		if d := pg.earliest(ds, clause); !d.IsZero() {
			switch {
			case n == 0 || pg.pub.IsZero() || d.Year == pg.pub.Year-n:
				return d, true
			case d.Year-n > 1900 && pg.has(pad(clause), anniversaryDay):
				// "6月1日是…30周年纪念日": the anniversary day itself.
				return twin.Date{Year: d.Year - n, Month: d.Month, Day: d.Day}, true
			case d.Year-n > 1900:
				return twin.YearDate(d.Year - n), true
			}
		}
		if n > 0 && !pg.pub.IsZero() {
			return twin.YearDate(pg.pub.Year - n), false
		}
		return twin.Date{}, false
	}
	// Existing and terminated: the first date of the pair that is not the
	// news of the day (pairDates puts those after the partner's name first).
	var recent twin.Date
	for _, d := range ds {
		if !pg.pub.IsZero() && d.Date.Start().After(pg.pub.Start().AddDate(0, 1, 0)) {
			continue
		}
		if !pg.pub.IsZero() && d.Date.Start().After(pg.pub.Start().AddDate(0, -3, 0)) {
			if recent.IsZero() {
				recent = d.Date
			}
			continue
		}
		return d.Date, !d.Relative
	}
	return recent, true
}

// earliest returns the earliest date among ds that is not after publication.
func (pg *page) earliest(ds []dates.Mention, _ string) twin.Date {
	var best twin.Date
	for _, d := range ds {
		if !pg.pub.IsZero() && d.Date.Start().After(pg.pub.Start().AddDate(0, 1, 0)) {
			continue
		}
		if best.IsZero() || d.Date.Start().Before(best.Start()) || (d.Date.Start().Equal(best.Start()) && d.Date.Precision() > best.Precision()) {
			best = d.Date
		}
	}
	return best
}

// old reports whether a signing date is too old for the page to report it as
// news: more than four months before publication.
func (pg *page) old(d twin.Date) bool {
	ref := pg.pub
	if ref.IsZero() {
		ref = pg.fetched // an undated page is at least as old as its fetch
	}
	if d.IsZero() || ref.IsZero() {
		return false
	}
	limit := ref.Start().AddDate(0, -4, 0)
	end := d.Start()
	switch d.Precision() {
	case twin.PrecisionYear:
		end = end.AddDate(1, 0, -1)
	case twin.PrecisionMonth:
		end = end.AddDate(0, 1, -1)
	}
	return end.Before(limit)
}

// events runs the event rules over every unit.
func (pg *page) events() []ev {
	var out []ev
	lx := pg.lex
	lastBlock := -2
	var lastPairs [][2]twin.Place
	var blockRU, blockCN *twin.Place
	for i, u := range pg.units {
		pg.enter(u)
		if u.block != lastBlock {
			lastPairs, lastBlock = nil, u.block
			blockRU, blockCN = nil, nil
		}
		prevRU, prevCN := blockRU, blockCN
		ms := pg.eventParties(u)
		for _, m := range ms {
			pl := m.Place
			if pl.Country == twin.RU {
				blockRU = &pl
			} else {
				blockCN = &pl
			}
		}
		if u.title || u.kind == htmldoc.Heading || u.kind == htmldoc.TableRow || inQuote(u.text) {
			continue
		}
		low := u.low
		if u.cues&eventCues == 0 || (len(ms) == 0 && len(lastPairs) == 0) {
			continue
		}
		var cats []twin.Category
		for _, c := range twin.Categories {
			if pg.has(low, lx.categories[c]) {
				cats = append(cats, c)
			}
		}
		if len(cats) == 0 || pg.has(low, lx.plan) || pg.has(low, lx.general) || pg.has(low, pg.future()) {
			continue
		}
		if len(cats) > 1 && pg.has(low, lx.categories[twin.Youth]) {
			cats = slices.DeleteFunc(cats, func(c twin.Category) bool { return c == twin.Education })
		}
		if len(cats) > 1 && slices.Contains(cats, twin.Humanitarian) {
			// Aid for children ("гуманитарный груз для детского дома") is aid,
			// not a youth exchange.
			cats = slices.DeleteFunc(cats, func(c twin.Category) bool { return c == twin.Youth })
		}
		signing := (pg.relationOf(low, lx) != "" || pg.has(low, lx.cooperation)) && pg.status(low) == twin.Signed
		video := pg.has(low, lx.video)
		ru, cn := split(ms)
		conf := 0.8
		switch {
		case len(ru) > 0 && len(cn) > 0:
		case len(ru) == 0 && len(cn) == 0:
			if len(lastPairs) == 0 {
				if pg.mainRU == nil || pg.mainCN == nil || pg.listing || !pg.titleIDs[pg.mainRU.ID] || !pg.titleIDs[pg.mainCN.ID] {
					continue
				}
				lastPairs = [][2]twin.Place{{*pg.mainRU, *pg.mainCN}}
			}
			conf = 0.6
		case pg.foreign(low):
			continue
		case len(ru) == 0:
			if pl := pg.context(twin.RU, prevRU); pl != nil {
				ru = []gazetteer.Mention{{Place: *pl}}
				conf = 0.7
			}
		default:
			if pl := pg.context(twin.CN, prevCN); pl != nil {
				cn = []gazetteer.Mention{{Place: *pl}}
				conf = 0.7
			}
		}
		pairs := pairUp(ru, cn)
		if len(ru) == 0 && len(cn) == 0 {
			pairs = lastPairs
		}
		for k, pr := range pairs {
			// A region's delegation "arrived in Urumqi": the visit is to the
			// page's region that the city belongs to.
			if pr[0].Kind == twin.Region && pr[1].Kind == twin.City && pg.mainCN != nil && pg.mainCN.Kind == twin.Region && pr[1].Region == pg.mainCN.NameEN {
				pairs[k][1] = *pg.mainCN
			}
			if pr[1].Kind == twin.Region && pr[0].Kind == twin.City && pg.mainRU != nil && pg.mainRU.Kind == twin.Region && pr[0].Region == pg.mainRU.NameEN {
				pairs[k][0] = *pg.mainRU
			}
		}
		if len(pairs) == 0 {
			continue
		}
		d := pg.eventDate(i)
		fromPub := false
		if d.IsZero() && !pg.listing && pg.blockRank(u) < 3 && !pg.pub.IsZero() {
			// The lead of a news report tells what happened on its day.
			d, fromPub = pg.pub, true
		}
		for _, c := range cats {
			switch {
			case c == twin.Delegation && (video || (pg.has(low, lx.institution) && !pg.official(low)) ||
				(!pg.has(low, delegationStrong) && !pg.official(low))):
				continue
			case signing && c != twin.Delegation:
				continue
			}
			for _, pr := range pairs {
				out = append(out, ev{ru: pr[0], cn: pr[1], cat: c, date: d, fromPub: fromPub, evidence: clip(u.text, 400), conf: conf, order: i})
			}
		}
		lastPairs = pairs
	}
	return out
}

// eventParties are the unit's parties for events: without the place of
// signing (unlike agreements, a lone destination stays: "прибыла в Маньчжурию").
func (pg *page) eventParties(u *unit) []gazetteer.Mention {
	if len(u.ms) == 0 {
		return nil
	}
	n := len(u.ms)
	buf := make([]gazetteer.Mention, 2*n)
	ms, keep := buf[:0:n], buf[n:n:2*n]
	for _, m := range u.ms {
		if m.Place.ID == "" || (m.Place.Kind == twin.City && pg.venue(u, m, false) && pg.otherOfCountry(u.ms, m)) {
			continue
		}
		ms = append(ms, m)
	}
	return withoutRegionsOfCities(ms, keep)
}

// blockRank is the position of u's block among the page's text blocks
// (0 for the first paragraph after the title).
func (pg *page) blockRank(u *unit) int {
	rank, last := -1, -2
	for _, v := range pg.units {
		if v.title || v.kind == htmldoc.Heading {
			continue
		}
		if v.block != last {
			rank++
			last = v.block
		}
		if v == u {
			return rank
		}
	}
	return rank
}

// delegationStrong are cues that name a visit outright; "прибыл", "посетил"
// alone (a cargo arrived, students visited) need an official in the sentence.
var delegationStrong = []string{"делегац", "визит", "代表团", "率团", "来访", "访问", "delegation", "visit"}

var officialCues = []string{"мэр", "глав", "губернатор", "администрац", "правительств", "официальн", "市长", "政府", "市委", "书记", "外办", "mayor", "government", "official", "governor", "bureau", "vice"}

func (pg *page) official(low string) bool { return pg.has(low, officialCues) }

var weekendCues = []string{"в выходные", "weekend", "周末", "выходных"}

// eventDate is the date of the activity unit i reports: its own latest
// date not after publication (a weekend without a date gives the month of
// publication), else the nearest date of the same paragraph.
func (pg *page) eventDate(i int) twin.Date {
	own := func(u *unit) twin.Date {
		var best twin.Date
		// A sentence that reports the signing of a relation dates the act,
		// not an activity, when that is older than the news.
		relation := !pg.pub.IsZero() && pg.relationOf(u.low, pg.lex) != "" && pg.has(u.low, pg.lex.signed)
		for _, d := range pg.ds(u) {
			if !pg.pub.IsZero() && d.Date.Start().After(pg.pub.Start().AddDate(0, 0, 1)) {
				continue
			}
			if relation && d.Date.Start().Before(pg.pub.Start().AddDate(0, -1, 0)) {
				// "Визит приурочен к годовщине: соглашение подписали 17 ноября
				// 2025 года": a relation's older date is not the activity's.
				continue
			}
			if best.IsZero() || d.Date.Start().After(best.Start()) {
				best = d.Date
			}
		}
		if best.IsZero() && !pg.pub.IsZero() && pg.pub.Month > 0 && (pg.has(u.low, weekendCues) || pg.has(u.low, pg.lex.recent)) {
			best = twin.MonthDate(pg.pub.Year, pg.pub.Month)
		}
		return best
	}
	u := pg.units[i]
	if d := own(u); !d.IsZero() {
		return d
	}
	for k := 1; k < 4; k++ {
		for _, j := range []int{i - k, i + k} {
			if j < 0 || j >= len(pg.units) || pg.units[j].block != u.block {
				continue
			}
			v := pg.units[j]
			d := own(v)
			if d.IsZero() || (!pg.pub.IsZero() && d.Start().Before(pg.pub.Start().AddDate(-1, 0, 0))) {
				continue
			}
			return d
		}
	}
	return twin.Date{}
}

// titleOnlySigning reports whether the only signing claims of a group are
// undated headlines while the body gives the relation an older date.
func titleOnlySigning(g []cand) bool {
	signed, dated := false, false
	for _, c := range g {
		switch {
		case c.status == twin.Signed && (!c.title || !c.date.IsZero()):
			return false
		case c.status == twin.Signed:
			signed = true
		case !c.date.IsZero():
			dated = true
		}
	}
	return signed && dated
}

// betterDate reports whether c's date should replace b's for the same
// status: a date over none, a written-out date over a relative one, a
// statement over a quotation, then the more precise.
func betterDate(c, b cand) bool {
	switch {
	case b.date.IsZero() != c.date.IsZero():
		return b.date.IsZero()
	case c.explicit != b.explicit:
		return c.explicit
	case c.quoted != b.quoted:
		return b.quoted
	}
	return c.date.Precision() > b.date.Precision()
}

type agKey struct{ a, b, r string }

// containedIn returns the key of another agreement of c's relation whose
// place of one side has c's place's name inside its own name.
func containedIn(c cand, merged map[agKey]cand) *agKey {
	for k, o := range merged {
		if k.r != string(c.rel) || (o.ru.ID == c.ru.ID && o.cn.ID == c.cn.ID) {
			continue
		}
		if o.ru.ID == c.ru.ID && nameInside(c.cn, o.cn) || o.cn.ID == c.cn.ID && nameInside(c.ru, o.ru) {
			k := k
			return &k
		}
	}
	return nil
}

func nameInside(small, big twin.Place) bool {
	for _, pair := range [][2]string{{small.NameRU, big.NameRU}, {small.NameZH, big.NameZH}} {
		if pair[0] != "" && len(pair[1]) > len(pair[0]) && strings.Contains(pair[1], pair[0]) {
			return true
		}
	}
	return false
}

var statusRank = map[twin.Status]int{twin.Existing: 1, twin.Intent: 2, twin.Anniversary: 3, twin.Terminated: 4, twin.Signed: 5}

// observations merges the claims per (pair, relation) and (pair, category).
func (pg *page) observations(cands []cand, evs []ev) []twin.Observation {
	type key = agKey
	// A "friendship and cooperation" document makes twins when the page
	// calls the pair twins elsewhere, partners otherwise.
	twins := map[[2]string]bool{}
	for _, c := range cands {
		if c.rel == twin.Twin {
			twins[[2]string{c.ru.ID, c.cn.ID}] = true
		}
	}
	for i, c := range cands {
		if c.rel == relFriendCoop {
			cands[i].rel = twin.Partner
			if twins[[2]string{c.ru.ID, c.cn.ID}] {
				cands[i].rel = twin.Twin
			}
		}
	}
	groups := map[key][]cand{}
	var keys []key
	for _, c := range cands {
		k := key{c.ru.ID, c.cn.ID, string(c.rel)}
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], c)
	}
	var out []twin.Observation
	merged := map[key]cand{}
	for _, k := range keys {
		g := groups[k]
		// A headline alone ("Как Х и Y стали побратимами") does not make a
		// signing news when the body dates the relation long before.
		if titleOnlySigning(g) {
			g = slices.DeleteFunc(slices.Clone(g), func(c cand) bool { return c.status == twin.Signed })
		}
		best := g[0]
		for _, c := range g[1:] {
			if statusRank[c.status] > statusRank[best.status] || (c.status == best.status && betterDate(c, best)) {
				best = c
			}
		}
		// Borrow the establishment date from another sentence about the pair.
		if best.status != twin.Signed && best.status != twin.Intent {
			for _, c := range g {
				if c.status == twin.Signed || c.status == twin.Intent || c.date.IsZero() {
					continue
				}
				if best.date.IsZero() || (c.date.Year == best.date.Year && c.date.Precision() > best.date.Precision()) {
					best.date = c.date
				}
			}
		}

		conf := best.conf
		for _, c := range g {
			conf = max(conf, c.conf)
		}
		best.conf = min(1, conf+0.02*float64(len(g)-1))
		merged[k] = best
	}
	for _, k := range keys {
		c := merged[k]
		// A place inside another named place of the same pair ("Циндао" in
		// "Западное побережье Циндао") is that place: keep the longer one.
		if sub := containedIn(c, merged); sub != nil {
			if s := merged[*sub]; s.date.IsZero() && !c.date.IsZero() {
				s.date = c.date
				merged[*sub] = s
			}
			continue
		}
	}
	for _, k := range keys {
		c := merged[k]
		if containedIn(c, merged) != nil {
			continue
		}
		// A "friendship and cooperation" document the page calls twinning.
		if c.rel == twin.Cooperation || c.rel == twin.Partner {
			if t, ok := merged[key{k.a, k.b, string(twin.Twin)}]; ok && t.status == c.status && (c.date.IsZero() || c.date == t.date) {
				continue
			}
		}
		o := twin.NewAgreement(c.ru, c.cn, c.rel, c.status, c.date, pg.url)
		o.Evidence, o.Confidence = c.evidence, c.conf
		if c.status == twin.Signed {
			o.Confidence = min(o.Confidence, 0.95)
		}
		out = append(out, o)
	}
	type ekey struct{ a, b, c string }
	eg := map[ekey]ev{}
	var ekeys []ekey
	for _, e := range evs {
		k := ekey{e.ru.ID, e.cn.ID, string(e.cat)}
		old, ok := eg[k]
		if !ok {
			ekeys = append(ekeys, k)
			eg[k] = e
			continue
		}
		if (old.date.IsZero() || old.fromPub) && !e.date.IsZero() && !e.fromPub {
			old.date, old.fromPub = e.date, false
		}
		old.conf = max(old.conf, e.conf)
		eg[k] = old
	}
	for _, k := range ekeys {
		e := eg[k]
		if e.date.IsZero() || e.fromPub {
			// An undated activity of a news report on a signing happened then.
			for ak, c := range merged {
				if ak.a == k.a && ak.b == k.b && c.status == twin.Signed && !c.date.IsZero() {
					e.date = c.date
				}
			}
		}
		o := twin.NewEvent(e.ru, e.cn, e.cat, e.date, pg.url)
		o.Evidence, o.Confidence = e.evidence, max(0, min(1, e.conf))
		out = append(out, o)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Type < out[j].Type })
	return out
}
