package htmldoc

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/net/html"

	"github.com/twinwatch/twinwatch/twin"
)

// Limits that bound Parse's work on any input.
const (
	// MaxInput is how many bytes of a body Parse reads; the rest is ignored.
	MaxInput = 4 << 20
	// maxDepth is the deepest element nesting Parse keeps; deeper start
	// tags are dropped before tree construction.
	maxDepth = 256
	// maxBlocks caps the number of blocks of one document.
	maxBlocks = 20000
)

// ErrEmpty is returned (wrapped together with twin.ErrInvalid) for a body
// with no text at all: nothing to retry, dead-letter it.
var ErrEmpty = errors.New("htmldoc: empty document")

// ErrBinary is returned (wrapped together with twin.ErrInvalid) for a body
// that is not text (images, PDFs, archives).
var ErrBinary = errors.New("htmldoc: not a text document")

// Hints is what the crawler and the source's configuration know about a page.
type Hints struct {
	URL       string         // the page's URL; its path may carry the publication date
	Lang      string         // the source's language ("ru", "zh", "en"), used when detection is ambiguous
	Charset   string         // the charset the server declared, used for bytes that are not UTF-8
	Selectors twin.Selectors // per-source CSS selectors; a selector that matches overrides generic extraction
	Published twin.Date      // a date known from elsewhere (a feed); used when the page itself has none
}

// BlockKind is the kind of one block of main content.
type BlockKind uint8

// Block kinds.
const (
	Paragraph   BlockKind = iota // a paragraph or a run of text between block elements
	Heading                      // h1–h6 (the document title itself is not repeated)
	ListItem                     // li, dd
	TableRow                     // a row of a data table: Cells and, if the table has one, Header
	TableHeader                  // the header row of a data table: Cells are the column names
	Caption                      // caption, figcaption
	Quote                        // text inside blockquote
)

// String returns the kind's name.
func (k BlockKind) String() string {
	switch k {
	case Paragraph:
		return "paragraph"
	case Heading:
		return "heading"
	case ListItem:
		return "list_item"
	case TableRow:
		return "table_row"
	case TableHeader:
		return "table_header"
	case Caption:
		return "caption"
	case Quote:
		return "quote"
	default:
		return fmt.Sprintf("kind(%d)", uint8(k))
	}
}

// Block is one unit of main content.
type Block struct {
	Kind BlockKind
	// Text is the block's text with whitespace collapsed; for table rows
	// the cells joined with " | ".
	Text string
	// Cells are the cell texts of a TableRow or TableHeader, in column order.
	Cells []string
	// Header are the header cells of the table a TableRow belongs to, if
	// it has a header row; nil otherwise. Shared between rows: read only.
	Header []string
}

// Doc is the readable part of one page.
type Doc struct {
	Title string
	// Published is the publication or last-update date, day precision when
	// known; zero if the page, its URL and the hints carry none.
	Published twin.Date
	// PublishedSource says where Published came from: "selector", "meta",
	// "jsonld", "time", "byline", "url" or "hint"; "" when zero.
	PublishedSource string
	// Lang is "ru", "zh", "en" or "", detected from the main text; the
	// hint decides when the text is ambiguous.
	Lang string
	// Blocks is the main content in document order, without navigation,
	// sidebars, related links, comments and footers.
	Blocks []Block
}

// Text returns the blocks' texts joined with "\n".
func (d *Doc) Text() string {
	var b strings.Builder
	for i, bl := range d.Blocks {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(bl.Text)
	}
	return b.String()
}

// Parse reads one page: HTML in any charset (byte-order mark, valid UTF-8,
// h.Charset, <meta charset> or http-equiv, else a guess between
// windows-1251 and GBK) or plain text, and returns its title, publication
// date, language and main-content blocks. Selectors in h override generic
// extraction where they match. Parse reads at most MaxInput bytes, caps
// nesting depth and block count, and never panics on malformed input. An
// empty or binary body is an error wrapping ErrEmpty or ErrBinary and
// twin.ErrInvalid. Parse is pure and safe for concurrent use.
func Parse(body []byte, h Hints) (*Doc, error) {
	if len(body) > MaxInput {
		body = body[:MaxInput]
	}
	if isBinary(body) {
		return nil, fmt.Errorf("%w: %w", ErrBinary, twin.ErrInvalid)
	}
	text := decode(body, h.Charset)
	if strings.TrimSpace(strings.Trim(text, "\ufeff\x00")) == "" {
		return nil, fmt.Errorf("%w: %w", ErrEmpty, twin.ErrInvalid)
	}
	var d *Doc
	langHint := h.Lang
	if looksLikeHTML(text) {
		root, err := html.Parse(strings.NewReader(limitDepth(text, false)))
		if err != nil {
			// x/net/html refuses documents nested deeper than its own
			// limit: drop the deepest tags and try once more.
			root, err = html.Parse(strings.NewReader(limitDepth(text, true)))
		}
		if err != nil {
			return nil, fmt.Errorf("htmldoc: parse html: %w: %w", err, twin.ErrInvalid)
		}
		var docLang string
		d, docLang = extract(root, h)
		if langHint == "" {
			langHint = langTag(docLang)
		}
	} else {
		d = parsePlain(text, h)
	}
	d.Lang = detectLang(d, langHint)
	return d, nil
}

// langTag maps an <html lang> value to "ru", "zh", "en" or "".
func langTag(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	for _, l := range []string{"ru", "zh", "en"} {
		if s == l || strings.HasPrefix(s, l+"-") || strings.HasPrefix(s, l+"_") {
			return l
		}
	}
	return ""
}

// isBinary reports a body whose first KiB is mostly control bytes or NULs
// (and not UTF-16, which has a BOM).
func isBinary(b []byte) bool {
	if len(b) >= 2 && ((b[0] == 0xff && b[1] == 0xfe) || (b[0] == 0xfe && b[1] == 0xff)) {
		return false
	}
	head := b[:min(len(b), 1024)]
	bad := 0
	for _, c := range head {
		if c < 0x09 || (c > 0x0d && c < 0x20 && c != 0x1b) {
			bad++
		}
	}
	return len(head) > 0 && bad*10 > len(head)
}

// looksLikeHTML reports whether text is markup rather than plain text.
func looksLikeHTML(text string) bool {
	head := strings.TrimLeft(text[:min(len(text), 4096)], " \t\r\n\ufeff")
	if strings.HasPrefix(head, "<") {
		return true
	}
	lower := strings.ToLower(head)
	for _, tag := range []string{"<html", "<body", "<head", "<p>", "<p ", "<div", "<br", "<table", "<title", "<!doctype", "<article", "<span"} {
		if strings.Contains(lower, tag) {
			return true
		}
	}
	return false
}
