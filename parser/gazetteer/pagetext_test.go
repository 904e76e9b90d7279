package gazetteer

import (
	"os"
	"regexp"
	"strings"
	"testing"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/simplifiedchinese"
)

var tagRE = regexp.MustCompile(`(?s)<script.*?</script>|<style.*?</style>|<[^>]*>`)

// pageText reads a corpus page, decodes it by its file-name charset and
// strips tags; "" if the file is absent.
func pageText(t testing.TB, path string) string {
	t.Helper()
	raw, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	s := string(raw)
	switch {
	case strings.HasSuffix(path, ".cp1251.html"):
		b, err := charmap.Windows1251.NewDecoder().Bytes(raw)
		if err != nil {
			t.Fatal(err)
		}
		s = string(b)
	case strings.HasSuffix(path, ".gbk.html"):
		b, err := simplifiedchinese.GBK.NewDecoder().Bytes(raw)
		if err != nil {
			t.Fatal(err)
		}
		s = string(b)
	}
	return tagRE.ReplaceAllString(s, " ")
}
