package sink_test

import (
	"encoding/json"
	"testing"

	"github.com/twinwatch/twinwatch/sink/sinktest"
	"github.com/twinwatch/twinwatch/twin"
)

// BenchmarkDecodeObservationStdlib is twin.DecodeObservation (encoding/json
// and validation with ID derivation): the baseline of the sink's own decoder,
// BenchmarkDecodeObservation.
func BenchmarkDecodeObservationStdlib(b *testing.B) {
	data, err := json.Marshal(sinktest.Observation(1, 1))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := twin.DecodeObservation(data); err != nil {
			b.Fatal(err)
		}
	}
}
