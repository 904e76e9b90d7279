-- agreement_mentions: one row per page's mention of an agreement (mention_id =
-- MentionID(agreement_id, url)). version = extractor rank << 40 | seen_at
-- (unix seconds), so the newest extractor's view wins, then the latest seen.
-- Partitioned by ingestion month: duplicates in different partitions survive
-- FINAL, so readers go through the `mentions` view (LIMIT 1 BY mention_id).
-- established is the text form 'YYYY[-MM[-DD]]' (authoritative);
-- established_date is its first day, 1970-01-01 when unknown or before 1970.
CREATE TABLE IF NOT EXISTS agreement_mentions
(
    mention_id            String,
    agreement_id          String,
    version               UInt64,
    ru_id                 String,
    ru_name_ru            String,
    ru_name_zh            String,
    ru_name_en            String,
    ru_kind               Enum8('city' = 1, 'region' = 2),
    ru_region             String,
    cn_id                 String,
    cn_name_ru            String,
    cn_name_zh            String,
    cn_name_en            String,
    cn_kind               Enum8('city' = 1, 'region' = 2),
    cn_region             String,
    relation              Enum8('twin' = 1, 'partner' = 2, 'friendship' = 3, 'cooperation' = 4),
    status                Enum8('signed' = 1, 'intent' = 2, 'anniversary' = 3, 'existing' = 4, 'terminated' = 5),
    established           String,
    established_date      Date,
    established_precision Enum8('none' = 0, 'year' = 1, 'month' = 2, 'day' = 3),
    evidence              String,
    confidence            Float64,
    source                String,
    url                   String,
    published             String,
    published_date        Date,
    lang                  String,
    extractor             String,
    origin                Enum8('crawl' = 1, 'reference' = 2),
    seen_at               DateTime
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(seen_at)
ORDER BY mention_id;

-- mentions: the current row of every mention (highest version), across partitions.
CREATE VIEW IF NOT EXISTS mentions AS
SELECT *
FROM agreement_mentions
ORDER BY version DESC
LIMIT 1 BY mention_id;
