package bus_test

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/twinwatch/twinwatch/internal/bus"
	"github.com/twinwatch/twinwatch/twin"
)

// Publish two observations (one twice) on an embedded server and consume
// them with a per-message handler, which Consume settles.
func Example() {
	dir, err := os.MkdirTemp("", "bus-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)

	ctx := context.Background()
	cfg := bus.DefaultConfig()
	cfg.Embedded.DataDir = dir
	b, err := bus.Open(ctx, cfg, slog.New(slog.DiscardHandler), nil)
	if err != nil {
		panic(err)
	}
	defer b.Close(ctx)

	ru := twin.Place{ID: "gn:2022890", Country: twin.RU, Kind: twin.City, NameEN: "Khabarovsk"}
	cn := twin.Place{ID: "gn:2037013", Country: twin.CN, Kind: twin.City, NameEN: "Harbin"}
	a := twin.NewAgreement(ru, cn, twin.Twin, twin.Existing, twin.YearDate(1993), "https://example.ru/1")
	e := twin.NewEvent(ru, cn, twin.Culture, twin.MustDate("2019-06-15"), "https://example.ru/2")
	// The second copy of a is dropped by the stream: same Msg-Id.
	if err := b.PublishObservations(ctx, []twin.Observation{a, e, a}); err != nil {
		panic(err)
	}

	cctx, stop := context.WithTimeout(ctx, time.Minute)
	defer stop()
	n := 0
	err = b.Consume(cctx, bus.ConsumerSpec{Stream: bus.StreamObservations, Durable: "example"},
		func(_ context.Context, m *bus.Msg) error {
			fmt.Println(m.Subject, "delivery", m.Delivered)
			if n++; n == 2 {
				stop() // Consume finishes this message, then returns nil
			}
			return nil
		})
	fmt.Println("consume:", err, errors.Is(cctx.Err(), context.Canceled))
	// Output:
	// twinwatch.observations.agreement delivery 1
	// twinwatch.observations.event delivery 1
	// consume: <nil> true
}
