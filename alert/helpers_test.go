package alert_test

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/alert"
	"github.com/twinwatch/twinwatch/config/spec"
	"github.com/twinwatch/twinwatch/internal/bus"
	"github.com/twinwatch/twinwatch/internal/bus/bustest"
	"github.com/twinwatch/twinwatch/twin"
)

// now is the tests' clock: observations are "seen" at this instant.
var now = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func integration(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: starts nats-server")
	}
}

// place returns a city of country c numbered n.
func place(c twin.Country, n int) twin.Place {
	if c == twin.RU {
		return twin.Place{ID: fmt.Sprintf("gn:ru%d", n), Country: twin.RU, Kind: twin.City,
			NameRU: fmt.Sprintf("Городск-%d", n), NameEN: fmt.Sprintf("Gorodsk-%d", n), NameZH: fmt.Sprintf("戈罗德斯克%d", n), Region: "Khabarovsk Krai"}
	}
	return twin.Place{ID: fmt.Sprintf("gn:cn%d", n), Country: twin.CN, Kind: twin.City,
		NameRU: fmt.Sprintf("Чэнши-%d", n), NameEN: fmt.Sprintf("Chengshi-%d", n), NameZH: fmt.Sprintf("城市%d", n), Region: "Heilongjiang"}
}

// agreement returns a valid agreement observation of pair n reported by page url.
func agreement(n int, s twin.Status, established, url string, conf float64) twin.Observation {
	o := twin.NewAgreement(place(twin.RU, n), place(twin.CN, n), twin.Twin, s, twin.MustDate(established), url)
	o.Evidence = fmt.Sprintf("Gorodsk-%d and Chengshi-%d signed a twinning agreement.", n, n)
	o.Confidence = conf
	o.Source, o.Lang, o.Extractor, o.Origin, o.SeenAt = "news", "en", "test/1", twin.OriginCrawl, now
	return o
}

// receiver is a webhook endpoint that checks signatures.
type receiver struct {
	t      testing.TB
	secret string
	mu     sync.Mutex
	got    []alert.Notification
	ids    []string
	fail   func(n alert.Notification) int // status to answer; 0 = 200
}

func newReceiver(t testing.TB, secret string) (*receiver, string) {
	r := &receiver{t: t, secret: secret}
	srv := httptest.NewServer(r)
	t.Cleanup(srv.Close)
	return r, srv.URL + "/hook"
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(req.Body)
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	sig := req.Header.Get(alert.HeaderSignature)
	if !hmac.Equal([]byte(sig), []byte(alert.Sign([]byte(r.secret), body))) {
		r.t.Errorf("webhook: bad signature %q", sig)
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var n alert.Notification
	if err := json.Unmarshal(body, &n); err != nil {
		r.t.Errorf("webhook: body: %v", err)
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	if req.Header.Get(alert.HeaderDelivery) != n.ID {
		r.t.Errorf("webhook: delivery header %q, body id %q", req.Header.Get(alert.HeaderDelivery), n.ID)
	}
	r.mu.Lock()
	fail := r.fail
	r.mu.Unlock()
	if fail != nil {
		if code := fail(n); code != 0 {
			w.WriteHeader(code)
			return
		}
	}
	r.mu.Lock()
	r.got = append(r.got, n)
	r.ids = append(r.ids, n.ID)
	r.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// setFail sets the status the receiver answers with (0 = accept).
func (r *receiver) setFail(f func(n alert.Notification) int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.fail = f
}

// kinds counts received notifications by kind.
func (r *receiver) kinds() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := map[string]int{}
	for _, n := range r.got {
		out[n.Kind]++
	}
	return out
}

func (r *receiver) all() []alert.Notification {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]alert.Notification(nil), r.got...)
}

// webhookChannel configures a webhook channel to url.
func webhookChannel(name, url, secret string) alert.ChannelConfig {
	return alert.ChannelConfig{Name: name, Type: alert.TypeWebhook, URL: url, Secret: spec.Secret(secret), Timeout: spec.Duration(10 * time.Second)}
}

// testConfig is DefaultConfig with the digest schedule off and channels.
func testConfig(chs ...alert.ChannelConfig) alert.Config {
	cfg := alert.DefaultConfig()
	cfg.Digest.Schedule = "off"
	cfg.Channels = chs
	return cfg
}

// startAlerter runs an alerter on b until the test ends.
func startAlerter(t testing.TB, b *bus.Bus, cfg alert.Config, rec alert.Recorder, setup ...func(*alert.Alerter)) *alert.Alerter {
	t.Helper()
	return startAlerterOpts(t, b, cfg, rec, nil, setup...)
}

// startAlerterOpts is startAlerter with options for New (after WithClock(now)).
func startAlerterOpts(t testing.TB, b *bus.Bus, cfg alert.Config, rec alert.Recorder, opts []alert.Option, setup ...func(*alert.Alerter)) *alert.Alerter {
	t.Helper()
	opts = append([]alert.Option{alert.WithClock(func() time.Time { return now })}, opts...)
	a, err := alert.New(cfg, b, rec, slog.New(slog.DiscardHandler), prometheus.NewRegistry(), opts...)
	require.NoError(t, err)
	for _, f := range setup {
		f(a)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- a.Run(ctx) }()
	t.Cleanup(func() {
		cancel()
		require.NoError(t, <-done)
	})
	return a
}

// publish puts observations on OBSERVATIONS.
func publish(t testing.TB, b *bus.Bus, obs ...twin.Observation) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	require.NoError(t, b.PublishObservations(ctx, obs))
}

// drained waits until every consumer of the alerters has nothing pending,
// twice in a row.
func drained(t testing.TB, b *bus.Bus, as ...*alert.Alerter) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	quiet := 0
	for quiet < 3 {
		select {
		case <-ctx.Done():
			t.Fatalf("alerter did not drain: %v", ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
		var total uint64
		for _, a := range as {
			for _, c := range a.Consumers() {
				n, err := b.StreamPending(ctx, c.Stream, c.Durable)
				require.NoError(t, err)
				total += n
			}
		}
		if total == 0 {
			quiet++
		} else {
			quiet = 0
		}
	}
}

// eventually polls cond until it holds (or a generous limit, to not hang).
func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// deadLetters returns the dead letters' reasons.
func deadLetters(t testing.TB, b *bus.Bus) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	s, err := b.JetStream().Stream(ctx, bus.StreamDeadLetter)
	require.NoError(t, err)
	info, err := s.Info(ctx)
	require.NoError(t, err)
	var out []string
	for seq := info.State.FirstSeq; seq <= info.State.LastSeq && info.State.Msgs > 0; seq++ {
		m, err := s.GetMsg(ctx, seq)
		if err != nil {
			continue
		}
		out = append(out, m.Header.Get(bus.HeaderReason))
	}
	return out
}

type natsMsg = nats.Msg

// clientOf returns a bus config that connects to url (a second process).
func clientOf(t testing.TB, url string) bus.Config {
	cfg := bustest.Config(t)
	cfg.URL = url
	return cfg
}

// event returns a valid event observation of pair n.
func event(n int, c twin.Category, date, url, source string) twin.Observation {
	o := twin.NewEvent(place(twin.RU, n), place(twin.CN, n), c, twin.MustDate(date), url)
	o.Evidence, o.Confidence = "A festival took place.", 0.9
	o.Source, o.Lang, o.Extractor, o.Origin, o.SeenAt = source, "en", "test/1", twin.OriginCrawl, now
	return o
}
