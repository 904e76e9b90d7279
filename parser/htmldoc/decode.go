package htmldoc

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
	xunicode "golang.org/x/text/encoding/unicode"
)

// decode returns body as UTF-8 text. Order: a byte-order mark; valid UTF-8
// as it is (the crawler usually decodes before publishing, and a page
// decoded to UTF-8 still declares its old charset); hint (the charset the
// server sent); the document's own <meta charset> / http-equiv; a guess
// between windows-1251 and GBK, the legacy encodings of our sources.
func decode(body []byte, hint string) string {
	switch {
	case bytes.HasPrefix(body, []byte("\xef\xbb\xbf")):
		return toValidUTF8(body[3:])
	case bytes.HasPrefix(body, []byte("\xff\xfe")):
		return decodeWith(xunicode.UTF16(xunicode.LittleEndian, xunicode.ExpectBOM), body)
	case bytes.HasPrefix(body, []byte("\xfe\xff")):
		return decodeWith(xunicode.UTF16(xunicode.BigEndian, xunicode.ExpectBOM), body)
	}
	if utf8.Valid(body) {
		return string(body)
	}
	if e := lookup(hint); e != nil {
		return decodeWith(e, body)
	}
	if e, name, _ := charset.DetermineEncoding(body, "text/html"); e != nil && name != "windows-1252" && name != "utf-8" {
		return decodeWith(e, body)
	} else if declaresCharset(body, "windows-1252") || declaresCharset(body, "iso-8859-1") || declaresCharset(body, "latin1") {
		return decodeWith(charmap.Windows1252, body)
	}
	return guess(body)
}

// lookup resolves a charset label; UTF-8 and unknown labels give nil.
// GBK and GB2312 are read as GB18030, their superset.
func lookup(label string) encoding.Encoding {
	label = strings.ToLower(strings.TrimSpace(label))
	if label == "" {
		return nil
	}
	switch label {
	case "gbk", "gb2312", "gb_2312-80", "x-gbk", "cp936", "gb18030":
		return simplifiedchinese.GB18030
	}
	e, name := charset.Lookup(label)
	if e == nil || name == "utf-8" {
		return nil
	}
	if name == "gbk" {
		return simplifiedchinese.GB18030
	}
	return e
}

func declaresCharset(body []byte, name string) bool {
	head := body[:min(len(body), 2048)]
	return bytes.Contains(bytes.ToLower(head), []byte("charset="+name)) ||
		bytes.Contains(bytes.ToLower(head), []byte(`charset="`+name))
}

func decodeWith(e encoding.Encoding, body []byte) string {
	out, err := e.NewDecoder().Bytes(body)
	if err != nil {
		return toValidUTF8(body)
	}
	return toValidUTF8(out)
}

func toValidUTF8(b []byte) string { return strings.ToValidUTF8(string(b), "\uFFFD") }

// guess picks windows-1251 or GB18030 for undeclared legacy bytes by which
// decoding yields more letters of its script.
func guess(body []byte) string {
	sample := body[:min(len(body), 64<<10)]
	cyr, _ := charmap.Windows1251.NewDecoder().Bytes(sample)
	gbk, _ := simplifiedchinese.GB18030.NewDecoder().Bytes(sample)
	if scriptShare(string(gbk), unicode.Han) > scriptShare(string(cyr), unicode.Cyrillic) {
		return decodeWith(simplifiedchinese.GB18030, body)
	}
	return decodeWith(charmap.Windows1251, body)
}

// scriptShare is the share of non-ASCII runes of s that are in table.
func scriptShare(s string, table *unicode.RangeTable) float64 {
	var in, all int
	for _, r := range s {
		if r < 0x80 {
			continue
		}
		all++
		if unicode.Is(table, r) {
			in++
		}
	}
	if all == 0 {
		return 0
	}
	return float64(in) / float64(all)
}
