package htmldoc

import (
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/twinwatch/twinwatch/parser/dates"
	"github.com/twinwatch/twinwatch/twin"
)

// extract builds the Doc of a parsed HTML tree.
func extract(root *html.Node, h Hints) (*Doc, string) {
	a := newAnalysis(root)
	// One pass over the body without chrome; content runs are the runs
	// inside the chosen containers, so the body is segmented only once.
	all := segmenter{a: a, skipBoiler: true}
	all.segment(a.body, segState{owner: a.body})

	var containers []*html.Node
	var runs []run
	bySelector := false
	if nodes := selectAll(root, h.Selectors.Body); len(nodes) > 0 {
		containers, bySelector = nodes, true
		content := segmenter{a: a, skipBoiler: true}
		for _, c := range containers {
			content.segment(c, segState{owner: c})
		}
		runs = content.runs
	} else {
		containers = a.chooseContent(all.runs)
		in := map[*html.Node]bool{}
		for _, c := range containers {
			in[c] = true
		}
		runs = make([]run, 0, len(all.runs))
		for i := range all.runs {
			if insideAny(all.runs[i].owner, in) {
				runs = append(runs, all.runs[i])
			}
		}
	}

	d := &Doc{}
	d.Title = a.pageTitle(h.Selectors.Title)
	d.Blocks = blocksOf(runs, d.Title, bySelector)
	d.Published, d.PublishedSource = a.published(h, all.runs, containers)
	return d, a.docLang
}

// insideAny reports whether n is one of set or inside one.
func insideAny(n *html.Node, set map[*html.Node]bool) bool {
	for d := 0; n != nil && d <= maxDepth+8; n, d = n.Parent, d+1 {
		if set[n] {
			return true
		}
	}
	return false
}

// blocksOf turns content runs into blocks: link lists and the repeated
// title go.
func blocksOf(runs []run, title string, bySelector bool) []Block {
	normTitle := strings.ToLower(title)
	titleRunes := runeCount(title)
	out := make([]Block, 0, len(runs))
	kept := false
	for i := range runs {
		r := &runs[i]
		if r.text == "" {
			continue
		}
		if r.kind != TableRow && r.kind != TableHeader {
			if !bySelector && (r.linkDensity() > 0.5 || isBreadcrumb(r.text)) {
				continue
			}
			// ToLower maps rune by rune: texts of another rune count differ.
			if normTitle != "" && len(r.text) >= titleRunes && len(r.text) <= utf8.UTFMax*titleRunes && runeCount(r.text) == titleRunes && strings.ToLower(r.text) == normTitle {
				continue
			}
		}
		kept = true
		out = append(out, Block{Kind: r.kind, Text: r.text, Cells: r.cells, Header: r.header})
	}
	// A heading with nothing after it ("Читайте также") heads chrome.
	for !bySelector && len(out) > 0 && out[len(out)-1].Kind == Heading {
		out = out[:len(out)-1]
	}
	if !kept {
		return nil
	}
	return out
}

var breadcrumbPrefixes = []string{"当前位置", "您当前的位置", "您的位置", "当前的位置", "現在位置", "Вы здесь", "Вы находитесь", "You are here"}

// isBreadcrumb reports a "Home > Section > Page" trail.
func isBreadcrumb(s string) bool {
	for _, p := range breadcrumbPrefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	if strings.IndexByte(s, '>') < 0 && strings.IndexByte(s, '/') < 0 && !strings.Contains(s, "»") &&
		!strings.Contains(s, "→") && !strings.Contains(s, "＞") {
		return false // no separator
	}
	if len(s) > 150 && runeCount(s) > 150 {
		return false
	}
	n := 0
	for _, sep := range []string{" > ", " » ", " / ", " → ", "＞", " >> "} {
		n += strings.Count(s, sep)
	}
	return n >= 2
}

// titleSeparators split "Article — Site" titles.
var titleSeparators = regexp.MustCompile(` (?:-{1,2}|—|–|\||::|·|»|_) |_`)

// pageTitle: the selector's match; else the h1 that agrees with <title>
// or og:title; else og:title; else the first h1; else the longest part of
// <title>.
func (a *analysis) pageTitle(sel string) string {
	if nodes := selectAll(a.root, sel); len(nodes) > 0 {
		if t := collapse(textOf(nodes[0], 0)); t != "" {
			return t
		}
	}
	og := ""
	for _, m := range a.metas {
		if m.key == "og:title" || m.key == "twitter:title" {
			og = collapse(m.val)
			break
		}
	}
	var h1s []string
	for _, n := range a.h1s {
		boiler := false
		for p := n; p != nil; p = p.Parent {
			if a.isBoiler(p) {
				boiler = true
				break
			}
		}
		if t := collapse(textOf(n, 0)); t != "" && !boiler && runeCount(t) <= 400 {
			h1s = append(h1s, t)
		}
	}
	lt, lo := strings.ToLower(a.title), strings.ToLower(og)
	agreeing := ""
	for _, t := range h1s {
		l := strings.ToLower(t)
		if (lt != "" && strings.Contains(lt, l)) || (lo != "" && (strings.Contains(lo, l) || strings.Contains(l, lo))) {
			if runeCount(t) > runeCount(agreeing) {
				agreeing = t
			}
		}
	}
	if agreeing != "" {
		return agreeing
	}
	if og != "" {
		return og
	}
	if len(h1s) > 0 {
		return h1s[0]
	}
	// No h1: a lower heading or a "title" element whose text is most of <title>.
	if t := a.headingInTitle(); t != "" {
		return t
	}
	best := ""
	for _, part := range titleSeparators.Split(a.title, -1) {
		part = strings.TrimSpace(part)
		if runeCount(part) > runeCount(best) {
			best = part
		}
	}
	return best
}

// headingInTitle returns the longest h2/h3 or class "title" text that
// <title> contains and that makes up at least 40% of it.
func (a *analysis) headingInTitle() string {
	lt := strings.ToLower(a.title)
	if lt == "" {
		return ""
	}
	best := ""
	var walk func(n *html.Node, depth int)
	walk = func(n *html.Node, depth int) {
		if depth > maxDepth {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || skipTag(c.DataAtom) || a.isBoiler(c) {
				continue
			}
			if c.DataAtom == atom.H2 || c.DataAtom == atom.H3 || classWords(c, func(w string) bool { return w == "title" || w == "headline" }) {
				t := collapse(textOf(c, depth))
				if t != "" && strings.Contains(lt, strings.ToLower(t)) && runeCount(t)*5 >= runeCount(a.title)*2 && runeCount(t) > runeCount(best) {
					best = t
				}
				continue
			}
			walk(c, depth+1)
		}
	}
	walk(a.body, 0)
	return best
}

// Meta keys that carry a publication date, best first; modification dates
// count too ("publication or last update").
var metaDateKeys = []string{
	"article:published_time", "og:article:published_time", "og:published_time", "published_time",
	"datepublished", "pubdate", "publishdate", "publish-date", "publish_date", "publication_date",
	"dc.date.issued", "dcterms.issued", "dc.date", "dcterms.date", "date", "sailthru.date", "parsely-pub-date",
	"mediator_published_time", "article:modified_time", "og:updated_time", "datemodified", "last-modified", "lastmod",
}

var ldDateRe = regexp.MustCompile(`"(datePublished|dateCreated|uploadDate|dateModified)"\s*:\s*"([^"]{4,40})"`)

// labelRe finds CMS date labels: "Дата изменения:", "发布时间：", "Updated:".
// Group 2 holds weak labels, which count only at the start of a run or
// next to other CMS cues ("来源", "Source", "Автор").
var labelRe = regexp.MustCompile(`(?i)(дата\s+(?:последнего\s+)?(?:публикации|изменения|обновления|создания|размещения)|опубликовано|обновлено|размещено|последнее\s+обновление|发布时间|发布日期|发表时间|发布于|更新时间|更新日期|updated|published|posted|(日期|时间|release\s+date|date))\s*[:：]?`)

var cmsCues = []string{"来源", "來源", "作者", "浏览", "点击", "字号", "编辑", "Source", "source", "Editor", "Источник", "Автор", "Просмотр"}

func hasCMSCue(s string) bool {
	for _, c := range cmsCues {
		if strings.Contains(s, c) {
			return true
		}
	}
	return false
}

// truncRunes cuts s to at most n bytes at a rune boundary.
func truncRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// published finds the publication date: selector, meta tags, JSON-LD,
// microdata, <time datetime>, a labelled CMS line, a short byline with a
// full date, the URL, the hint — first hit wins. Years alone never count
// here, so "© 2024" footers cannot.
func (a *analysis) published(h Hints, all []run, containers []*html.Node) (twin.Date, string) {
	lang := h.Lang
	if nodes := selectAll(a.root, h.Selectors.Date); len(nodes) > 0 {
		for _, n := range nodes {
			for _, k := range []string{"datetime", "content", "title"} {
				if d, ok := dates.ParseOne(attr(n, k), lang); ok && d.Year != 0 {
					return d, "selector"
				}
			}
			if d, ok := firstFullDate(collapse(textOf(n, 0)), lang); ok {
				return d, "selector"
			}
		}
	}
	for _, key := range metaDateKeys {
		for _, m := range a.metas {
			if m.key != key {
				continue
			}
			if d, ok := dates.ParseOne(m.val, lang); ok && d.Precision() >= twin.PrecisionMonth {
				return d, "meta"
			}
		}
	}
	for _, field := range []string{"datePublished", "dateCreated", "uploadDate", "dateModified"} {
		for _, js := range a.ldJSON {
			for _, m := range ldDateRe.FindAllStringSubmatch(js, 8) {
				if m[1] != field {
					continue
				}
				if d, ok := dates.ParseOne(m[2], lang); ok && d.Precision() >= twin.PrecisionMonth {
					return d, "jsonld"
				}
			}
		}
	}
	for _, n := range a.props {
		for _, v := range []string{attr(n, "content"), attr(n, "datetime"), collapse(textOf(n, 0))} {
			if d, ok := dates.ParseOne(v, lang); ok && d.Precision() >= twin.PrecisionMonth {
				return d, "meta"
			}
		}
	}
	for _, n := range a.times {
		if a.inBoiler(n) || inLink(n) {
			continue
		}
		for _, v := range []string{attr(n, "datetime"), collapse(textOf(n, 0))} {
			if d, ok := dates.ParseOne(v, lang); ok && d.Precision() == twin.PrecisionDay {
				return d, "time"
			}
		}
	}
	if d, ok := bylineDate(all, containers, lang); ok {
		return d, "byline"
	}
	if d, ok := URLDate(h.URL); ok && d.Precision() >= h.Published.Precision() {
		return d, "url"
	}
	if !h.Published.IsZero() {
		return h.Published, "hint"
	}
	return twin.Date{}, ""
}

// bylineDate looks at short runs outside chrome: a date after a CMS label
// first, then the first full date of a byline-sized run, preferring runs
// near the main content.
func bylineDate(all []run, containers []*html.Node, lang string) (twin.Date, bool) {
	checked := 0
	for i := range all {
		r := &all[i]
		if r.boiler || r.runes > 300 || r.linkDensity() > 0.5 || !hasDigit(r.text) {
			continue
		}
		if checked++; checked > maxBylineRuns {
			break
		}
		for _, loc := range labelRe.FindAllStringSubmatchIndex(r.text, 4) {
			if loc[4] >= 0 && loc[0] > 0 && !hasCMSCue(r.text) {
				continue // a weak label ("时间", "date") inside a sentence
			}
			rest := truncRunes(r.text[loc[1]:], 120)
			ms := dates.Find(rest, lang, twin.Date{})
			if len(ms) > 0 && ms[0].Start <= 24 && ms[0].Date.Precision() == twin.PrecisionDay {
				return ms[0].Date, true
			}
		}
	}
	var areas []*html.Node
	for _, c := range containers {
		p := c
		for i := 0; i < 2 && p.Parent != nil; i++ {
			p = p.Parent
		}
		areas = append(areas, p)
	}
	inArea := func(n *html.Node) bool {
		for _, ar := range areas {
			if contains(ar, n) {
				return true
			}
		}
		return false
	}
	var fallback twin.Date
	checked = 0
	for i := range all {
		r := &all[i]
		if r.boiler || r.runes > 160 || r.linkDensity() > 0.5 || r.kind == TableRow || r.kind == TableHeader || !hasDigit(r.text) {
			continue
		}
		if checked++; checked > maxBylineRuns {
			break
		}
		d, ok := bylineLike(r.text, lang)
		if !ok {
			continue
		}
		if inArea(r.owner) {
			return d, true
		}
		if fallback.IsZero() {
			fallback = d
		}
	}
	return fallback, !fallback.IsZero()
}

// maxBylineRuns caps how many short runs with digits the byline search
// reads (bounded work on pages made of thousands of short blocks).
const maxBylineRuns = 300

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return strings.ContainsAny(s, "０１２３４５６７８９")
}

// bylineLike returns the first full date of s if s reads like a byline
// ("19 августа 2025, 09:15 · Автор: …", "By … | October 16, 2008",
// "2019-05-20 08:05:12 来源：…") rather than a sentence that happens to
// hold a date: little other text, no closing sentence punctuation.
func bylineLike(s, lang string) (twin.Date, bool) {
	var first *dates.Mention
	ms := dates.Find(s, lang, twin.Date{})
	for i := range ms {
		if ms[i].Date.Precision() == twin.PrecisionDay {
			first = &ms[i]
			break
		}
	}
	if first == nil {
		return twin.Date{}, false
	}
	t := strings.TrimSpace(s)
	if strings.HasSuffix(t, "。") || (strings.HasSuffix(t, ".") && !strings.HasSuffix(t, s[first.Start:first.End]+".")) || strings.HasSuffix(t, "!") || strings.HasSuffix(t, "?") {
		return twin.Date{}, false
	}
	letters := 0
	for i, r := range s {
		if i >= first.Start && i < first.End {
			continue
		}
		switch {
		case isCJK(r):
			letters += 2
		case unicode.IsLetter(r):
			letters++
		}
	}
	if letters > 60 {
		return twin.Date{}, false
	}
	return first.Date, true
}

// firstFullDate returns the first day-precision date in s.
func firstFullDate(s, lang string) (twin.Date, bool) {
	for _, m := range dates.Find(s, lang, twin.Date{}) {
		if m.Date.Precision() == twin.PrecisionDay {
			return m.Date, true
		}
	}
	return twin.Date{}, false
}

func (a *analysis) inBoiler(n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if a.isBoiler(p) {
			return true
		}
	}
	return false
}

func inLink(n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p.Type == html.ElementNode && p.Data == "a" {
			return true
		}
	}
	return false
}

// URL date patterns, most specific first.
var urlDateRes = []*regexp.Regexp{
	regexp.MustCompile(`(?:^|[/_\-.])((?:19|20)\d\d)[/\-_.]([01]?\d)[/\-_.]([0-3]?\d)(?:[/_\-.]|$)`), // /2015/05/22/, 2015-05-22, /2019-11/05/
	regexp.MustCompile(`(?:^|[/_\-.a-z])((?:19|20)\d\d)([01]\d)([0-3]\d)(?:[/_\-.a-zA-Z]|$)`),        // /20250819/, t20250707_, eng19990824X
	regexp.MustCompile(`/((?:19|20)\d\d)/([01]\d)([0-3]\d)/`),                                        // /2017/0923/
	regexp.MustCompile(`/((?:19|20)\d\d)([01]\d)/([0-3]\d)/`),                                        // /199908/24/
	regexp.MustCompile(`/((?:19|20)\d\d)[/\-]?([01]\d)/`),                                            // /2018/11/, /202509/ (month)
}

// URLDate reads a publication date from a URL path: "/2015/05/22/",
// "/20250819/", "2015-05-22", "/2017/1214/", "/199908/24/", "t20250707_";
// "/202509/" gives the month only. Query strings and fragments are
// ignored; ok is false when the URL carries no date.
func URLDate(u string) (twin.Date, bool) {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.IndexByte(u, '/'); j >= 0 {
			u = u[j:]
		} else {
			return twin.Date{}, false
		}
	}
	for i, re := range urlDateRes {
		m := re.FindStringSubmatch(u)
		if m == nil {
			continue
		}
		if i == len(urlDateRes)-1 {
			if d, ok := dates.ParseOne(m[1]+"-"+m[2], ""); ok {
				return d, true
			}
			continue
		}
		s := m[1] + "-" + pad2(m[2]) + "-" + pad2(m[3])
		if d, err := twin.ParseDate(s); err == nil {
			return d, true
		}
	}
	return twin.Date{}, false
}

func pad2(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

// ValidateSelectors reports a selector that does not compile; Parse
// ignores such a selector and falls back to generic extraction, so config
// validation should call this.
func ValidateSelectors(s twin.Selectors) error {
	for _, f := range []struct{ name, sel string }{{"title", s.Title}, {"date", s.Date}, {"body", s.Body}} {
		if strings.TrimSpace(f.sel) == "" {
			continue
		}
		if _, err := cascadia.ParseGroup(f.sel); err != nil {
			return &SelectorError{Field: f.name, Selector: f.sel, Err: err}
		}
	}
	return nil
}

// SelectorError is an invalid CSS selector in a source's Selectors.
type SelectorError struct {
	Field    string // "title", "date" or "body"
	Selector string
	Err      error
}

func (e *SelectorError) Error() string {
	return "htmldoc: selector " + e.Field + " " + strconv.Quote(e.Selector) + ": " + e.Err.Error()
}

// Unwrap returns the parser's error.
func (e *SelectorError) Unwrap() error { return e.Err }
