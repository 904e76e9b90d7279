package chstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/twin"
)

func TestExtractorRank(t *testing.T) {
	cases := []struct {
		name, extractor string
		want            uint64
	}{
		{"empty", "", 0},
		{"no digits", "parser", 0},
		{"semver", "parser/v1.4.2", 1<<16 | 4<<8 | 2},
		{"major only", "rules-3", 3 << 16},
		{"last run wins", "v2-parser/0.10.7", 0<<16 | 10<<8 | 7},
		{"capped", "x/999.1.1", 255<<16 | 1<<8 | 1},
		{"trailing dot", "x/1.2.", 1<<16 | 2<<8},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, extractorRank(tc.extractor))
		})
	}
}

func TestVersionOrdersExtractorThenSeenAt(t *testing.T) {
	early, late := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	require.Greater(t, Version("parser/1.1.0", early), Version("parser/1.0.9", late))
	require.Greater(t, Version("parser/1.0.0", late), Version("parser/1.0.0", early))
	require.Equal(t, uint64(0), Version("", time.Unix(-5, 0)))
}

func TestSplitStatements(t *testing.T) {
	src := "-- comment;\nCREATE TABLE a\n(\n  x String -- trailing\n);\n\n-- another\nCREATE VIEW b AS SELECT 1;\nSELECT 2"
	got := splitStatements(src)
	require.Equal(t, []string{"CREATE TABLE a\n(\n  x String -- trailing\n)", "CREATE VIEW b AS SELECT 1", "SELECT 2"}, got)
}

func TestEmbeddedMigrations(t *testing.T) {
	ms, err := migrations()
	require.NoError(t, err)
	require.NotEmpty(t, ms)
	banned := regexp.MustCompile(`(?i)\b(TTL|CODEC|LowCardinality|INDEX\s+\w+\s+TYPE|IF\s+NOT\s+EXISTS\s+\w+\s+(String|UInt|Int|Date))|ADD COLUMN IF|INSERT INTO .* VALUES`)
	for i, m := range ms {
		if i > 0 {
			require.Greater(t, m.version, ms[i-1].version, "migration versions are unique and ordered")
		}
		require.NotEmpty(t, m.statements, m.name)
		for _, s := range m.statements {
			require.NotRegexp(t, banned, s, "%s uses something ClickHouse 18.16 rejects", m.name)
			require.Regexp(t, `(?i)^CREATE (TABLE|VIEW) IF NOT EXISTS `, s, "%s: every statement must be idempotent", m.name)
		}
	}
}

func TestInsertColumnListsMatchMigrations(t *testing.T) {
	// The insert statements name every column of their table, in order.
	all := ""
	for _, m := range must(migrations()) {
		all += strings.Join(m.statements, "\n") + "\n"
	}
	for _, table := range []string{"pages", "agreement_mentions", "events"} {
		ins := mustSQL("insert_" + table + ".sql")
		cols := regexp.MustCompile(`\((.*)\)`).FindStringSubmatch(ins)[1]
		def := regexp.MustCompile(`(?s)CREATE TABLE IF NOT EXISTS ` + table + `\s*\((.*?)\n\)`).FindStringSubmatch(all)
		require.NotNil(t, def, table)
		var want []string
		for _, line := range strings.Split(def[1], "\n") {
			if f := strings.Fields(line); len(f) > 0 {
				want = append(want, f[0])
			}
		}
		require.Equal(t, strings.Join(want, ", "), cols, table)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func TestQuoteIdent(t *testing.T) {
	require.Equal(t, "`twin`", quoteIdent("twin"))
	require.Equal(t, "`a\\`b\\\\c`", quoteIdent("a`b\\c"))
}

func TestIsRetryable(t *testing.T) {
	refused := &net.OpError{Op: "dial", Net: "tcp", Err: &netSyscallError{syscall.ECONNREFUSED}}
	cases := []struct {
		name string
		err  error
		want bool
	}{
		{"nil", nil, false},
		{"connection refused", fmt.Errorf("chstore: ping: %w", refused), true},
		{"reset", fmt.Errorf("x: %w", syscall.ECONNRESET), true},
		{"broken pipe", syscall.EPIPE, true},
		{"eof", fmt.Errorf("read: %w", io.EOF), true},
		{"deadline", context.DeadlineExceeded, true},
		{"acquire timeout", clickhouse.ErrAcquireConnTimeout, true},
		{"canceled", fmt.Errorf("x: %w", context.Canceled), false},
		{"too many parts", &clickhouse.Exception{Code: 252}, true},
		{"memory", fmt.Errorf("x: %w", &clickhouse.Exception{Code: 241}), true},
		{"timeout exceeded", &clickhouse.Exception{Code: 159}, true},
		{"type mismatch", &clickhouse.Exception{Code: 53}, false},
		{"cannot parse", &clickhouse.Exception{Code: 27}, false},
		{"cannot parse text", &clickhouse.Exception{Code: 6}, false},
		{"bad date", &clickhouse.Exception{Code: 41}, false},
		{"cannot parse date", &clickhouse.Exception{Code: 38}, false},
		{"unknown table", &clickhouse.Exception{Code: 60}, false},
		{"invalid", fmt.Errorf("x: %w", twin.ErrInvalid), false},
		{"invalid rows", &InvalidError{Rows: []int{0}, Errs: []error{twin.ErrInvalid}}, false},
		{"other", errors.New("something"), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, IsRetryable(tc.err))
		})
	}
}

type netSyscallError struct{ errno syscall.Errno }

func (e *netSyscallError) Error() string { return "connect: " + e.errno.Error() }
func (e *netSyscallError) Unwrap() error { return e.errno }

func TestDateColumn(t *testing.T) {
	require.Equal(t, minDate, dateColumn(twin.Date{}))
	require.Equal(t, minDate, dateColumn(twin.YearDate(1955)))
	require.Equal(t, time.Date(1993, 6, 1, 0, 0, 0, 0, time.UTC), dateColumn(twin.MonthDate(1993, 6)))
	require.Equal(t, minDate, dateColumn(twin.YearDate(2200)))
}
