package htmldoc

import (
	"strings"
	"unicode"

	"github.com/andybalholm/cascadia"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// analysis holds per-document state of one Parse call.
type analysis struct {
	root, body *html.Node
	h1Anc      map[*html.Node]bool // ancestors of h1 elements
	boiler     map[*html.Node]bool // cache of isBoiler

	title   string       // <title>
	metas   []metaTag    // every <meta> with a name/property/itemprop and content
	ldJSON  []string     // application/ld+json script texts
	times   []*html.Node // <time> elements
	props   []*html.Node // elements with itemprop=datePublished/dateModified
	h1s     []*html.Node // h1 elements in document order
	docLang string       // <html lang>
}

type metaTag struct{ key, val string }

func newAnalysis(root *html.Node) *analysis {
	a := &analysis{root: root, h1Anc: map[*html.Node]bool{}, boiler: map[*html.Node]bool{}}
	a.collect(root, 0)
	if a.body == nil {
		a.body = root
	}
	for _, h := range a.h1s {
		for p := h; p != nil && !a.h1Anc[p]; p = p.Parent {
			a.h1Anc[p] = true
		}
	}
	return a
}

// collect gathers metadata elements in one pass over the whole tree.
func (a *analysis) collect(n *html.Node, depth int) {
	if depth > maxDepth {
		return
	}
	if n.Type == html.ElementNode {
		switch n.DataAtom {
		case atom.Html:
			if a.docLang == "" {
				a.docLang = attr(n, "lang")
			}
		case atom.Body:
			if a.body == nil {
				a.body = n
			}
		case atom.Title:
			if a.title == "" {
				a.title = collapse(textOf(n, depth))
			}
			return
		case atom.Meta:
			key := attr(n, "property")
			if key == "" {
				key = attr(n, "name")
			}
			if key == "" {
				key = attr(n, "itemprop")
			}
			if key == "" {
				key = attr(n, "http-equiv")
			}
			if v := attr(n, "content"); key != "" && v != "" {
				a.metas = append(a.metas, metaTag{strings.ToLower(key), v})
			}
		case atom.Script:
			if strings.Contains(strings.ToLower(attr(n, "type")), "ld+json") && n.FirstChild != nil {
				a.ldJSON = append(a.ldJSON, n.FirstChild.Data)
			}
			return
		case atom.Style, atom.Template:
			return
		case atom.Time:
			a.times = append(a.times, n)
		case atom.H1:
			a.h1s = append(a.h1s, n)
		}
		if ip := strings.ToLower(attr(n, "itemprop")); ip == "datepublished" || ip == "datemodified" || ip == "datecreated" {
			a.props = append(a.props, n)
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		a.collect(c, depth+1)
	}
}

// Class and id words that mark boilerplate, and words that mark content.
var (
	boilerWords = wordSet("nav navbar navigation menu topmenu mainmenu submenu sidebar side aside col-side footer foot ftr " +
		"header head masthead topbar toolbar breadcrumb breadcrumbs crumbs crumb dqwz location position " +
		"comment comments commentlist discuss reply respond disqus related relate xiangguan xg also readalso seealso " +
		"recommend recommended popular hot rank ranking trending mostread share sharing social sns banner ad ads " +
		"advert advertisement adv promo sponsor reklama widget tags tag keywords pager pagination pages prevnext " +
		"subscribe newsletter cookie cookies login signin search weather logo copyright bottom lmt pos rubric rubrics")
	contentWords = wordSet("article articles content contents body text txt entry post story main detail details zw " +
		"zhengwen con cont editor newsbody maintext lead")
)

func wordSet(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

// classWords splits class and id into lower-case words ("news-body__text"
// → news, body, text), calling f until it returns true.
func classWords(n *html.Node, f func(string) bool) bool {
	for _, at := range n.Attr {
		if at.Key != "class" && at.Key != "id" {
			continue
		}
		v := strings.ToLower(at.Val)
		start := -1
		for i := 0; i <= len(v); i++ {
			alnum := i < len(v) && (v[i] >= 'a' && v[i] <= 'z' || v[i] >= '0' && v[i] <= '9')
			if alnum && start < 0 {
				start = i
			}
			if !alnum && start >= 0 {
				if f(v[start:i]) {
					return true
				}
				start = -1
			}
		}
	}
	return false
}

// isBoiler reports whether n (not its ancestors) is site chrome:
// navigation, sidebars, footers, related links, comments. An element that
// holds an h1 is not chrome unless it is nav, aside or footer.
func (a *analysis) isBoiler(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	if v, ok := a.boiler[n]; ok {
		return v
	}
	v := a.computeBoiler(n)
	a.boiler[n] = v
	return v
}

func (a *analysis) computeBoiler(n *html.Node) bool {
	switch n.DataAtom {
	case atom.Nav, atom.Aside, atom.Footer, atom.Menu, atom.Dialog:
		return true
	case atom.Body, atom.Html, atom.Main, atom.Article:
		return false
	case atom.Header:
		// A page's header is chrome; an article's header holds its title
		// and byline.
		if !a.h1Anc[n] && !hasAncestor(n, atom.Article) {
			return true
		}
	}
	if _, hidden := attrOK(n, "hidden"); hidden {
		return true
	}
	if st := strings.ToLower(attr(n, "style")); strings.Contains(st, "display:none") || strings.Contains(st, "display: none") {
		return true
	}
	switch strings.ToLower(attr(n, "role")) {
	case "navigation", "banner", "contentinfo", "complementary", "menu", "menubar", "search":
		if !a.h1Anc[n] {
			return true
		}
	}
	if a.h1Anc[n] {
		return false
	}
	return classWords(n, func(w string) bool { return boilerWords[w] })
}

func hasAncestor(n *html.Node, a atom.Atom) bool {
	for p, d := n.Parent, 0; p != nil && d < maxDepth; p, d = p.Parent, d+1 {
		if p.DataAtom == a {
			return true
		}
	}
	return false
}

func attrOK(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// classWeight is readability's class/id weight.
func classWeight(n *html.Node) float64 {
	w := 0.0
	if classWords(n, func(s string) bool { return contentWords[s] }) {
		w += 25
	}
	if classWords(n, func(s string) bool { return boilerWords[s] }) {
		w -= 25
	}
	switch n.DataAtom {
	case atom.Article, atom.Main:
		w += 10
	}
	return w
}

type nstat struct {
	runes, links int
	score        float64
	scored       bool
}

// chooseContent picks the main-content elements readability-style: every
// qualifying run scores its container and, less, the container's
// ancestors; the best container (weighted by link density and class
// names) wins, together with siblings that look like content.
func (a *analysis) chooseContent(all []run) []*html.Node {
	stats := map[*html.Node]*nstat{}
	get := func(n *html.Node) *nstat {
		s := stats[n]
		if s == nil {
			s = &nstat{}
			stats[n] = s
		}
		return s
	}
	stop := a.body.Parent
	for i := range all {
		r := &all[i]
		if r.boiler {
			continue
		}
		for n, d := r.owner, 0; n != nil && n != stop && d < maxDepth; n, d = n.Parent, d+1 {
			s := get(n)
			s.runes += r.runes
			s.links += r.linkRunes
		}
	}
	var order []*html.Node
	for i := range all {
		r := &all[i]
		if r.boiler || r.linkDensity() > 0.5 {
			continue
		}
		if r.weight < 20 && !(r.kind == TableRow && len(r.cells) >= 2) {
			continue
		}
		contrib := 1 + float64(commas(r.text)) + min(r.weight/100, 3)
		target := scoreTarget(r.owner)
		divs := [...]float64{1, 2, 6}
		for lvl, n := 0, target; n != nil && n != stop && lvl < len(divs); lvl, n = lvl+1, n.Parent {
			s := get(n)
			if !s.scored {
				s.scored = true
				order = append(order, n)
			}
			s.score += contrib / divs[lvl]
		}
	}
	final := func(n *html.Node) float64 {
		s := stats[n]
		if s == nil || !s.scored {
			return 0
		}
		ld := 0.0
		if s.runes > 0 {
			ld = float64(s.links) / float64(s.runes)
		}
		return s.score*(1-ld) + classWeight(n)
	}
	var top *html.Node
	best := 0.0
	for _, n := range order {
		if f := final(n); top == nil || f > best {
			top, best = n, f
		}
	}
	if top == nil {
		return []*html.Node{a.body}
	}
	parent := top.Parent
	if top == a.body || parent == nil || parent == stop {
		return []*html.Node{top}
	}
	threshold := max(10, best*0.2)
	var out []*html.Node
	for c := parent.FirstChild; c != nil; c = c.NextSibling {
		if c == top {
			out = append(out, c)
			continue
		}
		if c.Type != html.ElementNode || a.isBoiler(c) || skipTag(c.DataAtom) {
			continue
		}
		s := stats[c]
		if s == nil || s.runes == 0 {
			continue
		}
		ld := float64(s.links) / float64(s.runes)
		if s.scored && final(c) >= threshold {
			out = append(out, c)
			continue
		}
		if ld >= 0.25 {
			continue
		}
		switch {
		case c.DataAtom == atom.P || c.DataAtom == atom.Blockquote || c.DataAtom == atom.Pre:
			if s.runes >= 40 || endsSentence(textOf(c, 0)) {
				out = append(out, c)
			}
		case c.DataAtom == atom.Table || c.DataAtom == atom.Ul || c.DataAtom == atom.Ol:
			if ld < 0.5 && s.runes >= 20 {
				out = append(out, c)
			}
		case classWords(c, func(w string) bool {
			return w == "lead" || w == "intro" || w == "anons" || w == "summary" || w == "subtitle" || w == "annotation"
		}):
			out = append(out, c)
		}
	}
	return out
}

// scoreTarget is the element a run's score goes to: the parent of a
// paragraph-like element, the holder of a list or table, or the element
// holding loose text itself.
func scoreTarget(owner *html.Node) *html.Node {
	n := owner
	switch n.DataAtom {
	case atom.P, atom.Pre, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Li, atom.Dd, atom.Dt,
		atom.Blockquote, atom.Caption, atom.Figcaption, atom.Tr:
		n = n.Parent
	}
	for n != nil && n.Parent != nil {
		switch n.DataAtom {
		case atom.Ul, atom.Ol, atom.Dl, atom.Table, atom.Tbody, atom.Thead, atom.Tfoot, atom.Tr:
			n = n.Parent
			continue
		}
		break
	}
	return n
}

func commas(s string) int {
	// Byte counts equal rune counts: a UTF-8 sequence never starts inside another.
	return strings.Count(s, ",") + strings.Count(s, "，") + strings.Count(s, "、") + strings.Count(s, "。")
}

func endsSentence(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasSuffix(s, ".") || strings.HasSuffix(s, "。") || strings.HasSuffix(s, "!") || strings.HasSuffix(s, "?") || strings.HasSuffix(s, "»")
}

// textOf returns the raw text of n's subtree (scripts and styles left out).
func textOf(n *html.Node, depth int) string {
	var b strings.Builder
	var walk func(*html.Node, int)
	walk = func(n *html.Node, d int) {
		if d > maxDepth || b.Len() > 1<<16 {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			switch c.Type {
			case html.TextNode:
				b.WriteString(c.Data)
			case html.ElementNode:
				if c.DataAtom == atom.Script || c.DataAtom == atom.Style || c.DataAtom == atom.Template {
					continue
				}
				if c.DataAtom == atom.Br || isBlock(c.DataAtom) {
					b.WriteByte(' ')
				}
				walk(c, d+1)
			}
		}
	}
	walk(n, depth)
	return b.String()
}

// collapse trims s and collapses runs of white space into one space.
func collapse(s string) string {
	var b strings.Builder
	space := false
	for _, r := range s {
		if unicode.IsSpace(r) || r == '\u00a0' || r == '\u3000' {
			space = b.Len() > 0
			continue
		}
		if space {
			b.WriteByte(' ')
			space = false
		}
		b.WriteRune(r)
	}
	return b.String()
}

// selectAll returns the nodes sel matches in document order, without
// nodes nested in an earlier match; nil for an empty or invalid selector.
func selectAll(root *html.Node, sel string) []*html.Node {
	if strings.TrimSpace(sel) == "" {
		return nil
	}
	g, err := cascadia.ParseGroup(sel)
	if err != nil {
		return nil
	}
	var out []*html.Node
	for _, n := range cascadia.QueryAll(root, g) {
		nested := false
		for _, o := range out {
			if contains(o, n) {
				nested = true
				break
			}
		}
		if !nested {
			out = append(out, n)
		}
	}
	return out
}

func contains(anc, n *html.Node) bool {
	for p := n; p != nil; p = p.Parent {
		if p == anc {
			return true
		}
	}
	return false
}
