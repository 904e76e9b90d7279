// Package alert decides which agreement observations are news and tells
// people: webhooks (HMAC-signed JSON), Slack- and Mattermost-compatible
// incoming webhooks, Telegram bots, e-mail over SMTP and a NATS subject.
//
// # Deciding
//
// The alerter consumes agreement and event observations from OBSERVATIONS
// (durable consumer DecideDurable). An agreement is new when it has no entry
// yet in the agreements KV bucket, its status is one of Config.Statuses,
// its confidence is at least Config.MinConfidence and it was established
// within Config.FreshWithin of being seen. The entry is created with an
// atomic KV create, so redeliveries, restarts and replicas running at once
// decide each agreement exactly once. An agreement established long before
// it was seen is "late": it goes to the digest instead of paging. History
// loaded by analysts (twin.OriginReference) is recorded as "history" and
// never alerts, then or later.
//
// # Delivering
//
// A decision publishes one delivery job per matching channel to the ALERTS
// stream (subject DeliverSubject(channel), Nats-Msg-Id <job>.<channel>),
// and each channel has its own durable consumer, so a failing channel
// retries with back-off and finally dead-letters without holding up the
// others. A channel writes a marker to the deliveries bucket after the
// destination accepts a message; a job whose marker exists is acknowledged
// without sending (a redelivery after a crash between send and ack). The
// remaining window — a crash after the destination accepted and before the
// marker was written — repeats the message; webhook receivers can drop the
// repeat by its X-Twinwatch-Delivery header, NATS drops it by Msg-Id.
//
// # Updates and the digest
//
// A later observation of an alerted agreement that brings a more precise
// date or another source (host) is recorded (Recorder, ClickHouse's
// alert_log) and, with Config.Updates "send", sent as an update, threaded
// under the alert where the channel can thread (Telegram replies, e-mail
// In-Reply-To). The digest (Config.Digest.Schedule, cron) lists late
// discoveries, new events by category and sources that yielded nothing.
//
// # Imports and concurrency
//
// alert imports twin and internal/bus (for its consumer types); it never
// imports another stage, config or cmd. The ClickHouse recorder lives in
// alert/chrecord. An Alerter is safe for concurrent use; Run owns one
// goroutine per consumer and one for the digest schedule, and waits for them.
package alert
