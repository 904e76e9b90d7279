package bus

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/twinwatch/twinwatch/twin"
)

// ConsumerSpec names a durable pull consumer and its limits. Zero values take
// the Config's consumer defaults.
type ConsumerSpec struct {
	// Stream is the stream to read (StreamPages, StreamObservations, ...). Required.
	Stream string
	// Durable is the consumer's name; replicas that share it share the work. Required.
	Durable string
	// FilterSubjects restricts the consumer to these subjects; empty means all of the stream's.
	FilterSubjects []string
	// MaxDeliver is how many deliveries a failing message gets before Settle
	// dead-letters it.
	MaxDeliver int
	// AckWait is how long the server waits for a settlement before it redelivers.
	AckWait time.Duration
	// MaxAckPending caps the messages delivered and not yet settled; a
	// batching consumer needs it at least as large as its batch.
	MaxAckPending int
}

// withDefaults fills zero fields from cc.
func (s ConsumerSpec) withDefaults(cc ConsumerConfig) ConsumerSpec {
	if s.MaxDeliver <= 0 {
		s.MaxDeliver = cc.MaxDeliver
	}
	if s.AckWait <= 0 {
		s.AckWait = cc.AckWait.D()
	}
	if s.MaxAckPending <= 0 {
		s.MaxAckPending = cc.MaxAckPending
	}
	return s
}

// Msg is one delivered message. Settle it exactly once: through
// Subscription.Settle (or Consume, which does), or Ack, or Bus.DeadLetter.
type Msg struct {
	// Subject the message was published on.
	Subject string
	// Data is the body.
	Data []byte
	// Header holds the message's headers (nil if none).
	Header nats.Header
	// MsgID is the Nats-Msg-Id the message was published with.
	MsgID string
	// Delivered counts deliveries to this consumer, this one included (1 on the first).
	Delivered uint64
	// Stream the message is stored in.
	Stream string

	consumer string // durable that delivered it
	seq      uint64 // stream sequence
	raw      jetstream.Msg
}

// Ack acknowledges the message: it is done and will not be redelivered.
func (m *Msg) Ack() error {
	if err := m.raw.Ack(); err != nil {
		return fmt.Errorf("bus: ack %s/%d: %w", m.Stream, m.seq, err)
	}
	return nil
}

// InProgress tells the server the message is still being worked on, which
// restarts its AckWait. Call it from handlers that may take longer than AckWait.
func (m *Msg) InProgress() error {
	if err := m.raw.InProgress(); err != nil {
		return fmt.Errorf("bus: in progress %s/%d: %w", m.Stream, m.seq, err)
	}
	return nil
}

// Seq returns the message's sequence number in its stream.
func (m *Msg) Seq() uint64 { return m.seq }

// nak asks for redelivery after delay (0: at once).
func (m *Msg) nak(delay time.Duration) error {
	if delay <= 0 {
		return m.raw.Nak()
	}
	return m.raw.NakWithDelay(delay)
}

func wrapMsg(raw jetstream.Msg) (*Msg, error) {
	md, err := raw.Metadata()
	if err != nil {
		return nil, err
	}
	h := raw.Headers()
	return &Msg{
		Subject:   raw.Subject(),
		Data:      raw.Data(),
		Header:    h,
		MsgID:     h.Get(jetstream.MsgIDHeader),
		Delivered: md.NumDelivered,
		Stream:    md.Stream,
		consumer:  md.Consumer,
		seq:       md.Sequence.Stream,
		raw:       raw,
	}, nil
}

// Subscription is a durable pull consumer. It is safe for concurrent use:
// several goroutines may Fetch and Settle at once.
type Subscription struct {
	b       *Bus
	spec    ConsumerSpec
	cons    jetstream.Consumer
	stopped atomic.Bool
}

// ErrStopped is returned by Fetch after Stop. Nothing is wrong: stop fetching.
var ErrStopped = errors.New("bus: subscription stopped")

// Subscribe creates the durable pull consumer spec.Durable on spec.Stream, or
// updates it to spec if it exists, and returns it. Delivery starts at the
// stream's first message for a new consumer and at the consumer's ack floor
// for an existing one. Acknowledgement is explicit.
//
// The server's own redelivery limit is off: the bus counts deliveries itself
// and dead-letters a message at MaxDeliver (Settle), or when it comes back
// beyond MaxDeliver without a settlement (Fetch), so nothing is dropped
// silently.
func (b *Bus) Subscribe(ctx context.Context, spec ConsumerSpec) (*Subscription, error) {
	if spec.Stream == "" || spec.Durable == "" {
		return nil, fmt.Errorf("bus: subscribe: stream and durable are required (got %q, %q)", spec.Stream, spec.Durable)
	}
	spec = spec.withDefaults(b.cfg.Consumer)
	cc := jetstream.ConsumerConfig{
		Durable:       spec.Durable,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       spec.AckWait,
		MaxDeliver:    -1,
		MaxAckPending: spec.MaxAckPending,
		DeliverPolicy: jetstream.DeliverAllPolicy,
	}
	switch len(spec.FilterSubjects) {
	case 0:
	case 1:
		cc.FilterSubject = spec.FilterSubjects[0]
	default:
		cc.FilterSubjects = spec.FilterSubjects
	}
	cons, err := b.js.CreateOrUpdateConsumer(ctx, spec.Stream, cc)
	if err != nil {
		return nil, fmt.Errorf("bus: create or update consumer %s/%s: %w", spec.Stream, spec.Durable, err)
	}
	return &Subscription{b: b, spec: spec, cons: cons}, nil
}

// Spec returns the subscription's spec with defaults filled in.
func (s *Subscription) Spec() ConsumerSpec { return s.spec }

// Fetch returns up to max messages. It returns as soon as it has max, and
// otherwise after wait, possibly with none and a nil error; wait <= 0 returns
// at once with the messages already available. If ctx ends first, Fetch
// returns promptly with ctx's error and hands back to the server what it has
// received (Nak, redelivered at once; that counts as a delivery); a message
// the server sent at the moment of cancellation may instead come back only
// after AckWait.
//
// Either messages or an error come back, never both. Every message returned
// must be settled. A message that comes back more than MaxDeliver times
// without being settled (its handler crashed or overran AckWait each time) is
// dead-lettered here and not returned. After Stop, Fetch returns ErrStopped.
func (s *Subscription) Fetch(ctx context.Context, max int, wait time.Duration) ([]*Msg, error) {
	if s.stopped.Load() {
		return nil, ErrStopped
	}
	if max < 1 {
		return nil, fmt.Errorf("bus: fetch from %s/%s: max must be at least 1, got %d", s.spec.Stream, s.spec.Durable, max)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var (
		batch  jetstream.MessageBatch
		err    error
		cancel context.CancelFunc = func() {}
	)
	if wait <= 0 {
		batch, err = s.cons.FetchNoWait(max)
	} else {
		// FetchContext, not FetchMaxWait: on cancellation the client drops
		// its inbox, and the server then drops the pull request instead of
		// delivering into the void until it expires.
		var fctx context.Context
		fctx, cancel = context.WithTimeout(ctx, wait)
		batch, err = s.cons.Fetch(max, jetstream.FetchContext(fctx))
		if deadline, _ := fctx.Deadline(); err != nil && !time.Now().Before(deadline) {
			// A tiny wait ran out before the request was even sent.
			cancel()
			if err := ctx.Err(); err != nil {
				return nil, err
			}
			return nil, nil
		}
	}
	defer cancel()
	if err != nil {
		return nil, fmt.Errorf("bus: fetch from %s/%s: %w", s.spec.Stream, s.spec.Durable, err)
	}
	out := make([]*Msg, 0, min(max, 256))
	for raw := range batch.Messages() {
		m, err := wrapMsg(raw)
		if err != nil {
			// Not a JetStream message: nothing to settle, nothing to redeliver.
			s.b.logger.Error("message without metadata dropped", "stream", s.spec.Stream, "consumer", s.spec.Durable, "subject", raw.Subject(), "err", err)
			continue
		}
		if m.Delivered > uint64(s.spec.MaxDeliver) {
			s.overdue(ctx, m)
			continue
		}
		out = append(out, m)
	}
	if err := ctx.Err(); err != nil {
		s.release(out)
		return nil, err
	}
	if err := batch.Error(); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		s.release(out)
		return nil, fmt.Errorf("bus: fetch from %s/%s: %w", s.spec.Stream, s.spec.Durable, err)
	}
	return out, nil
}

// release hands messages back for immediate redelivery.
func (s *Subscription) release(msgs []*Msg) {
	for _, m := range msgs {
		if err := m.nak(0); err != nil {
			s.b.logger.Warn("message release failed", "stream", m.Stream, "consumer", s.spec.Durable, "msg_id", m.MsgID, "err", err)
		}
	}
}

// overdue dead-letters a message redelivered beyond MaxDeliver without ever
// being settled.
func (s *Subscription) overdue(ctx context.Context, m *Msg) {
	reason := fmt.Errorf("bus: delivered %d times, more than max_deliver %d, without a final settlement "+
		"(handler crashed, overran ack_wait %s, was cancelled, or the message was handed back at shutdown)",
		m.Delivered, s.spec.MaxDeliver, s.spec.AckWait)
	s.Settle(ctx, m, deadLetterNow{reason})
}

// deadLetterNow makes Settle dead-letter regardless of the delivery count.
type deadLetterNow struct{ err error }

func (e deadLetterNow) Error() string { return e.err.Error() }
func (e deadLetterNow) Unwrap() error { return e.err }

// Settle settles m according to err, the result of processing it, and
// reports what it did:
//
//   - nil: Ack (OutcomeOK).
//   - an error wrapping twin.ErrInvalid: DeadLetter with err as the reason,
//     then Term (OutcomeInvalid); the message can never succeed.
//   - another error, with m.Delivered >= MaxDeliver: DeadLetter, then Term
//     (OutcomeDeadLetter).
//   - another error: NakWithDelay with an exponential back-off by delivery
//     count, with jitter, capped at consumer.backoff.max (OutcomeRetry).
//     context.Canceled (a shutdown, not the message's fault) is never
//     dead-lettered and is redelivered at once.
//
// If settling itself fails, Settle logs it and returns OutcomeError; a
// message whose dead-lettering failed is nakked with the back-off instead,
// so it is never lost. Settle completes even when ctx is already cancelled
// (settling at shutdown is the point), bounded by connect_timeout. It counts
// twinwatch_bus_messages_total{stream,outcome}. Safe for concurrent use.
func (s *Subscription) Settle(ctx context.Context, m *Msg, err error) Outcome {
	o := s.settle(ctx, m, err)
	s.b.metrics.settled(m.Stream, o)
	return o
}

func (s *Subscription) settle(ctx context.Context, m *Msg, err error) Outcome {
	// The logger is built only off the hot path: With costs ~5% of a sink's CPU per ack.
	log := func() *slog.Logger {
		return s.b.logger.With("stream", m.Stream, "consumer", s.spec.Durable, "subject", m.Subject, "msg_id", m.MsgID, "attempt", m.Delivered)
	}
	if err == nil {
		if aerr := m.raw.Ack(); aerr != nil {
			log().Warn("message ack failed", "err", aerr)
			return OutcomeError
		}
		return OutcomeOK
	}

	var now deadLetterNow
	outcome := OutcomeRetry
	reason := err
	switch {
	case errors.Is(err, twin.ErrInvalid):
		outcome = OutcomeInvalid
	case errors.As(err, &now):
		outcome, reason = OutcomeDeadLetter, now.err
	case errors.Is(err, context.Canceled):
	case m.Delivered >= uint64(s.spec.MaxDeliver):
		outcome = OutcomeDeadLetter
		reason = fmt.Errorf("gave up after %d deliveries: %w", m.Delivered, err)
	}

	if outcome != OutcomeRetry {
		dctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.b.cfg.ConnectTimeout.D())
		defer cancel()
		derr := s.b.DeadLetter(dctx, m, reason)
		if derr == nil {
			log().Error("message dead-lettered", "err", reason)
			return outcome
		}
		log().Error("message dead-letter failed", "err", derr)
		outcome = OutcomeError
	}

	delay := s.b.cfg.Consumer.Backoff.delay(m.Delivered)
	if errors.Is(err, context.Canceled) {
		delay = 0
	}
	if nerr := m.nak(delay); nerr != nil {
		log().Warn("message nak failed", "err", nerr)
		return OutcomeError
	}
	if outcome == OutcomeRetry {
		log().Warn("message retry", "duration", delay, "err", err)
	}
	return outcome
}

// delay returns the back-off before redelivery after the delivered-th
// delivery failed: Initial doubled per earlier delivery, capped at Max, with
// "equal jitter" (uniform in [d/2, d]) so replicas do not retry in step.
func (c BackoffConfig) delay(delivered uint64) time.Duration {
	d, ceil := c.Initial.D(), c.Max.D()
	for i := uint64(1); i < delivered && d < ceil; i++ {
		d *= 2
	}
	d = min(d, ceil)
	if d <= 1 {
		return d
	}
	half := d / 2
	return half + rand.N(d-half+1)
}

// Pending returns how many messages the consumer has not finished: not yet
// delivered (NumPending) plus delivered and not yet settled (NumAckPending,
// which includes those waiting for a retry). Zero means drained.
func (s *Subscription) Pending(ctx context.Context) (uint64, error) {
	info, err := s.cons.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("bus: consumer info %s/%s: %w", s.spec.Stream, s.spec.Durable, err)
	}
	return info.NumPending + uint64(info.NumAckPending), nil
}

// Stop ends the subscription: later Fetch calls return ErrStopped. The
// durable consumer stays on the server with its progress. Messages already
// fetched may still be settled. Stop is idempotent and does not block.
func (s *Subscription) Stop() { s.stopped.Store(true) }

// StreamPending is Pending for the durable consumer named durable on stream,
// without a Subscription; it returns 0 if the stream or consumer does not exist.
func (b *Bus) StreamPending(ctx context.Context, stream, durable string) (uint64, error) {
	cons, err := b.js.Consumer(ctx, stream, durable)
	if errors.Is(err, jetstream.ErrConsumerNotFound) || errors.Is(err, jetstream.ErrStreamNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("bus: consumer %s/%s: %w", stream, durable, err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		return 0, fmt.Errorf("bus: consumer info %s/%s: %w", stream, durable, err)
	}
	return info.NumPending + uint64(info.NumAckPending), nil
}

// maxReasonLen caps the Twinwatch-Reason header.
const maxReasonLen = 1024

// DeadLetter publishes m's body to DeadLetterSubject(m.Stream) with m's own
// headers (except the Nats-* ones) and Twinwatch-Reason (reason's text),
// Twinwatch-Stream, Twinwatch-Subject, Twinwatch-Consumer,
// Twinwatch-Delivered and Twinwatch-Msg-Id, then terminates m so it is never
// redelivered. The dead letter's own Msg-Id is derived from stream, consumer
// and sequence, so dead-lettering the same delivery twice stores it once.
// If the publish fails, m is left unsettled and the error returned; Settle
// then retries it. It blocks until the DEADLETTER stream acknowledges.
func (b *Bus) DeadLetter(ctx context.Context, m *Msg, reason error) error {
	h := nats.Header{}
	for k, vs := range m.Header {
		if strings.HasPrefix(k, "Nats-") {
			continue
		}
		h[k] = append([]string(nil), vs...)
	}
	text := "unknown"
	if reason != nil {
		text = oneLine(reason.Error(), maxReasonLen)
	}
	h.Set(HeaderReason, text)
	h.Set(HeaderStream, m.Stream)
	h.Set(HeaderSubject, m.Subject)
	h.Set(HeaderConsumer, m.consumer)
	h.Set(HeaderDelivered, strconv.FormatUint(m.Delivered, 10))
	h.Set(HeaderMsgID, m.MsgID)
	msg := &nats.Msg{Subject: DeadLetterSubject(m.Stream), Data: m.Data, Header: h}
	id := fmt.Sprintf("dl_%s_%s_%d", m.Stream, m.consumer, m.seq)
	if _, err := b.publishMsg(ctx, msg, id); err != nil {
		return fmt.Errorf("bus: dead-letter %s/%d: %w", m.Stream, m.seq, err)
	}
	if err := m.raw.TermWithReason(oneLine(text, 256)); err != nil {
		return fmt.Errorf("bus: terminate dead-lettered %s/%d: %w", m.Stream, m.seq, err)
	}
	return nil
}

// oneLine makes s safe as a header value: no CR/LF, at most n bytes, valid UTF-8.
func oneLine(s string, n int) string {
	s = strings.ToValidUTF8(s, "?")
	s = strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ").Replace(s)
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") // drops a rune cut in half
}

// consumeWait is how long one idle pull of Consume waits for a message; it
// bounds nothing the caller sees (cancellation is prompt), only how often an
// idle consumer re-asks the server.
const consumeWait = time.Second

// consumeBatch is how many available messages Consume takes per pull.
const consumeBatch = 16

// Consume runs a per-message stage: it subscribes with spec, then fetches,
// calls handle for one message at a time and settles each with the handler's
// result (see Subscription.Settle). A panicking handler counts as an error.
// It blocks until ctx is cancelled and then returns nil: it stops fetching,
// lets the in-flight message's handler finish (its context is cancelled only
// if it overruns AckWait after the shutdown began) and settles it; fetched
// messages not yet handled are handed back for immediate redelivery. It
// returns an error if the subscription fails or the consumer disappears.
func (b *Bus) Consume(ctx context.Context, spec ConsumerSpec, handle func(context.Context, *Msg) error) error {
	sub, err := b.Subscribe(ctx, spec)
	if err != nil {
		if ctx.Err() != nil {
			return nil
		}
		return err
	}
	defer sub.Stop()
	batch := min(consumeBatch, sub.spec.MaxAckPending)
	for {
		if ctx.Err() != nil {
			return nil
		}
		msgs, err := sub.Fetch(ctx, batch, 0)
		if err == nil && len(msgs) == 0 {
			msgs, err = sub.Fetch(ctx, 1, consumeWait)
		}
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			if permanent(err) {
				return err
			}
			b.logger.Warn("fetch failed", "stream", spec.Stream, "consumer", spec.Durable, "err", err)
			select {
			case <-ctx.Done():
				return nil
			case <-time.After(time.Second):
			}
			continue
		}
		for i, m := range msgs {
			if ctx.Err() != nil {
				sub.release(msgs[i:])
				return nil
			}
			sub.Settle(ctx, m, sub.handle(ctx, m, handle))
		}
	}
}

// permanent reports a fetch error that retrying will not cure.
func permanent(err error) bool {
	return errors.Is(err, ErrStopped) || errors.Is(err, nats.ErrConnectionClosed) ||
		errors.Is(err, jetstream.ErrConsumerDeleted) || errors.Is(err, jetstream.ErrConsumerNotFound) ||
		errors.Is(err, jetstream.ErrStreamNotFound)
}

// handle runs the handler for one message with a context that survives the
// cancellation of ctx by up to AckWait, and turns a panic into an error.
func (s *Subscription) handle(ctx context.Context, m *Msg, handle func(context.Context, *Msg) error) (err error) {
	hctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	var (
		mu    sync.Mutex
		done  bool
		timer *time.Timer
	)
	stop := context.AfterFunc(ctx, func() {
		mu.Lock()
		defer mu.Unlock()
		if !done {
			timer = time.AfterFunc(s.spec.AckWait, cancel)
		}
	})
	defer func() {
		stop()
		mu.Lock()
		done = true
		if timer != nil {
			timer.Stop()
		}
		mu.Unlock()
		cancel()
		if r := recover(); r != nil {
			err = fmt.Errorf("bus: handler panic on %s/%d: %v", m.Stream, m.seq, r)
		}
	}()
	return handle(hctx, m)
}
