package demo

import "github.com/twinwatch/twinwatch/twin"

// Agreement is one relation the demo pages state. Places are named as in
// the reference data (English names); Established is as precise as the
// pages give it ("1993-06-15", "2011-02", "2009").
type Agreement struct {
	RU, CN      string
	Relation    twin.Relation
	Established string
	// New marks a signing reported as fresh news relative to Date (the
	// alert demo fires on it); the others are existing relations, some
	// reported as anniversaries.
	New bool
	// Pages are the URL paths that state the relation.
	Pages []string
}

// Event is one event between twinned places that a demo page reports.
type Event struct {
	Category twin.Category
	RU, CN   string
	Date     string // the day the event happens or happened, as the page gives it
	Page     string // URL path
}

// Expectation is what a full crawl of Sources should yield once the pipeline
// has run: for an end-to-end test (assert lower bounds: extraction is not
// perfect) and for the demo's README.
type Expectation struct {
	// Pages is how many pages the crawler publishes (14 articles and
	// lists); each becomes a row of the pages table. The 2 listing pages are
	// fetched for navigation but not published.
	Pages int
	// MinPages and MinAgreements are the lower bounds an end-to-end test
	// should assert (rows in ClickHouse, distinct agreement pairs).
	MinPages, MinAgreements int
	// Agreements are the relations the pages state, one per pair.
	Agreements []Agreement
	// Distractors are pairs on the pages that are not Russia–China
	// relations and must not become agreements.
	Distractors [][2]string
	// Events are the events the pages report.
	Events []Event
}

// Expected returns what the demo should yield. The facts behind existing
// relations come from the project's reference data
// (ru_cn_relations.tsv); the 2026 news (Fuyuan, the events) is invented for
// the demo.
func Expected() Expectation {
	const (
		khbNews  = "/khabarovsk/news/"
		khbTwins = "/khabarovsk/goroda-pobratimy/"
		blag     = "/blagoveshchensk/pobratimy.html"
		harbin   = "/harbin/wsb/yhcs.html"
	)
	return Expectation{
		Pages:         14,
		MinPages:      10,
		MinAgreements: 5,
		Agreements: []Agreement{
			{RU: "Khabarovsk", CN: "Fuyuan", Relation: twin.Twin, Established: "2026-11-19", New: true,
				Pages: []string{khbNews + "2026/11/20/fuyuan-pobratimy.html", "/hljnews/2026-11/20/fuyuan-habaluofusike.html", khbTwins}},
			{RU: "Khabarovsk", CN: "Weihai", Relation: twin.Twin, Established: "2025-11-17",
				Pages: []string{khbNews + "2026/11/18/weihai-delegatsiya.html", khbNews + "2026/11/12/gumanitarnaya-pomoshch.html", khbTwins}},
			{RU: "Khabarovsk", CN: "Harbin", Relation: twin.Twin, Established: "1993-06-15",
				Pages: []string{khbTwins, khbNews + "2026/10/28/dni-kultury-harbina.html", harbin, "/harbin-en/news/2026-11/khabarovsk-culture-festival.html"}},
			{RU: "Khabarovsk", CN: "Sanya", Relation: twin.Twin, Established: "2011-02",
				Pages: []string{khbNews + "2026/02/25/sanya-15-let.html", khbTwins}},
			{RU: "Blagoveshchensk", CN: "Heihe", Relation: twin.Twin, Established: "2009",
				Pages: []string{blag, "/dvvestnik/news/20261115-hockey-heihe.html"}},
			{RU: "Blagoveshchensk", CN: "Wudalianchi", Relation: twin.Twin, Established: "2003", Pages: []string{blag}},
			{RU: "Blagoveshchensk", CN: "Zhuhai", Relation: twin.Partner, Established: "2022-11-17", Pages: []string{blag}},
			{RU: "Sverdlovsk Oblast", CN: "Harbin", Relation: twin.Twin, Established: "1991-04-22", Pages: []string{harbin}},
			{RU: "Yakutsk", CN: "Harbin", Relation: twin.Twin, Established: "2007", Pages: []string{harbin}},
			{RU: "Murmansk", CN: "Harbin", Relation: twin.Twin, Established: "2016-09-09", Pages: []string{harbin}},
			{RU: "Vladivostok", CN: "Harbin", Relation: twin.Twin, Established: "2017-06-15", Pages: []string{harbin}},
			{RU: "Nizhny Novgorod", CN: "Harbin", Relation: twin.Partner, Established: "2022-11-24", Pages: []string{harbin}},
			{RU: "Irkutsk", CN: "Shenyang", Relation: twin.Twin, Established: "1992",
				Pages: []string{"/dvvestnik/news/20261110-irkutsk-shenyang-students.html"}},
			{RU: "Irkutsk", CN: "Manzhouli", Relation: twin.Twin, Established: "2025-08-18",
				Pages: []string{"/dvvestnik/news/20260818-irkutsk-manzhouli-god.html"}},
			{RU: "Yekaterinburg", CN: "Dalian", Relation: twin.Partner, Established: "2025-11-27",
				Pages: []string{"/dalian-en/news/2025-11/yekaterinburg-friendly-cooperation.html"}},
			{RU: "Vladivostok", CN: "Dalian", Relation: twin.Twin, Established: "1992",
				Pages: []string{"/dalian-en/news/2025-11/yekaterinburg-friendly-cooperation.html"}},
		},
		Distractors: [][2]string{{"Edmonton", "Harbin"}, {"Khabarovsk", "Niigata"}, {"Khabarovsk", "Portland"}},
		Events: []Event{
			{Category: twin.Delegation, RU: "Khabarovsk", CN: "Weihai", Date: "2026-11-18", Page: khbNews + "2026/11/18/weihai-delegatsiya.html"},
			{Category: twin.Humanitarian, RU: "Khabarovsk", CN: "Weihai", Date: "2026-11-12", Page: khbNews + "2026/11/12/gumanitarnaya-pomoshch.html"},
			{Category: twin.Culture, RU: "Khabarovsk", CN: "Harbin", Date: "2026-10-28", Page: khbNews + "2026/10/28/dni-kultury-harbina.html"},
			{Category: twin.Culture, RU: "Khabarovsk", CN: "Harbin", Date: "2026-11-05", Page: "/harbin-en/news/2026-11/khabarovsk-culture-festival.html"},
			{Category: twin.Sport, RU: "Blagoveshchensk", CN: "Heihe", Date: "2026-11-15", Page: "/dvvestnik/news/20261115-hockey-heihe.html"},
			{Category: twin.Education, RU: "Irkutsk", CN: "Shenyang", Date: "2026-11-10", Page: "/dvvestnik/news/20261110-irkutsk-shenyang-students.html"},
		},
	}
}
