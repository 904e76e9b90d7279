package crawler

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

func TestCanonicalURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"scheme and host case", "HTTP://Www.Khabarovskadm.RU/news", "http://www.khabarovskadm.ru/news"},
		{"default http port", "http://example.ru:80/a", "http://example.ru/a"},
		{"default https port", "https://example.ru:443/a", "https://example.ru/a"},
		{"other port kept", "https://example.ru:8443/a", "https://example.ru:8443/a"},
		{"fragment dropped", "https://example.ru/a#top", "https://example.ru/a"},
		{"empty path", "https://example.ru", "https://example.ru/"},
		{"tracking dropped, query sorted", "https://example.ru/n?utm_source=tg&b=2&a=1&fbclid=x&UTM_Campaign=y&yclid=1", "https://example.ru/n?a=1&b=2"},
		{"only tracking", "https://example.ru/n?utm_medium=rss", "https://example.ru/n"},
		{"repeated key keeps order", "https://example.ru/n?t=2&a=0&t=1", "https://example.ru/n?a=0&t=2&t=1"},
		{"key without value", "https://example.ru/n?print&id=5", "https://example.ru/n?id=5&print"},
		{"cyrillic path kept escaped", "https://example.ru/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8", "https://example.ru/%D0%BD%D0%BE%D0%B2%D0%BE%D1%81%D1%82%D0%B8"},
		{"cyrillic query escaped", "https://example.ru/s?q=побратимы", "https://example.ru/s?q=%D0%BF%D0%BE%D0%B1%D1%80%D0%B0%D1%82%D0%B8%D0%BC%D1%8B"},
		{"trailing dot host", "https://example.ru./a", "https://example.ru/a"},
		{"ipv6", "http://[::1]:80/a", "http://[::1]/a"},
		{"ipv6 port", "http://[::1]:8080/a", "http://[::1]:8080/a"},
		{"spaces trimmed", "  https://example.ru/a  ", "https://example.ru/a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			got, err := CanonicalURL(tc.in)
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
			again, err := CanonicalURL(got)
			require.NoError(t, err)
			require.Equal(t, got, again, "idempotent")
		})
	}
}

func TestCanonicalURLErrors(t *testing.T) {
	t.Parallel()
	for _, in := range []string{"", "/relative", "mailto:a@b.ru", "ftp://example.ru/", "https:///nohost", "http://[::1", "javascript:void(0)"} {
		_, err := CanonicalURL(in)
		require.Error(t, err, in)
	}
}

func TestResolve(t *testing.T) {
	t.Parallel()
	base, _ := url.Parse("https://gov.ru/news/list?page=2")
	require.Equal(t, "https://gov.ru/news/1", resolve(base, "1"))
	require.Equal(t, "https://gov.ru/a", resolve(base, "/a#x"))
	require.Equal(t, "https://other.cn/b", resolve(base, "//OTHER.cn/b"))
	require.Empty(t, resolve(base, "#top"))
	require.Empty(t, resolve(base, "mailto:x@y.ru"))
	require.Empty(t, resolve(base, "javascript:void(0)"))
}

func FuzzCanonicalURL(f *testing.F) {
	for _, s := range []string{"https://Example.RU:443/a?utm_source=x&b=1#f", "http://[::1]:80/", "https://a.b/%zz", "http://x/?a=%&b", "https://例子.中国/路径?q=友好城市"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		got, err := CanonicalURL(in)
		if err != nil {
			return
		}
		again, err := CanonicalURL(got)
		if err != nil {
			t.Fatalf("canonical %q of %q does not parse: %v", got, in, err)
		}
		if again != got {
			t.Fatalf("not idempotent: %q -> %q -> %q", in, got, again)
		}
	})
}
