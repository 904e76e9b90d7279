package chstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/internal/chstore"
	"github.com/twinwatch/twinwatch/twin"
)

const benchBatch = 5000 // the sink's default batch.count

// benchObservations returns n agreement observations spread over 30 years of
// establishment dates (one ingestion month, as a live sink sees them).
func benchObservations(n int, events bool) []twin.Observation {
	seen := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	obs := make([]twin.Observation, n)
	for i := range obs {
		ru := twin.Place{ID: fmt.Sprintf("ru:%d", i%700), Country: twin.RU, Kind: twin.City, NameRU: "Хабаровск", NameEN: "Khabarovsk", Region: "Khabarovsk Krai"}
		cn := twin.Place{ID: fmt.Sprintf("cn:%d", i%300), Country: twin.CN, Kind: twin.City, NameZH: "哈尔滨", NameEN: "Harbin", Region: "Heilongjiang"}
		url := fmt.Sprintf("https://example.ru/news/%d", i)
		if events && i%5 == 0 {
			obs[i] = event(ru, cn, twin.Culture, twin.Date{Year: 1990 + i%30, Month: 1 + i%12, Day: 1 + i%28}, url, seen)
		} else {
			obs[i] = agreement(ru, cn, twin.Date{Year: 1990 + i%30, Month: 1 + i%12}, url, seen)
		}
		obs[i].Evidence = "Хабаровск и Харбин являются городами-побратимами с 1993 года, сообщает пресс-служба администрации города."
	}
	return obs
}

// BenchmarkInsertObservationsIntegration measures Store.InsertObservations
// with batches of 5000 (rows/s); compare with BenchmarkBarePrepareBatchIntegration.
func BenchmarkInsertObservationsIntegration(b *testing.B) {
	for _, mix := range []struct {
		name   string
		events bool
		batch  int
		comp   string
	}{
		{"agreements", false, benchBatch, chstore.CompressionLZ4},
		{"agreements-none", false, benchBatch, chstore.CompressionNone},
		{"mixed", true, benchBatch, chstore.CompressionLZ4},
		{"agreements-20k", false, 4 * benchBatch, chstore.CompressionLZ4},
	} {
		b.Run(mix.name, func(b *testing.B) {
			s := openStore(b, func(c *chstore.Config) { c.Compression = mix.comp })
			ctx := ctxT(b)
			obs := benchObservations(mix.batch, mix.events)
			b.ReportAllocs()
			for b.Loop() {
				if err := s.InsertObservations(ctx, obs); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*len(obs))/b.Elapsed().Seconds(), "rows/s")
		})
	}
}

// BenchmarkBarePrepareBatchIntegration inserts the same agreement rows with
// bare clickhouse-go, row by row (PrepareBatch, Append, Send): the reference
// rate the Store must stay within a factor 2 of.
func BenchmarkBarePrepareBatchIntegration(b *testing.B) {
	s := openStore(b)
	ctx := ctxT(b)
	obs := benchObservations(benchBatch, false)
	query := "INSERT INTO agreement_mentions (mention_id, agreement_id, version, ru_id, ru_name_ru, ru_name_zh, ru_name_en, ru_kind, ru_region, cn_id, cn_name_ru, cn_name_zh, cn_name_en, cn_kind, cn_region, relation, status, established, established_date, established_precision, evidence, confidence, source, url, published, published_date, lang, extractor, origin, seen_at)"
	b.ReportAllocs()
	for b.Loop() {
		batch, err := s.Conn().PrepareBatch(ctx, query)
		require.NoError(b, err)
		for _, o := range obs {
			ru, cn := o.Places[0], o.Places[1]
			if err := batch.Append(o.MentionID, o.ID, chstore.Version(o.Extractor, o.SeenAt),
				ru.ID, ru.NameRU, ru.NameZH, ru.NameEN, string(ru.Kind), ru.Region,
				cn.ID, cn.NameRU, cn.NameZH, cn.NameEN, string(cn.Kind), cn.Region,
				string(o.Relation), string(o.Status), o.Established.String(), o.Established.Start(), int8(o.Established.Precision()),
				o.Evidence, o.Confidence, o.Source, o.URL, o.Published.String(), time.Unix(0, 0), o.Lang, o.Extractor, string(o.Origin), o.SeenAt,
			); err != nil {
				b.Fatal(err)
			}
		}
		require.NoError(b, batch.Send())
	}
	b.ReportMetric(float64(b.N*len(obs))/b.Elapsed().Seconds(), "rows/s")
}
