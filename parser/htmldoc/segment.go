package htmldoc

import (
	"github.com/twinwatch/twinwatch/parser/internal/runes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// run is one block-level unit of text found by the segmenter.
type run struct {
	kind      BlockKind
	text      string
	cells     []string
	header    []string
	owner     *html.Node // the element the text belongs to (p, li, tr, or the div holding loose text)
	boiler    bool       // inside navigation, sidebar, footer, comments ...
	runes     int
	linkRunes int
	weight    float64 // length with CJK characters counted 2.5 times
}

func (r *run) linkDensity() float64 {
	if r.runes == 0 {
		return 0
	}
	return float64(r.linkRunes) / float64(r.runes)
}

// segState is what a subtree inherits.
type segState struct {
	kind   BlockKind
	owner  *html.Node
	boiler bool
	link   bool
	pre    bool
}

// segmenter splits a subtree into runs: each block element (p, li, h1–h6,
// tr of a data table ...) and each stretch of loose text between block
// elements or <br> becomes one run.
type segmenter struct {
	a          *analysis
	skipBoiler bool // content mode: boilerplate subtrees are left out
	runs       []run

	buf          []byte
	pendingSpace bool
	st           segState
	runes, links int
	weight       float64
}

func (s *segmenter) write(text string, st segState) {
	for i := 0; i < len(text); {
		c := text[i]
		r, size := rune(c), 1
		if c < utf8.RuneSelf {
			if c == ' ' || ('\t' <= c && c <= '\r') {
				if len(s.buf) > 0 {
					s.pendingSpace = true
				}
				i++
				continue
			}
		} else {
			r, size = runes.Decode(text, i)
			if r == '\u200b' || r == '\ufeff' {
				i += size
				continue
			}
			if isSpace(r) {
				if len(s.buf) > 0 {
					s.pendingSpace = true
				}
				i += size
				continue
			}
		}
		if len(s.buf) == 0 {
			s.st = st
		}
		if s.pendingSpace {
			s.buf = append(s.buf, ' ')
			s.pendingSpace = false
		}
		switch {
		case size == 1 && r < utf8.RuneSelf:
			s.buf = append(s.buf, c)
		case r == utf8.RuneError && size == 1:
			s.buf = utf8.AppendRune(s.buf, r) // a byte that is not UTF-8 becomes U+FFFD
		default:
			s.buf = append(s.buf, text[i:i+size]...)
		}
		i += size
		s.runes++
		w := 1.0
		if isCJK(r) {
			w = 2.5
		}
		s.weight += w
		if st.link {
			s.links++
		}
	}
}

func (s *segmenter) flush() {
	if len(s.buf) > 0 && len(s.runs) < maxBlocks {
		s.runs = append(s.runs, run{
			kind: s.st.kind, text: string(s.buf), owner: s.st.owner, boiler: s.st.boiler,
			runes: s.runes, linkRunes: s.links, weight: s.weight,
		})
	}
	s.buf = s.buf[:0] // reused: each run copies its text once
	s.pendingSpace = false
	s.runes, s.links, s.weight = 0, 0, 0
}

// segment appends the runs of n's subtree; st is what n inherits.
func (s *segmenter) segment(n *html.Node, st segState) {
	s.walk(n, st, 0, true)
	s.flush()
}

func (s *segmenter) walk(n *html.Node, st segState, depth int, root bool) {
	if depth > maxDepth || len(s.runs) >= maxBlocks {
		return
	}
	switch n.Type {
	case html.TextNode:
		s.write(n.Data, st)
		return
	case html.ElementNode:
	case html.DocumentNode:
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			s.walk(c, st, depth+1, false)
		}
		return
	default:
		return
	}
	if skipTag(n.DataAtom) {
		return
	}
	if !root || !s.skipBoiler {
		if s.a.isBoiler(n) {
			st.boiler = true
		}
	}
	if st.boiler && s.skipBoiler {
		return
	}
	switch n.DataAtom {
	case atom.Br, atom.Hr:
		s.flush()
		return
	case atom.A:
		st.link = true
	case atom.Table:
		s.flush()
		if s.table(n, st, depth) {
			return
		}
	}
	block := isBlock(n.DataAtom)
	if block {
		s.flush()
		st.owner = n
		switch n.DataAtom {
		case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
			st.kind = Heading
		case atom.Li, atom.Dd, atom.Dt:
			st.kind = ListItem
		case atom.Caption, atom.Figcaption:
			st.kind = Caption
		case atom.Blockquote:
			st.kind = Quote
		case atom.P, atom.Pre:
			if st.kind != ListItem && st.kind != Quote && st.kind != Caption {
				st.kind = Paragraph
			}
			st.pre = n.DataAtom == atom.Pre
		}
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		s.walk(c, st, depth+1, false)
	}
	if block {
		s.flush()
	}
}

// table emits the rows of a data table and reports whether it did; a
// layout table (nested tables, long cells, a single column) is left to the
// generic walk.
func (s *segmenter) table(t *html.Node, st segState, depth int) bool {
	rows := tableRows(t)
	if len(rows) == 0 {
		return false
	}
	type rowCells struct {
		tr    *html.Node
		cells []string
		bold  []bool
		th    []bool
		links int
		runes int
	}
	var rs []rowCells
	maxCols := 0
	for _, tr := range rows {
		var rc rowCells
		rc.tr = tr
		for c := tr.FirstChild; c != nil; c = c.NextSibling {
			if c.Type != html.ElementNode || (c.DataAtom != atom.Td && c.DataAtom != atom.Th) {
				continue
			}
			ct := cellText{a: s.a}
			if ct.nested(c, depth) {
				return false
			}
			ct.collect(c, false, depth)
			text := strings.TrimSpace(ct.b.String())
			if ct.runes > 300 {
				return false
			}
			rc.cells = append(rc.cells, text)
			rc.bold = append(rc.bold, text != "" && ct.boldRunes == ct.runes)
			rc.th = append(rc.th, c.DataAtom == atom.Th)
			rc.links += ct.links
			rc.runes += ct.runes
		}
		maxCols = max(maxCols, len(rc.cells))
		rs = append(rs, rc)
	}
	if maxCols < 2 {
		return false
	}
	if cap := firstChildAtom(t, atom.Caption); cap != nil {
		s.walk(cap, segState{kind: Caption, owner: cap, boiler: st.boiler}, depth+1, false)
		s.flush()
	}
	// Header row: in thead, all th, all bold, or set apart by a background
	// while the next row is not.
	var header []string
	start := 0
	first := rs[0]
	allTrue := func(v []bool) bool {
		for _, x := range v {
			if !x {
				return false
			}
		}
		return len(v) > 0
	}
	isHeader := (first.tr.Parent != nil && first.tr.Parent.DataAtom == atom.Thead) || allTrue(first.th) || allTrue(first.bold)
	if !isHeader && len(rs) > 1 && attr(first.tr, "bgcolor") != "" && attr(rs[1].tr, "bgcolor") == "" {
		isHeader = true
	}
	if isHeader && len(rs) > 1 {
		header = first.cells
		start = 1
		s.runs = append(s.runs, s.rowRun(TableHeader, first.tr, header, nil, st.boiler, first.runes, first.links))
	}
	for _, rc := range rs[start:] {
		empty := true
		for _, c := range rc.cells {
			if c != "" {
				empty = false
				break
			}
		}
		if empty || len(s.runs) >= maxBlocks {
			continue
		}
		s.runs = append(s.runs, s.rowRun(TableRow, rc.tr, rc.cells, header, st.boiler, rc.runes, rc.links))
	}
	return true
}

func (s *segmenter) rowRun(k BlockKind, tr *html.Node, cells, header []string, boiler bool, runes, links int) run {
	var nonEmpty []string
	for _, c := range cells {
		if c != "" {
			nonEmpty = append(nonEmpty, c)
		}
	}
	text := strings.Join(nonEmpty, " | ")
	w := 0.0
	for _, r := range text {
		if isCJK(r) {
			w += 2.5
		} else if !unicode.IsSpace(r) && r != '|' {
			w++
		}
	}
	return run{kind: k, text: text, cells: cells, header: header, owner: tr, boiler: boiler, runes: runes, linkRunes: links, weight: w}
}

// cellText gathers one table cell's text.
type cellText struct {
	a                       *analysis
	b                       strings.Builder
	space                   bool
	runes, links, boldRunes int
}

func (c *cellText) nested(n *html.Node, depth int) bool {
	if depth > maxDepth {
		return false
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		if ch.Type == html.ElementNode && (ch.DataAtom == atom.Table || c.nested(ch, depth+1)) {
			return true
		}
	}
	return false
}

func (c *cellText) collect(n *html.Node, link bool, depth int) {
	c.collectB(n, link, false, depth)
}

func (c *cellText) collectB(n *html.Node, link, bold bool, depth int) {
	if depth > maxDepth {
		return
	}
	for ch := n.FirstChild; ch != nil; ch = ch.NextSibling {
		switch ch.Type {
		case html.TextNode:
			for _, r := range ch.Data {
				if unicode.IsSpace(r) || r == '\u00a0' || r == '\u3000' {
					c.space = c.b.Len() > 0
					continue
				}
				if c.space {
					c.b.WriteByte(' ')
					c.space = false
				}
				c.b.WriteRune(r)
				c.runes++
				if link {
					c.links++
				}
				if bold {
					c.boldRunes++
				}
			}
		case html.ElementNode:
			if skipTag(ch.DataAtom) || c.a.isBoiler(ch) {
				continue
			}
			if ch.DataAtom == atom.Br || isBlock(ch.DataAtom) {
				c.space = c.b.Len() > 0
			}
			c.collectB(ch, link || ch.DataAtom == atom.A, bold || ch.DataAtom == atom.B || ch.DataAtom == atom.Strong, depth+1)
			if isBlock(ch.DataAtom) {
				c.space = c.b.Len() > 0
			}
		}
	}
}

// tableRows returns the tr elements of t itself (through thead, tbody,
// tfoot), not of nested tables.
func tableRows(t *html.Node) []*html.Node {
	var rows []*html.Node
	for c := t.FirstChild; c != nil; c = c.NextSibling {
		if c.Type != html.ElementNode {
			continue
		}
		switch c.DataAtom {
		case atom.Tr:
			rows = append(rows, c)
		case atom.Thead, atom.Tbody, atom.Tfoot:
			for r := c.FirstChild; r != nil; r = r.NextSibling {
				if r.Type == html.ElementNode && r.DataAtom == atom.Tr {
					rows = append(rows, r)
				}
			}
		}
	}
	return rows
}

func firstChildAtom(n *html.Node, a atom.Atom) *html.Node {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if c.Type == html.ElementNode && c.DataAtom == a {
			return c
		}
	}
	return nil
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// skipTag reports elements whose content is never text of the page.
func skipTag(a atom.Atom) bool {
	switch a {
	case atom.Script, atom.Style, atom.Noscript, atom.Template, atom.Head, atom.Title, atom.Svg, atom.Math,
		atom.Iframe, atom.Object, atom.Embed, atom.Select, atom.Option, atom.Textarea, atom.Button,
		atom.Input, atom.Canvas, atom.Audio, atom.Video, atom.Map, atom.Datalist:
		return true
	}
	return false
}

// isBlock reports elements that start a new block of text.
func isBlock(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Div, atom.Section, atom.Article, atom.Main, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6,
		atom.Ul, atom.Ol, atom.Li, atom.Dl, atom.Dt, atom.Dd, atom.Table, atom.Tr, atom.Td, atom.Th, atom.Tbody,
		atom.Thead, atom.Tfoot, atom.Caption, atom.Blockquote, atom.Pre, atom.Figure, atom.Figcaption, atom.Header,
		atom.Footer, atom.Nav, atom.Aside, atom.Form, atom.Fieldset, atom.Address, atom.Center, atom.Details,
		atom.Summary, atom.Body, atom.Html, atom.Menu, atom.Legend, atom.Hgroup, atom.Dialog:
		return true
	}
	return false
}

// isCJK reports Han characters and CJK punctuation-free scripts counted as
// dense text.
// isSpace is unicode.IsSpace for non-ASCII runes, with a fast path for the
// letters of every script below U+1680 (Cyrillic).
func isSpace(r rune) bool {
	switch {
	case r < 0x1680:
		return r == 0x85 || r == 0xa0
	case r < 0x2000:
		return r == 0x1680
	}
	return r <= 0x200a || r == 0x2028 || r == 0x2029 || r == 0x202f || r == 0x205f || r == 0x3000
}

func isCJK(r rune) bool {
	switch {
	case r >= 0x4e00 && r <= 0x9fff: // CJK Unified Ideographs: all Han
		return true
	case r >= 0x3000 && r <= 0x3004, r >= 0xff00 && r <= 0xff65: // CJK and fullwidth punctuation
		return false
	}
	return r >= 0x2e80 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) || unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r))
}

func runeCount(s string) int { return utf8.RuneCountInString(s) }
