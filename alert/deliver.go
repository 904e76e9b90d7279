package alert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/twinwatch/twinwatch/internal/bus"
	"github.com/twinwatch/twinwatch/twin"
)

// marker is the value of a (delivery, channel) entry in the deliveries
// bucket: written once the destination accepted the message.
type marker struct {
	SentAt time.Time `json:"sent_at"`
	Thread string    `json:"thread,omitempty"`
}

// parentWaits is how many deliveries an update waits for its alert's marker
// (so it can thread under it) before it is sent unthreaded.
const parentWaits = 3

// deliver is the handler of a channel's delivery consumer. A job whose
// marker exists was sent before (a redelivery after a crash between send
// and ack, or a second replica): it is acknowledged without sending.
func (a *Alerter) deliver(ctx context.Context, c *channel, m *bus.Msg) error {
	var j job
	if err := json.Unmarshal(m.Data, &j); err != nil {
		return fmt.Errorf("alert: decode job: %v: %w", err, twin.ErrInvalid)
	}
	if j.V != 1 || j.ID == "" || (j.Kind != KindDigest && j.Agreement == nil) {
		return fmt.Errorf("alert: job %q of kind %q is incomplete: %w", j.ID, j.Kind, twin.ErrInvalid)
	}
	name := c.cfg.Name
	key := name + "." + j.ID
	if _, err := a.deliveries.Get(ctx, key); err == nil {
		a.metrics.notifications.WithLabelValues(name, "unchanged").Inc()
		a.log.Debug("delivery already sent", "notifier", name, "msg_id", key)
		return nil
	} else if !errors.Is(err, jetstream.ErrKeyNotFound) {
		return fmt.Errorf("alert: get marker %s: %w", key, err)
	}
	thread := ""
	if j.Parent != "" {
		e, err := a.deliveries.Get(ctx, name+"."+j.Parent)
		switch {
		case err == nil:
			var pm marker
			if json.Unmarshal(e.Value(), &pm) == nil {
				thread = pm.Thread
			}
		case errors.Is(err, jetstream.ErrKeyNotFound):
			if m.Delivered < uint64(min(parentWaits, c.cfg.MaxAttempts)) {
				return fmt.Errorf("alert: %s: alert %s not delivered yet", j.ID, j.Parent)
			}
		default:
			return fmt.Errorf("alert: get marker %s.%s: %w", name, j.Parent, err)
		}
	}
	d, err := a.render(c, j)
	if err != nil {
		a.metrics.notifications.WithLabelValues(name, "invalid").Inc()
		return err
	}
	d.Thread = thread
	sctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout.D())
	ref, err := c.notifier.Send(sctx, d)
	cancel()
	if err != nil {
		outcome := "retry"
		switch {
		case errors.Is(err, twin.ErrInvalid):
			outcome = "invalid"
		case m.Delivered >= uint64(c.cfg.MaxAttempts):
			outcome = "dead_letter"
		}
		a.metrics.notifications.WithLabelValues(name, outcome).Inc()
		return fmt.Errorf("alert: send %s to %s: %w", j.ID, name, err)
	}
	a.metrics.notifications.WithLabelValues(name, "ok").Inc()
	if !j.Created.IsZero() {
		a.metrics.latency.WithLabelValues(name).Observe(a.clock().Sub(j.Created).Seconds())
	}
	data, _ := json.Marshal(marker{SentAt: a.clock().UTC(), Thread: ref})
	var perr error
	for range 3 {
		if _, perr = a.deliveries.Put(context.WithoutCancel(ctx), key, data); perr == nil {
			break
		}
	}
	if perr != nil {
		// Sent, but not marked: acknowledge anyway (a resend would be a
		// repeat); an update will not thread under it.
		a.log.Error("delivery marker lost", "notifier", name, "msg_id", key, "err", perr)
	}
	a.log.Info("notification sent", "notifier", name, "msg_id", key, "kind", j.Kind)
	return a.crash("sent")
}

// render builds the Delivery of j on c.
func (a *Alerter) render(c *channel, j job) (Delivery, error) {
	var td TemplateData
	if j.Agreement != nil {
		td = newTemplateData(j.Kind, c.cfg.Language, *j.Agreement)
	} else {
		td = TemplateData{Kind: j.Kind, Lang: c.cfg.Language}
	}
	td.Update, td.Digest = j.Update, j.Digest.view(c.cfg.Language)
	r, err := c.tmpl.render(td)
	if err != nil {
		return Delivery{}, fmt.Errorf("alert: channel %s: %w", c.cfg.Name, err)
	}
	id := j.ID + "." + c.cfg.Name
	body, err := json.Marshal(Notification{
		V: 1, Kind: j.Kind, ID: id, Channel: c.cfg.Name, Agreement: j.Agreement,
		Update: j.Update, Digest: j.Digest, Subject: r.Subject, Text: r.Text,
	})
	if err != nil {
		return Delivery{}, fmt.Errorf("alert: encode notification %s: %w", id, err)
	}
	return Delivery{ID: id, Kind: j.Kind, Subject: r.Subject, Text: r.Text, HTML: r.HTML, Body: body}, nil
}

// SampleObservation is the agreement `alert test` sends: Khabarovsk and
// Harbin (invented date), marked as a test.
func SampleObservation(now time.Time) twin.Observation {
	ru := twin.Place{ID: "gn:2022890", Country: twin.RU, Kind: twin.City, NameRU: "Хабаровск", NameZH: "哈巴罗夫斯克", NameEN: "Khabarovsk", Region: "Khabarovsk Krai"}
	cn := twin.Place{ID: "gn:2037013", Country: twin.CN, Kind: twin.City, NameRU: "Харбин", NameZH: "哈尔滨", NameEN: "Harbin", Region: "Heilongjiang"}
	o := twin.NewAgreement(ru, cn, twin.Twin, twin.Signed, twin.DayDate(now), "https://example.org/twinwatch-test")
	o.Evidence = "This is a test message from twinwatch: no agreement was signed."
	o.Confidence = 1
	o.Source, o.Lang, o.Origin, o.SeenAt = "test", "en", twin.OriginCrawl, now.UTC()
	return o
}

// Test sends a sample alert to the channel named name right away, without
// the bus's retries, and returns the destination's error if any. It blocks
// up to the channel's timeout.
func (a *Alerter) Test(ctx context.Context, name string) error {
	for _, c := range a.channels {
		if c.cfg.Name != name {
			continue
		}
		now := a.clock().UTC()
		o := SampleObservation(now)
		d, err := a.render(c, job{V: 1, ID: fmt.Sprintf("test.%d", now.UnixNano()), Kind: KindTest, Agreement: &o, Created: now})
		if err != nil {
			return err
		}
		sctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout.D())
		defer cancel()
		if _, err := c.notifier.Send(sctx, d); err != nil {
			a.metrics.notifications.WithLabelValues(name, "error").Inc()
			return fmt.Errorf("alert: test %s: %w", name, err)
		}
		a.metrics.notifications.WithLabelValues(name, "ok").Inc()
		return nil
	}
	return fmt.Errorf("alert: no channel named %q (configured: %v)", name, a.Channels())
}
