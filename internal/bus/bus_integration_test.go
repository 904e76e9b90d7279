package bus_test

import (
	"context"
	"encoding/json"
	"log/slog"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/config/spec"
	"github.com/twinwatch/twinwatch/internal/bus"
	"github.com/twinwatch/twinwatch/internal/bus/bustest"
	"github.com/twinwatch/twinwatch/twin"
)

func skipShort(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: starts nats-server")
	}
}

func testCtx(t testing.TB) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

func open(t testing.TB, cfg bus.Config, reg *prometheus.Registry) *bus.Bus {
	t.Helper()
	b, err := bus.Open(testCtx(t), cfg, slog.New(slog.DiscardHandler), reg)
	require.NoError(t, err)
	return b
}

func closeBus(t testing.TB, b *bus.Bus) {
	t.Helper()
	require.NoError(t, b.Close(testCtx(t)))
}

func streamMsgs(t testing.TB, b *bus.Bus, stream string) uint64 {
	t.Helper()
	s, err := b.JetStream().Stream(testCtx(t), stream)
	require.NoError(t, err)
	info, err := s.Info(testCtx(t))
	require.NoError(t, err)
	return info.State.Msgs
}

var (
	harbin     = twin.Place{ID: "gn:2037013", Country: twin.CN, Kind: twin.City, NameEN: "Harbin", NameZH: "哈尔滨", Region: "Heilongjiang"}
	khabarovsk = twin.Place{ID: "gn:2022890", Country: twin.RU, Kind: twin.City, NameEN: "Khabarovsk", NameRU: "Хабаровск", Region: "Khabarovsk Krai"}
)

func agreement(url string) twin.Observation {
	o := twin.NewAgreement(khabarovsk, harbin, twin.Twin, twin.Existing, twin.YearDate(1993), url)
	o.Evidence, o.Confidence, o.Lang, o.Extractor = "Хабаровск и Харбин — побратимы с 1993 г.", 0.9, "ru", "test/1"
	return o
}

func TestOpenCreatesStreamsIntegration(t *testing.T) {
	skipShort(t)
	t.Parallel()
	cfg := bustest.Config(t)
	b := bustest.StartConfig(t, cfg)
	require.Regexp(t, `^nats://127\.0\.0\.1:\d+$`, b.ClientURL())

	want := map[string]struct {
		subject string
		limits  bus.StreamLimits
	}{
		bus.StreamPages:        {bus.SubjectPages, cfg.Streams.Pages},
		bus.StreamObservations: {bus.SubjectObservations, cfg.Streams.Observations},
		bus.StreamAlerts:       {bus.SubjectAlerts, cfg.Streams.Alerts},
		bus.StreamDeadLetter:   {bus.SubjectDeadLetter, cfg.Streams.DeadLetter},
	}
	for name, w := range want {
		s, err := b.JetStream().Stream(testCtx(t), name)
		require.NoError(t, err, name)
		c := s.CachedInfo().Config
		require.Equal(t, []string{w.subject}, c.Subjects, name)
		require.Equal(t, jetstream.FileStorage, c.Storage, name)
		require.Equal(t, w.limits.MaxAge.D(), c.MaxAge, name)
		require.Equal(t, w.limits.MaxBytes, c.MaxBytes, name)
		require.Equal(t, w.limits.Duplicates.D(), c.Duplicates, name)
	}

	// Another process can connect to ClientURL.
	nc, err := nats.Connect(b.ClientURL())
	require.NoError(t, err)
	defer nc.Close()
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	_, err = js.Stream(testCtx(t), bus.StreamPages)
	require.NoError(t, err)
}

func TestOpenUpdatesLimitsIntegration(t *testing.T) {
	skipShort(t)
	t.Parallel()
	cfg := bustest.Config(t)
	closeBus(t, open(t, cfg, nil))

	cfg.Streams.Alerts.MaxBytes = 0 // unlimited
	cfg.Streams.Alerts.Duplicates = cfg.Streams.Alerts.Duplicates / 2
	b := open(t, cfg, nil)
	defer closeBus(t, b)
	s, err := b.JetStream().Stream(testCtx(t), bus.StreamAlerts)
	require.NoError(t, err)
	require.Equal(t, int64(-1), s.CachedInfo().Config.MaxBytes)
	require.Equal(t, 30*time.Minute, s.CachedInfo().Config.Duplicates)
}

func TestPublishDuplicateIntegration(t *testing.T) {
	skipShort(t)
	t.Parallel()
	reg := prometheus.NewRegistry()
	b := open(t, bustest.Config(t), reg)
	defer closeBus(t, b)
	ctx := testCtx(t)

	dup, err := b.Publish(ctx, bus.SubjectAlertAgreement, "a1", []byte(`{"n":1}`))
	require.NoError(t, err)
	require.False(t, dup)
	dup, err = b.Publish(ctx, bus.SubjectAlertAgreement, "a1", []byte(`{"n":2}`))
	require.NoError(t, err)
	require.True(t, dup, "same Msg-Id inside the window is a duplicate")
	dup, err = b.Publish(ctx, bus.SubjectAlertAgreement, "a2", []byte(`{"n":3}`))
	require.NoError(t, err)
	require.False(t, dup)
	require.Equal(t, uint64(2), streamMsgs(t, b, bus.StreamAlerts))

	_, err = b.Publish(ctx, bus.SubjectAlertAgreement, "", []byte(`{}`))
	require.Error(t, err, "a publish without Msg-Id is refused")
	_, err = b.Publish(ctx, "nowhere.at.all", "x", []byte(`{}`))
	require.Error(t, err, "no stream captures the subject")

	require.Equal(t, 2.0, metricValue(t, reg, "twinwatch_bus_published_total", bus.StreamAlerts, "ok"))
	require.Equal(t, 1.0, metricValue(t, reg, "twinwatch_bus_published_total", bus.StreamAlerts, "duplicate"))
	require.Equal(t, 1.0, metricValue(t, reg, "twinwatch_bus_published_total", bus.StreamAlerts, "error"))
	require.Equal(t, 1.0, metricValue(t, reg, "twinwatch_bus_published_total", "other", "error"))

	// A second bus on the same registry shares the collectors.
	b2 := open(t, bustest.Config(t), reg)
	closeBus(t, b2)
}

// metricValue returns the counter name{stream,outcome} from reg (0 if absent).
func metricValue(t testing.TB, reg *prometheus.Registry, name, stream, outcome string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		if mf.GetName() != name {
			continue
		}
		for _, m := range mf.GetMetric() {
			labels := map[string]string{}
			for _, lp := range m.GetLabel() {
				labels[lp.GetName()] = lp.GetValue()
			}
			if labels["stream"] == stream && labels["outcome"] == outcome {
				return m.GetCounter().GetValue()
			}
		}
	}
	return 0
}

func TestPublishPageAndObservationsIntegration(t *testing.T) {
	skipShort(t)
	t.Parallel()
	b := bustest.Start(t)
	ctx := testCtx(t)

	page := twin.Page{V: twin.Version, Source: "Khabarovsk City Hall", URL: "https://khabarovskadm.ru/news/1",
		FetchedAt: time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC), ContentHash: twin.ContentHash([]byte("x")), Body: "<p>Харбин & Хабаровск</p>"}
	require.NoError(t, b.PublishPage(ctx, page))
	require.NoError(t, b.PublishPage(ctx, page), "a republished page is a duplicate, not an error")
	require.Equal(t, uint64(1), streamMsgs(t, b, bus.StreamPages))

	sub, err := b.Subscribe(ctx, bus.ConsumerSpec{Stream: bus.StreamPages, Durable: "pages-test"})
	require.NoError(t, err)
	msgs, err := sub.Fetch(ctx, 10, 200*time.Millisecond)
	require.NoError(t, err)
	require.Len(t, msgs, 1)
	require.Equal(t, "twinwatch.pages.khabarovsk_city_hall", msgs[0].Subject)
	require.Equal(t, page.MsgID(), msgs[0].MsgID)
	require.Contains(t, string(msgs[0].Data), "<p>Харбин & Хабаровск</p>", "HTML is not escaped on the wire")
	got, err := twin.DecodePage(msgs[0].Data)
	require.NoError(t, err)
	require.Equal(t, page, got)
	require.Equal(t, bus.OutcomeOK, sub.Settle(ctx, msgs[0], nil))

	var obs []twin.Observation
	for i := range 50 {
		obs = append(obs, agreement("https://example.ru/news/"+string(rune('a'+i%26))+string(rune('a'+i/26))))
	}
	event := twin.NewEvent(khabarovsk, harbin, twin.Culture, twin.MustDate("2019-06-15"), "https://example.ru/e/1")
	event.Evidence, event.Confidence = "фестиваль", 0.8
	obs = append(obs, event)
	require.NoError(t, b.PublishObservations(ctx, obs))
	require.NoError(t, b.PublishObservations(ctx, obs), "republishing is harmless")
	require.NoError(t, b.PublishObservations(ctx, nil))
	require.Equal(t, uint64(len(obs)), streamMsgs(t, b, bus.StreamObservations))

	sub, err = b.Subscribe(ctx, bus.ConsumerSpec{Stream: bus.StreamObservations, Durable: "events-test", FilterSubjects: []string{bus.SubjectEvent}})
	require.NoError(t, err)
	msgs, err = sub.Fetch(ctx, 10, 200*time.Millisecond)
	require.NoError(t, err)
	require.Len(t, msgs, 1)
	require.Equal(t, bus.SubjectEvent, msgs[0].Subject)
	var o twin.Observation
	require.NoError(t, json.Unmarshal(msgs[0].Data, &o))
	require.Equal(t, event.ID, o.ID)
	require.Equal(t, bus.OutcomeOK, sub.Settle(ctx, msgs[0], nil))
}

func TestRestartKeepsStateIntegration(t *testing.T) {
	skipShort(t)
	t.Parallel()
	cfg := bustest.Config(t)
	ctx := testCtx(t)

	b := open(t, cfg, nil)
	_, err := b.Publish(ctx, bus.SubjectAgreement, "m1", []byte("1"))
	require.NoError(t, err)
	_, err = b.Publish(ctx, bus.SubjectAgreement, "m2", []byte("2"))
	require.NoError(t, err)
	sub, err := b.Subscribe(ctx, bus.ConsumerSpec{Stream: bus.StreamObservations, Durable: "restart"})
	require.NoError(t, err)
	msgs, err := sub.Fetch(ctx, 1, time.Second)
	require.NoError(t, err)
	require.Len(t, msgs, 1)
	require.Equal(t, bus.OutcomeOK, sub.Settle(ctx, msgs[0], nil))
	kv, err := b.KeyValue(ctx, jetstream.KeyValueConfig{Bucket: "crawl_state"})
	require.NoError(t, err)
	_, err = kv.Put(ctx, twin.URLKey("https://example.ru/?a=1"), []byte("etag-1"))
	require.NoError(t, err)
	closeBus(t, b)

	b = open(t, cfg, nil)
	defer closeBus(t, b)
	require.Equal(t, uint64(2), streamMsgs(t, b, bus.StreamObservations))
	dup, err := b.Publish(ctx, bus.SubjectAgreement, "m1", []byte("1"))
	require.NoError(t, err)
	require.True(t, dup, "the duplicate window survives a restart")
	pending, err := b.StreamPending(ctx, bus.StreamObservations, "restart")
	require.NoError(t, err)
	require.Equal(t, uint64(1), pending, "the consumer's ack floor survives a restart")
	sub, err = b.Subscribe(ctx, bus.ConsumerSpec{Stream: bus.StreamObservations, Durable: "restart"})
	require.NoError(t, err)
	msgs, err = sub.Fetch(ctx, 5, 200*time.Millisecond)
	require.NoError(t, err)
	require.Len(t, msgs, 1)
	require.Equal(t, "m2", msgs[0].MsgID)
	require.Equal(t, bus.OutcomeOK, sub.Settle(ctx, msgs[0], nil))
	kv, err = b.KeyValue(ctx, jetstream.KeyValueConfig{Bucket: "crawl_state"})
	require.NoError(t, err)
	e, err := kv.Get(ctx, twin.URLKey("https://example.ru/?a=1"))
	require.NoError(t, err)
	require.Equal(t, "etag-1", string(e.Value()))
}

func TestExternalAuthIntegration(t *testing.T) {
	skipShort(t)
	t.Parallel()
	userURL := bustest.StartServer(t, bustest.WithUserPassword("twinwatch", "s3cret"))
	tokenURL := bustest.StartServer(t, bustest.WithToken("tok"))

	tests := []struct {
		name    string
		modify  func(*bus.Config)
		wantErr bool
	}{
		{"user password", func(c *bus.Config) { c.URL, c.User, c.Password = userURL, "twinwatch", "s3cret" }, false},
		{"wrong password", func(c *bus.Config) { c.URL, c.User, c.Password = userURL, "twinwatch", "nope" }, true},
		{"no credentials", func(c *bus.Config) { c.URL = userURL }, true},
		{"token", func(c *bus.Config) { c.URL, c.Token = tokenURL, "tok" }, false},
		{"wrong token", func(c *bus.Config) { c.URL, c.Token = tokenURL, "bad" }, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := bus.DefaultConfig()
			tc.modify(&cfg)
			b, err := bus.Open(testCtx(t), cfg, slog.New(slog.DiscardHandler), nil)
			if tc.wantErr {
				require.Error(t, err)
				require.NotContains(t, err.Error(), "s3cret")
				return
			}
			require.NoError(t, err)
			defer closeBus(t, b)
			require.Equal(t, cfg.URL, b.ClientURL())
			dup, err := b.Publish(testCtx(t), bus.SubjectAlertAgreement, "ext-1", []byte("x"))
			require.NoError(t, err)
			require.False(t, dup)
		})
	}
}

func TestKeyValueIntegration(t *testing.T) {
	skipShort(t)
	t.Parallel()
	b := bustest.Start(t)
	ctx := testCtx(t)
	kv, err := b.KeyValue(ctx, jetstream.KeyValueConfig{Bucket: "alerts_sent", History: 1})
	require.NoError(t, err)
	_, err = kv.Create(ctx, "k1", []byte("v"))
	require.NoError(t, err)
	_, err = kv.Create(ctx, "k1", []byte("v"))
	require.ErrorIs(t, err, jetstream.ErrKeyExists)

	// Updating the bucket keeps its data.
	kv, err = b.KeyValue(ctx, jetstream.KeyValueConfig{Bucket: "alerts_sent", History: 5})
	require.NoError(t, err)
	e, err := kv.Get(ctx, "k1")
	require.NoError(t, err)
	require.Equal(t, "v", string(e.Value()))
	st, err := kv.Status(ctx)
	require.NoError(t, err)
	require.Equal(t, int64(5), st.History())

	_, err = b.KeyValue(ctx, jetstream.KeyValueConfig{Bucket: "bad bucket"})
	require.Error(t, err)
}

func TestClusterR3Integration(t *testing.T) {
	skipShort(t)
	t.Parallel()
	urls := bustest.StartCluster(t, 3)
	cfg := bus.DefaultConfig()
	cfg.URL = urls
	for _, l := range []*bus.StreamLimits{&cfg.Streams.Pages, &cfg.Streams.Observations, &cfg.Streams.Alerts, &cfg.Streams.DeadLetter} {
		l.Replicas = 3
	}
	cfg.ConnectTimeout = spec.Duration(30 * time.Second)
	b := open(t, cfg, nil)
	defer closeBus(t, b)
	ctx := testCtx(t)

	s, err := b.JetStream().Stream(ctx, bus.StreamObservations)
	require.NoError(t, err)
	info, err := s.Info(ctx)
	require.NoError(t, err)
	require.Equal(t, 3, info.Config.Replicas)
	require.NotNil(t, info.Cluster)
	require.Equal(t, "twinwatch-test", info.Cluster.Name)
	require.Len(t, info.Cluster.Replicas, 2, "a leader and two replicas")

	require.NoError(t, b.PublishObservations(ctx, []twin.Observation{agreement("https://example.ru/r3")}))
	var got []string
	require.NoError(t, consumeN(ctx, b, bus.ConsumerSpec{Stream: bus.StreamObservations, Durable: "r3"}, 1, func(m *bus.Msg) { got = append(got, m.Subject) }))
	require.Equal(t, []string{bus.SubjectAgreement}, got)
}

// consumeN runs Consume until n messages were handled, then stops it.
func consumeN(ctx context.Context, b *bus.Bus, spec bus.ConsumerSpec, n int, fn func(*bus.Msg)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	seen := 0
	return b.Consume(ctx, spec, func(_ context.Context, m *bus.Msg) error {
		fn(m)
		if seen++; seen == n {
			cancel()
		}
		return nil
	})
}

func TestExternalTLSIntegration(t *testing.T) {
	skipShort(t)
	t.Parallel()
	caFile, certFile, keyFile := bustest.TLSFiles(t)
	otherCA, _, _ := bustest.TLSFiles(t)
	url := bustest.StartServer(t, bustest.WithTLS(certFile, keyFile), bustest.WithUserPassword("u", "p"))

	tests := []struct {
		name    string
		tls     bus.TLSConfig
		wantErr bool
	}{
		{"ca file", bus.TLSConfig{CAFile: caFile}, false},
		{"insecure skip verify", bus.TLSConfig{InsecureSkipVerify: true}, false},
		{"unknown authority", bus.TLSConfig{CAFile: otherCA}, true},
		{"system roots", bus.TLSConfig{}, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cfg := bus.DefaultConfig()
			cfg.URL, cfg.User, cfg.Password, cfg.TLS = url, "u", "p", tc.tls
			cfg.ConnectTimeout = spec.Duration(10 * time.Second)
			b, err := bus.Open(testCtx(t), cfg, slog.New(slog.DiscardHandler), nil)
			if tc.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			defer closeBus(t, b)
			require.True(t, b.Conn().TLSRequired())
			_, err = b.Publish(testCtx(t), bus.SubjectAlertAgreement, "tls-1", []byte("x"))
			require.NoError(t, err)
		})
	}
}
