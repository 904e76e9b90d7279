package parser_test

import (
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/parser"
	"github.com/twinwatch/twinwatch/parser/eval"
	"github.com/twinwatch/twinwatch/parser/gazetteer"
)

var (
	gazOnce sync.Once
	gaz     *gazetteer.Gazetteer
	gazErr  error
)

// newParser returns a Parser with the default config and the embedded
// gazetteer, loaded once per test binary.
func newParser(t testing.TB) *parser.Parser {
	t.Helper()
	gazOnce.Do(func() { gaz, gazErr = gazetteer.Load() })
	require.NoError(t, gazErr)
	return parser.New(parser.DefaultConfig(), gaz)
}

// TestCorpusTargets fails when the extractor drops below the project's
// targets on the labelled corpus. Run with -v to see the table and every
// page's mistakes.
func TestCorpusTargets(t *testing.T) {
	var out strings.Builder
	rep, err := eval.Run("testdata/corpus", newParser(t), true, &out)
	require.NoError(t, err)
	t.Log("\n" + out.String())
	all := rep.All()
	require.Equal(t, 46, all.Pages)
	require.GreaterOrEqual(t, all.Agreements.F1(), 0.93, "agreement F1")
	require.GreaterOrEqual(t, all.Signed.P(), 0.95, "precision of signed")
	require.GreaterOrEqual(t, all.Status.Rate(), 0.90, "status accuracy")
	require.GreaterOrEqual(t, all.Year.Rate(), 0.90, "year accuracy")
	require.GreaterOrEqual(t, all.Events.F1(), 0.80, "event F1")
}

// TestCases scores our own labelled cases (testdata/cases, corpus format):
// short pages for the hard parts, written for this project.
func TestCases(t *testing.T) {
	var out strings.Builder
	rep, err := eval.Run("testdata/cases", newParser(t), true, &out)
	require.NoError(t, err)
	t.Log("\n" + out.String())
	all := rep.All()
	require.GreaterOrEqual(t, all.Agreements.F1(), 0.85, "agreement F1 on cases")
	require.GreaterOrEqual(t, all.Signed.P(), 0.9, "precision of signed on cases")
	require.GreaterOrEqual(t, all.Events.F1(), 0.7, "event F1 on cases")
}
