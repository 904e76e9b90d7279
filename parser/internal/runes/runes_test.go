package runes

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
)

// TestDecodeMatchesUTF8 compares Decode with utf8.DecodeRuneInString on
// every one-, two- and three-byte prefix and on sample text.
func TestDecodeMatchesUTF8(t *testing.T) {
	check := func(s string) {
		for i := 0; i < len(s); i++ {
			r, n := Decode(s, i)
			wr, wn := utf8.DecodeRuneInString(s[i:])
			require.Equal(t, wr, r, "%q at %d", s, i)
			require.Equal(t, wn, n, "%q at %d", s, i)
		}
	}
	for a := 0; a < 256; a++ {
		check(string([]byte{byte(a)}))
		for b := 0x70; b < 0xD0; b++ {
			check(string([]byte{byte(a), byte(b)}))
			for _, c := range []byte{0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF} {
				check(string([]byte{byte(a), byte(b), c}))
			}
		}
	}
	check("Побратимы 友好城市 sister cities \xff\xfe \xed\xa0\x80 \xe0\x80\x80 \xf0\x9f\x98\x80 ё")
}

// FuzzDecode compares Decode with utf8.DecodeRuneInString on any input.
func FuzzDecode(f *testing.F) {
	f.Add("Хабаровск 哈尔滨 \xff")
	f.Fuzz(func(t *testing.T, s string) {
		for i := 0; i < len(s); i++ {
			r, n := Decode(s, i)
			wr, wn := utf8.DecodeRuneInString(s[i:])
			if r != wr || n != wn {
				t.Fatalf("%q at %d: %U/%d, want %U/%d", s, i, r, n, wr, wn)
			}
		}
	})
}
