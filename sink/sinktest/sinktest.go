// Package sinktest makes realistic synthetic observations for the sink's
// tests and benchmarks and for cmd/twinbench. It is deterministic: the same
// seed and index give the same observation, so a run can regenerate rows
// instead of holding them in memory.
package sinktest

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/twinwatch/twinwatch/twin"
)

var ruPlaces = []twin.Place{
	{ID: "gn:2022890", Country: twin.RU, Kind: twin.City, NameRU: "Хабаровск", NameZH: "哈巴罗夫斯克", NameEN: "Khabarovsk", Region: "Khabarovsk Krai"},
	{ID: "gn:2013348", Country: twin.RU, Kind: twin.City, NameRU: "Владивосток", NameZH: "符拉迪沃斯托克", NameEN: "Vladivostok", Region: "Primorsky Krai"},
	{ID: "gn:2026609", Country: twin.RU, Kind: twin.City, NameRU: "Благовещенск", NameZH: "布拉戈维申斯克", NameEN: "Blagoveshchensk", Region: "Amur Oblast"},
	{ID: "gn:2023469", Country: twin.RU, Kind: twin.City, NameRU: "Иркутск", NameZH: "伊尔库茨克", NameEN: "Irkutsk", Region: "Irkutsk Oblast"},
	{ID: "gn:1496747", Country: twin.RU, Kind: twin.City, NameRU: "Новосибирск", NameZH: "新西伯利亚", NameEN: "Novosibirsk", Region: "Novosibirsk Oblast"},
	{ID: "gn:542420", Country: twin.RU, Kind: twin.City, NameRU: "Краснодар", NameZH: "克拉斯诺达尔", NameEN: "Krasnodar", Region: "Krasnodar Krai"},
	{ID: "gn:1486209", Country: twin.RU, Kind: twin.City, NameRU: "Екатеринбург", NameZH: "叶卡捷琳堡", NameEN: "Yekaterinburg", Region: "Sverdlovsk Oblast"},
	{ID: "gn:551487", Country: twin.RU, Kind: twin.City, NameRU: "Казань", NameZH: "喀山", NameEN: "Kazan", Region: "Tatarstan"},
	{ID: "gn:498817", Country: twin.RU, Kind: twin.City, NameRU: "Санкт-Петербург", NameZH: "圣彼得堡", NameEN: "Saint Petersburg"},
	{ID: "gn:2025339", Country: twin.RU, Kind: twin.City, NameRU: "Чита", NameZH: "赤塔", NameEN: "Chita", Region: "Zabaykalsky Krai"},
	{ID: "gn:1490624", Country: twin.RU, Kind: twin.Region, NameRU: "Свердловская область", NameZH: "斯维尔德洛夫斯克州", NameEN: "Sverdlovsk Oblast"},
	{ID: "gn:1496745", Country: twin.RU, Kind: twin.Region, NameRU: "Новосибирская область", NameZH: "新西伯利亚州", NameEN: "Novosibirsk Oblast"},
}

var cnPlaces = []twin.Place{
	{ID: "gn:2037013", Country: twin.CN, Kind: twin.City, NameRU: "Харбин", NameZH: "哈尔滨", NameEN: "Harbin", Region: "Heilongjiang"},
	{ID: "gn:2038432", Country: twin.CN, Kind: twin.City, NameRU: "Хэйхэ", NameZH: "黑河", NameEN: "Heihe", Region: "Heilongjiang"},
	{ID: "gn:2036986", Country: twin.CN, Kind: twin.City, NameRU: "Шэньян", NameZH: "沈阳", NameEN: "Shenyang", Region: "Liaoning"},
	{ID: "gn:1529660", Country: twin.CN, Kind: twin.City, NameRU: "Маньчжурия", NameZH: "满洲里", NameEN: "Manzhouli", Region: "Inner Mongolia"},
	{ID: "gn:1795565", Country: twin.CN, Kind: twin.City, NameRU: "Шицзячжуан", NameZH: "石家庄", NameEN: "Shijiazhuang", Region: "Hebei"},
	{ID: "gn:1791247", Country: twin.CN, Kind: twin.City, NameRU: "Ухань", NameZH: "武汉", NameEN: "Wuhan", Region: "Hubei"},
	{ID: "gn:1808926", Country: twin.CN, Kind: twin.City, NameRU: "Ханчжоу", NameZH: "杭州", NameEN: "Hangzhou", Region: "Zhejiang"},
	{ID: "gn:1791388", Country: twin.CN, Kind: twin.City, NameRU: "Вэйхай", NameZH: "威海", NameEN: "Weihai", Region: "Shandong"},
	{ID: "gn:1785286", Country: twin.CN, Kind: twin.City, NameRU: "Цзыбо", NameZH: "淄博", NameEN: "Zibo", Region: "Shandong"},
	{ID: "gn:1796236", Country: twin.CN, Kind: twin.City, NameRU: "Шанхай", NameZH: "上海", NameEN: "Shanghai"},
	{ID: "gn:2036115", Country: twin.CN, Kind: twin.Region, NameRU: "Хэйлунцзян", NameZH: "黑龙江省", NameEN: "Heilongjiang"},
	{ID: "gn:2036115l", Country: twin.CN, Kind: twin.Region, NameRU: "Ляонин", NameZH: "辽宁省", NameEN: "Liaoning"},
}

var evidence = []string{
	"В ходе визита делегации %s и %s подписали соглашение об установлении побратимских связей, открывающее новые возможности для сотрудничества в сфере образования, культуры и туризма.",
	"Мэр города %s отметил, что за годы партнёрства с городом %s реализованы десятки совместных проектов, а товарооборот между регионами вырос в несколько раз.",
	"%s与%s于今日签署了建立友好城市关系的协议，双方将在经贸、文化、教育等领域开展务实合作。",
	"Delegations of %s and %s met to mark the anniversary of their sister-city relationship and agreed on a programme of student exchanges and a joint festival.",
}

var sources = []string{"khabarovskadm", "vladivostok-city", "harbin-gov", "irk-news", "tass-asia", "xinhua-ru"}

var extractors = []string{"parser/1.0.0", "parser/1.1.0"}

// Observation returns the i-th synthetic observation of seed: about 60%
// agreements and 40% events between a Russian and a Chinese place, each with
// a Russian, Chinese or English evidence sentence of 150-400 bytes, a source
// URL, dates and provenance. Every one passes Validate. Different i give
// different mention or event IDs.
func Observation(seed uint64, i int) twin.Observation {
	r := rand.New(rand.NewPCG(seed, uint64(i)))
	ru := ruPlaces[r.IntN(len(ruPlaces))]
	cn := cnPlaces[r.IntN(len(cnPlaces))]
	src := sources[r.IntN(len(sources))]
	url := fmt.Sprintf("https://%s.example/news/%d/%d-%d", src, 2000+r.IntN(26), seed, i)
	published := twin.Date{Year: 2000 + r.IntN(26), Month: 1 + r.IntN(12), Day: 1 + r.IntN(28)}
	var o twin.Observation
	if r.IntN(10) < 6 {
		rel := twin.Relations[r.IntN(len(twin.Relations))]
		st := twin.Statuses[r.IntN(len(twin.Statuses))]
		var est twin.Date
		switch r.IntN(4) {
		case 0:
			est = twin.YearDate(1988 + r.IntN(38))
		case 1:
			est = twin.MonthDate(1988+r.IntN(38), 1+r.IntN(12))
		case 2:
			est = twin.Date{Year: 1988 + r.IntN(38), Month: 1 + r.IntN(12), Day: 1 + r.IntN(28)}
		}
		o = twin.NewAgreement(ru, cn, rel, st, est, url)
	} else {
		c := twin.Categories[r.IntN(len(twin.Categories))]
		o = twin.NewEvent(ru, cn, c, twin.Date{Year: 2000 + r.IntN(26), Month: 1 + r.IntN(12)}, url)
	}
	lang := []string{"ru", "ru", "zh", "en"}[r.IntN(4)]
	o.Evidence = fmt.Sprintf(evidence[r.IntN(len(evidence))], ru.NameIn(lang), cn.NameIn(lang))
	o.Confidence = 0.5 + float64(r.IntN(50))/100
	o.Source = src
	o.Published = published
	o.Lang = lang
	o.Extractor = extractors[r.IntN(len(extractors))]
	o.Origin = twin.OriginCrawl
	o.SeenAt = time.Date(2026, 11, 1+r.IntN(24), r.IntN(24), r.IntN(60), r.IntN(60), 0, time.UTC)
	return o
}

// Observations returns Observation(seed, i) for i in [from, from+n).
func Observations(seed uint64, from, n int) []twin.Observation {
	out := make([]twin.Observation, n)
	for i := range out {
		out[i] = Observation(seed, from+i)
	}
	return out
}

// Page returns the i-th synthetic page of seed, with a body of about size bytes.
func Page(seed uint64, i, size int) twin.Page {
	body := make([]byte, 0, size+64)
	body = append(body, "<html><body><p>"...)
	for len(body) < size {
		body = append(body, "Города-побратимы: Харбин (КНР) — с 1993 г. "...)
	}
	body = append(body, "</p></body></html>"...)
	return twin.Page{
		V: twin.Version, Source: sources[i%len(sources)],
		URL:         fmt.Sprintf("https://%s.example/page/%d/%d", sources[i%len(sources)], seed, i),
		Status:      200,
		FetchedAt:   time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC).Add(time.Duration(i) * time.Second),
		ContentType: "text/html; charset=utf-8", Charset: "utf-8", Lang: "ru",
		ContentHash: twin.ContentHash(body), Body: string(body),
	}
}
