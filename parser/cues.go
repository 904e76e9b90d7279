package parser

import (
	ahocorasick "github.com/petar-dambovaliev/aho-corasick"

	"strings"

	"github.com/twinwatch/twinwatch/twin"
)

// lexicon holds the cue stems of one language. Matching is on the lower-cased
// sentence padded with spaces: a cue starting with a space must start a word.
// Stems (not lemmas) are enough because Russian case endings follow the stem.
type lexicon struct {
	twin, partner, friendship, cooperation []string
	weak                                   []string // "дружат": relation from page context
	signed, intent, intentDoc, terminated  []string
	anniversary, plan, general, video      []string
	venue                                  []string // prepositions before a place of signing
	categories                             map[twin.Category][]string
	institution                            []string // groups that are not official delegations
	recent                                 []string // "日前", "недавно": month of publication
}

// lexicons are the per-language cue lists. They are data read by every
// Parser and never written after package initialisation.
var lexicons = map[string]*lexicon{
	"ru": {
		twin: []string{"побратим", "породнил", "породнен", "породнён", "породнят", "породнит", "породнять", "городами-побратим",
			"о дружбе и сотрудничестве", "побратимств"},
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
		anniversary: []string{"годовщин", "летие", "летия", "летию", "летием", "юбиле", "лет побратим", "лет дружб", "лет со дня", "лет назад"},
		plan: []string{"планиру", "планах", " будет ", " будут ", "предстоит", "пригласил", "договорились", "намерен", "в следующем году", "собираются", "готовится",
			"обсудили", "обсуждали", "могли бы", "хотели бы", "в дальнейшем", "развивать", "ожидается", "запланирован", "в будущем", "смогут", "пройдёт", "пройдет", "состоится", "может", "посетят", "примут", "станет", "должн", "рассчитыва", "собирается", "займутся", "поедут", "отправятся", "приедут", "продолжатся", "планы",
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
		partner:     []string{"partner cit", "partner region", "friendly cooperation relationship", "friendly cooperative relationship", "friendly-cooperation", "partnership agreement", "partnership relations"},
		friendship:  []string{"friendly exchange", "friendly-exchange"},
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

// has reports whether the padded lower-case text contains any of cues.
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

// cueIndex is one language's automaton over every cue, with each pattern's groups.
type cueIndex struct {
	ac     ahocorasick.AhoCorasick
	groups []cueGroup
}

// anyCue holds, per language, one automaton over every cue of the lexicon:
// a unit in which it finds nothing of a group needs none of that group's
// per-list checks (most sentences of a long page). Built once at package
// initialisation, read-only afterwards.
var anyCue = func() map[string]cueIndex {
	out := map[string]cueIndex{}
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
		for _, l := range [][]string{lx.twin, lx.partner, lx.friendship, lx.cooperation, lx.weak, lx.signed, lx.intent,
			lx.intentDoc, lx.terminated, lx.anniversary, lx.recent, documentCues} {
			add(agreementCues, l)
		}
		for _, l := range lx.categories {
			add(eventCues, l)
		}
		b := ahocorasick.NewAhoCorasickBuilder(ahocorasick.Opts{MatchKind: ahocorasick.StandardMatch, DFA: true})
		out[lang] = cueIndex{ac: b.Build(pats), groups: groups}
	}
	return out
}()

// cueGroups reports which groups of cues low contains.
func cueGroups(low, lang string) cueGroup {
	ci, ok := anyCue[lang]
	if !ok {
		return agreementCues | eventCues
	}
	var g cueGroup
	it := ci.ac.IterOverlapping(low)
	for m := it.Next(); m != nil; m = it.Next() {
		g |= ci.groups[m.Pattern()]
		if g == agreementCues|eventCues {
			break
		}
	}
	return g
}
