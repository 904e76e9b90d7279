package parser_test

import (
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/parser"
)

// TestConcurrentUse parses the corpus from several goroutines at once and
// checks that every goroutine gets what a lone parse gets (run with -race).
func TestConcurrentUse(t *testing.T) {
	p := newParser(t)
	pages, err := filepath.Glob("testdata/corpus/pages/*.html")
	require.NoError(t, err)
	want := map[string][]string{}
	bodies := map[string][]byte{}
	for _, path := range pages {
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		bodies[path] = b
		obs, _, err := p.ParseInput(parser.Input{Body: b, URL: "https://example.org/" + filepath.Base(path)})
		require.NoError(t, err)
		want[path] = summary(obs)
	}
	var wg sync.WaitGroup
	errs := make(chan string, 4*len(pages))
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, path := range pages {
				obs, _, err := p.ParseInput(parser.Input{Body: bodies[path], URL: "https://example.org/" + filepath.Base(path)})
				if err != nil || len(summary(obs)) != len(want[path]) {
					errs <- path
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for path := range errs {
		t.Errorf("concurrent parse of %s differs", path)
	}
}
