package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"gopkg.in/yaml.v3"

	"github.com/twinwatch/twinwatch/config"
	"github.com/twinwatch/twinwatch/config/spec"
)

// Environment variables the testdata refers to. Tests that set them do not
// run in parallel (t.Setenv forbids it).
const (
	envNATS = "TW_TEST_NATS_PASSWORD"
	envCH   = "TW_TEST_CH_PASSWORD"
)

func TestLoadOK(t *testing.T) {
	t.Setenv(envNATS, "nats-s3cret")
	t.Setenv(envCH, "ch-s3cret")
	cases := []struct {
		file  string
		check func(t *testing.T, f *config.File)
	}{
		{file: "empty.yaml", check: func(t *testing.T, f *config.File) {
			require.Equal(t, config.Default(), f)
		}},
		{file: "full.yaml", check: func(t *testing.T, f *config.File) {
			require.Equal(t, "/var/lib/twinwatch", f.DataDir)
			require.Equal(t, 90*time.Second, f.ShutdownTimeout.D())
			require.Equal(t, "nats://nats.internal:4222", f.NATS.URL)
			require.Equal(t, "nats-s3cret", f.NATS.Password.Reveal())
			require.Equal(t, []string{"ch1.internal:9000", "ch2.internal:9000"}, f.ClickHouse.Addr)
			require.Equal(t, "prech-s3cret$post", f.ClickHouse.Password.Reveal(), "${VAR} expanded, $$ is a literal $")
			require.Len(t, f.Crawler.Sources, 1)
			require.Equal(t, "khabarovsk-news", f.Crawler.Sources[0].Name)
			require.Equal(t, "h1", f.Crawler.Sources[0].Selectors.Title)
			require.InDelta(t, 0.7, f.Parser.MinConfidence, 1e-9)
			require.Equal(t, 1000, f.Sink.Batch.Count)
			require.Equal(t, 500*time.Millisecond, f.Sink.Batch.Period.D())
			require.Equal(t, "debug", f.Log.Level)
			require.Equal(t, "json", f.Log.Format)
			require.Equal(t, ":9464", f.Metrics.Listen)
			// Keys the file does not set keep their defaults.
			require.Equal(t, config.Default().Crawler.UserAgent, f.Crawler.UserAgent)
		}},
		{file: "null_keeps_default.yaml", check: func(t *testing.T, f *config.File) {
			want := config.Default()
			want.Metrics.Listen = ""
			require.Equal(t, want, f)
		}},
		{file: "anchors.yaml", check: func(t *testing.T, f *config.File) {
			require.Equal(t, 100, f.Sink.Batch.Count)
			require.Equal(t, "warn", f.Log.Level)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			f, err := config.Load(filepath.Join("testdata", "ok", tc.file))
			require.NoError(t, err)
			tc.check(t, f)
		})
	}
}

// TestLoadMatchesYAMLv3 checks that the reflective decoder agrees with a
// plain yaml.v3 decode for every valid file (secrets aside, which only the
// loader expands).
func TestLoadMatchesYAMLv3(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "ok", "*.yaml"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			data, err := os.ReadFile(file)
			require.NoError(t, err)
			t.Setenv(envNATS, "${"+envNATS+"}")
			t.Setenv(envCH, "${"+envCH+"}")
			got, err := config.LoadBytes(file, []byte(strings.ReplaceAll(string(data), "$$", "$")))
			if err != nil {
				// "$$" un-escaping differs by design; only compare files without it.
				t.Skipf("not comparable: %v", err)
			}
			want := config.Default()
			require.NoError(t, yaml.Unmarshal([]byte(strings.ReplaceAll(string(data), "$$", "$")), want))
			require.Equal(t, want, got)
		})
	}
}

func TestLoadBad(t *testing.T) {
	cases := []struct {
		file string
		want []string // problems that must be reported, in order, each exactly
	}{
		{file: "unknown_top.yaml", want: []string{
			`testdata/bad/unknown_top.yaml:2: clickhose: unknown key (did you mean "clickhouse"?)`,
		}},
		{file: "unknown_nested.yaml", want: []string{
			`testdata/bad/unknown_nested.yaml:4: sink.batch.perod: unknown key (did you mean "period"?)`,
		}},
		{file: "wrong_type.yaml", want: []string{
			`testdata/bad/wrong_type.yaml:3: sink.batch.count: want an integer, got "many"`,
			`testdata/bad/wrong_type.yaml:5: parser.min_confidence: want a number, got a list`,
		}},
		{file: "duration.yaml", want: []string{
			`testdata/bad/duration.yaml:1: shutdown_timeout: want a duration such as "30s", got "30"`,
			`testdata/bad/duration.yaml:4: sink.batch.period: want a duration such as "30s", got "soon"`,
		}},
		{file: "invalid_value.yaml", want: []string{
			`testdata/bad/invalid_value.yaml:2: log.level: must be debug, info, warn or error, got "loud"`,
			`testdata/bad/invalid_value.yaml:9: crawler.sources[1].kind: must be listing, feed, sitemap or page, got "magic"`,
		}},
		{file: "unset_var.yaml", want: []string{
			`testdata/bad/unset_var.yaml:2: clickhouse.password: environment variable TW_TEST_UNSET_VARIABLE is not set`,
		}},
		{file: "var_in_plain_field.yaml", want: []string{
			`testdata/bad/var_in_plain_field.yaml:2: clickhouse.database: "${TW_TEST_DB}": ${VAR} is expanded only in secret fields`,
		}},
		{file: "many.yaml", want: []string{
			`testdata/bad/many.yaml:1: data_dir: must not be empty`,
			`testdata/bad/many.yaml:4: nats.passwrd: unknown key (did you mean "password"?)`,
			`testdata/bad/many.yaml:6: clickhouse.password: environment variable TW_TEST_UNSET_VARIABLE is not set`,
			`testdata/bad/many.yaml:9: sink.batch.count: must be positive, got -5`,
			`testdata/bad/many.yaml:10: sink.batch.period: want a duration such as "30s", got "2x"`,
			`testdata/bad/many.yaml:12: log.format: must be text or json, got "xml"`,
			`testdata/bad/many.yaml:14: metrics.listen: must be host:port`,
		}},
		{file: "syntax.yaml", want: []string{
			`testdata/bad/syntax.yaml:1: invalid YAML: did not find expected key`,
		}},
		{file: "not_mapping.yaml", want: []string{
			`testdata/bad/not_mapping.yaml:1: want a mapping of sections at the top level, got a list`,
		}},
		{file: "duplicate.yaml", want: []string{
			`testdata/bad/duplicate.yaml:3: log: duplicate key (first at line 1)`,
		}},
		{file: "section_type.yaml", want: []string{
			`testdata/bad/section_type.yaml:1: crawler: want a mapping of keys, got "yes"`,
			`testdata/bad/section_type.yaml:3: sink.batch: want a mapping of keys, got the integer 5`,
		}},
	}
	for _, tc := range cases {
		t.Run(tc.file, func(t *testing.T) {
			t.Parallel()
			f, err := config.Load("testdata/bad/" + tc.file)
			require.Error(t, err)
			require.Nil(t, f)
			var cerr *config.Error
			require.True(t, errors.As(err, &cerr), "want *config.Error, got %T", err)
			lines := strings.Split(err.Error(), "\n")
			require.Len(t, lines, len(cerr.Problems), "one problem per line")
			// Each wanted problem appears, in the given order, as a line prefix.
			next := 0
			for _, line := range lines {
				if next < len(tc.want) && strings.HasPrefix(line, tc.want[next]) {
					next++
				}
			}
			require.Equal(t, len(tc.want), next, "missing %q in:\n%s", tc.want[min(next, len(tc.want)-1)], err)
			// Problems are in file order, those without a line last.
			for i := 1; i < len(cerr.Problems); i++ {
				a, b := cerr.Problems[i-1].Line, cerr.Problems[i].Line
				require.True(t, b == 0 || (a != 0 && a <= b), "order: %v", cerr.Problems)
			}
		})
	}
}

func TestProblemString(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name string
		p    config.Problem
		want string
	}{
		{name: "all", p: config.Problem{File: "a.yaml", Line: 3, Path: "sink.batch.count", Msg: "bad"}, want: "a.yaml:3: sink.batch.count: bad"},
		{name: "no line", p: config.Problem{File: "a.yaml", Path: "crawler.sources", Msg: "bad"}, want: "a.yaml: crawler.sources: bad"},
		{name: "no path", p: config.Problem{File: "a.yaml", Line: 1, Msg: "bad"}, want: "a.yaml:1: bad"},
		{name: "nothing", p: config.Problem{Msg: "bad"}, want: "bad"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, tc.p.String())
		})
	}
}

// A problem that Validate finds in a key the file does not set points at the
// nearest section the file does set, or has no line when it is a default.
func TestLoadLineOfParent(t *testing.T) {
	t.Parallel()
	_, err := config.LoadBytes("x.yaml", []byte("log:\n  format: json\nsink:\n  batch:\n    period: 0s\n"))
	require.ErrorContains(t, err, "x.yaml:5: sink.batch.period: must be positive")

	f := config.Default()
	f.Sink.Batch.Count = 0
	err = f.Validate()
	var cerr *config.Error
	require.ErrorAs(t, err, &cerr)
	require.Equal(t, []config.Problem{{Path: "sink.batch.count", Msg: "must be positive, got 0"}}, cerr.Problems)

	_, err = config.LoadBytes("y.yaml", []byte("sink:\n  batch: {}\nlog: {level: info}\n"))
	require.NoError(t, err)
}

func TestDefaultValidates(t *testing.T) {
	t.Parallel()
	require.NoError(t, config.Default().Validate())
}

func TestEffectiveMasksSecrets(t *testing.T) {
	t.Setenv(envNATS, "nats-s3cret")
	t.Setenv(envCH, "ch-s3cret")
	f, err := config.Load("testdata/ok/full.yaml")
	require.NoError(t, err)
	out, err := f.Effective()
	require.NoError(t, err)
	s := string(out)
	require.NotContains(t, s, "s3cret")
	require.Contains(t, s, "password: '******'")
	require.Contains(t, s, "shutdown_timeout: 1m30s")
	require.Contains(t, s, "period: 500ms")

	// The effective config is itself a valid config file (secrets aside).
	var back yaml.Node
	require.NoError(t, yaml.Unmarshal(out, &back))
	masked := strings.ReplaceAll(s, "'******'", "masked")
	g, err := config.LoadBytes("effective", []byte(masked))
	require.NoError(t, err)
	again, err := g.Effective()
	require.NoError(t, err)
	require.Equal(t, s, string(again))
}

func TestSecretNeverPrints(t *testing.T) {
	t.Parallel()
	f := config.Default()
	f.ClickHouse.Password = spec.Secret("hunter2")
	out, err := f.Effective()
	require.NoError(t, err)
	require.NotContains(t, string(out), "hunter2")
}

func TestLoadMissingFile(t *testing.T) {
	t.Parallel()
	_, err := config.Load("testdata/does-not-exist.yaml")
	require.ErrorContains(t, err, "config: open testdata/does-not-exist.yaml")
	require.ErrorIs(t, err, os.ErrNotExist)
}

func TestMoreThanOneDocument(t *testing.T) {
	t.Parallel()
	_, err := config.LoadBytes("two.yaml", []byte("log: {level: info}\n---\nlog: {level: debug}\n"))
	require.ErrorContains(t, err, "two.yaml:2: more than one YAML document")
	_, err = config.LoadBytes("two.yaml", []byte("log: {level: info}\n---\nlog: [\n"))
	require.ErrorContains(t, err, "two.yaml:3: invalid YAML")
}

func TestExpandEdgeCases(t *testing.T) {
	t.Setenv("TW_TEST_A", "alpha")
	cases := []struct {
		name    string
		value   string
		want    string
		wantErr string
	}{
		{name: "plain", value: "abc", want: "abc"},
		{name: "var", value: "${TW_TEST_A}", want: "alpha"},
		{name: "inside", value: "x${TW_TEST_A}y", want: "xalphay"},
		{name: "escaped", value: "a$$b", want: "a$b"},
		{name: "lone dollar", value: "a$b$", want: "a$b$"},
		{name: "unterminated", value: "${TW_TEST_A", wantErr: "unterminated ${"},
		{name: "bad name", value: "${1X}", wantErr: `bad variable name "1X"`},
		{name: "unset", value: "${TW_TEST_NOPE}", wantErr: "environment variable TW_TEST_NOPE is not set"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f, err := config.LoadBytes("s.yaml", []byte("clickhouse:\n  password: '"+tc.value+"'\n"))
			if tc.wantErr != "" {
				require.ErrorContains(t, err, "s.yaml:2: clickhouse.password: "+tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, f.ClickHouse.Password.Reveal())
		})
	}
}

func TestDataDirPlacesLocalState(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, yaml         string
		wantNATS, wantHome string
	}{
		{"defaults", "", ".data/nats", ".data/clickhouse"},
		{"data_dir moves both", "data_dir: /var/lib/twinwatch\n", "/var/lib/twinwatch/nats", "/var/lib/twinwatch/clickhouse"},
		{"a section's own setting wins", "data_dir: /srv/tw\nnats:\n  embedded:\n    data_dir: /fast/nats\n", "/fast/nats", "/srv/tw/clickhouse"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			f, err := config.LoadBytes("test.yaml", []byte(tc.yaml))
			require.NoError(t, err)
			require.Equal(t, tc.wantNATS, f.NATS.Embedded.DataDir)
			require.Equal(t, tc.wantHome, f.ClickHouse.Local.DataDir)
		})
	}
}
