package backfill_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"os"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/internal/backfill"
	"github.com/twinwatch/twinwatch/internal/bus/bustest"
	"github.com/twinwatch/twinwatch/internal/chstore"
	"github.com/twinwatch/twinwatch/internal/chstore/chtest"
	"github.com/twinwatch/twinwatch/parser/gazetteer"
	"github.com/twinwatch/twinwatch/sink"
	"github.com/twinwatch/twinwatch/twin"
)

func TestMain(m *testing.M) { chtest.Run(m) }

const referenceFile = "../../data/twinning/ru_cn_relations.tsv"

func loadReference(t testing.TB, g *gazetteer.Gazetteer, seen time.Time) backfill.Result {
	t.Helper()
	f, err := os.Open(referenceFile)
	require.NoError(t, err)
	defer f.Close()
	res, err := backfill.Load(f, backfill.TSV, g, seen)
	require.NoError(t, err)
	return res
}

// TestBackfillThenCrawlIntegration backfills the whole reference list through
// bus → sink → ClickHouse, then publishes crawled mentions of some of the same
// agreements (more precise, less precise and conflicting dates) and of a new
// one, and checks: agreements = distinct pairs, every mention kept, the most
// precise date wins, conflicts stay visible.
func TestBackfillThenCrawlIntegration(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	log := slog.New(slog.DiscardHandler)
	st, err := chstore.Open(ctx, chtest.NewDatabase(t), log)
	require.NoError(t, err)
	defer st.Close()
	_, err = st.Migrate(ctx)
	require.NoError(t, err)
	b := bustest.Start(t)
	snk, err := sink.New(sink.DefaultConfig(), b, st, log, prometheus.NewRegistry())
	require.NoError(t, err)
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- snk.Run(sctx) }()
	defer func() { stop(); require.NoError(t, <-done) }()

	g, err := gazetteer.Load()
	require.NoError(t, err)
	seen := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	ref := loadReference(t, g, seen)
	require.NoError(t, backfill.Publish(ctx, b, ref.Observations, 50))

	// crawled mentions: find reference agreements by precision
	var yearOnly, dayOnly, undated twin.Observation
	for _, o := range ref.Observations {
		switch {
		case o.Established.Precision() == twin.PrecisionYear && yearOnly.ID == "":
			yearOnly = o
		case o.Established.Precision() == twin.PrecisionDay && dayOnly.ID == "":
			dayOnly = o
		case o.Established.IsZero() && o.Status != twin.Intent && undated.ID == "":
			undated = o
		}
	}
	require.NotEmpty(t, yearOnly.ID)
	require.NotEmpty(t, dayOnly.ID)
	require.NotEmpty(t, undated.ID)
	crawl := func(ref twin.Observation, est twin.Date, url string) twin.Observation {
		o := twin.NewAgreement(ref.Places[0], ref.Places[1], ref.Relation, twin.Signed, est, url)
		o.Source, o.Origin, o.Confidence, o.Extractor, o.SeenAt = "demo-news", twin.OriginCrawl, 0.9, "rules/1", seen.Add(time.Hour)
		return o
	}
	preciseYear := twin.MustDate(yearOnly.Established.String() + "-06-15")
	conflicting := twin.YearDate(dayOnly.Established.Year + 2)
	// a relation the reference list never uses: certainly a new agreement
	newPair := crawl(twin.Observation{Places: [2]twin.Place{yearOnly.Places[0], dayOnly.Places[1]}, Relation: twin.Cooperation},
		twin.YearDate(2025), "https://news.example/x")
	crawled := []twin.Observation{
		crawl(yearOnly, preciseYear, "https://news.example/a"),                            // more precise than the reference
		crawl(dayOnly, twin.YearDate(dayOnly.Established.Year), "https://news.example/b"), // less precise
		crawl(dayOnly, conflicting, "https://news.example/c"),                             // a conflict
		crawl(undated, twin.MonthDate(2011, 5), "https://news.example/d"),                 // dates an undated one
		newPair,
	}
	for _, o := range crawled {
		require.NoError(t, o.Validate())
	}
	require.NoError(t, b.PublishObservations(ctx, crawled))

	wantMentions := uint64(len(ref.Observations) + len(crawled))
	pairs := map[string]bool{}
	for _, o := range append(append([]twin.Observation{}, ref.Observations...), crawled...) {
		pairs[twin.AgreementID(o.Places[0].ID, o.Places[1].ID, o.Relation)] = true
	}
	conn := st.Conn()
	require.Eventually(t, func() bool {
		var n uint64
		return conn.QueryRow(ctx, "SELECT count() FROM mentions").Scan(&n) == nil && n == wantMentions
	}, 2*time.Minute, 50*time.Millisecond, "all %d mentions stored", wantMentions)

	var agreements, refMentions, undatedN uint64
	require.NoError(t, conn.QueryRow(ctx, "SELECT count() FROM agreements").Scan(&agreements))
	require.Equal(t, uint64(len(pairs)), agreements, "one agreement per distinct pair and relation")
	require.NoError(t, conn.QueryRow(ctx, "SELECT count() FROM mentions WHERE origin = 'reference' AND source = 'reference'").Scan(&refMentions))
	require.Equal(t, uint64(len(ref.Observations)), refMentions)
	require.NoError(t, conn.QueryRow(ctx, "SELECT undated FROM agreements_dating").Scan(&undatedN))
	require.Equal(t, uint64(ref.Undated-1), undatedN, "the crawl dated one undated agreement")

	est := func(id string) string {
		var s string
		require.NoError(t, conn.QueryRow(ctx, "SELECT established FROM agreements WHERE agreement_id = ?", id).Scan(&s))
		return s
	}
	require.Equal(t, preciseYear.String(), est(yearOnly.ID), "crawl's day beats the reference's year")
	require.Equal(t, dayOnly.Established.String(), est(dayOnly.ID), "reference's day beats the crawl's year")
	require.Equal(t, "2011-05", est(undated.ID))

	var dates []string
	var conflict uint8
	require.NoError(t, conn.QueryRow(ctx, "SELECT established_dates, date_conflict FROM agreements_geo WHERE agreement_id = ?", dayOnly.ID).Scan(&dates, &conflict))
	require.ElementsMatch(t, []string{dayOnly.Established.String(), twin.YearDate(dayOnly.Established.Year).String(), conflicting.String()}, dates)
	require.Equal(t, uint8(1), conflict, "a date two years off is a visible conflict")
	require.NoError(t, conn.QueryRow(ctx, "SELECT date_conflict FROM agreements_geo WHERE agreement_id = ?", yearOnly.ID).Scan(&conflict))
	require.Equal(t, uint8(0), conflict, "a refinement of the same year is no conflict")
}

// BenchmarkBackfillPipelineIntegration measures the pipeline time of the
// whole reference list beyond start-up: read + map, publish to
// OBSERVATIONS, the sink's batch insert into ClickHouse, until drained.
// Each iteration uses a new extractor name, so its messages are new.
func BenchmarkBackfillPipelineIntegration(b *testing.B) {
	ctx := context.Background()
	log := slog.New(slog.DiscardHandler)
	st, err := chstore.Open(ctx, chtest.NewDatabase(b), log)
	require.NoError(b, err)
	defer st.Close()
	_, err = st.Migrate(ctx)
	require.NoError(b, err)
	bs := bustest.Start(b)
	cfg := sink.DefaultConfig()
	snk, err := sink.New(cfg, bs, st, log, prometheus.NewRegistry())
	require.NoError(b, err)
	sctx, stop := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- snk.Run(sctx) }()
	defer func() { stop(); <-done }()
	g, err := gazetteer.Load()
	require.NoError(b, err)
	raw, err := os.ReadFile(referenceFile)
	require.NoError(b, err)
	conn := st.Conn()
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		res, err := backfill.Load(bytes.NewReader(raw), backfill.TSV, g, time.Now())
		require.NoError(b, err)
		ext := fmt.Sprintf("reference/%d", i)
		for j := range res.Observations {
			res.Observations[j].Extractor = ext
		}
		require.NoError(b, backfill.Publish(ctx, bs, res.Observations, 0))
		for {
			var n uint64
			require.NoError(b, conn.QueryRow(ctx, "SELECT count() FROM agreement_mentions WHERE extractor = ?", ext).Scan(&n))
			if n == uint64(len(res.Observations)) {
				break
			}
			time.Sleep(time.Millisecond)
		}
	}
}
