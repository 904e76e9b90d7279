package config_test

import (
	"os"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/twinwatch/twinwatch/config"
)

const exampleFile = "../config.example.yaml"

// The shipped example loads and validates, sets every key to its default
// (crawler sources aside), and mentions every key the defaults have, so a
// field added to a section without documenting it fails here.
func TestExampleFile(t *testing.T) {
	t.Parallel()
	f, err := config.Load(exampleFile)
	require.NoError(t, err)
	require.NotEmpty(t, f.Crawler.Sources, "the example shows sources")

	f.Crawler.Sources = nil
	got, err := f.Effective()
	require.NoError(t, err)
	want, err := config.Default().Effective()
	require.NoError(t, err)
	require.Equal(t, string(want), string(got), "the example's values are the defaults")

	data, err := os.ReadFile(exampleFile)
	require.NoError(t, err)
	var ex, def yaml.Node
	require.NoError(t, yaml.Unmarshal(data, &ex))
	require.NoError(t, yaml.Unmarshal(want, &def))
	exKeys := map[string]bool{}
	for _, k := range keyPaths(ex.Content[0], "") {
		exKeys[k] = true
	}
	// Keys whose default derives from data_dir are shown commented out, so
	// that a copy of the example still moves them with data_dir.
	derived := map[string]string{
		"nats.embedded.data_dir":    "    # data_dir: .data/nats",
		"clickhouse.local.data_dir": "    # data_dir: .data/clickhouse",
	}
	var missing []string
	for _, k := range keyPaths(def.Content[0], "") {
		if line, ok := derived[k]; ok {
			require.Contains(t, string(data), line, "the example shows %s commented out", k)
			continue
		}
		if !exKeys[k] {
			missing = append(missing, k)
		}
	}
	require.Empty(t, missing, "keys with a default that config.example.yaml does not show")

	// Every section and every key of a section is introduced by a "##" comment
	// somewhere above it in its block: spot-check that each top-level key is.
	lines := strings.Split(string(data), "\n")
	for i, line := range lines {
		if line == "" || line[0] == ' ' || line[0] == '#' || !strings.Contains(line, ":") {
			continue
		}
		require.Greater(t, i, 0)
		require.True(t, strings.HasPrefix(lines[i-1], "##"), "top-level key %q has no ## comment above it", line)
	}
}

// keyPaths lists the dotted paths of every mapping key under n (lists are
// not entered: their items are examples, not defaults).
func keyPaths(n *yaml.Node, prefix string) []string {
	if n.Kind != yaml.MappingNode {
		return nil
	}
	var out []string
	for i := 0; i+1 < len(n.Content); i += 2 {
		p := n.Content[i].Value
		if prefix != "" {
			p = prefix + "." + p
		}
		out = append(out, p)
		out = append(out, keyPaths(n.Content[i+1], p)...)
	}
	sort.Strings(out)
	return out
}

// The example's sources are crawler/sources.example.yaml's, so the two never
// drift apart (when this fails, copy the crawler's list into the example).
func TestExampleSourcesMatchCrawler(t *testing.T) {
	t.Parallel()
	data, err := os.ReadFile("../crawler/sources.example.yaml")
	if os.IsNotExist(err) {
		t.Skip("no crawler/sources.example.yaml")
	}
	require.NoError(t, err)
	f, err := config.LoadBytes("crawler/sources.example.yaml", data)
	require.NoError(t, err, "the crawler's sources load as a config file")
	ex, err := config.Load(exampleFile)
	require.NoError(t, err)
	require.Equal(t, f.Crawler.Sources, ex.Crawler.Sources)
}
