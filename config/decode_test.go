package config

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/twinwatch/twinwatch/config/spec"
)

// shapes covers the Go shapes a stage's Config may take, so that the
// reflective decoder is checked against yaml.v3 beyond today's sections.
type shapes struct {
	Plain    string                 `yaml:"plain"`
	Untagged int                    // yaml.v3 lower-cases: "untagged"
	Skipped  string                 `yaml:"-"`
	Ptr      *inner                 `yaml:"ptr"`
	Map      map[string]inner       `yaml:"map"`
	Secrets  map[string]spec.Secret `yaml:"secrets"`
	List     []inner                `yaml:"list"`
	Durs     []spec.Duration        `yaml:"durs"`
	Std      time.Duration          `yaml:"std"`
	When     time.Time              `yaml:"when"`
	Any      any                    `yaml:"any"`
	Float    float64                `yaml:"float"`
	Uint     uint8                  `yaml:"uint"`
	Bool     bool                   `yaml:"bool"`
	Tree     []tree                 `yaml:"tree"`
	Inline   `yaml:",inline"`
}

type inner struct {
	Name  string        `yaml:"name"`
	Every spec.Duration `yaml:"every"`
	Token spec.Secret   `yaml:"token"`
}

// tree is a recursive type, for alias cycles.
type tree struct {
	Kids []tree `yaml:"kids"`
}

// Inline is flattened into shapes.
type Inline struct {
	Flat string `yaml:"flat"`
}

func decodeShapes(t *testing.T, src string) (shapes, []Problem) {
	t.Helper()
	var root yaml.Node
	require.NoError(t, yaml.Unmarshal([]byte(src), &root))
	var got shapes
	d := &decoder{file: "s.yaml"}
	d.decode(root.Content[0], reflect.ValueOf(&got).Elem(), "")
	return got, d.problems
}

func TestDecoderMatchesYAMLv3(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		src  string
	}{
		{name: "scalars", src: "plain: x\nuntagged: 7\nfloat: 1.5\nuint: 200\nbool: true\nstd: 1m\nwhen: 2026-11-20T10:00:00Z\nflat: f\n"},
		{name: "pointer and map", src: "ptr: {name: a, every: 5s}\nmap:\n  one: {name: b}\n  two: {every: 1h}\n"},
		{name: "lists", src: "list:\n  - name: c\n  - {name: d, every: 2m}\ndurs: [1s, 2m, 3h]\n"},
		{name: "any", src: "any: {k: [1, two]}\n"},
		{name: "nulls", src: "plain:\nptr:\nmap: ~\nlist: null\n"},
		{name: "anchors", src: "ptr: &p {name: e}\nmap: {x: *p}\n"},
		{name: "merge", src: "base: &b {name: g, every: 3s}\nptr:\n  <<: *b\n  name: h\n"},
		{name: "number into string", src: "plain: 12\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			src := tc.src
			if tc.name == "merge" {
				// "base" is not a field: yaml.v3 (without KnownFields) ignores it, we report it.
				got, probs := decodeShapes(t, src)
				require.Len(t, probs, 1)
				require.Equal(t, "base", probs[0].Path)
				var want shapes
				require.NoError(t, yaml.Unmarshal([]byte(src), &want))
				require.Equal(t, want, got)
				return
			}
			got, probs := decodeShapes(t, src)
			require.Empty(t, probs)
			var want shapes
			require.NoError(t, yaml.Unmarshal([]byte(src), &want))
			require.Equal(t, want, got)
		})
	}
}

func TestDecoderProblems(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		src  string
		want []Problem
	}{
		{name: "unknown in map value", src: "map:\n  one: {nme: a}\n", want: []Problem{
			{File: "s.yaml", Line: 2, Path: "map.one.nme", Msg: `unknown key (did you mean "name"?); known keys: every, name, token`}}},
		{name: "bad list item", src: "list:\n  - name: a\n  - every: never\n", want: []Problem{
			{File: "s.yaml", Line: 3, Path: "list[1].every", Msg: `want a duration such as "30s", got "never"`}}},
		{name: "list expected", src: "durs: 1s\n", want: []Problem{
			{File: "s.yaml", Line: 1, Path: "durs", Msg: `want a list, got "1s"`}}},
		{name: "scalar expected", src: "plain: [a]\nuint: 300\nbool: maybe\n", want: []Problem{
			{File: "s.yaml", Line: 1, Path: "plain", Msg: "want a string, got a list"},
			{File: "s.yaml", Line: 2, Path: "uint", Msg: "want a non-negative integer, got the integer 300"},
			{File: "s.yaml", Line: 3, Path: "bool", Msg: `want true or false, got "maybe"`}}},
		{name: "skipped field is unknown", src: "skipped: x\n", want: []Problem{
			{File: "s.yaml", Line: 1, Path: "skipped", Msg: "unknown key; known keys: any, bool, durs, flat, float, list, map, plain, ptr, secrets, std, tree, uint, untagged, when"}}},
		{name: "duplicate map key", src: "map:\n  a: {}\n  a: {}\n", want: []Problem{
			{File: "s.yaml", Line: 3, Path: "map.a", Msg: "duplicate key (first at line 2)"}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, probs := decodeShapes(t, tc.src)
			require.Equal(t, tc.want, probs)
		})
	}
}

func TestExpandSecretsShapes(t *testing.T) {
	t.Parallel()
	got, probs := decodeShapes(t, "ptr: {token: '${A}'}\nmap: {x: {token: 'p-${B}'}}\nlist: [{token: '${C}'}]\nsecrets: {k: '${A}${B}'}\nplain: '${A}'\n")
	require.Empty(t, probs)
	env := map[string]string{"A": "1", "B": "2"}
	errs := expandSecrets(reflect.ValueOf(&got).Elem(), "", func(k string) (string, bool) { v, ok := env[k]; return v, ok })
	var msgs []string
	for _, e := range errs {
		msgs = append(msgs, e.Path+": "+e.Msg)
	}
	require.ElementsMatch(t, []string{
		`plain: "${A}": ${VAR} is expanded only in secret fields (passwords, tokens); write the value here`,
		"list[0].token: environment variable C is not set",
	}, msgs)
	require.Equal(t, "1", got.Ptr.Token.Reveal())
	require.Equal(t, "p-2", got.Map["x"].Token.Reveal())
	require.Equal(t, "12", got.Secrets["k"].Reveal())
}

func TestSplitPath(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want []string
	}{
		{"a", []string{"a"}},
		{"a.b.c", []string{"a", "b", "c"}},
		{"crawler.sources[2].selectors.title", []string{"crawler", "sources", "[2]", "selectors", "title"}},
		{"m[0][1]", []string{"m", "[0]", "[1]"}},
	}
	for _, tc := range cases {
		require.Equal(t, tc.want, splitPath(tc.in), tc.in)
	}
}

func TestDecoderAliasGuards(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		src  string
		want string
	}{
		{name: "recursive list", src: "tree: &t [{kids: *t}]\n", want: "alias *t refers to a node that contains it"},
		{name: "recursive merge", src: "ptr: &p\n  name: a\n  <<: *p\n", want: "alias *p refers to a node that contains it"},
		{name: "bomb", src: bomb(), want: "the document expands to more than"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, probs := decodeShapes(t, tc.src)
			require.NotEmpty(t, probs)
			require.Contains(t, probs[0].Msg, tc.want)
		})
	}
}

// bomb is a "billion laughs" document: each level lists the previous one ten
// times, so 8 levels expand to 10^8 nodes.
func bomb() string {
	var b strings.Builder
	b.WriteString("tree:\n  - &a0 {kids: []}\n")
	for i := 1; i <= 8; i++ {
		prev := fmt.Sprintf("*a%d", i-1)
		fmt.Fprintf(&b, "  - &a%d {kids: [%s%s]}\n", i, strings.Repeat(prev+", ", 9), prev)
	}
	return b.String()
}
