package sink

import (
	"errors"
	"fmt"

	gojson "github.com/goccy/go-json"

	"github.com/twinwatch/twinwatch/twin"
)

// decodeObservation is twin.DecodeObservation with github.com/goccy/go-json
// in place of encoding/json: decoding is most of the sink's CPU per message,
// and go-json decodes the same struct tags and Unmarshaler methods about three
// times faster (BenchmarkDecodeObservation). Validation is twin's, and every
// error wraps twin.ErrInvalid exactly as twin.DecodeObservation's do; a test
// holds the two to the same answers.
func decodeObservation(data []byte) (twin.Observation, error) {
	var o twin.Observation
	if err := gojson.Unmarshal(data, &o); err != nil {
		if errors.Is(err, twin.ErrInvalid) {
			return o, err
		}
		return o, fmt.Errorf("twin: decode observation: %w: %w", err, twin.ErrInvalid)
	}
	if err := o.Validate(); err != nil {
		return o, err
	}
	return o, nil
}
