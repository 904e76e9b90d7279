// Package sink is the last stage of the pipeline: it consumes the PAGES and
// OBSERVATIONS streams and writes them in batches to ClickHouse — pages into
// the crawl log (table pages), observations into agreement_mentions and
// events.
//
// # Shape
//
// [New] takes the stage's [Config], a [Subscriber] (*bus.Bus), a [Writer]
// (*chstore.Store), a logger and a Prometheus registry; [Sink.Run] migrates
// the schema (Writer.Migrate), opens the durable pull consumers
// "sink-pages" and "sink-observations" and runs one pipe per stream until its
// context is cancelled. Several replicas may run at once: they share the
// durable consumers, and writes are idempotent. The migration is retried
// with back-off while ClickHouse is unreachable. The sink itself takes no
// lock: `twinwatch sink` hands it a Writer whose Migrate takes one in NATS KV
// (cmd/twinwatch/migratelock.go), so replicas starting together migrate one
// at a time; chstore's migrations are idempotent besides.
//
// # One pipe
//
//	fetch loop ──[]*bus.Msg──► batch loop ──*batch──► flush loops (config inserts, default 2)
//	Source.Fetch                 decode on all CPUs       insert (Writer), then settle each message
//
// Each stream has its own pipe of three kinds of goroutine, so that pulling
// from JetStream, JSON decoding and ClickHouse inserts overlap:
//
//   - The fetch loop takes what the consumer has at once (up to fetch_size,
//     no waiting), and only when nothing is there waits for a single message
//     (up to fetch_wait). It never issues a long pull for a big batch: a pull
//     request that expires while the server is still delivering strands the
//     rest of its batch until ack_wait (measured: 30 s stalls).
//   - The batch loop decodes (twin.DecodePage / twin.DecodeObservation, split
//     over GOMAXPROCS goroutines) into the open batch. A batch is handed over
//     when it is full (batch.count messages or batch.bytes of payload) or
//     batch.period after its first message; a batch that is due while every
//     flush loop is busy keeps filling up to full, so inserts grow under load.
//   - A flush loop inserts one batch (one INSERT per table) and then settles
//     its messages.
//
// A full batch waits for a free flush loop (back-pressure; fetching stops), so
// a pipe holds at most inserts+1 batches plus two fetches, and memory stays
// flat however long the stream is. Consumers are opened with MaxAckPending
// (inserts+1)×batch.count + 2×min(fetch_size, batch.count). Batches wait at
// most ack_wait/3 between "in progress" signals.
//
// # Delivery guarantees
//
// A message is acknowledged only after the INSERT holding its row returned
// without error. A crash between insert and ack leaves the messages
// unacknowledged; JetStream redelivers them after ack_wait and they are
// inserted again, which the ReplacingMergeTree tables keyed by the
// deterministic IDs absorb (and readers count distinct IDs). Duplicates
// published with the same Nats-Msg-Id never reach the sink at all. So:
// at-least-once delivery, exactly-once result.
//
// Settlement goes through the bus (Source.Settle), message by message:
//
//   - A message that does not decode or validate (an error wrapping
//     twin.ErrInvalid) is settled as invalid at once — dead-lettered with the
//     reason and terminated — and never enters a batch, so it blocks nothing.
//   - A retryable ClickHouse error (chstore.IsRetryable: server down,
//     timeouts, too many parts) keeps the batch in the sink: the insert is
//     retried with exponential back-off (retry.initial doubling to
//     retry.max) for as long as it takes, while "in progress" signals every
//     ack_wait/3 stop JetStream from redelivering the messages. We chose this
//     over Nak-with-delay because an outage must not use up deliveries and
//     dead-letter good data, and because the back-pressure stops fetching
//     while ClickHouse is down.
//   - A non-retryable error is resolved row by row. Rows that chstore names
//     as invalid (*chstore.InvalidError, e.g. a seen_at past 2106 that twin
//     accepts but a DateTime cannot hold) are dead-lettered with chstore's
//     reason and the rest inserted again. Any other error is bisected: the
//     batch is split in halves and each half inserted again, down to the
//     single rows ClickHouse refuses; each of those gets one more insert on
//     its own (a table that healed meanwhile must not cost good rows) and is
//     then dead-lettered with the server's reason, while the rest is
//     committed and acknowledged. If nothing at all goes in (a missing table
//     rather than bad rows: eight rows refused and none committed), every
//     message is nak'ed with back-off instead, and the bus dead-letters it
//     with its last error once max_deliver deliveries are used up.
//
// # Shutdown
//
// Cancelling Run's context is the soft stop: no new fetch is started, the
// open batch is flushed and every message settled, and Run returns nil. The
// flush may take at most drain_timeout; a batch that cannot be written by
// then (ClickHouse still down) is nak'ed and comes back later.
//
// # Metrics
//
//	twinwatch_sink_rows_written_total{table}          rows committed
//	twinwatch_sink_flush_duration_seconds{table}      one insert attempt
//	twinwatch_sink_batches_total{table,outcome}       ok | retry | dead_letter | error
//	twinwatch_sink_messages_total{table,outcome}      settlements: ok | invalid | retry | dead_letter | error
//	twinwatch_sink_held_messages{table}               fetched, not yet settled
//
// table is "crawl_log" or "observations".
//
// # Throughput
//
// cmd/twinbench measures the sink end to end against a bare batch insert of
// the same rows (see its doc and docs/BENCHMARKS.md). On the shared 2-core
// machine (200,000 observations, defaults) the sink moves about 47-56k
// observations/s against 100-150k/s for the bare insert. The sink's process
// uses about one core while clickhouse-server takes the other: decoding is
// ~15% of it since the sink decodes with github.com/goccy/go-json
// (decodeObservation: ~3-4 µs against ~11-13 µs with encoding/json,
// BenchmarkDecodeObservation vs BenchmarkDecodeObservationStdlib), the
// insert's column building ~18%, the embedded NATS server and client ~17%,
// GC ~10%. Peak RSS of the sink phase is 540-640 MiB with batch.count 20000
// and inserts 2, set by the batches held, not by the stream's length (the
// embedded NATS server's duplicate-window index does grow with the messages
// published).
//
// # Test seams
//
// [WithAfterInsert] simulates a crash between insert and ack;
// [WithRetryable] replaces the error classifier. Package sinktest makes
// deterministic synthetic observations for tests and benchmarks.
//
// # Imports
//
// sink imports twin and the bus and chstore adapters only for their types
// (bus.Msg, bus.ConsumerSpec) and chstore.IsRetryable; it never imports
// another stage, config or cmd.
package sink
