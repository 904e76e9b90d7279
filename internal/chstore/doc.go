// Package chstore is twinwatch's ClickHouse adapter: it opens the database,
// applies the schema's numbered migrations, writes crawled pages and parsed
// observations in column-wise batches, counts what analysts see, and can run
// a private clickhouse-server for laptops and tests (StartLocal).
//
// # Schema
//
// All SQL lives in sql/ and is embedded: migrations/NNNN_name.sql (forward
// only, never edited once merged, every statement idempotent), insert_*.sql
// (explicit column lists) and queries/*.sql. Every statement runs on
// ClickHouse 18.16 (Debian's package) and on current releases.
//
// Tables (ReplacingMergeTree, partitioned by ingestion month):
//   - pages: the crawl log, one row per (url, content_hash), body size only.
//   - agreement_mentions: one row per page's mention of an agreement,
//     ORDER BY mention_id, version = Version(extractor, seen_at).
//   - events: one row per event, ORDER BY event_id, same versioning.
//   - schema_migrations: applied migrations with checksums.
//
// Views (deduplicated at read time, so callers never need FINAL):
//   - mentions, events_latest: the current row per mention / event.
//   - agreements: one row per agreement_id; best-known establishment date
//     (most precise among non-intent mentions), latest status, places,
//     first_seen/last_seen, mentions, sources.
//   - agreements_per_year (year, established, cumulative since 1988, the
//     cumulative including earlier agreements), agreements_dating (dated vs.
//     undated), agreements_by_relation, events_per_year.
//
// Because partitions follow ingestion time, two versions of one row seen in
// different months both survive merges and FINAL; the views pick the highest
// version with LIMIT 1 BY, and Counts uses uniqExact.
//
// # ClickHouse 18.16 traps this package avoids (notes/spike-2026-11.md)
//
// Native protocol only; inserts only through PrepareBatch with an explicit
// column list (Exec of INSERT ... VALUES hangs); settings only as Go int or
// bool; a ctx deadline over 1 s becomes max_execution_time (deadline + 5 s);
// no ADD COLUMN IF NOT EXISTS, TTL, codecs, skip indexes or LowCardinality;
// unqualified table names in a view are bound to the session's database when
// the view is created, so migrations run on a connection bound to the
// store's database.
//
// # Errors
//
// Rows that can never be written come back as *InvalidError (wrapping
// twin.ErrInvalid, naming the rows; nothing of the call was inserted).
// IsRetryable separates a server that is down or overloaded from bad data.
//
// # Imports and concurrency
//
// chstore imports twin, config/spec and clickhouse-go; never a stage, config
// or cmd. A *Store is safe for concurrent use (a pool of connections); a
// *Local owns one server process and is safe for concurrent use. The
// package holds no mutable state; its only package-level values are
// read-only (embedded SQL and XML, sentinels, enum code tables).
package chstore
