-- Bookkeeping of applied migrations (created by Migrate before anything else).
-- One row per applied file; ReplacingMergeTree absorbs two replicas recording
-- the same version.
CREATE TABLE IF NOT EXISTS schema_migrations
(
    version    UInt32,
    name       String,
    checksum   String,
    applied_at DateTime
)
ENGINE = ReplacingMergeTree(applied_at)
ORDER BY version;
