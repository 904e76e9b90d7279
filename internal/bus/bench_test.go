package bus_test

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/internal/bus"
	"github.com/twinwatch/twinwatch/internal/bus/bustest"
	"github.com/twinwatch/twinwatch/twin"
)

// BenchmarkPublishObservations publishes batches of 500 distinct agreement
// observations (~1 KB of JSON each) and waits for all acks; obs/s is the rate.
func BenchmarkPublishObservations(b *testing.B) {
	skipShort(b)
	bs := bustest.Start(b)
	ctx := testCtx(b)
	const batch = 500
	obs := make([]twin.Observation, batch)
	n := 0
	b.ReportAllocs()
	for b.Loop() {
		for i := range obs {
			n++
			obs[i] = agreement("https://example.ru/news/" + strconv.Itoa(n))
		}
		if err := bs.PublishObservations(ctx, obs); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n)/b.Elapsed().Seconds(), "obs/s")
}

// BenchmarkFetchSettle fetches batches of 256 messages of 1 KB and settles
// each with Ack, as a batching sink does; msgs/s is the rate. The stream is
// refilled outside the timer.
func BenchmarkFetchSettle(b *testing.B) {
	skipShort(b)
	bs := bustest.Start(b)
	ctx := testCtx(b)
	sub, err := bs.Subscribe(ctx, bus.ConsumerSpec{Stream: bus.StreamObservations, Durable: "bench", MaxAckPending: 10000})
	require.NoError(b, err)
	const batch = 256
	left, published, settled := 0, 0, 0
	b.ReportAllocs()
	for b.Loop() {
		if left < batch {
			b.StopTimer()
			published = fill(b, bs, published, 20000)
			left += 20000
			b.StartTimer()
		}
		msgs, err := sub.Fetch(ctx, batch, 10*time.Second)
		if err != nil || len(msgs) != batch {
			b.Fatalf("fetch: %d messages, %v", len(msgs), err)
		}
		for _, m := range msgs {
			if o := sub.Settle(ctx, m, nil); o != bus.OutcomeOK {
				b.Fatal(o)
			}
		}
		left -= batch
		settled += batch
	}
	b.ReportMetric(float64(settled)/b.Elapsed().Seconds(), "msgs/s")
}

// BenchmarkConsume runs the per-message Consume loop over 1000 messages of
// 1 KB per iteration; msgs/s is the rate. Messages are published outside the
// timer while the handler is held.
func BenchmarkConsume(b *testing.B) {
	skipShort(b)
	bs := bustest.Start(b)
	ctx, cancel := context.WithCancel(testCtx(b))
	var (
		hold    sync.RWMutex
		handled atomic.Int64
	)
	done := make(chan error, 1)
	go func() {
		done <- bs.Consume(ctx, bus.ConsumerSpec{Stream: bus.StreamObservations, Durable: "bench"}, func(context.Context, *bus.Msg) error {
			hold.RLock()
			defer hold.RUnlock()
			handled.Add(1)
			return nil
		})
	}()
	const batch = 1000
	published := 0
	want := int64(0)
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		hold.Lock()
		published = fill(b, bs, published, batch)
		want += batch
		b.StartTimer()
		hold.Unlock()
		for handled.Load() < want {
			time.Sleep(100 * time.Microsecond)
		}
	}
	b.ReportMetric(float64(want)/b.Elapsed().Seconds(), "msgs/s")
	cancel()
	require.NoError(b, <-done)
}

// fill publishes n messages of 1 KB asynchronously, numbered after from, and
// returns from+n.
func fill(b *testing.B, bs *bus.Bus, from, n int) int {
	b.Helper()
	body := make([]byte, 1024)
	js := bs.JetStream()
	futures := make([]jetstream.PubAckFuture, 0, n)
	for i := from; i < from+n; i++ {
		f, err := js.PublishAsync(bus.SubjectAgreement, body, jetstream.WithMsgID("b"+strconv.Itoa(i)), jetstream.WithStallWait(time.Minute))
		require.NoError(b, err)
		futures = append(futures, f)
	}
	for _, f := range futures {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			b.Fatal(err)
		}
	}
	return from + n
}
