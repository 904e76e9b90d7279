-- alert_log: what the alerter decided about agreements: "alert" (paged now),
-- "late" (discovered long after it was established: digest) and "update" (a
-- later observation added a more precise date or another source). A
-- redelivery records the same row again; ReplacingMergeTree keyed by
-- (agreement_id, kind, n) absorbs it: read with FINAL or LIMIT 1 BY.
CREATE TABLE IF NOT EXISTS alert_log
(
    agreement_id     String,
    kind             Enum8('alert' = 1, 'late' = 2, 'update' = 3),
    n                UInt32,
    better_date      UInt8,
    new_source       UInt8,
    sources          UInt32,
    ru_id            String,
    cn_id            String,
    relation         String,
    status           String,
    established      String,
    date_precision   Enum8('none' = 0, 'year' = 1, 'month' = 2, 'day' = 3),
    evidence         String,
    confidence       Float64,
    source           String,
    url              String,
    seen_at          DateTime,
    recorded_at      DateTime
)
ENGINE = ReplacingMergeTree(recorded_at)
PARTITION BY toYYYYMM(recorded_at)
ORDER BY (agreement_id, kind, n);
