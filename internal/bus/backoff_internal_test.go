package bus

import (
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/config/spec"
)

func TestBackoffDelay(t *testing.T) {
	t.Parallel()
	c := BackoffConfig{Initial: spec.Duration(time.Second), Max: spec.Duration(time.Minute)}
	tests := []struct {
		delivered uint64
		want      time.Duration // before jitter; the result is in [want/2, want]
	}{
		{0, time.Second},
		{1, time.Second},
		{2, 2 * time.Second},
		{3, 4 * time.Second},
		{6, 32 * time.Second},
		{7, time.Minute},
		{1000, time.Minute},
		{^uint64(0), time.Minute},
	}
	for _, tc := range tests {
		for range 50 {
			d := c.delay(tc.delivered)
			require.GreaterOrEqual(t, d, tc.want/2, "delivered %d", tc.delivered)
			require.LessOrEqual(t, d, tc.want, "delivered %d", tc.delivered)
		}
	}
}

func TestOneLine(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in string
		n        int
		want     string
	}{
		{"plain", "bad page", 100, "bad page"},
		{"newlines", "a\nb\r\nc\rd", 100, "a b c d"},
		{"truncated", "abcdef", 3, "abc"},
		{"utf8 boundary", "Харбин", 3, "Х"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.Equal(t, tc.want, oneLine(tc.in, tc.n))
		})
	}
}

// FuzzOneLine checks that any error text becomes a safe header value.
func FuzzOneLine(f *testing.F) {
	for _, s := range []string{"", "plain", "a\r\nb", "Харбин\n哈尔滨", "\xff\xfe"} {
		f.Add(s, 10)
	}
	f.Fuzz(func(t *testing.T, s string, n int) {
		if n < 0 || n > 4096 {
			return
		}
		got := oneLine(s, n)
		require.LessOrEqual(t, len(got), max(n, 0))
		require.NotContains(t, got, "\n")
		require.NotContains(t, got, "\r")
		require.True(t, utf8.ValidString(got))
	})
}
