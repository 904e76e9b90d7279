package alert_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/alert"
	"github.com/twinwatch/twinwatch/config/spec"
	"github.com/twinwatch/twinwatch/internal/bus/bustest"
	"github.com/twinwatch/twinwatch/twin"
)

// The same agreement reported by five sources alerts once; the other four
// add sources (and one a better date) and arrive as updates, never alerts.
func TestOneAlertFromFiveSourcesIntegration(t *testing.T) {
	integration(t)
	b := bustest.Start(t)
	rcv, url := newReceiver(t, "s3cret")
	a := startAlerter(t, b, testConfig(webhookChannel("hook", url, "s3cret")), nil)

	first := agreement(1, twin.Signed, "2026-11", "https://khabarovsk.example/news/1", 0.9)
	publish(t, b, first)
	eventually(t, "the alert", func() bool { return rcv.kinds()[alert.KindAlert] == 1 })
	var rest []twin.Observation
	for i, host := range []string{"harbin.example", "dvnews.example", "www.khabarovsk.example", "tass.example"} {
		o := agreement(1, twin.Signed, "2026-11", "https://"+host+"/a/"+fmt.Sprint(i), 0.9)
		if i == 1 {
			o.Established = twin.MustDate("2026-11-19")
			o.MentionID = twin.MentionID(o.ID, o.URL)
		}
		rest = append(rest, o)
	}
	publish(t, b, rest...)
	publish(t, b, rest...) // a republish is dropped by Msg-Id
	drained(t, b, a)

	k := rcv.kinds()
	require.Equal(t, 1, k[alert.KindAlert], "exactly one alert")
	// harbin (new source), dvnews (new source + better date), tass (new
	// source); www.khabarovsk.example is the first source again.
	require.Equal(t, 3, k[alert.KindUpdate], "updates: %v", rcv.all())
	for _, n := range rcv.all() {
		require.Equal(t, first.ID, n.Agreement.ID)
		if n.Kind == alert.KindUpdate {
			require.NotNil(t, n.Update)
			require.True(t, n.Update.NewSource)
			if n.Agreement.URL == "https://dvnews.example/a/1" {
				require.True(t, n.Update.BetterDate)
				require.Contains(t, n.Text, "19 November 2026")
			}
		}
	}
}

// Nothing alerts for intent, anniversary, existing, terminated, history or
// low confidence; a late discovery goes to the digest, not a page.
func TestNoAlertIntegration(t *testing.T) {
	integration(t)
	b := bustest.Start(t)
	rcv, url := newReceiver(t, "k")
	ch := webhookChannel("hook", url, "k")
	ch.Send = []string{alert.KindAlert, alert.KindUpdate, alert.KindDigest}
	a := startAlerter(t, b, testConfig(ch), nil)

	history := agreement(6, twin.Signed, "2026-11-20", "", 1)
	history.Origin, history.Source = twin.OriginReference, "reference"
	history.MentionID = twin.MentionID(history.ID, "")
	cases := []twin.Observation{
		agreement(1, twin.Intent, "2026-11-20", "https://a.example/1", 0.95),
		agreement(2, twin.Anniversary, "2026-11-20", "https://a.example/2", 0.95),
		agreement(3, twin.Existing, "2026-11-20", "https://a.example/3", 0.95),
		agreement(4, twin.Terminated, "2026-11-20", "https://a.example/4", 0.95),
		agreement(5, twin.Signed, "2026-11-20", "https://a.example/5", 0.69),
		history,
		agreement(7, twin.Signed, "1993-06-15", "https://a.example/7", 0.95), // late
	}
	publish(t, b, cases...)
	drained(t, b, a)
	// History never alerts, even when a crawl later reports it as fresh news.
	publish(t, b, agreement(6, twin.Signed, "2026-11-20", "https://a.example/6", 1))
	drained(t, b, a)
	require.Empty(t, rcv.all())

	require.NoError(t, a.SendDigest(context.Background(), now))
	eventually(t, "the digest", func() bool { return rcv.kinds()[alert.KindDigest] == 1 })
	d := rcv.all()[0]
	require.NotNil(t, d.Digest)
	require.Len(t, d.Digest.Late, 1)
	require.Equal(t, cases[6].ID, d.Digest.Late[0].ID)
	require.Contains(t, d.Text, "Gorodsk-7 – Chengshi-7 (twin cities, 15 June 1993)")
	// The same minute's digest is claimed once.
	require.NoError(t, a.SendDigest(context.Background(), now))
	drained(t, b, a)
	require.Equal(t, 1, rcv.kinds()[alert.KindDigest])
}

// A crash after the destination accepted a message, before the ack, does not
// send it again on redelivery; nor does a crash right after the decision.
func TestCrashBetweenSendAndAckIntegration(t *testing.T) {
	integration(t)
	b := bustest.Start(t)
	rcv, url := newReceiver(t, "k")
	var crashes atomic.Int32
	a := startAlerter(t, b, testConfig(webhookChannel("hook", url, "k")), nil, func(a *alert.Alerter) {
		alert.SetFault(a, func(point string) error {
			if crashes.Add(1) <= 2 { // crash once at each point
				return errors.New("simulated crash at " + point)
			}
			return nil
		})
	})
	publish(t, b, agreement(1, twin.Signed, "2026-11-20", "https://a.example/1", 0.9))
	drained(t, b, a)
	require.GreaterOrEqual(t, crashes.Load(), int32(2))
	require.Equal(t, map[string]int{alert.KindAlert: 1}, rcv.kinds())
}

// Two replicas, many agreements each reported five times: one alert each.
func TestTwoReplicasIntegration(t *testing.T) {
	integration(t)
	b := bustest.Start(t)
	b2 := bustest.StartConfig(t, clientOf(t, b.ClientURL()))
	rcv, url := newReceiver(t, "k")
	cfg := testConfig(webhookChannel("hook", url, "k"))
	cfg.Updates = "off"
	a1 := startAlerter(t, b, cfg, nil)
	a2 := startAlerter(t, b2, cfg, nil)
	const n = 40
	var wg sync.WaitGroup
	for src := range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var obs []twin.Observation
			for i := range n {
				obs = append(obs, agreement(i, twin.Signed, "2026-11-20", fmt.Sprintf("https://src%d.example/%d", src, i), 0.9))
			}
			publish(t, b, obs...)
		}()
	}
	wg.Wait()
	drained(t, b, a1, a2)
	require.Equal(t, map[string]int{alert.KindAlert: n}, rcv.kinds())
	seen := map[string]bool{}
	for _, x := range rcv.all() {
		require.False(t, seen[x.Agreement.ID], "alerted twice: %s", x.Agreement.ID)
		seen[x.Agreement.ID] = true
	}
}

// A channel that always fails retries, then dead-letters with the reason,
// and never holds up the other channel.
func TestFailingChannelDeadLettersIntegration(t *testing.T) {
	integration(t)
	b := bustest.Start(t)
	good, goodURL := newReceiver(t, "k")
	bad, badURL := newReceiver(t, "k")
	var tries atomic.Int32
	bad.setFail(func(alert.Notification) int { tries.Add(1); return 503 })
	badCh := webhookChannel("bad", badURL, "k")
	badCh.MaxAttempts = 3
	a := startAlerter(t, b, testConfig(badCh, webhookChannel("good", goodURL, "k")), nil)
	publish(t, b, agreement(1, twin.Signed, "2026-11-20", "https://a.example/1", 0.9),
		agreement(2, twin.Signed, "2026-11-20", "https://a.example/2", 0.9))
	eventually(t, "the good channel", func() bool { return good.kinds()[alert.KindAlert] == 2 })
	drained(t, b, a)
	require.Equal(t, int32(6), tries.Load(), "3 attempts per alert")
	reasons := deadLetters(t, b)
	require.Len(t, reasons, 2)
	for _, r := range reasons {
		require.Contains(t, r, "HTTP 503")
	}
	// A rejected request (4xx) is not retried.
	bad.setFail(func(alert.Notification) int { tries.Add(1); return 400 })
	tries.Store(0)
	publish(t, b, agreement(3, twin.Signed, "2026-11-20", "https://a.example/3", 0.9))
	drained(t, b, a)
	require.Equal(t, int32(1), tries.Load())
	require.Len(t, deadLetters(t, b), 3)
}

// The NATS channel publishes the notification for programs.
func TestNATSChannelIntegration(t *testing.T) {
	integration(t)
	b := bustest.Start(t)
	ch := alert.ChannelConfig{Name: "programs", Type: alert.TypeNATS}
	msgs := make(chan []byte, 10)
	sub, err := b.Conn().Subscribe("twinwatch.alerts.agreement", func(m *natsMsg) { msgs <- m.Data })
	require.NoError(t, err)
	defer func() { _ = sub.Unsubscribe() }()
	a := startAlerter(t, b, testConfig(ch), nil)
	o := agreement(1, twin.Signed, "2026-11-20", "https://a.example/1", 0.9)
	publish(t, b, o)
	drained(t, b, a)
	select {
	case data := <-msgs:
		require.Contains(t, string(data), `"kind":"alert"`)
		require.Contains(t, string(data), o.ID)
	case <-time.After(time.Minute):
		t.Fatal("no message on twinwatch.alerts.agreement")
	}
	// It is kept in the ALERTS stream.
	ctx := context.Background()
	s, err := b.JetStream().Stream(ctx, "ALERTS")
	require.NoError(t, err)
	m, err := s.GetLastMsgForSubject(ctx, "twinwatch.alerts.agreement")
	require.NoError(t, err)
	require.True(t, strings.Contains(string(m.Data), o.ID))
}

// flakyRecorder fails its first calls, then keeps what it is given.
type flakyRecorder struct {
	mu    sync.Mutex
	fails int
	recs  []alert.Record
}

func (r *flakyRecorder) Record(_ context.Context, rec alert.Record) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fails > 0 {
		r.fails--
		return errors.New("clickhouse is down")
	}
	r.recs = append(r.recs, rec)
	return nil
}

// Decisions and updates are recorded; a recorder that is down delays no
// alert, and its records arrive once it is back.
func TestRecordsIntegration(t *testing.T) {
	integration(t)
	b := bustest.Start(t)
	rcv, url := newReceiver(t, "k")
	rec := &flakyRecorder{fails: 2}
	cfg := testConfig(webhookChannel("hook", url, "k"))
	cfg.Updates = "record"
	a := startAlerter(t, b, cfg, rec)
	publish(t, b, agreement(1, twin.Signed, "2026-11", "https://a.example/1", 0.9),
		agreement(2, twin.Signed, "1993", "https://a.example/2", 0.9))
	drained(t, b, a)
	publish(t, b, agreement(1, twin.Signed, "2026-11-19", "https://b.example/1", 0.9))
	drained(t, b, a)
	require.Equal(t, map[string]int{alert.KindAlert: 1}, rcv.kinds(), "updates are only recorded")
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var got []string
	for _, r := range rec.recs {
		got = append(got, fmt.Sprintf("%s %s %d %v %v", r.Observation.Places[0].ID, r.Kind, r.N, r.BetterDate, r.NewSource))
	}
	require.ElementsMatch(t, []string{"gn:ru1 alert 0 false false", "gn:ru2 late 0 false false", "gn:ru1 update 1 true true"}, got)
}

// The digest reports late discoveries, new events by category (each event
// once) and the sources that yielded nothing; it empties once sent.
func TestDigestIntegration(t *testing.T) {
	integration(t)
	b := bustest.Start(t)
	rcv, url := newReceiver(t, "k")
	ch := webhookChannel("hook", url, "k")
	ch.Send = []string{alert.KindDigest}
	cfg := testConfig(ch)
	a := startAlerterOpts(t, b, cfg, nil, []alert.Option{alert.WithSources([]string{"news", "quiet-portal"})})
	e1 := event(1, twin.Culture, "2026-11-20", "https://a.example/e1", "news")
	publish(t, b,
		agreement(1, twin.Signed, "1993-06-15", "https://a.example/1", 0.9),
		agreement(2, twin.Signed, "2026-11-20", "https://a.example/2", 0.9), // alert: not in the digest
		e1, e1,
		event(2, twin.Culture, "2026-11-21", "https://a.example/e2", "news"),
		event(3, twin.Sport, "2026-11", "https://a.example/e3", "news"),
	)
	drained(t, b, a)
	require.Empty(t, rcv.all(), "this channel takes digests only")

	require.NoError(t, a.SendDigest(t.Context(), now))
	drained(t, b, a)
	got := rcv.all()
	require.Len(t, got, 1)
	d := got[0].Digest
	require.Len(t, d.Late, 1)
	require.Equal(t, "gn:ru1", d.Late[0].Places[0].ID)
	require.Equal(t, []alert.CategoryCount{{Category: "culture", Count: 2}, {Category: "sport", Count: 1}}, d.Categories)
	require.Equal(t, []string{"quiet-portal"}, d.Silent)
	require.Contains(t, got[0].Text, "Sources that yielded nothing:\n- quiet-portal")

	// The next digest has nothing new but the still silent source; once
	// "news" is quiet for a whole period it is listed too.
	require.NoError(t, a.SendDigest(t.Context(), now.Add(25*time.Hour)))
	drained(t, b, a)
	got = rcv.all()
	require.Len(t, got, 2)
	require.Empty(t, got[1].Digest.Late)
	require.Empty(t, got[1].Digest.Categories)
	require.Equal(t, []string{"news", "quiet-portal"}, got[1].Digest.Silent)
}

// A destination slower than the channel's timeout is retried; the alert
// arrives once.
func TestTimeoutRetriesIntegration(t *testing.T) {
	integration(t)
	b := bustest.Start(t)
	rcv, url := newReceiver(t, "k")
	var calls atomic.Int32
	rcv.setFail(func(alert.Notification) int {
		if calls.Add(1) == 1 {
			time.Sleep(2 * time.Second) // the sender has given up by now
			return http.StatusServiceUnavailable
		}
		return 0
	})
	ch := webhookChannel("hook", url, "k")
	ch.Timeout = spec.Duration(100 * time.Millisecond)
	a := startAlerter(t, b, testConfig(ch), nil)
	publish(t, b, agreement(1, twin.Signed, "2026-11-20", "https://a.example/1", 0.9))
	eventually(t, "the alert", func() bool { return rcv.kinds()[alert.KindAlert] == 1 })
	drained(t, b, a)
	require.GreaterOrEqual(t, calls.Load(), int32(2))
	require.Equal(t, map[string]int{alert.KindAlert: 1}, rcv.kinds())
	require.Empty(t, deadLetters(t, b))
}

// Channel filters choose the agreements a channel hears about; a job that
// cannot be decoded is dead-lettered with the reason.
func TestFiltersAndBadJobsIntegration(t *testing.T) {
	integration(t)
	b := bustest.Start(t)
	all, allURL := newReceiver(t, "k")
	partners, partnersURL := newReceiver(t, "k")
	far, farURL := newReceiver(t, "k")
	pc := webhookChannel("partners", partnersURL, "k")
	pc.Filter.Relations = []twin.Relation{twin.Partner}
	fc := webhookChannel("far", farURL, "k")
	fc.Filter.Regions = []string{"Primorsky Krai"}
	a := startAlerter(t, b, testConfig(webhookChannel("all", allURL, "k"), pc, fc), nil)
	publish(t, b, agreement(1, twin.Signed, "2026-11-20", "https://a.example/1", 0.9))
	drained(t, b, a)
	require.Len(t, all.all(), 1)
	require.Empty(t, partners.all())
	require.Empty(t, far.all())

	_, err := b.Publish(t.Context(), alert.DeliverSubject("all"), "garbage-1", []byte("{not json"))
	require.NoError(t, err)
	drained(t, b, a)
	reasons := deadLetters(t, b)
	require.Len(t, reasons, 1)
	require.Contains(t, reasons[0], "decode job")
	require.Len(t, all.all(), 1)
}

// The digest goes out on its cron schedule, once (content: TestDigestIntegration).
func TestDigestScheduleIntegration(t *testing.T) {
	integration(t)
	b := bustest.Start(t)
	rcv, url := newReceiver(t, "k")
	ch := webhookChannel("hook", url, "k")
	ch.Send = []string{alert.KindDigest}
	cfg := testConfig(ch)
	cfg.Digest.Schedule = "0 8 * * *"
	cfg.Digest.SendEmpty = "send"
	before := time.Date(2026, 11, 24, 7, 59, 59, 0, time.UTC)
	a := startAlerterOpts(t, b, cfg, nil, []alert.Option{alert.WithClock(func() time.Time { return before })})
	eventually(t, "the scheduled digest", func() bool { return rcv.kinds()[alert.KindDigest] == 1 })
	time.Sleep(1500 * time.Millisecond) // the schedule fires again for the same minute: claimed already
	drained(t, b, a)
	got := rcv.all()
	require.Len(t, got, 1)
	require.Equal(t, time.Date(2026, 11, 24, 8, 0, 0, 0, time.UTC), got[0].Digest.Until)
	require.Contains(t, got[0].Text, "Nothing to report.")
}
