package crawler

import (
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
)

func TestDecodeHTML(t *testing.T) {
	t.Parallel()
	ru := "Побратимы"
	cp, _ := charmap.Windows1251.NewEncoder().String(ru)
	koi, _ := charmap.KOI8R.NewEncoder().String(ru)
	long := make([]byte, 2000)
	for i := range long {
		long[i] = ' '
	}
	tests := []struct {
		name, body, ct, fallback, lang, want, charset string
	}{
		{"empty", "", "text/html", "", "", "", "utf-8"},
		{"utf-8 undeclared", "<p>" + ru, "text/html", "", "ru", "<p>" + ru, "utf-8"},
		{"header wins over meta", `<meta charset="utf-8"><p>` + cp, "text/html; charset=windows-1251", "", "", ru, "windows-1251"},
		{"koi8-r meta", `<meta charset="koi8-r"><p>` + koi, "text/html", "", "", ru, "koi8-r"},
		{"undeclared cp1251 by lang", "<p>" + cp, "text/html", "", "ru", ru, "windows-1251"},
		{"undeclared by source charset", "<p>" + koi, "", "koi8-r", "ru", ru, "koi8-r"},
		{"undeclared, no hint", "<p>" + cp, "", "", "", "<p>", "windows-1252"},
		{"meta after 1 KiB is not seen: lang decides", string(long) + `<meta charset="koi8-r">` + cp, "text/html", "", "ru", ru, "windows-1251"},
		{"invalid utf-8 declared utf-8", "<p>\xff" + ru, "text/html; charset=utf-8", "", "", "\uFFFD" + ru, "utf-8"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, cs, err := decodeHTML([]byte(tc.body), tc.ct, tc.fallback, tc.lang)
			require.NoError(t, err)
			require.Contains(t, got, tc.want)
			require.Equal(t, tc.charset, cs)
			require.True(t, utf8.ValidString(got))
		})
	}
}

func FuzzDecodeHTML(f *testing.F) {
	f.Add([]byte(`<meta charset="gbk"><p>\xd3\xd1\xba\xc3`), "text/html", "zh")
	f.Add([]byte("\xff\xfe<\x00p\x00"), "", "")
	f.Add([]byte(`<meta http-equiv="content-type" content="text/html; charset=windows-1251">\xcf\xee`), "text/html; charset=bogus", "ru")
	f.Fuzz(func(t *testing.T, body []byte, ct, lang string) {
		got, _, err := decodeHTML(body, ct, "", lang)
		if err != nil {
			return
		}
		if !utf8.ValidString(got) {
			t.Fatalf("not utf-8: %q", got)
		}
	})
}
