// Package runes decodes UTF-8 faster than unicode/utf8 for the text of the
// parser's hot loops (Cyrillic and Han), with the same results.
package runes
