package gazetteer

import (
	"bufio"
	"encoding/json"
	"os"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/twin"
)

var loadOnce = sync.OnceValues(Load)

func gaz(t testing.TB) *Gazetteer {
	t.Helper()
	g, err := loadOnce()
	require.NoError(t, err)
	return g
}

// findOne returns the mention whose surface is surface.
func findOne(t *testing.T, g *Gazetteer, text, surface string) Mention {
	t.Helper()
	for _, m := range g.Find(text) {
		if m.Surface == surface {
			return m
		}
	}
	require.Failf(t, "no mention", "%q not found in %q; got %v", surface, text, surfaces(g.Find(text)))
	return Mention{}
}

func surfaces(ms []Mention) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.Surface)
	}
	return out
}

func TestLoad(t *testing.T) {
	g := gaz(t)
	require.Greater(t, len(g.places), 5000)
	for _, p := range g.places {
		require.NoError(t, p.Validate())
		require.True(t, p.Country == twin.RU || p.Country == twin.CN)
	}
	p, ok := g.Place("gn:2022890")
	require.True(t, ok)
	require.Equal(t, "Хабаровск", p.NameRU)
	require.Equal(t, "哈巴罗夫斯克", p.NameZH)
	require.Equal(t, "Khabarovsk Krai", p.Region)
	_, ok = g.Place("gn:0")
	require.False(t, ok)

	// NameZH drops a final 市/省 only.
	p, _ = g.Place("gn:2036965")
	require.Equal(t, "黑龙江", p.NameZH)
	p, _ = g.Place("gn:2035607")
	require.Equal(t, "内蒙古自治区", p.NameZH)
}

func TestFindRussian(t *testing.T) {
	g := gaz(t)
	tests := []struct {
		name, text, surface, wantRU string
		kind                        twin.PlaceKind
		exact                       bool
	}{
		{"nominative", "Делегация Уфы прибыла.", "Уфы", "Уфа", twin.City, false},
		{"instrumental", "подписан с Уфой меморандум", "Уфой", "Уфа", twin.City, false},
		{"prepositional cn", "в Цицикаре подписан", "Цицикаре", "Цицикар", twin.City, false},
		{"hyphen na", "в Ростове-на-Дону", "Ростове-на-Дону", "Ростов-на-Дону", twin.City, false},
		{"hyphen na instr", "с Комсомольском-на-Амуре", "Комсомольском-на-Амуре", "Комсомольск-на-Амуре", twin.City, false},
		{"hyphen adj", "из Петропавловска-Камчатского", "Петропавловска-Камчатского", "Петропавловск-Камчатский", twin.City, false},
		{"hyphen last", "в Южно-Сахалинске", "Южно-Сахалинске", "Южно-Сахалинск", twin.City, false},
		{"indeclinable hyphen", "в Улан-Удэ", "Улан-Удэ", "Улан-Удэ", twin.City, true},
		{"multi adj noun", "из Нижнего Новгорода", "Нижнего Новгорода", "Нижний Новгород", twin.City, false},
		{"oblast gen", "губернатор Свердловской области", "Свердловской области", "Свердловская область", twin.Region, false},
		{"krai gen", "власти Приморского края", "Приморского края", "Приморский край", twin.Region, false},
		{"republic gen", "глава Республики Бурятия", "Республики Бурятия", "Республика Бурятия", twin.Region, false},
		{"short region", "в Бурятии", "Бурятии", "Республика Бурятия", twin.Region, false},
		{"vowel drop orel", "из Орла", "Орла", "Орёл", twin.City, false},
		{"vowel drop elets", "в Ельце", "Ельце", "Елец", twin.City, false},
		{"yo folding", "город Орел", "Орел", "Орёл", twin.City, true},
		{"plural", "с Мытищами", "Мытищами", "Мытищи", twin.City, false},
		{"plural gen", "из Чебоксар", "Чебоксар", "Чебоксары", twin.City, true}, // listed alternate
		{"soft fem", "в Перми", "Перми", "Пермь", twin.City, false},
		{"soft masc", "в Ярославле", "Ярославле", "Ярославль", twin.City, false},
		{"indeclinable", "в Сочи", "Сочи", "Сочи", twin.City, true},
		{"cn -n", "в Шэньяне", "Шэньяне", "Шэньян", twin.City, false},
		{"cn -нь", "с Чанчунем", "Чанчунем", "Чанчунь", twin.City, false},
		{"cn -ия", "с Маньчжурией", "Маньчжурией", "Маньчжурия", twin.City, false},
		{"cn indeclinable", "в Чэнду", "Чэнду", "Чэнду", twin.City, true},
		{"cn hyphen", "с Хулун-Буиром", "Хулун-Буиром", "Хулун-Буир", twin.City, false},
		{"cn conventional", "с Уланчабом", "Уланчабом", "Уланчаб", twin.City, false},
		{"cn uncommon palladius", "в Уланьчабу", "Уланьчабу", "Уланчаб", twin.City, true},
		{"cn province prefix", "в провинции Цзилинь", "провинции Цзилинь", "Цзилинь", twin.Region, false},
		{"former name", "в Ленинграде", "Ленинграде", "Санкт-Петербург", twin.City, false},
		{"cn region", "делегация Хэйлунцзяна", "Хэйлунцзяна", "Хэйлунцзян", twin.Region, false},
		{"derived palladius", "с Удаляньчи", "Удаляньчи", "Удаляньчи", twin.City, false},
		{"oblast abbreviation", "Свердловской обл.", "Свердловской обл.", "Свердловская область", twin.Region, false},
		{"na with spaces", "в Ростове на Дону", "Ростове на Дону", "Ростов-на-Дону", twin.City, false},
		{"short name", "в Петербурге", "Петербурге", "Санкт-Петербург", twin.City, false},
		{"adjective", "Шэньянский университет", "Шэньянский", "Шэньян", twin.City, false},
		{"all caps", "ХАРБИН", "ХАРБИН", "Харбин", twin.City, true},
		{"nbsp and newline", "в Нижнем\u00a0\nНовгороде", "Нижнем\u00a0\nНовгороде", "Нижний Новгород", twin.City, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := findOne(t, g, tc.text, tc.surface)
			require.Equal(t, tc.wantRU, m.Place.NameRU)
			require.Equal(t, tc.kind, m.Place.Kind)
			require.Equal(t, tc.exact, m.Exact)
			require.Equal(t, tc.text[m.Start:m.End], m.Surface)
		})
	}
}

func TestFindPalladiusVariants(t *testing.T) {
	g := gaz(t)
	tests := []struct{ text, wantZH string }{
		{"Чжэньцзян", "镇江"}, {"Чжэньцзянь", "镇江"}, {"Чжэньцзяне", "镇江"},
		{"Чанчжоу", "常州"}, {"Чанджоу", "常州"},
		{"Ченду", "成都"}, {"Удалянчи", "五大连池"}, {"Удаляньчи", "五大连池"}, {"Муданцзян", "牡丹江"}, {"Хунчунь", "珲春"}, {"Хейхэ", "黑河"}, {"Хейхе", "黑河"},
		{"Харбина", "哈尔滨"}, {"Шуанъяшань", "双鸭山"}, {"Шуанъяшане", "双鸭山"},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			m := findOne(t, g, "в "+tc.text+" прошла", tc.text)
			require.Equal(t, tc.wantZH, m.Place.NameZH)
		})
	}
}

func TestFindChinese(t *testing.T) {
	g := gaz(t)
	tests := []struct {
		name, text, surface, wantZH string
		kind                        twin.PlaceKind
	}{
		{"with 市", "哈尔滨市与", "哈尔滨市", "哈尔滨", twin.City},
		{"without 市", "哈尔滨与", "哈尔滨", "哈尔滨", twin.City},
		{"province 省", "黑龙江省代表团", "黑龙江省", "黑龙江", twin.Region},
		{"province bare", "黑龙江代表团", "黑龙江", "黑龙江", twin.Region},
		{"autonomous region", "内蒙古自治区", "内蒙古自治区", "内蒙古自治区", twin.Region},
		{"jilin city", "吉林市与纳霍德卡", "吉林市", "吉林", twin.City},
		{"jilin province", "吉林省与", "吉林省", "吉林", twin.Region},
		{"historical", "海参崴旅游", "海参崴", "符拉迪沃斯托克", twin.City},
		{"non-standard", "弗拉迪沃斯托克", "弗拉迪沃斯托克", "符拉迪沃斯托克", twin.City},
		{"traditional", "哈巴羅夫斯克的", "哈巴羅夫斯克", "哈巴罗夫斯克", twin.City},
		{"traditional 2", "三亞市", "三亞市", "三亚", twin.City},
		{"county", "逊克县", "逊克县", "逊克县", twin.City},
		{"autonomous county", "芷江侗族自治县", "芷江侗族自治县", "芷江侗族自治县", twin.City},
		{"district", "海拉尔区", "海拉尔区", "海拉尔区", twin.City},
		{"new area", "青岛西海岸新区与", "青岛西海岸新区", "青岛西海岸新区", twin.City},
		{"prefecture is city", "湘西土家族苗族自治州", "湘西土家族苗族自治州", "湘西土家族苗族自治州", twin.City},
		{"suffixed common word", "甘肃省合作市", "合作市", "合作", twin.City},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			m := findOne(t, g, tc.text, tc.surface)
			require.Equal(t, tc.wantZH, m.Place.NameZH)
			require.Equal(t, tc.kind, m.Place.Kind)
			require.True(t, m.Exact)
		})
	}
	m := findOne(t, g, "伊尔库茨克市代表团", "伊尔库茨克市") // generated 市 form
	require.Equal(t, "Иркутск", m.Place.NameRU)
	require.False(t, m.Exact)
	ms := g.Find("吉林省吉林市")
	require.Equal(t, []string{"吉林省", "吉林市"}, surfaces(ms))
	require.Equal(t, twin.Region, ms[0].Place.Kind)
	require.Equal(t, twin.City, ms[1].Place.Kind)
}

func TestFindEnglish(t *testing.T) {
	g := gaz(t)
	tests := []struct {
		text, surface, wantEN string
		kind                  twin.PlaceKind
	}{
		{"Kirin and Nakhodka", "Kirin", "Jilin", twin.City},
		{"Kirin province", "Kirin province", "Jilin", twin.Region},
		{"Jilin City", "Jilin City", "Jilin", twin.City},
		{"Jilin Province", "Jilin Province", "Jilin", twin.Region},
		{"Heilongjiang Province", "Heilongjiang Province", "Heilongjiang", twin.Region},
		{"Yenki, Manchuria", "Yenki", "Yanji", twin.City},
		{"Chungking.", "Chungking", "Chongqing", twin.City},
		{"Yingkow", "Yingkow", "Yingkou", twin.City},
		{"Tsingtao beer", "Tsingtao", "Qingdao", twin.City},
		{"Antung", "Antung", "Dandong", twin.City},
		{"Kalinin", "Kalinin", "Tver", twin.City},
		{"Xi'an", "Xi'an", "Xi’an", twin.City},
		{"Xi’an", "Xi’an", "Xi’an", twin.City},
		{"Amur Region", "Amur Region", "Amur Oblast", twin.Region},
		{"Khabarovsk Krai", "Khabarovsk Krai", "Khabarovsk Krai", twin.Region},
		{"Khabarovsk", "Khabarovsk", "Khabarovsk", twin.City},
		{"Orël", "Orël", "Orël", twin.City},
		{"Ürümqi", "Ürümqi", "Ürümqi", twin.City},
	}
	for _, tc := range tests {
		t.Run(tc.text, func(t *testing.T) {
			m := findOne(t, g, tc.text, tc.surface)
			require.Equal(t, tc.wantEN, m.Place.NameEN)
			require.Equal(t, tc.kind, m.Place.Kind)
		})
	}
}

func TestFindHomonyms(t *testing.T) {
	g := gaz(t)
	m := findOne(t, g, "Находка — Цзилинь", "Цзилинь")
	require.Equal(t, twin.City, m.Place.Kind)
	require.NotEmpty(t, m.Alternatives)
	require.Equal(t, twin.Region, m.Alternatives[0].Kind)
	m = findOne(t, g, "в Москве", "Москве")
	require.Equal(t, twin.City, m.Place.Kind)
}

func TestFalsePlaces(t *testing.T) {
	g := gaz(t)
	t.Run("lower case common words never match", func(t *testing.T) {
		for _, s := range []string{"ценная находка", "орёл парил", "шахты закрыты", "мирное небо", "луга и бор"} {
			require.Empty(t, g.Find(s), s)
		}
	})
	t.Run("capitalised common words are ambiguous", func(t *testing.T) {
		for _, s := range []string{"Находка", "Владимир", "Мирный", "Королёв", "Жуковский", "Шахты", "Орла", "Nakhodka", "Пушкин"} {
			ms := g.Find(s)
			require.Len(t, ms, 1, s)
			require.True(t, ms[0].Ambiguous, s)
		}
	})
	t.Run("plain names are not ambiguous", func(t *testing.T) {
		for _, s := range []string{"Харбин", "Хабаровск", "Уфа", "Маньчжурия", "哈尔滨", "Vladivostok"} {
			ms := g.Find(s)
			require.Len(t, ms, 1, s)
			require.False(t, ms[0].Ambiguous, s)
		}
	})
	t.Run("han common words", func(t *testing.T) {
		for _, s := range []string{"双方合作", "中俄友谊", "东方", "和平发展", "友好城市"} {
			require.Empty(t, g.Find(s), s)
		}
	})
	t.Run("foreign han places", func(t *testing.T) {
		for _, s := range []string{"神户", "函馆", "札幌", "新潟", "釜山", "乌兰巴托", "乔巴山", "台北"} {
			for _, m := range g.Find(s) {
				require.True(t, m.Ambiguous, "%s -> %s", s, m.Place.ID)
			}
		}
	})
	t.Run("foreign homonyms", func(t *testing.T) {
		m := findOne(t, g, "Кировск", "Кировск")
		require.True(t, m.Ambiguous)
	})
	t.Run("word boundaries", func(t *testing.T) {
		require.Empty(t, g.Find("Омский"))     // adjective, not Омск
		require.Empty(t, g.Find("Харбинцы"))   // demonym
		require.Empty(t, g.Find("Perming"))    // not Perm
		require.Empty(t, g.Find("ВУфа"))       // glued
		require.Len(t, g.Find("(Уфа)"), 1)     // punctuation is a boundary
		require.Len(t, g.Find("哈尔滨Harbin"), 2) // Han next to Latin
	})
}

func TestLookup(t *testing.T) {
	g := gaz(t)
	tests := []struct {
		name   string
		wantID string
		kind   twin.PlaceKind
	}{
		{"Харбин", "gn:2037013", twin.City},
		{"哈尔滨市", "gn:2037013", twin.City},
		{"harbin", "gn:2037013", twin.City},
		{"Орел", "gn:515012", twin.City},
		{"吉林", "gn:2036502", twin.City},
		{"吉林省", "gn:2036500", twin.Region},
		{"Jilin City", "gn:2036502", twin.City},
		{"Kirovsk, Leningrad Oblast", "gn:548392", twin.City},
		{"Kirovsk, Murmansk Oblast", "gn:548391", twin.City},
		{"Perm, Russia", "gn:511196", twin.City},
		{"Chita, Zabaykalsky Krai", "gn:2025339", twin.City},
		{"Yulin, Shaanxi", "gn:1785777", twin.City},
		{"Xunke County", "gn:2035347", twin.City},
		{"逊克县", "gn:2035347", twin.City},
		{"逊克", "gn:2035347", twin.City},
		{"海参崴", "gn:2013348", twin.City},
		{"哈巴羅夫斯克", "gn:2022890", twin.City},
		{"Республика Саха (Якутия)", "gn:2013162", twin.Region},
		{"萨哈（雅库特）共和国", "gn:2013162", twin.Region},
		{"Чанджоу", "gn:1815456", twin.City},
		{"新疆维吾尔自治区", "gn:1529047", twin.Region},
		{"新疆", "gn:1529047", twin.Region},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ps := g.Lookup(tc.name)
			require.NotEmpty(t, ps)
			require.Equal(t, tc.wantID, ps[0].ID, "%+v", ps[0])
			require.Equal(t, tc.kind, ps[0].Kind)
		})
	}
	require.Nil(t, g.Lookup(""))
	require.Nil(t, g.Lookup("Atlantis"))
	require.Nil(t, g.Lookup("Харбине"), "case forms are not looked up")
}

func TestPalladius(t *testing.T) {
	tests := []struct{ in, want string }{
		{"ha er bin", "Харбин"},
		{"shuang ya shan", "Шуанъяшань"},
		{"chang an", "Чанъань"},
		{"xi an", "Сиань"},
		{"zhen jiang", "Чжэньцзян"},
		{"chang zhou", "Чанчжоу"},
		{"sui fen he", "Суйфэньхэ"},
		{"wu da lian chi", "Удаляньчи"},
		{"xun ke", "Сюнькэ"},
		{"qi qi ha er", "Цицикар"},
		{"shen yang", "Шэньян"},
		{"lü liang", "Люйлян"},
		{"lv liang", "Люйлян"},
		{"ju rong", "Цзюйжун"},
		{"xue", "Сюэ"},
		{"zi bo", "Цзыбо"},
		{"si chuan", "Сычуань"},
		{"ri zhao", "Жичжао"},
		{"hui zhou", "Хуэйчжоу"},
		{"gui lin", "Гуйлинь"},
		{"yu lin", "Юйлинь"},
		{"guo luo", "Голо"},
		{"wen ling", "Вэньлин"},
		{"yu huan", "Юйхуань"},
		{"Xi'an", "Сиань"},
		{"", ""},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			require.Equal(t, tc.want, Palladius(tc.in))
		})
	}
}

func TestDeclineName(t *testing.T) {
	tests := []struct {
		name    string
		foreign bool
		want    []string
	}{
		{"Орёл", false, []string{"орла", "орлу", "орлом", "орле"}},
		{"Елец", false, []string{"ельца", "ельцу", "ельцом", "ельце"}},
		{"Мытищи", false, []string{"мытищ", "мытищам", "мытищами", "мытищах"}},
		{"Химки", false, []string{"химок", "химках"}},
		{"Ростов-на-Дону", false, []string{"ростова-на-дону", "ростове-на-дону", "ростовом-на-дону"}},
		{"Гусь-Хрустальный", false, []string{"гуся-хрустального", "гусе-хрустальном"}},
		{"Сергиев Посад", false, []string{"сергиева посада", "сергиевом посаде", "сергиевым посадом"}},
		{"Республика Саха (Якутия)", false, []string{"республики саха (якутия)"}},
		{"Ханты-Мансийский автономный округ", false, []string{"ханты-мансийского автономного округа"}},
		{"Еврейская автономная область", false, []string{"еврейской автономной области", "еврейскую автономную область"}},
		{"Набережные Челны", false, []string{"набережных челнов", "набережных челнах"}},
		{"Цзилинь", true, []string{"цзилиня", "цзилине", "цзилинем"}},
		{"Чанша", true, []string{"чанши", "чанше", "чаншой"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := declineName(tc.name, tc.foreign)
			require.Equal(t, strings.ToLower(tc.name), got[0])
			for _, w := range tc.want {
				require.Contains(t, got, w)
			}
		})
	}
	for _, n := range []string{"Сочи", "Улан-Удэ", "Хух-Хото"} {
		require.Equal(t, []string{strings.ToLower(n)}, declineName(n, n != "Сочи"), n)
	}
}

// goldPath finds the corpus gold file: the repo copy, else the shared one.
func goldPath() string {
	for _, p := range []string{"../testdata/corpus/gold.jsonl"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return ""
}

// notInGazetteer are gold places the data does not cover (Russian
// municipal districts, see data/README.md "Not covered").
var notInGazetteer = map[string]bool{"Кукморский район": true, "Сабинский район": true}

func TestGoldPlaces(t *testing.T) {
	path := goldPath()
	if path == "" {
		t.Skip("corpus gold.jsonl not present")
	}
	g := gaz(t)
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	type gp struct{ RU, ZH, EN, Country, Kind string }
	type rec struct {
		Page       string
		Agreements []struct{ A, B gp }
		Events     []struct{ A, B gp }
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	seen := map[gp]bool{}
	for sc.Scan() {
		var r rec
		require.NoError(t, json.Unmarshal(sc.Bytes(), &r))
		var ps []gp
		for _, a := range r.Agreements {
			ps = append(ps, a.A, a.B)
		}
		for _, e := range r.Events {
			ps = append(ps, e.A, e.B)
		}
		for _, p := range ps {
			if seen[p] || notInGazetteer[p.RU] {
				continue
			}
			seen[p] = true
			found := false
			for _, n := range []string{p.RU, p.ZH, p.EN} {
				for _, c := range g.Lookup(n) {
					if string(c.Country) == p.Country && string(c.Kind) == p.Kind {
						found = true
					}
				}
			}
			require.True(t, found, "%s: %+v", r.Page, p)
		}
	}
	require.NoError(t, sc.Err())
	require.NotEmpty(t, seen)
}

func FuzzFind(f *testing.F) {
	for _, s := range []string{"в Ростове-на-Дону", "吉林省吉林市", "Kirin province", "Орла\u00a0", "\xff\xfeХарбин", "ё", "провинции Цзилинь"} {
		f.Add(s)
	}
	g, err := Load()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, s string) {
		prev := 0
		for _, m := range g.Find(s) {
			if m.Start < prev || m.End <= m.Start || m.End > len(s) || s[m.Start:m.End] != m.Surface {
				t.Fatalf("bad mention %+v in %q", m, s)
			}
			if utf8.ValidString(s) && !utf8.ValidString(m.Surface) {
				t.Fatalf("split rune: %+v", m)
			}
			if m.Place.ID == "" {
				t.Fatalf("no place: %+v", m)
			}
			prev = m.End
		}
		_ = g.Lookup(s)
		_ = Palladius(s)
	})
}

// benchText builds about 100 KB of mixed Russian, Chinese and English text.
func benchText() string {
	parts := []string{
		"Делегация Уфы во главе с мэром прибыла в Цицикар, где подписан меморандум о побратимстве с Харбином и Свердловской областью. ",
		"Губернатор Приморского края встретился с делегацией провинции Хэйлунцзян в Комсомольске-на-Амуре; обсуждались поставки зерна и туризм. ",
		"2024年6月1日，德阳市代表团访问弗拉基米尔州，双方签署友好城市合作备忘录，黑龙江省与阿穆尔州的交流不断深化。",
		"Officials from Jilin City and Nakhodka marked 30 years of sister-city ties; the Heilongjiang Province delegation also visited Khabarovsk. ",
		"Обычный текст без названий мест, который тоже должен быстро пропускаться: новости, погода, спорт, культура и экономика региона. ",
	}
	var b strings.Builder
	for b.Len() < 100_000 {
		for _, p := range parts {
			b.WriteString(p)
		}
	}
	return b.String()
}

func BenchmarkFind(b *testing.B) {
	g := gaz(b)
	text := benchText()
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		_ = g.Find(text)
	}
}

func BenchmarkLoad(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}

// TestGoldPagesFind checks that Find sees every gold place on its page
// (the place itself or one of its homonyms among the alternatives).
func TestGoldPagesFind(t *testing.T) {
	path := goldPath()
	if path == "" {
		t.Skip("corpus gold.jsonl not present")
	}
	g := gaz(t)
	dir := strings.TrimSuffix(path, "gold.jsonl")
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	type gp struct{ RU, ZH, EN, Country, Kind string }
	type rec struct {
		Page       string
		Agreements []struct{ A, B gp }
		Events     []struct{ A, B gp }
	}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r rec
		require.NoError(t, json.Unmarshal(sc.Bytes(), &r))
		text := pageText(t, dir+r.Page)
		require.NotEmpty(t, text, r.Page)
		found := map[string]bool{}
		for _, m := range g.Find(text) {
			found[m.Place.ID] = true
			for _, a := range m.Alternatives {
				found[a.ID] = true
			}
		}
		var ps []gp
		for _, a := range r.Agreements {
			ps = append(ps, a.A, a.B)
		}
		for _, e := range r.Events {
			ps = append(ps, e.A, e.B)
		}
		for _, p := range ps {
			if notInGazetteer[p.RU] {
				continue
			}
			ok := false
			for _, n := range []string{p.RU, p.ZH, p.EN} {
				for _, c := range g.Lookup(n) {
					ok = ok || found[c.ID] && string(c.Kind) == p.Kind
				}
			}
			require.True(t, ok, "%s: %s / %s / %s not found", r.Page, p.RU, p.ZH, p.EN)
		}
	}
	require.NoError(t, sc.Err())
}

func TestEmbeddedAttribution(t *testing.T) {
	readme, err := dataFS.ReadFile("data/README.md")
	require.NoError(t, err)
	require.Contains(t, string(readme), "CC BY 4.0")
	require.Contains(t, string(readme), "www.geonames.org")
}

func TestConcurrentFind(t *testing.T) {
	g := gaz(t)
	text := benchText()[:5000]
	want := g.Find(text)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			got := g.Find(text)
			if len(got) != len(want) {
				t.Errorf("got %d mentions, want %d", len(got), len(want))
			}
		})
	}
	wg.Wait()
}
