package htmldoc

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// excessLimit is how many more start tags than end tags a document may have
// before limitDepth rewrites it. Real pages stay far below (void elements
// and unclosed paragraphs); a deeply nested document would make the HTML5
// tree builder quadratic.
const excessLimit = 2048

// limitDepth returns text unchanged unless its start tags outnumber its end
// tags by more than excessLimit (or force is set); then it re-emits the tokens, dropping start
// tags nested deeper than maxDepth.
func limitDepth(text string, force bool) string {
	starts, ends := 0, 0
	for i := 0; i+1 < len(text); i++ {
		j := strings.IndexByte(text[i:], '<')
		if j < 0 || i+j+1 >= len(text) {
			break
		}
		i += j
		c := text[i+1]
		switch {
		case c == '/':
			ends++
		case (c|0x20) >= 'a' && (c|0x20) <= 'z':
			starts++
		}
	}
	if starts-ends <= excessLimit && !force {
		return text
	}
	var b strings.Builder
	b.Grow(len(text))
	z := html.NewTokenizer(strings.NewReader(text))
	var stack []atom.Atom
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return b.String()
		}
		raw := z.Raw()
		switch tt {
		case html.StartTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if isVoid(a) {
				break
			}
			if impliedEnd(a) {
				for i := len(stack) - 1; i >= 0 && i >= len(stack)-3; i-- {
					if stack[i] == a {
						stack = stack[:i]
						break
					}
				}
			}
			if len(stack) >= maxDepth {
				continue
			}
			stack = append(stack, a)
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			for i := len(stack) - 1; i >= 0; i-- {
				if stack[i] == a {
					stack = stack[:i]
					break
				}
			}
		}
		b.Write(raw)
	}
}

func isVoid(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input, atom.Link,
		atom.Meta, atom.Source, atom.Track, atom.Wbr, atom.Param, atom.Keygen:
		return true
	}
	return false
}

func impliedEnd(a atom.Atom) bool {
	switch a {
	case atom.P, atom.Li, atom.Td, atom.Th, atom.Tr, atom.Option, atom.Dt, atom.Dd:
		return true
	}
	return false
}
