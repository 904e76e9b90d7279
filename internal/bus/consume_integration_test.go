package bus_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/config/spec"
	"github.com/twinwatch/twinwatch/internal/bus"
	"github.com/twinwatch/twinwatch/internal/bus/bustest"
	"github.com/twinwatch/twinwatch/twin"
)

// publishN publishes n messages "0".."n-1" with Msg-Ids prefix+i on subject.
func publishN(t testing.TB, b *bus.Bus, subject, prefix string, n int) {
	t.Helper()
	for i := range n {
		_, err := b.Publish(testCtx(t), subject, prefix+strconv.Itoa(i), []byte(strconv.Itoa(i)))
		require.NoError(t, err)
	}
}

// deadLetters fetches what the DEADLETTER stream holds for stream.
func deadLetters(t testing.TB, b *bus.Bus, stream string, want int) []*bus.Msg {
	t.Helper()
	sub, err := b.Subscribe(testCtx(t), bus.ConsumerSpec{Stream: bus.StreamDeadLetter, Durable: "dl-reader-" + stream,
		FilterSubjects: []string{bus.DeadLetterSubject(stream)}})
	require.NoError(t, err)
	defer sub.Stop()
	var got []*bus.Msg
	for len(got) < want {
		msgs, err := sub.Fetch(testCtx(t), want-len(got), 30*time.Second)
		require.NoError(t, err)
		require.NotEmpty(t, msgs, "dead letters: want %d, got %d", want, len(got))
		got = append(got, msgs...)
	}
	more, err := sub.Fetch(testCtx(t), 1, 0)
	require.NoError(t, err)
	require.Empty(t, more, "more dead letters than expected")
	for _, m := range got {
		require.Equal(t, bus.OutcomeOK, sub.Settle(testCtx(t), m, nil))
	}
	return got
}

func TestFetchIntegration(t *testing.T) {
	skipShort(t)
	t.Parallel()
	b := bustest.Start(t)
	ctx := testCtx(t)
	sub, err := b.Subscribe(ctx, bus.ConsumerSpec{Stream: bus.StreamAlerts, Durable: "fetch"})
	require.NoError(t, err)

	// Nothing there: returns after wait with no messages and no error.
	msgs, err := sub.Fetch(ctx, 5, 50*time.Millisecond)
	require.NoError(t, err)
	require.Empty(t, msgs)
	msgs, err = sub.Fetch(ctx, 5, 0)
	require.NoError(t, err)
	require.Empty(t, msgs)
	for _, wait := range []time.Duration{time.Nanosecond, time.Microsecond, time.Millisecond} {
		msgs, err = sub.Fetch(ctx, 5, wait)
		require.NoError(t, err, wait)
		require.Empty(t, msgs)
	}

	// Returns as soon as max is reached: a wait of an hour would hang the test otherwise.
	publishN(t, b, bus.SubjectAlertAgreement, "f", 5)
	msgs, err = sub.Fetch(ctx, 3, time.Hour)
	require.NoError(t, err)
	require.Len(t, msgs, 3)
	for i, m := range msgs {
		require.Equal(t, strconv.Itoa(i), string(m.Data))
		require.Equal(t, "f"+strconv.Itoa(i), m.MsgID)
		require.Equal(t, uint64(1), m.Delivered)
		require.Equal(t, bus.StreamAlerts, m.Stream)
		require.Equal(t, bus.SubjectAlertAgreement, m.Subject)
		require.NoError(t, m.InProgress())
		require.NoError(t, m.Ack())
	}
	// wait <= 0 takes what is there now.
	msgs, err = sub.Fetch(ctx, 10, 0)
	require.NoError(t, err)
	require.Len(t, msgs, 2)
	for _, m := range msgs {
		require.Equal(t, bus.OutcomeOK, sub.Settle(ctx, m, nil))
	}
	requirePending(t, sub, 0)

	_, err = sub.Fetch(ctx, 0, time.Second)
	require.Error(t, err)

	// Cancellation returns promptly, and a message that arrives afterwards
	// goes to the next Fetch, not to the abandoned pull request.
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		msgs, err := sub.Fetch(cctx, 10, time.Hour)
		require.Empty(t, msgs)
		done <- err
	}()
	time.Sleep(50 * time.Millisecond) // let the pull request reach the server (either order passes)
	cancel()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
	case <-ctx.Done():
		t.Fatal("Fetch did not return after cancellation")
	}
	publishN(t, b, bus.SubjectAlertAgreement, "g", 1)
	msgs, err = sub.Fetch(ctx, 1, time.Hour)
	require.NoError(t, err)
	require.Len(t, msgs, 1)
	require.Equal(t, uint64(1), msgs[0].Delivered, "not delivered into the cancelled fetch first")
	require.Equal(t, bus.OutcomeOK, sub.Settle(ctx, msgs[0], nil))

	sub.Stop()
	sub.Stop()
	_, err = sub.Fetch(ctx, 1, time.Second)
	require.ErrorIs(t, err, bus.ErrStopped)
}

// requirePending waits until the consumer's Pending is want: acks are
// asynchronous, so the server may count a just-acked message a moment longer.
func requirePending(t testing.TB, sub *bus.Subscription, want uint64) {
	t.Helper()
	var got uint64
	for range 600 {
		var err error
		got, err = sub.Pending(testCtx(t))
		require.NoError(t, err)
		if got == want {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	require.Equal(t, want, got, "pending")
}

// requireStreamPending is requirePending through Bus.StreamPending.
func requireStreamPending(t testing.TB, b *bus.Bus, stream, durable string, want uint64) {
	t.Helper()
	var got uint64
	for range 600 {
		var err error
		got, err = b.StreamPending(testCtx(t), stream, durable)
		require.NoError(t, err)
		if got == want {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	require.Equal(t, want, got, "pending")
}

func TestSettleIntegration(t *testing.T) {
	skipShort(t)
	t.Parallel()
	errBoom := errors.New("clickhouse is down")
	tests := []struct {
		name       string
		maxDeliver int
		errs       []error // the handler's result per delivery
		want       []bus.Outcome
		deadReason string // substring of Twinwatch-Reason; "" means no dead letter
	}{
		{name: "ack", maxDeliver: 3, errs: []error{nil}, want: []bus.Outcome{bus.OutcomeOK}},
		{name: "retry then ok", maxDeliver: 3, errs: []error{errBoom, errBoom, nil},
			want: []bus.Outcome{bus.OutcomeRetry, bus.OutcomeRetry, bus.OutcomeOK}},
		{name: "invalid", maxDeliver: 3, errs: []error{fmt.Errorf("parse page: %w", twin.ErrInvalid)},
			want: []bus.Outcome{bus.OutcomeInvalid}, deadReason: "parse page: invalid"},
		{name: "max deliveries", maxDeliver: 2, errs: []error{errBoom, errBoom},
			want: []bus.Outcome{bus.OutcomeRetry, bus.OutcomeDeadLetter}, deadReason: "gave up after 2 deliveries: clickhouse is down"},
		{name: "cancelled is retried at once", maxDeliver: 2, errs: []error{context.Canceled, nil},
			want: []bus.Outcome{bus.OutcomeRetry, bus.OutcomeOK}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			reg := prometheus.NewRegistry()
			b := open(t, bustest.Config(t), reg)
			defer closeBus(t, b)
			ctx := testCtx(t)
			_, err := b.Publish(ctx, bus.SubjectAgreement, "settle-1", []byte(`{"v":1}`))
			require.NoError(t, err)
			sub, err := b.Subscribe(ctx, bus.ConsumerSpec{Stream: bus.StreamObservations, Durable: "settle", MaxDeliver: tc.maxDeliver})
			require.NoError(t, err)
			require.Equal(t, tc.maxDeliver, sub.Spec().MaxDeliver)

			for i, herr := range tc.errs {
				msgs, err := sub.Fetch(ctx, 1, 30*time.Second)
				require.NoError(t, err)
				require.Len(t, msgs, 1, "delivery %d", i+1)
				require.Equal(t, uint64(i+1), msgs[0].Delivered)
				require.Equal(t, tc.want[i], sub.Settle(ctx, msgs[0], herr), "delivery %d", i+1)
			}
			requirePending(t, sub, 0)
			msgs, err := sub.Fetch(ctx, 1, 100*time.Millisecond)
			require.NoError(t, err)
			require.Empty(t, msgs, "settled for good")

			counts := map[bus.Outcome]float64{}
			for _, o := range tc.want {
				counts[o]++
			}
			for o, n := range counts {
				require.Equal(t, n, metricValue(t, reg, "twinwatch_bus_messages_total", bus.StreamObservations, string(o)), o)
			}

			if tc.deadReason == "" {
				require.Zero(t, streamMsgs(t, b, bus.StreamDeadLetter))
				return
			}
			dl := deadLetters(t, b, bus.StreamObservations, 1)[0]
			require.Equal(t, "twinwatch.deadletter.observations", dl.Subject)
			require.Equal(t, `{"v":1}`, string(dl.Data), "the original body")
			require.Contains(t, dl.Header.Get(bus.HeaderReason), tc.deadReason)
			require.Equal(t, bus.StreamObservations, dl.Header.Get(bus.HeaderStream))
			require.Equal(t, bus.SubjectAgreement, dl.Header.Get(bus.HeaderSubject))
			require.Equal(t, "settle", dl.Header.Get(bus.HeaderConsumer))
			require.Equal(t, strconv.Itoa(len(tc.errs)), dl.Header.Get(bus.HeaderDelivered))
			require.Equal(t, "settle-1", dl.Header.Get(bus.HeaderMsgID))
		})
	}
}

func TestRetryIsDelayedIntegration(t *testing.T) {
	skipShort(t)
	t.Parallel()
	cfg := bustest.Config(t)
	cfg.Consumer.Backoff = bus.BackoffConfig{Initial: spec.Duration(400 * time.Millisecond), Max: spec.Duration(time.Second)}
	b := open(t, cfg, nil)
	defer closeBus(t, b)
	ctx := testCtx(t)
	publishN(t, b, bus.SubjectEvent, "d", 1)
	sub, err := b.Subscribe(ctx, bus.ConsumerSpec{Stream: bus.StreamObservations, Durable: "delay"})
	require.NoError(t, err)

	msgs, err := sub.Fetch(ctx, 1, 30*time.Second)
	require.NoError(t, err)
	require.Len(t, msgs, 1)
	naked := time.Now()
	require.Equal(t, bus.OutcomeRetry, sub.Settle(ctx, msgs[0], errors.New("later")))
	requirePending(t, sub, 1)
	msgs, err = sub.Fetch(ctx, 1, 30*time.Second)
	require.NoError(t, err)
	require.Len(t, msgs, 1)
	// A lower bound only: the jittered delay is at least Initial/2.
	require.GreaterOrEqual(t, time.Since(naked), 200*time.Millisecond, "redelivered before the back-off")
	require.Equal(t, uint64(2), msgs[0].Delivered)
	require.Equal(t, bus.OutcomeOK, sub.Settle(ctx, msgs[0], nil))
}

func TestUnsettledBeyondMaxDeliverIntegration(t *testing.T) {
	skipShort(t)
	t.Parallel()
	b := bustest.Start(t)
	ctx := testCtx(t)
	publishN(t, b, bus.SubjectAgreement, "crash", 2)
	sub, err := b.Subscribe(ctx, bus.ConsumerSpec{Stream: bus.StreamObservations, Durable: "crashy", MaxDeliver: 1, AckWait: time.Second})
	require.NoError(t, err)

	msgs, err := sub.Fetch(ctx, 2, 30*time.Second)
	require.NoError(t, err)
	require.Len(t, msgs, 2)
	// The handler of "0" "crashes": no settlement. The one of "1" is
	// cancelled at its last delivery: Settle retries it instead of
	// dead-lettering it.
	require.Equal(t, bus.OutcomeRetry, sub.Settle(ctx, msgs[1], fmt.Errorf("insert: %w", context.Canceled)))

	// Both come back beyond MaxDeliver (after AckWait, and at once); Fetch
	// dead-letters them instead of returning them.
	for range 600 {
		got, err := sub.Fetch(ctx, 2, 100*time.Millisecond)
		require.NoError(t, err)
		require.Empty(t, got)
		if p, _ := sub.Pending(ctx); p == 0 {
			break
		}
	}
	requirePending(t, sub, 0)
	for _, dl := range deadLetters(t, b, bus.StreamObservations, 2) {
		require.Contains(t, dl.Header.Get(bus.HeaderReason), "more than max_deliver 1")
		require.Equal(t, "2", dl.Header.Get(bus.HeaderDelivered))
	}
}

func TestDeadLetterIdempotentIntegration(t *testing.T) {
	skipShort(t)
	t.Parallel()
	b := bustest.Start(t)
	ctx := testCtx(t)
	_, err := b.Publish(ctx, bus.PageSubject("src"), "p1", []byte("<html>"))
	require.NoError(t, err)
	sub, err := b.Subscribe(ctx, bus.ConsumerSpec{Stream: bus.StreamPages, Durable: "parser"})
	require.NoError(t, err)
	msgs, err := sub.Fetch(ctx, 1, 30*time.Second)
	require.NoError(t, err)
	require.Len(t, msgs, 1)
	msgs[0].Header = map[string][]string{"Traceparent": {"00-abc"}, "Nats-Msg-Id": {"p1"}}
	reason := errors.New("line one\nline two")
	require.NoError(t, b.DeadLetter(ctx, msgs[0], reason))
	require.Error(t, b.DeadLetter(ctx, msgs[0], reason), "terminating twice fails; the dead letter is stored once")
	dl := deadLetters(t, b, bus.StreamPages, 1)[0]
	require.Equal(t, "twinwatch.deadletter.pages", dl.Subject)
	require.Equal(t, "line one line two", dl.Header.Get(bus.HeaderReason))
	require.Equal(t, "00-abc", dl.Header.Get("Traceparent"), "the original headers travel along")
	require.NotEqual(t, "p1", dl.MsgID, "the dead letter has its own Msg-Id")
	require.Equal(t, "p1", dl.Header.Get(bus.HeaderMsgID))
}

func TestConsumeIntegration(t *testing.T) {
	skipShort(t)
	t.Parallel()
	reg := prometheus.NewRegistry()
	b := open(t, bustest.Config(t), reg)
	defer closeBus(t, b)
	ctx := testCtx(t)
	const n = 40
	publishN(t, b, bus.SubjectEvent, "c", n)

	// "7" is invalid, "13" fails once, "21" panics every time; the rest succeed.
	calls := map[string]int{}
	spec := bus.ConsumerSpec{Stream: bus.StreamObservations, Durable: "consume", MaxDeliver: 3}
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	total := 0
	err := b.Consume(cctx, spec, func(_ context.Context, m *bus.Msg) error {
		body := string(m.Data)
		calls[body]++ // Consume calls the handler from one goroutine
		if total++; total == n+1+2 {
			cancel()
		}
		switch {
		case body == "7":
			return fmt.Errorf("decode: %w", twin.ErrInvalid)
		case body == "13" && calls[body] == 1:
			return errors.New("transient")
		case body == "21":
			panic("parser bug")
		}
		return nil
	})
	require.NoError(t, err)
	require.Len(t, calls, n)
	require.Equal(t, 2, calls["13"])
	require.Equal(t, 3, calls["21"])
	requireStreamPending(t, b, bus.StreamObservations, "consume", 0)

	for o, want := range map[bus.Outcome]float64{bus.OutcomeOK: n - 2, bus.OutcomeRetry: 3, bus.OutcomeInvalid: 1, bus.OutcomeDeadLetter: 1} {
		require.Equal(t, want, metricValue(t, reg, "twinwatch_bus_messages_total", bus.StreamObservations, string(o)), o)
	}
	reasons := map[string]string{}
	for _, dl := range deadLetters(t, b, bus.StreamObservations, 2) {
		reasons[string(dl.Data)] = dl.Header.Get(bus.HeaderReason)
	}
	require.Contains(t, reasons["7"], "invalid")
	require.Contains(t, reasons["21"], "handler panic")
	require.Contains(t, reasons["21"], "parser bug")
}

func TestConsumeStopsCleanlyIntegration(t *testing.T) {
	skipShort(t)
	t.Parallel()
	b := bustest.Start(t)
	ctx := testCtx(t)
	const n = 10
	publishN(t, b, bus.SubjectAgreement, "s", n)
	spec := bus.ConsumerSpec{Stream: bus.StreamObservations, Durable: "stop"}

	started := make(chan struct{})
	release := make(chan struct{})
	var (
		handlerCtxErr error
		handled       int
	)
	cctx, cancel := context.WithCancel(ctx)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- b.Consume(cctx, spec, func(hctx context.Context, m *bus.Msg) error {
			if handled++; handled == 1 {
				close(started)
			}
			<-release
			handlerCtxErr = hctx.Err()
			return nil
		})
	}()
	select {
	case <-started:
	case <-ctx.Done():
		t.Fatal("no message handled")
	}
	cancel()
	time.Sleep(20 * time.Millisecond) // give Consume a chance to misbehave
	close(release)
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-ctx.Done():
		t.Fatal("Consume did not return after cancellation")
	}
	require.NoError(t, handlerCtxErr, "the in-flight handler may finish after cancellation")
	require.Equal(t, 1, handled, "no message is handled after cancellation")

	// The in-flight message was acked; the rest come to the next consumer
	// at once (not after AckWait), none lost.
	requireStreamPending(t, b, bus.StreamObservations, "stop", n-1)
	seen := map[string]bool{}
	require.NoError(t, consumeN(ctx, b, spec, n-1, func(m *bus.Msg) { seen[string(m.Data)] = true }))
	require.Len(t, seen, n-1)
	require.False(t, seen["0"], "the in-flight message is not redelivered")
	requireStreamPending(t, b, bus.StreamObservations, "stop", 0)
}

func TestStreamPendingIntegration(t *testing.T) {
	skipShort(t)
	t.Parallel()
	b := bustest.Start(t)
	ctx := testCtx(t)
	p, err := b.StreamPending(ctx, bus.StreamPages, "nobody")
	require.NoError(t, err)
	require.Zero(t, p)
	p, err = b.StreamPending(ctx, "NO_SUCH_STREAM", "nobody")
	require.NoError(t, err)
	require.Zero(t, p)

	_, err = b.Subscribe(ctx, bus.ConsumerSpec{Stream: bus.StreamPages, Durable: "later"})
	require.NoError(t, err)
	publishN(t, b, bus.PageSubject("a"), "sp", 3)
	p, err = b.StreamPending(ctx, bus.StreamPages, "later")
	require.NoError(t, err)
	require.Equal(t, uint64(3), p)

	_, err = b.Subscribe(ctx, bus.ConsumerSpec{Stream: bus.StreamPages})
	require.Error(t, err)
	_, err = b.Subscribe(ctx, bus.ConsumerSpec{Stream: "NO_SUCH_STREAM", Durable: "x"})
	require.Error(t, err)
	require.Error(t, b.Consume(ctx, bus.ConsumerSpec{Stream: "NO_SUCH_STREAM", Durable: "x"}, nil))
}
