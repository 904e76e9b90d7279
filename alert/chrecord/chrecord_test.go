package chrecord_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/alert"
	"github.com/twinwatch/twinwatch/alert/chrecord"
	"github.com/twinwatch/twinwatch/internal/chstore"
	"github.com/twinwatch/twinwatch/internal/chstore/chtest"
	"github.com/twinwatch/twinwatch/twin"
)

func TestMain(m *testing.M) { chtest.Run(m) }

// Records land in alert_log; recording one twice (a redelivery) reads back once.
func TestRecordIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: starts clickhouse-server")
	}
	cfg := chtest.NewDatabase(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	st, err := chstore.Open(ctx, cfg, nil)
	require.NoError(t, err)
	t.Cleanup(func() { _ = st.Close() })
	_, err = st.Migrate(ctx)
	require.NoError(t, err)

	ru := twin.Place{ID: "gn:1", Country: twin.RU, Kind: twin.City, NameEN: "Khabarovsk"}
	cn := twin.Place{ID: "gn:2", Country: twin.CN, Kind: twin.City, NameEN: "Fuyuan"}
	o := twin.NewAgreement(ru, cn, twin.Twin, twin.Signed, twin.MustDate("2026-11-19"), "https://a.example/1")
	o.Evidence, o.Confidence, o.Source = "signed", 0.9, "news"
	at := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	rec := chrecord.New(st.Conn(), 0)
	alertRec := alert.Record{AgreementID: o.ID, Kind: "alert", Sources: 1, Observation: o, At: at}
	require.NoError(t, rec.Record(ctx, alertRec))
	require.NoError(t, rec.Record(ctx, alertRec))
	o2 := o
	o2.URL, o2.Established = "https://b.example/2", twin.Date{}
	require.NoError(t, rec.Record(ctx, alert.Record{AgreementID: o.ID, Kind: "update", N: 1, NewSource: true, Sources: 2, Observation: o2, At: at}))

	rows, err := st.Conn().Query(ctx, `SELECT kind, n, new_source, sources, url, established, date_precision
		FROM alert_log FINAL WHERE agreement_id = ? ORDER BY kind, n`, o.ID)
	require.NoError(t, err)
	defer rows.Close()
	type row struct {
		kind      string
		n         uint32
		newSource uint8
		sources   uint32
		url, est  string
		precision string
	}
	var got []row
	for rows.Next() {
		var r row
		require.NoError(t, rows.Scan(&r.kind, &r.n, &r.newSource, &r.sources, &r.url, &r.est, &r.precision))
		got = append(got, r)
	}
	require.NoError(t, rows.Err())
	require.Equal(t, []row{
		{"alert", 0, 0, 1, "https://a.example/1", "2026-11-19", "day"},
		{"update", 1, 1, 2, "https://b.example/2", "", "none"},
	}, got)
}
