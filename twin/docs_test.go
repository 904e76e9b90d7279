package twin_test

import (
	"os"
	"regexp"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/twin"
)

// TestMessagesDoc decodes and validates every example in docs/messages.md, so
// the document cannot drift from the code.
func TestMessagesDoc(t *testing.T) {
	t.Parallel()
	doc, err := os.ReadFile("../docs/messages.md")
	require.NoError(t, err)
	blocks := regexp.MustCompile("(?s)```json (\\w+)\n(.*?)```").FindAllSubmatch(doc, -1)
	require.GreaterOrEqual(t, len(blocks), 3)
	for _, b := range blocks {
		switch kind, body := string(b[1]), b[2]; kind {
		case "page":
			_, err := twin.DecodePage(body)
			require.NoError(t, err)
		case "observation":
			_, err := twin.DecodeObservation(body)
			require.NoError(t, err, "%s", body)
		default:
			t.Fatalf("unknown example kind %q", kind)
		}
	}
}
