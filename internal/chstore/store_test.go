package chstore_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/config/spec"
	"github.com/twinwatch/twinwatch/internal/chstore"
	"github.com/twinwatch/twinwatch/internal/chstore/chtest"
	"github.com/twinwatch/twinwatch/twin"
)

func TestMain(m *testing.M) { chtest.Run(m) }

func ctxT(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// openStore opens a migrated store on a fresh database.
func openStore(t testing.TB, opts ...func(*chstore.Config)) *chstore.Store {
	t.Helper()
	ctx := ctxT(t)
	cfg := chtest.NewDatabase(t)
	for _, o := range opts {
		o(&cfg)
	}
	s, err := chstore.Open(ctx, cfg, slog.New(slog.DiscardHandler))
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	_, err = s.Migrate(ctx)
	require.NoError(t, err)
	return s
}

var (
	khabarovsk = twin.Place{ID: "gn:2022890", Country: twin.RU, Kind: twin.City, NameRU: "Хабаровск", NameZH: "哈巴罗夫斯克", NameEN: "Khabarovsk", Region: "Khabarovsk Krai"}
	harbin     = twin.Place{ID: "gn:2037013", Country: twin.CN, Kind: twin.City, NameRU: "Харбин", NameZH: "哈尔滨", NameEN: "Harbin", Region: "Heilongjiang"}
	sverdlovsk = twin.Place{ID: "gn:1490542", Country: twin.RU, Kind: twin.Region, NameRU: "Свердловская область", NameEN: "Sverdlovsk Oblast"}
	heilong    = twin.Place{ID: "gn:2036965", Country: twin.CN, Kind: twin.Region, NameZH: "黑龙江", NameEN: "Heilongjiang"}
)

func agreement(ru, cn twin.Place, est twin.Date, url string, seen time.Time) twin.Observation {
	o := twin.NewAgreement(ru, cn, twin.Twin, twin.Existing, est, url)
	o.Evidence, o.Confidence, o.Source, o.Lang, o.Extractor, o.Origin, o.SeenAt = "…побратимы с "+est.String(), 0.9, "test", "ru", "parser/1.0.0", twin.OriginCrawl, seen
	return o
}

func event(ru, cn twin.Place, c twin.Category, d twin.Date, url string, seen time.Time) twin.Observation {
	o := twin.NewEvent(ru, cn, c, d, url)
	o.Evidence, o.Confidence, o.Source, o.Lang, o.Extractor, o.Origin, o.SeenAt = "делегация", 0.8, "test", "ru", "parser/1.0.0", twin.OriginCrawl, seen
	return o
}

func TestMigrateTwiceIntegration(t *testing.T) {
	s := openStore(t) // applied once
	ctx := ctxT(t)
	again, err := s.Migrate(ctx)
	require.NoError(t, err)
	require.Empty(t, again, "second Migrate applies nothing")

	// A fresh database gets every migration, in order.
	s2, err := chstore.Open(ctx, chtest.NewDatabase(t), nil)
	require.NoError(t, err)
	defer s2.Close()
	applied, err := s2.Migrate(ctx)
	require.NoError(t, err)
	require.Subset(t, applied, []string{"0001_pages", "0002_agreement_mentions", "0003_events", "0004_agreements", "0005_analyst_views"})
	require.IsIncreasing(t, applied)
	applied, err = s2.Migrate(ctx)
	require.NoError(t, err)
	require.Empty(t, applied)

	tables := func(engine string) []string {
		rows, err := s2.Conn().Query(ctx, "SELECT name FROM system.tables WHERE database = currentDatabase() AND (engine = ? OR ? = '') ORDER BY name", engine, engine)
		require.NoError(t, err)
		defer rows.Close()
		var names []string
		for rows.Next() {
			var n string
			require.NoError(t, rows.Scan(&n))
			names = append(names, n)
		}
		require.NoError(t, rows.Err())
		return names
	}
	require.Subset(t, tables(""), []string{"agreement_mentions", "events", "pages", "schema_migrations", "agreements", "agreements_by_region",
		"agreements_by_relation", "agreements_dating", "agreements_per_year", "events_latest", "events_per_year", "mentions",
		"pairs_activity", "sources_report"})
	views := tables("View")
	require.NotEmpty(t, views)

	// Every view answers, empty or not.
	seen := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	require.NoError(t, s2.InsertObservations(ctx, []twin.Observation{
		agreement(khabarovsk, harbin, twin.MustDate("1993"), "https://a.example/1", seen),
		event(sverdlovsk, heilong, twin.Youth, twin.MustDate("2019-07"), "https://a.example/2", seen),
	}))
	for _, v := range views {
		r, err := s2.Conn().Query(ctx, "SELECT * FROM "+v)
		require.NoError(t, err, "view %s (from some migration) does not answer", v)
		for r.Next() {
		}
		require.NoError(t, r.Err(), v)
		r.Close()
	}
}

func TestMigrateRefusesEditedMigrationIntegration(t *testing.T) {
	s := openStore(t)
	ctx := ctxT(t)
	require.NoError(t, s.Conn().Exec(ctx, `INSERT INTO schema_migrations (version, name, checksum, applied_at)
		SELECT 1, '0001_pages', 'edited', now() + 60`))
	_, err := s.Migrate(ctx)
	require.ErrorIs(t, err, chstore.ErrMigrationChanged)
	require.False(t, chstore.IsRetryable(err))
}

func TestInsertDuplicatesIntegration(t *testing.T) {
	s := openStore(t)
	ctx := ctxT(t)
	seen := time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	a1 := agreement(khabarovsk, harbin, twin.MustDate("1993-06-15"), "https://khabarovskadm.ru/a", seen)
	a2 := agreement(khabarovsk, harbin, twin.MustDate("1993"), "https://harbin.gov.cn/b", seen)
	a3 := agreement(sverdlovsk, heilong, twin.Date{}, "https://midural.ru/c", seen)
	e1 := event(khabarovsk, harbin, twin.Culture, twin.MustDate("2024-05-17"), "https://khabarovskadm.ru/e", seen)
	e2 := event(sverdlovsk, heilong, twin.Economy, twin.Date{}, "https://midural.ru/e", seen)

	// Same mention and same event twice in one call, and again in a later call.
	require.NoError(t, s.InsertObservations(ctx, []twin.Observation{a1, e1, a1, a2, e1, a3, e2}))
	require.NoError(t, s.InsertObservations(ctx, []twin.Observation{a1, e1}))
	// Two pages, one fetched twice.
	p := twin.Page{V: 1, Source: "test", URL: "https://khabarovskadm.ru/a", Status: 200, FetchedAt: seen, ContentHash: "h1", Body: "тело"}
	p2 := p
	p2.ContentHash, p2.Body = "h2", "другое тело"
	require.NoError(t, s.InsertPages(ctx, []twin.Page{p, p, p2}))
	require.NoError(t, s.InsertPages(ctx, []twin.Page{p}))

	got, err := s.Counts(ctx)
	require.NoError(t, err)
	require.Equal(t, chstore.Counts{Pages: 2, Agreements: 2, Mentions: 3, Events: 2}, got)

	var bytes uint64
	require.NoError(t, s.Conn().QueryRow(ctx, "SELECT bytes FROM pages FINAL WHERE content_hash = 'h1'").Scan(&bytes))
	require.Equal(t, uint64(len("тело")), bytes)

	// The views deduplicate too.
	var mentions, events uint64
	require.NoError(t, s.Conn().QueryRow(ctx, "SELECT count() FROM mentions").Scan(&mentions))
	require.NoError(t, s.Conn().QueryRow(ctx, "SELECT count() FROM events_latest").Scan(&events))
	require.Equal(t, []uint64{3, 2}, []uint64{mentions, events})

	// The row round-trips.
	var ruName, cnName, relation, established, precision, origin string
	var estDate time.Time
	require.NoError(t, s.Conn().QueryRow(ctx, `SELECT ru_name_ru, cn_name_zh, toString(relation), established, established_date,
		toString(established_precision), toString(origin) FROM mentions WHERE mention_id = ?`, a1.MentionID).
		Scan(&ruName, &cnName, &relation, &established, &estDate, &precision, &origin))
	require.Equal(t, []string{"Хабаровск", "哈尔滨", "twin", "1993-06-15", "day", "crawl"}, []string{ruName, cnName, relation, established, precision, origin})
	require.Equal(t, "1993-06-15", estDate.Format(time.DateOnly))
}

func TestBestKnownDateIntegration(t *testing.T) {
	s := openStore(t)
	ctx := ctxT(t)
	seen := time.Date(2026, 1, 10, 0, 0, 0, 0, time.UTC)
	year := agreement(khabarovsk, harbin, twin.MustDate("1993"), "https://a.example/1", seen)
	month := agreement(khabarovsk, harbin, twin.MustDate("1993-06"), "https://b.example/2", seen.Add(time.Hour))
	day := agreement(khabarovsk, harbin, twin.MustDate("1993-06-15"), "https://c.example/3", seen.Add(-time.Hour))
	day.Source = "other"
	undated := agreement(khabarovsk, harbin, twin.Date{}, "https://d.example/4", seen.Add(2*time.Hour))
	// An intent with a day date does not date the agreement.
	intent := agreement(khabarovsk, harbin, twin.MustDate("1992-01-02"), "https://e.example/5", seen)
	intent.Status = twin.Intent
	// Month mention re-extracted by an older extractor, later: it does not replace the newer one.
	older := month
	older.Extractor, older.Established, older.SeenAt = "parser/0.9.0", twin.MustDate("1990"), seen.AddDate(0, 2, 0) // another partition
	// The year mention re-extracted by a newer extractor: now it knows the day, differently.
	newer := year
	newer.Extractor, newer.Established, newer.SeenAt, newer.Confidence = "parser/1.1.0", twin.MustDate("1993-06-16"), seen.AddDate(0, 1, 0), 0.5

	require.NoError(t, s.InsertObservations(ctx, []twin.Observation{year, month, undated, intent}))
	require.NoError(t, s.InsertObservations(ctx, []twin.Observation{day, older}))

	type row struct {
		established, precision string
		date                   time.Time
		mentions, sources      uint64
	}
	read := func() row {
		var r row
		require.NoError(t, s.Conn().QueryRow(ctx, `SELECT established, toString(established_precision), established_date, mentions, sources
			FROM agreements WHERE agreement_id = ?`, year.ID).Scan(&r.established, &r.precision, &r.date, &r.mentions, &r.sources))
		return r
	}
	got := read()
	require.Equal(t, "1993-06-15", got.established, "the most precise non-intent date wins")
	require.Equal(t, "day", got.precision)
	require.Equal(t, "1993-06-15", got.date.Format(time.DateOnly))
	require.Equal(t, uint64(5), got.mentions)
	require.Equal(t, uint64(2), got.sources)

	var monthEst string
	require.NoError(t, s.Conn().QueryRow(ctx, "SELECT established FROM mentions WHERE mention_id = ?", month.MentionID).Scan(&monthEst))
	require.Equal(t, "1993-06", monthEst, "an older extractor's later row does not win")

	// Two day-precision mentions: the higher confidence wins.
	require.NoError(t, s.InsertObservations(ctx, []twin.Observation{newer}))
	require.Equal(t, "1993-06-15", read().established)
	newer.Confidence = 0.95
	newer.SeenAt = newer.SeenAt.Add(time.Second)
	require.NoError(t, s.InsertObservations(ctx, []twin.Observation{newer}))
	require.Equal(t, "1993-06-16", read().established)
	require.Equal(t, uint64(5), read().mentions)
}

func TestAgreementsPerYearIntegration(t *testing.T) {
	s := openStore(t)
	ctx := ctxT(t)
	rng := rand.New(rand.NewPCG(1, 2))
	seen := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	thisYear := time.Now().UTC().Year()
	perYear := map[int]uint64{}
	var before1988, undated uint64
	var obs []twin.Observation
	for i := range 300 {
		ru := twin.Place{ID: fmt.Sprintf("ru:%d", i), Country: twin.RU, Kind: twin.City, NameRU: fmt.Sprintf("Город %d", i)}
		cn := twin.Place{ID: fmt.Sprintf("cn:%d", i), Country: twin.CN, Kind: twin.City, NameZH: fmt.Sprintf("城市%d", i)}
		var est twin.Date
		switch k := rng.IntN(10); {
		case k == 0:
			undated++
		default:
			y := 1960 + rng.IntN(thisYear-1960+1)
			est = twin.Date{Year: y}
			if k > 5 {
				est = twin.Date{Year: y, Month: 1 + rng.IntN(12), Day: 1 + rng.IntN(28)}
			}
			if y < 1988 {
				before1988++
			} else {
				perYear[y]++
			}
		}
		o := agreement(ru, cn, est, fmt.Sprintf("https://x.example/%d", i), seen)
		obs = append(obs, o)
		if rng.IntN(3) == 0 { // a second, undated mention of the same agreement
			obs = append(obs, agreement(ru, cn, twin.Date{}, fmt.Sprintf("https://y.example/%d", i), seen))
		}
	}
	require.NoError(t, s.InsertObservations(ctx, obs))

	rows, err := s.Conn().Query(ctx, "SELECT year, established, cumulative FROM agreements_per_year ORDER BY year")
	require.NoError(t, err)
	defer rows.Close()
	type yr struct {
		year                   uint16
		established, cumulated uint64
	}
	var got, want []yr
	for rows.Next() {
		var r yr
		require.NoError(t, rows.Scan(&r.year, &r.established, &r.cumulated))
		got = append(got, r)
	}
	require.NoError(t, rows.Err())
	cum := before1988
	for y := 1988; y <= thisYear; y++ {
		cum += perYear[y]
		want = append(want, yr{uint16(y), perYear[y], cum})
	}
	require.Equal(t, want, got)

	var total, dated, undatedGot uint64
	require.NoError(t, s.Conn().QueryRow(ctx, "SELECT agreements, dated, undated FROM agreements_dating").Scan(&total, &dated, &undatedGot))
	require.Equal(t, []uint64{300, 300 - undated, undated}, []uint64{total, dated, undatedGot})
}

func TestRejectedValuesIntegration(t *testing.T) {
	s := openStore(t)
	ctx := ctxT(t)

	// The server rejects a value: not retryable.
	err := s.Conn().Exec(ctx, "INSERT INTO agreement_mentions (mention_id, confidence) SELECT 'm', toFloat64('not a number')")
	require.Error(t, err)
	var ex *clickhouse.Exception
	require.ErrorAs(t, err, &ex)
	require.False(t, chstore.IsRetryable(err), "code %d", ex.Code)

	require.False(t, chstore.IsRetryable(err))
	err = s.Conn().Exec(ctx, "INSERT INTO agreement_mentions (mention_id, relation) SELECT 'm', 'alliance'")
	require.ErrorAs(t, err, &ex)
	require.False(t, chstore.IsRetryable(err), "code %d", ex.Code)

	err = s.Conn().Exec(ctx, "INSERT INTO agreement_mentions (mention_id, established_date) SELECT 'm', toDate('not a date')")
	require.Error(t, err)
	require.False(t, chstore.IsRetryable(err))

	// Rows chstore can never write: *InvalidError naming them, nothing inserted.
	seen := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	good := agreement(khabarovsk, harbin, twin.MustDate("1993"), "https://a.example/1", seen)
	badRel := good
	badRel.Relation = "alliance"
	badKind := event(khabarovsk, harbin, twin.Sport, twin.Date{}, "https://a.example/2", seen)
	badKind.Places[1].Kind = "village"
	badType := good
	badType.Type = "rumour"
	badDate := good
	badDate.Established = twin.Date{Year: 1993, Month: 2, Day: 30}
	err = s.InsertObservations(ctx, []twin.Observation{good, badRel, badKind, badType, badDate})
	var inv *chstore.InvalidError
	require.ErrorAs(t, err, &inv)
	require.Equal(t, []int{1, 2, 3, 4}, inv.Rows)
	require.ErrorIs(t, err, twin.ErrInvalid)
	require.False(t, chstore.IsRetryable(err))

	err = s.InsertPages(ctx, []twin.Page{{V: 1, Source: "s", URL: "u", ContentHash: "h", FetchedAt: seen, Status: 70000}, {V: 1}})
	require.ErrorAs(t, err, &inv)
	require.Equal(t, []int{0, 1}, inv.Rows)

	c, err := s.Counts(ctx)
	require.NoError(t, err)
	require.Equal(t, chstore.Counts{}, c)
}

func TestStoppedServerIntegration(t *testing.T) {
	ctx := ctxT(t)
	dir := filepath.Join(t.TempDir(), "data & <more>") // XML-escaped in the generated config
	l := chtest.NewLocal(t, dir)                       // its own server: this test stops it

	// A second start on the same directory reuses the running server.
	l2, err := chstore.StartLocal(ctx, "clickhouse-server", dir, nil)
	require.NoError(t, err)
	require.Equal(t, l.Addr(), l2.Addr())
	require.NoError(t, l2.Stop(ctx), "stopping a reused server is a no-op")

	cfg := chstore.DefaultConfig()
	cfg.Addr = []string{l.Addr()}
	cfg.DialTimeout = spec.Duration(2 * time.Second)
	s, err := chstore.Open(ctx, cfg, nil)
	require.NoError(t, err)
	defer s.Close()
	_, err = s.Migrate(ctx)
	require.NoError(t, err)
	seen := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	obs := []twin.Observation{agreement(khabarovsk, harbin, twin.MustDate("1993"), "https://a.example/1", seen)}
	require.NoError(t, s.InsertObservations(ctx, obs))

	t0 := time.Now()
	require.NoError(t, l.Stop(ctx))
	t.Logf("stop took %s", time.Since(t0))
	t0 = time.Now()
	err = s.InsertObservations(ctx, obs)
	t.Logf("insert on stopped server: %v after %s", err, time.Since(t0))
	require.Error(t, err)
	require.True(t, chstore.IsRetryable(err), "%v", err)
	_, err = s.Counts(ctx)
	require.True(t, chstore.IsRetryable(err), "%v", err)

	_, err = chstore.Open(ctx, cfg, nil)
	require.Error(t, err)
	require.True(t, chstore.IsRetryable(err), "%v", err)

	// Restarted on the same directory, the data is still there.
	l3 := chtest.NewLocal(t, dir)
	cfg.Addr = []string{l3.Addr()}
	s3, err := chstore.Open(ctx, cfg, nil)
	require.NoError(t, err)
	defer s3.Close()
	c, err := s3.Counts(ctx)
	require.NoError(t, err)
	require.Equal(t, uint64(1), c.Mentions)
}

func TestStartLocalNotInstalled(t *testing.T) {
	_, err := chstore.StartLocal(ctxT(t), "no-such-clickhouse-server", t.TempDir(), nil)
	require.ErrorIs(t, err, chstore.ErrNotInstalled)
	require.Contains(t, err.Error(), "make clickhouse-install")
	_, err = chstore.StartLocal(ctxT(t), "/nonexistent/clickhouse-server", t.TempDir(), nil)
	require.ErrorIs(t, err, chstore.ErrNotInstalled)
}

func TestOpenWithoutAddr(t *testing.T) {
	_, err := chstore.Open(ctxT(t), chstore.DefaultConfig(), nil)
	require.ErrorIs(t, err, chstore.ErrNoAddr)
	cfg := chstore.DefaultConfig()
	cfg.Database = "bad-name"
	_, err = chstore.Open(ctxT(t), cfg, nil)
	require.Error(t, err)
	require.False(t, errors.Is(err, chstore.ErrNoAddr))

	cfg = chstore.DefaultConfig()
	cfg.Addr = []string{"127.0.0.1:1"}
	cfg.TLS = chstore.TLSConfig{Enabled: true, CAFile: filepath.Join(t.TempDir(), "missing.pem")}
	_, err = chstore.Open(ctxT(t), cfg, nil)
	require.ErrorContains(t, err, "tls.ca_file")
	require.False(t, chstore.IsRetryable(err))
}
