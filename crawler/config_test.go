package crawler

import (
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/twinwatch/twinwatch/config/spec"
)

func TestDefaultConfigValid(t *testing.T) {
	t.Parallel()
	require.NoError(t, DefaultConfig().Validate())
	require.Equal(t, "twinwatch/1 (+https://github.com/twinwatch/twinwatch)", DefaultConfig().userAgent())
}

func TestConfigValidateReportsEveryField(t *testing.T) {
	t.Parallel()
	cfg := DefaultConfig()
	cfg.ContactURL = "nope"
	cfg.Concurrency = 0
	cfg.Robots = "maybe"
	cfg.Frontier.Mode = "redis"
	cfg.Sources = []Source{
		{Name: "ok", Kind: KindPage, URLs: []string{"https://example.ru/"}},
		{Name: "Bad Name", Kind: "rss", URLs: []string{"/relative"}, Include: []string{"("}, Links: "a[", Schedule: "every day",
			Charset: "klingon", AllowedDomains: []string{"https://x.ru"}},
		{Name: "ok", Kind: KindFeed},
	}
	err := cfg.Validate()
	require.Error(t, err)
	paths := map[string]bool{}
	for _, e := range spec.Flatten(err) {
		var fe *spec.FieldError
		require.ErrorAs(t, e, &fe)
		paths[fe.Path] = true
	}
	for _, p := range []string{"contact_url", "concurrency", "robots", "frontier.mode",
		"sources[1].name", "sources[1].kind", "sources[1].urls[0]", "sources[1].include[0]", "sources[1].links",
		"sources[1].schedule", "sources[1].charset", "sources[1].allowed_domains[0]",
		"sources[2].name", "sources[2].urls"} {
		require.True(t, paths[p], "missing %s in %v", p, err)
	}
	require.False(t, paths["sources[0].name"])
}

func TestSourcesExampleValid(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("sources.example.yaml")
	require.NoError(t, err)
	var doc struct {
		Crawler struct {
			Sources []Source `yaml:"sources"`
		} `yaml:"crawler"`
	}
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	require.NoError(t, dec.Decode(&doc))
	cfg := DefaultConfig()
	cfg.Sources = doc.Crawler.Sources
	require.NoError(t, cfg.Validate())
	require.GreaterOrEqual(t, len(cfg.Sources), 10)
	kinds := map[SourceKind]int{}
	for _, s := range cfg.Sources {
		kinds[s.Kind]++
		require.NotEmpty(t, s.Schedule, s.Name)
		require.NotEmpty(t, s.Lang, s.Name)
	}
	for _, k := range []SourceKind{KindListing, KindFeed, KindSitemap, KindPage} {
		require.Positive(t, kinds[k], "at least one %s source", k)
	}
}
