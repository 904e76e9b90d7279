package bus

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/twinwatch/twinwatch/twin"
)

// Publish stores data on subject with msgID as its Nats-Msg-Id and waits for
// the stream's acknowledgement. duplicate reports that the stream already
// held a message with msgID inside its duplicate window and dropped this one
// (not an error). msgID must be non-empty: it is what makes a republish
// harmless. Safe for concurrent use.
func (b *Bus) Publish(ctx context.Context, subject, msgID string, data []byte) (duplicate bool, err error) {
	return b.publishMsg(ctx, &nats.Msg{Subject: subject, Data: data}, msgID)
}

func (b *Bus) publishMsg(ctx context.Context, msg *nats.Msg, msgID string) (bool, error) {
	stream := StreamOf(msg.Subject)
	if msgID == "" {
		b.metrics.publish(stream, OutcomeError)
		return false, fmt.Errorf("bus: publish to %s: empty msg id", msg.Subject)
	}
	ack, err := b.js.PublishMsg(ctx, msg, jetstream.WithMsgID(msgID))
	if err != nil {
		b.metrics.publish(stream, OutcomeError)
		return false, fmt.Errorf("bus: publish %s to %s: %w", msgID, msg.Subject, err)
	}
	if ack.Duplicate {
		b.metrics.publish(stream, OutcomeDuplicate)
		return true, nil
	}
	b.metrics.publish(stream, OutcomeOK)
	return false, nil
}

// PublishPage publishes p as JSON on PageSubject(p.Source) with p.MsgID().
// A page already in the stream's duplicate window is not an error. Blocks
// until the stream acknowledges.
func (b *Bus) PublishPage(ctx context.Context, p twin.Page) error {
	data, err := encodeJSON(p)
	if err != nil {
		return fmt.Errorf("bus: encode page %s: %w", p.URL, err)
	}
	if _, err := b.Publish(ctx, PageSubject(p.Source), p.MsgID(), data); err != nil {
		return err
	}
	return nil
}

// PublishObservations publishes each observation as JSON on
// ObservationSubject(o.Type) with o.MsgID(), asynchronously, then waits for
// every acknowledgement. It returns nil only if every observation is stored
// (duplicates count as stored); otherwise an error that says how many failed
// and wraps the first failure. Republishing the whole slice after an error is
// safe: the stored ones are dropped as duplicates. If ctx ends before all
// acknowledgements arrive, ctx's error is returned and the outcome of the
// rest is unknown (republish them).
func (b *Bus) PublishObservations(ctx context.Context, obs []twin.Observation) error {
	if len(obs) == 0 {
		return nil
	}
	futures := make([]jetstream.PubAckFuture, 0, len(obs))
	var errs []error
	for _, o := range obs {
		data, err := encodeJSON(o)
		if err != nil {
			errs = append(errs, fmt.Errorf("encode observation %s: %w", o.ID, err))
			continue
		}
		msg := &nats.Msg{Subject: ObservationSubject(o.Type), Data: data}
		f, err := b.js.PublishMsgAsync(msg, jetstream.WithMsgID(o.MsgID()), jetstream.WithStallWait(stallWait))
		if err != nil {
			b.metrics.publish(StreamObservations, OutcomeError)
			errs = append(errs, fmt.Errorf("publish observation %s: %w", o.ID, err))
			continue
		}
		futures = append(futures, f)
	}
	for _, f := range futures {
		select {
		case ack := <-f.Ok():
			if ack.Duplicate {
				b.metrics.publish(StreamObservations, OutcomeDuplicate)
			} else {
				b.metrics.publish(StreamObservations, OutcomeOK)
			}
		case err := <-f.Err():
			b.metrics.publish(StreamObservations, OutcomeError)
			errs = append(errs, fmt.Errorf("publish observation to %s: %w", f.Msg().Subject, err))
		case <-ctx.Done():
			return fmt.Errorf("bus: publish %d observations: waiting for acks: %w", len(obs), ctx.Err())
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("bus: publish %d observations: %d failed, first: %w", len(obs), len(errs), errs[0])
	}
	return nil
}

// encodeJSON is json.Marshal without HTML escaping: page bodies are HTML,
// and escaping every '<' as \u003c would grow them by a third or more.
func encodeJSON(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n")), nil
}
