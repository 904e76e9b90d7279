package dates

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestPatternNeeds checks that every pattern's need is necessary: no match
// of the pattern, on the corpus pages and on sample phrases, lacks one of
// the needed substrings. A need that is too strict would lose dates.
func TestPatternNeeds(t *testing.T) {
	texts := []string{
		"on Monday, May 5, 2024, yesterday and today; last week, this month, past year; 5th of June 2023; Sept. 2019; in Dec 2020",
		"в понедельник, вчера, сегодня и накануне; на прошлой неделе; в минувшие выходные; в конце прошлого года; в этом году; в прошлом месяце",
		"5 мая 2024 года, в мае 2023 г., 2019 год, 2019-2021, 今年5月3日, 2024年9月13日",
	}
	files, err := filepath.Glob("../testdata/*/pages/*.html")
	require.NoError(t, err)
	tag := regexp.MustCompile(`<[^>]*>`)
	for _, f := range files {
		b, err := os.ReadFile(f)
		require.NoError(t, err)
		texts = append(texts, tag.ReplaceAllString(string(b), " "))
	}
	for _, text := range texts {
		low := lowerSameLen(text)
		for _, p := range patterns {
			if p.need == nil {
				continue
			}
			for _, m := range p.re.FindAllString(low, -1) {
				ok := false
				for _, n := range p.need {
					ok = ok || strings.Contains(m, n)
				}
				require.True(t, ok, "pattern %v matched %q without any of %q", p.k, m, p.need)
			}
		}
	}
}
