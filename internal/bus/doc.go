// Package bus is how twinwatch's stages talk: NATS JetStream streams,
// deterministic Msg-Ids, durable pull consumers, one place where messages are
// settled, a dead-letter stream, and key-value buckets. Stages never call each
// other; they publish to and consume from the bus.
//
// # Server
//
// Open connects to an external NATS server or cluster (Config.URL, with
// user/password, token or a .creds file, and optional TLS), or, when URL is
// empty, starts an embedded nats-server (v2, as a library) with JetStream and
// a file store under Config.Embedded.DataDir, listening on a loopback port.
// Bus.ClientURL tells other processes where to connect; the bus itself talks
// to its embedded server in-process. Streams, consumers, KV buckets and the
// duplicate windows survive a restart on the same data directory. Close
// drains the connection and then stops the embedded server.
//
// # Streams and subjects
//
// Open creates or updates four streams (file storage, limits retention,
// oldest discarded first), with per-stream limits from Config.Streams:
//
//	PAGES         twinwatch.pages.<source>            twin.Page JSON       (PageSubject)
//	OBSERVATIONS  twinwatch.observations.agreement    twin.Observation     (ObservationSubject)
//	              twinwatch.observations.event
//	ALERTS        twinwatch.alerts.agreement
//	DEADLETTER    twinwatch.deadletter.<stream>       original body + Twinwatch-* headers
//
// Every publish carries a Nats-Msg-Id (Page.MsgID, Observation.MsgID), so a
// republish inside the stream's duplicate window is dropped by the server
// and reported as a duplicate, not an error. PublishObservations publishes
// asynchronously and then waits for every ack (synchronous publishes are
// several times slower).
//
// # Consuming and settlement
//
// Subscribe creates or updates a durable pull consumer (explicit acks).
// Fetch returns up to max messages, as soon as it has max or after wait;
// cancellation returns promptly and hands fetched messages back. Settle is
// the only settlement policy in the pipeline:
//
//	handler result                      action                                   Outcome
//	nil                                 Ack                                      ok
//	wraps twin.ErrInvalid               DeadLetter (reason in header), Term      invalid
//	error, Delivered >= MaxDeliver      DeadLetter, Term                         dead_letter
//	other error                         NakWithDelay(back-off by delivery)       retry
//	settling failed                     (server redelivers after AckWait)        error
//
// The back-off doubles from consumer.backoff.initial to at most
// consumer.backoff.max, with jitter. The server-side redelivery limit is off;
// the bus counts deliveries itself, and a message redelivered beyond
// MaxDeliver without a settlement (a crashed handler, an overrun AckWait) is
// dead-lettered by Fetch, so nothing is ever dropped silently.
//
// Consume is the loop for per-message stages (the extract stage, alerts): it
// fetches, calls the handler, and settles. On cancellation it stops fetching,
// lets the in-flight handler finish and settles it, and hands the rest back.
// Batching stages (the sink) use Subscribe, Fetch and Settle themselves.
//
// Subscription.Pending and Bus.StreamPending report what a consumer has not
// finished; `twinwatch up --once` polls them to know when the pipeline is drained.
//
// # Delivery guarantees
//
// At least once: a message is acked only after its effect is durable, and a
// crash before the ack means a redelivery, which deterministic IDs downstream
// make harmless. Acks are asynchronous: Pending may count a just-acked
// message for a moment.
//
// # Metrics
//
// On the registry passed to Open: twinwatch_bus_messages_total{stream,outcome}
// for settlements and twinwatch_bus_published_total{stream,outcome} (ok,
// duplicate, error) for publishes.
//
// # Traps this package handles
//
//   - JetStream's Fetch waits the full wait unless max arrives; Consume
//     first takes what is available without waiting.
//   - A cancelled pull must drop its inbox, or the server keeps delivering
//     into it until it expires; Fetch uses a context for that.
//   - Async publishes fail at once when too many are outstanding unless
//     given a stall wait.
//   - Raw URLs are not valid KV keys: use twin.URLKey.
//   - NATS's default max_payload (1 MiB) is too small for some pages: the
//     embedded server allows 8 MiB; set max_payload on external servers
//     (deploy/nats).
//
// # Imports and concurrency
//
// bus imports twin, config/spec, nats.go, nats-server and the Prometheus
// client; it never imports a stage, config or cmd. A Bus, a Subscription and
// their methods are safe for concurrent use. Consume calls its handler from
// one goroutine, one message at a time; run several Consume calls on the same
// durable for parallelism. The bus starts no goroutine that outlives a call,
// except those of the NATS client and the embedded server, which Close ends.
package bus
