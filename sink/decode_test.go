package sink

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/sink/sinktest"
	"github.com/twinwatch/twinwatch/twin"
)

// TestDecodeObservationMatchesTwin holds the sink's fast decoder to the
// answers of twin.DecodeObservation, valid and invalid input alike.
func TestDecodeObservationMatchesTwin(t *testing.T) {
	t.Parallel()
	good, err := json.Marshal(sinktest.Observation(1, 1))
	require.NoError(t, err)
	ev, err := json.Marshal(sinktest.Observation(2, 7))
	require.NoError(t, err)
	cases := []struct {
		name string
		data string
	}{
		{"agreement", string(good)},
		{"second", string(ev)},
		{"escaped evidence", `{"v":1,"type":"agreement","evidence":"\"quoted\" \u0436"}`},
		{"truncated", string(good[:len(good)/2])},
		{"not json", "not json"},
		{"empty", ""},
		{"wrong version", `{"v":2}`},
		{"bad date", `{"v":1,"type":"agreement","established":"1993-13"}`},
		{"date not string", `{"v":1,"type":"event","date":1993}`},
		{"unknown field is ignored", `{"v":1,"type":"event","x":1}`},
		{"null", "null"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			want, wantErr := twin.DecodeObservation([]byte(tc.data))
			got, gotErr := decodeObservation([]byte(tc.data))
			require.Equal(t, wantErr == nil, gotErr == nil, "twin: %v, sink: %v", wantErr, gotErr)
			if wantErr != nil {
				require.True(t, errors.Is(gotErr, twin.ErrInvalid), "%v", gotErr)
				return
			}
			require.Equal(t, want, got)
		})
	}
}

func FuzzDecodeObservation(f *testing.F) {
	good, _ := json.Marshal(sinktest.Observation(1, 1))
	f.Add(good)
	f.Add([]byte(`{"v":1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		want, wantErr := twin.DecodeObservation(data)
		got, gotErr := decodeObservation(data)
		if (wantErr == nil) != (gotErr == nil) {
			t.Fatalf("twin: %v, sink: %v", wantErr, gotErr)
		}
		if wantErr == nil {
			require.Equal(t, want, got)
		} else {
			require.ErrorIs(t, gotErr, twin.ErrInvalid)
		}
	})
}

// BenchmarkDecodeObservation is the sink's per-message CPU cost before the
// insert: decoding (go-json) and validation with ID derivation.
func BenchmarkDecodeObservation(b *testing.B) {
	data, err := json.Marshal(sinktest.Observation(1, 1))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := decodeObservation(data); err != nil {
			b.Fatal(err)
		}
	}
}
