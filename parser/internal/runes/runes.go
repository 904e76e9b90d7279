package runes

import "unicode/utf8"

// Decode returns the rune at s[i:] and its width, exactly as
// utf8.DecodeRuneInString(s[i:]) does (utf8.RuneError, 1 for a byte that
// does not start a valid sequence). i must be < len(s). Two-byte sequences
// (Cyrillic) and three-byte ones outside the surrogate and overlong ranges
// (Han) decode without the tables of unicode/utf8; callers test for ASCII
// themselves, inline.
func Decode(s string, i int) (rune, int) {
	c := s[i]
	if c >= 0xE1 && c < 0xF0 && c != 0xED && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
		return rune(c&0x0F)<<12 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F), 3
	}
	if c >= 0xC2 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
		return rune(c&0x1F)<<6 | rune(s[i+1]&0x3F), 2
	}
	return utf8.DecodeRuneInString(s[i:])
}
