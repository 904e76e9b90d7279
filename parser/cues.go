package parser

import (
	"slices"
	"strings"
	"sync"

	"github.com/twinwatch/twinwatch/twin"
)

// lexicon holds the cue stems of one language. Matching is on the lower-cased
// sentence padded with spaces: a cue starting with a space must start a word.
// Stems (not lemmas) are enough because Russian case endings follow the stem.
type lexicon struct {
	twin, partner, friendship, cooperation []string
	// friendCoop names a "friendship and cooperation" document: the places
	// are twins if the page says so elsewhere, partners otherwise.
	friendCoop                            []string
	weak                                  []string // "дружат": relation from page context
	signed, intent, intentDoc, terminated []string
	anniversary, plan, general, video     []string
	venue                                 []string // prepositions before a place of signing
	categories                            map[twin.Category][]string
	institution                           []string // groups that are not official delegations
	recent                                []string // "日前", "недавно": month of publication
}

// lexicons are the per-language cue lists. They are data read by every
// Parser and never written after package initialisation.
var lexicons = map[string]*lexicon{
	"ru": {
		twin: []string{"побратим", "породнил", "породнен", "породнён", "породнят", "породнит", "породнять", "городами-побратим",
			"побратимств"},
		friendCoop:  []string{"о дружбе и сотрудничестве", "о дружбе и партнёрстве", "о дружбе и партнерстве"},
		partner:     []string{"город-партн", "города-партн", "городом-партн", "городами-партн", "городу-партн", "партнёрск", "партнерск", "о партнёрстве", "о партнерстве", "о партнёрских", "сотрудничает с", "сотрудничают с", "партнёрств", "партнерств", "регион-партн", "регионы-партн", "регионами-партн"},
		friendship:  []string{"дружественн связ", "дружественные связи", "дружественных связ"},
		cooperation: []string{"о сотрудничестве", "о торгово-экономическом", "о межрегиональном сотрудничестве", "о развитии сотрудничества"},
		weak:        []string{"дружит", "дружат", "дружба", "дружбы", "дружбу", "дружили"},
		signed: []string{"подписал", "подписан", "подписали", "подписано", "подписаны", "заключил", "заключен", "заключён", "заключили", "стали побратим",
			"стали городами", "породнились", "породнился", "породнилась", "установили", "установлены", "установлен", "скрепили", "появился", "состоялось подписание", "состоялась церемония подписания", "прошла церемония подписания"},
		intentDoc: []string{"намерени", "о развитии побратимских", "о развитии дружественных", "предварительн"},
		intent: []string{"переговор", "обсуди", "обсужда", "планиру", "планирует", "планах", "будет подписан", "будут подписан", "предстоит", "возможно",
			"предлож", "может породн", "могут породн", "намерен", "готовится", "готовят", "рассматрива", "изуча", "хотят", "хочет", "собираются", "может стать", "могут стать"},
		terminated:  []string{"расторг", "приостанов", "прекращ", "прекрати", "прекратил", "сошли на нет", "сошла на нет", "ни к чему не привел", "ни к чему не привели", "разорва", "аннулир", "бывшие побратим", "бывший побратим", "заморож", "не осталось"},
		anniversary: []string{"годовщин", "летие", "летия", "летию", "летием", "юбиле", "лет побратим", "лет дружб", "лет со дня", "лет назад", " год назад"},
		plan: []string{"планиру", "планах", " будет ", " будут ", "предстоит", "пригласил", "договорились", "намерен", "в следующем году", "собираются", "готовится",
			"обсудили", "обсуждали", "обсудят", "обсудит", "могли бы", "хотели бы", "в дальнейшем", "развивать", "ожидается", "запланирован", "в будущем", "смогут", "пройдёт", "пройдет", "состоится", "может", "посетят", "примут", "станет", "должн", "рассчитыва", "собирается", "займутся", "поедут", "отправятся", "приедут", "продолжатся", "планы",
			"посетит", "прибудет", "приедет", "примет участие", "проведут", "проведёт", "проведет", "откроют", "откроет", "отправится", "направится"},
		general:     []string{"регулярно", "ежегодн", "не раз", "с тех пор", "неоднократно", "традиционно", "за это время", "за годы", "постоянно", "налажены", "давно", "каждый год", "в сфере", "в сферах", "в области", "в областях", "предусматривает", "охватывает", "направлени", "сотрудничество в", "возможност"},
		video:       []string{"видео", "онлайн", "дистанционн", "по видеосвязи", "телемост"},
		venue:       []string{" в ", " во "},
		institution: []string{"университет", "вуз", "студент", "школьник", "артист", "творческ", "бизнес", "предпринимател", "компани", "ансамбл", "спортсмен", "команд"},
		recent:      []string{"недавно", "на днях"},
		categories: map[twin.Category][]string{
			twin.Delegation:   {"делегаци", "с визитом", "визит", "прибыл", "посетил", "побывал", "приезд"},
			twin.Culture:      {"выставк", "концерт", "фестивал", "спектакл", "гастрол", "дни китайской культуры", "дни культуры", "выступлени", "ярмарк", "фотовыстав"},
			twin.Education:    {"студент", "университет", "вуз", "преподавател", "обучени", "школьник", "образовательн"},
			twin.Youth:        {"лагер", "детей", "детск", "молодёж", "молодеж", "юные", "юных"},
			twin.Sport:        {"турнир", "соревнован", "матч", "баскетбол", "футбол", "хокке", "спартакиад", "чемпионат"},
			twin.Tourism:      {"туризм", "туристическ", "туристов", "турпоток", "турмаршрут"},
			twin.Economy:      {"контракт", "инвестиц", "сделк", "на сумму", "экспорт", "поставк"},
			twin.Humanitarian: {"маск", "масок", "гуманитарн", "помощь", "пожертв", "передали в дар", "средств индивидуальной"},
			twin.Science:      {"лаборатор", "научн", "исследован"},
		},
	},
	"zh": {
		twin:        []string{"友好城市", "友城", "姐妹城市", "友好省", "友好州", "结好", "结为友好", "友好县", "友好区", "友好关系城市"},
		partner:     []string{"友好合作关系", "友好合作城市", "合作伙伴城市", "伙伴城市"},
		friendship:  []string{"友好交流城市", "友好交流关系"},
		cooperation: []string{"合作备忘录", "合作协议", "合作协定", "合作意向"},
		weak:        []string{"友好往来"},
		signed:      []string{"签署", "签订", "缔结", "结为", "正式建立", "正式成为", "建立了", "建立", "确立", "签约"},
		intentDoc:   []string{"意向书", "意向"},
		intent:      []string{"拟", "计划", "商谈", "洽谈", "探讨", "有望", "磋商", "将"},
		terminated:  []string{"终止", "中止", "解除", "暂停"},
		anniversary: []string{"周年"},
		plan:        []string{"计划", "将于", "将在", "将", "明年", "商定", "拟", "邀请对方", "发出邀请", "希望", "期待", "预计", "下一步", "今后"},
		general:     []string{"每年", "多次", "定期", "长期", "一直", "历年", "多年来", "年来", "领域", "不断", "以来", "此后", "资源", "潜力"},
		video:       []string{"视频", "线上", "云端", "网络"},
		venue:       []string{"在", "于"},
		institution: []string{"大学", "学院", "学生", "艺术团", "企业", "公司", "学校"},
		recent:      []string{"日前", "近日", "近期"},
		categories: map[twin.Category][]string{
			twin.Delegation:   {"代表团", "访问", "率团", "来访", "考察", "出访", "会见", "访华", "访俄"},
			twin.Culture:      {"展览", "摄影展", "图片展", "画展", "书画展", "文化交流", "文艺演出", "演出", "艺术节", "文艺", "音乐会", "文化节", "文化周", "展出", "艺术团", "木偶"},
			twin.Education:    {"留学", "大学", "学生", "教育", "高校"},
			twin.Youth:        {"夏令营", "冬令营", "青少年", "少年", "儿童"},
			twin.Sport:        {"比赛", "体育", "联赛", "运动会", "球赛"},
			twin.Tourism:      {"旅游", "游客", "推介"},
			twin.Economy:      {"经贸", "投资", "签约项目", "贸易合同", "合同"},
			twin.Humanitarian: {"口罩", "捐赠", "援助", "防疫物资"},
			twin.Science:      {"实验室", "科研", "科技合作"},
		},
	},
	"en": {
		twin: []string{"sister cit", "sister-cit", "twin", "sister province", "sister-province", "sister region", "sister-region", "sister state", "sister-state",
			"friendly sister", "sister relationship", "sister provinces", "friendly cit", "friendly-cit", "friendship cit", "friendly province", "friendly provinces"},
		partner:     []string{"partner cit", "partner region", "friendly cooperation relation", "friendly cooperative relation", "friendly-cooperation", "on friendly cooperation", "partnership agreement", "partnership relations"},
		friendship:  []string{"friendly exchange", "friendly-exchange"},
		friendCoop:  []string{"friendship and cooperation"},
		cooperation: []string{"cooperation agreement", "memorandum of cooperation", "agreement on cooperation", "memorandum of understanding on cooperation", "co-operation agreement"},
		weak:        []string{"friendship", "friendly relations", "friendly ties"},
		signed:      []string{"signed", "inked", "established", "became sister", "become sister", "formalized", "concluded", "signing"},
		intentDoc:   []string{"letter of intent", "memorandum of intent", "intent", "preliminary agreement", "on developing"},
		intent:      []string{"talks", "negotiat", "discuss", " plan ", " plans ", " plan to", " planning", " planned", " will ", " would ", "expected to", "proposed", "possible", "prepare", "consider", "explore"},
		terminated:  []string{"terminated", "suspended", "cancelled", "canceled", "came to nothing", "ended", "severed", "former sister"},
		anniversary: []string{"anniversary", "years of sister", "years of friendship", "years of twin"},
		plan:        []string{" will ", " plan ", " plans ", " plan to", " planning", " planned", "expected", " invite", " agreed to", " would ", "next year", "to be held", "upcoming", " hope", "intend", "seek"},
		general:     []string{"regularly", "every year", "annually", "repeatedly", "over the years", "have long", "ongoing", "fields of", "areas of", "areas such as", "fields such as", "has developed", "have developed"},
		video:       []string{"video", "online", "virtual"},
		venue:       []string{" in "},
		institution: []string{"university", "college", "students", "business", "artists", "troupe", "company", "companies", "school"},
		recent:      []string{"recently", "the other day"},
		categories: map[twin.Category][]string{
			twin.Delegation:   {"delegation", "visit", "arrived in", "toured"},
			twin.Culture:      {"exhibition", "concert", "festival", "performance", "art troupe", "cultural"},
			twin.Education:    {"student", "university", "education"},
			twin.Youth:        {"youth", "summer camp", "children"},
			twin.Sport:        {"tournament", "championship", " match", "competition"},
			twin.Tourism:      {"tourism", "tourist", "promotion"},
			twin.Economy:      {"contract", "investment", "trade deal", "deals worth"},
			twin.Humanitarian: {"masks", "humanitarian", "donat", " aid "},
			twin.Science:      {"laboratory", "research", "scientific"},
		},
	},
}

// has reports whether the padded lower-case text contains any of cues. The
// extractor asks page.has, which answers from one automaton pass per text;
// has is the reference it must agree with, and serves the lists and texts
// the automaton does not know.
func has(text string, cues []string) bool {
	for _, c := range cues {
		if strings.Contains(text, c) {
			return true
		}
	}
	return false
}

// cueGroup says which rules a cue matters to.
type cueGroup uint8

// Cue groups.
const (
	agreementCues cueGroup = 1 << iota // relation and status cues
	eventCues                          // event category cues
)

// cueSet is the set of a cueIndex's patterns that a text contains, as a bitset.
type cueSet []uint64

// listKey identifies a cue list by its backing array and length: the lists
// are package-level data, never re-sliced.
type listKey struct {
	first *string
	n     int
}

// listBits is a cue list as the words and masks of its patterns' bits.
type listBits []struct {
	word int
	mask uint64
}

// any reports whether set has a pattern of the list.
func (lb listBits) any(set cueSet) bool {
	for _, b := range lb {
		if set[b.word]&b.mask != 0 {
			return true
		}
	}
	return false
}

// cueIndex is one language's automaton over every cue, with each pattern's
// groups and, for every known cue list, the bits of its patterns.
type cueIndex struct {
	dfa    *cueDFA
	groups []cueGroup
	words  int // length of a cueSet
	lists  map[listKey]listBits
}

// sharedCueLists are the cue lists outside the lexicons that the rules
// test with page.has, in every language.
func sharedCueLists() [][]string {
	return [][]string{existingCues, documentCues, sameDayCues, foreignCues, rowPartner, anniversaryDay, delegationStrong,
		officialCues, weekendCues, meetingCues, describedIn, futureRU, futureZH, futureEN}
}

// anyCue holds, per language, one automaton over every cue of the lexicon
// and of sharedCueLists: a unit in which it finds nothing of a group needs
// none of that group's per-list checks (most sentences of a long page), and
// the set it finds answers every page.has on the unit. Built once, on first
// use (about 5 ms: not at package initialisation, which every twinwatch
// command would pay), read-only afterwards.
var anyCue = sync.OnceValue(func() map[string]*cueIndex {
	out := map[string]*cueIndex{}
	for lang, lx := range lexicons {
		idx := map[string]int{}
		var pats []string
		var groups []cueGroup
		add := func(g cueGroup, l []string) {
			for _, c := range l {
				if c == "" {
					continue
				}
				i, ok := idx[c]
				if !ok {
					i = len(pats)
					idx[c] = i
					pats = append(pats, c)
					groups = append(groups, 0)
				}
				groups[i] |= g
			}
		}
		for _, l := range [][]string{lx.twin, lx.partner, lx.friendship, lx.friendCoop, lx.cooperation, lx.weak, lx.signed, lx.intent,
			lx.intentDoc, lx.terminated, lx.anniversary, lx.recent, documentCues} {
			add(agreementCues, l)
		}
		for _, l := range lx.categories {
			add(eventCues, l)
		}
		known := [][]string{lx.twin, lx.partner, lx.friendship, lx.friendCoop, lx.cooperation, lx.weak, lx.signed, lx.intent,
			lx.intentDoc, lx.terminated, lx.anniversary, lx.recent, lx.plan, lx.general, lx.video, lx.institution}
		for _, l := range lx.categories {
			known = append(known, l)
		}
		known = append(known, sharedCueLists()...)
		for _, l := range known {
			add(0, l)
		}
		ci := &cueIndex{groups: groups, words: (len(pats) + 63) / 64, lists: map[listKey]listBits{}}
		for _, l := range known {
			if len(l) == 0 || slices.Contains(l, "") {
				continue // has: "" is in every text
			}
			masks := map[int]uint64{}
			var order []int
			for _, c := range l {
				if c == "" {
					continue
				}
				i := idx[c]
				if _, ok := masks[i/64]; !ok {
					order = append(order, i/64)
				}
				masks[i/64] |= 1 << (i % 64)
			}
			var lb listBits
			for _, w := range order {
				lb = append(lb, struct {
					word int
					mask uint64
				}{w, masks[w]})
			}
			ci.lists[listKey{&l[0], len(l)}] = lb
		}
		ci.dfa = newCueDFA(pats)
		out[lang] = ci
	}
	return out
})

// scan returns the groups and the set of the cues low contains.
func (ci *cueIndex) scan(low string) (cueGroup, cueSet) {
	set := make(cueSet, ci.words)
	return ci.scanInto(low, set), set
}

// scanInto is scan into set, a zeroed cueSet of ci.words words.
func (ci *cueIndex) scanInto(low string, set cueSet) cueGroup {
	var g cueGroup
	ci.dfa.each(low, func(i int32) {
		g |= ci.groups[i]
		set[i/64] |= 1 << (i % 64)
	})
	return g
}

// cueGroups reports which groups of cues low contains.
func cueGroups(low, lang string) cueGroup {
	ci, ok := anyCue()[lang]
	if !ok {
		return agreementCues | eventCues
	}
	g, _ := ci.scan(low)
	return g
}

// enter makes u's cue set, found when the unit was built, the one page.has
// answers from for u.low: the rules of a unit ask about u.low many times.
func (pg *page) enter(u *unit) {
	if u.set != nil {
		pg.lastLow, pg.lastSet = u.low, u.set
	}
}

// has reports whether the padded lower-case text low contains any of cues,
// as has does, from the cue set of low (found once per text and kept).
func (pg *page) has(low string, cues []string) bool {
	if len(cues) == 0 {
		return false
	}
	if pg.ci == nil {
		pg.ci = anyCue()[pg.lang]
		if pg.ci == nil {
			return has(low, cues)
		}
	}
	lb, ok := pg.ci.lists[listKey{&cues[0], len(cues)}]
	if !ok {
		return has(low, cues)
	}
	if low == pg.lastLow && pg.lastSet != nil {
		return lb.any(pg.lastSet) // the rules ask several lists of one text in a row
	}
	set, ok := pg.sets[low]
	if !ok {
		_, set = pg.ci.scan(low)
		if pg.sets == nil {
			pg.sets = map[string]cueSet{}
		}
		pg.sets[low] = set
	}
	pg.lastLow, pg.lastSet = low, set
	return lb.any(set)
}
