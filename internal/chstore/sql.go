package chstore

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
)

// sqlFS holds every statement the package runs: migrations, inserts (with
// their explicit column lists) and queries. Read-only.
//
//go:embed sql
var sqlFS embed.FS

// mustSQL returns an embedded file; the names are constants of this package,
// so a missing one is a programming error caught by every test.
func mustSQL(name string) string {
	b, err := sqlFS.ReadFile(path.Join("sql", name))
	if err != nil {
		panic(fmt.Sprintf("chstore: embedded sql/%s: %v", name, err))
	}
	return strings.TrimSpace(string(b))
}

// splitStatements splits a .sql file into statements: a statement ends with
// a ';' at the end of a line. Lines that are only "--" comments are dropped
// (comments inside string literals are not supported, and not used).
func splitStatements(src string) []string {
	var out []string
	var cur strings.Builder
	flush := func() {
		if s := strings.TrimSpace(cur.String()); s != "" {
			out = append(out, s)
		}
		cur.Reset()
	}
	for line := range strings.SplitSeq(src, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "--") {
			continue
		}
		if strings.HasSuffix(t, ";") {
			cur.WriteString(strings.TrimSuffix(strings.TrimRight(line, " \t\r"), ";"))
			flush()
			continue
		}
		cur.WriteString(line)
		cur.WriteByte('\n')
	}
	flush()
	return out
}

// migration is one embedded sql/migrations/NNNN_name.sql file.
type migration struct {
	version    uint32
	name       string // file name without .sql, e.g. "0001_pages"
	statements []string
	checksum   string
}

// migrations returns the embedded migrations in version order, or an error
// if a file name is not NNNN_name.sql or two share a version.
func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(sqlFS, "sql/migrations")
	if err != nil {
		return nil, fmt.Errorf("chstore: read embedded migrations: %w", err)
	}
	var out []migration
	seen := map[uint32]string{}
	for _, e := range entries { // ReadDir sorts by name, so by version
		name, ok := strings.CutSuffix(e.Name(), ".sql")
		num, _, ok2 := strings.Cut(name, "_")
		v, err := strconv.ParseUint(num, 10, 32)
		if !ok || !ok2 || len(num) != 4 || err != nil {
			return nil, fmt.Errorf("chstore: migration file %q is not NNNN_name.sql", e.Name())
		}
		if prev, dup := seen[uint32(v)]; dup {
			return nil, fmt.Errorf("chstore: migrations %q and %q share version %d", prev, e.Name(), v)
		}
		seen[uint32(v)] = e.Name()
		src := mustSQL("migrations/" + e.Name())
		out = append(out, migration{
			version: uint32(v), name: name, statements: splitStatements(src), checksum: checksum(src),
		})
	}
	return out, nil
}

// quoteIdent renders an identifier for ClickHouse: `name` with backquotes
// and backslashes escaped.
func quoteIdent(s string) string {
	return "`" + strings.NewReplacer("\\", "\\\\", "`", "\\`").Replace(s) + "`"
}
