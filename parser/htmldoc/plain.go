package htmldoc

import (
	"strings"
)

// parsePlain reads plain text: paragraphs are separated by blank lines (or
// are single lines when there are no blank lines); a short first
// paragraph followed by more text is the title.
func parsePlain(text string, h Hints) *Doc {
	text = strings.ReplaceAll(strings.ReplaceAll(text, "\r\n", "\n"), "\r", "\n")
	var paras []string
	if strings.Contains(text, "\n\n") {
		for _, p := range strings.Split(text, "\n\n") {
			if p = collapse(p); p != "" {
				paras = append(paras, p)
			}
		}
	} else {
		for _, p := range strings.Split(text, "\n") {
			if p = collapse(p); p != "" {
				paras = append(paras, p)
			}
		}
	}
	if len(paras) > maxBlocks {
		paras = paras[:maxBlocks]
	}
	d := &Doc{}
	if len(paras) > 1 && runeCount(paras[0]) <= 200 && !endsSentence(paras[0]) {
		d.Title, paras = paras[0], paras[1:]
	}
	runs := make([]run, 0, len(paras))
	for _, p := range paras {
		d.Blocks = append(d.Blocks, Block{Kind: Paragraph, Text: p})
		runs = append(runs, run{kind: Paragraph, text: p, runes: runeCount(p)})
	}
	if dt, ok := bylineDate(runs, nil, h.Lang); ok {
		d.Published, d.PublishedSource = dt, "byline"
	} else if dt, ok := URLDate(h.URL); ok && dt.Precision() >= h.Published.Precision() {
		d.Published, d.PublishedSource = dt, "url"
	} else if !h.Published.IsZero() {
		d.Published, d.PublishedSource = h.Published, "hint"
	}
	return d
}
