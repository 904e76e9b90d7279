package crawler

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/unicode"
)

// langCharsets are the legacy charsets assumed for an undeclared, non-UTF-8
// page of a source with that language hint.
var langCharsets = map[string]string{"ru": "windows-1251", "zh": "gb18030", "uk": "windows-1251"}

// decodeHTML returns body as UTF-8 and the name of the charset it was
// written in. The charset is, in order: a BOM; the Content-Type header; a
// <meta charset> or <meta http-equiv> in the first 1024 bytes; UTF-8 if the
// bytes are valid UTF-8; the source's fallback (its charset, else the one
// usual for its language, else windows-1252). Invalid sequences become
// U+FFFD, so the result is always valid UTF-8.
func decodeHTML(body []byte, contentType, fallback, lang string) (string, string, error) {
	if len(body) == 0 {
		return "", "utf-8", nil
	}
	e, name, certain := charset.DetermineEncoding(body, contentType)
	if !certain {
		// DetermineEncoding guesses windows-1252 for any undeclared
		// non-UTF-8 page; tell a <meta> declaration from that guess by
		// probing with a byte that is never valid UTF-8.
		probe := body[:min(len(body), 1023)]
		pe, pname, _ := charset.DetermineEncoding(append(probe[:len(probe):len(probe)], 0xff), "")
		switch {
		case pname != "windows-1252":
			e, name = pe, pname
		case utf8.Valid(body):
			e, name = unicode.UTF8, "utf-8"
		default:
			label := fallback
			if label == "" {
				label = langCharsets[lang]
			}
			if label == "" {
				label = "windows-1252"
			}
			e, name = charset.Lookup(label)
			if e == nil {
				return "", "", fmt.Errorf("crawler: unknown charset %q", label)
			}
		}
	}
	if name == "utf-8" {
		body = bytes.TrimPrefix(body, []byte("\xef\xbb\xbf"))
		if utf8.Valid(body) {
			return string(body), name, nil
		}
		e = unicode.UTF8
	}
	if e == encoding.Nop {
		e = unicode.UTF8
	}
	out, err := e.NewDecoder().Bytes(body)
	if err != nil {
		return "", name, fmt.Errorf("crawler: decode %s: %w", name, err)
	}
	return string(bytes.TrimPrefix(out, []byte("\xef\xbb\xbf"))), name, nil
}
