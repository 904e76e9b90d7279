package sinktest_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/sink/sinktest"
	"github.com/twinwatch/twinwatch/twin"
)

func TestObservationsAreValidDistinctAndStable(t *testing.T) {
	t.Parallel()
	obs := sinktest.Observations(1, 0, 2000)
	ids := map[string]bool{}
	for i, o := range obs {
		require.NoError(t, o.Validate(), "observation %d", i)
		data, err := json.Marshal(o)
		require.NoError(t, err)
		back, err := twin.DecodeObservation(data)
		require.NoError(t, err)
		require.Equal(t, o.MsgID(), back.MsgID())
		key := o.ID
		if o.Type == twin.KindAgreement {
			key = o.MentionID
		}
		require.False(t, ids[key], "observation %d repeats an ID", i)
		ids[key] = true
	}
	require.Equal(t, obs[1234], sinktest.Observation(1, 1234), "deterministic")
}

func TestPageIsValid(t *testing.T) {
	t.Parallel()
	p := sinktest.Page(1, 3, 5000)
	require.NoError(t, p.Validate())
	require.GreaterOrEqual(t, len(p.Body), 5000)
}
