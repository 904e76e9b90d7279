package parser_test

import (
	"os/exec"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestImports keeps the extractor pure: no package of parser imports the
// network, the bus or the store directly, and none pulls NATS, ClickHouse or
// colly in at all.
func TestImports(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}}: {{join .Imports \" \"}}", "github.com/twinwatch/twinwatch/parser/...").CombinedOutput()
	require.NoError(t, err, string(out))
	direct := []string{"net/http", "github.com/nats-io/", "github.com/ClickHouse/", "github.com/gocolly/"}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		pkg, imports, _ := strings.Cut(line, ": ")
		for _, imp := range strings.Fields(imports) {
			for _, bad := range direct {
				require.False(t, strings.HasPrefix(imp, bad), "%s imports %s", pkg, imp)
			}
		}
	}
	deps, err := exec.Command("go", "list", "-deps", "github.com/twinwatch/twinwatch/parser").CombinedOutput()
	require.NoError(t, err, string(deps))
	for _, d := range strings.Fields(string(deps)) {
		for _, bad := range direct[1:] {
			require.False(t, strings.HasPrefix(d, bad), "parser depends on %s", d)
		}
	}
}
