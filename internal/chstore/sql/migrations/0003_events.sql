-- events: one row per event (event_id = EventID(pair, category, date, url)),
-- versioned like agreement_mentions; read through the `events_latest` view.
CREATE TABLE IF NOT EXISTS events
(
    event_id         String,
    version          UInt64,
    ru_id            String,
    ru_name_ru       String,
    ru_name_zh       String,
    ru_name_en       String,
    ru_kind          Enum8('city' = 1, 'region' = 2),
    ru_region        String,
    cn_id            String,
    cn_name_ru       String,
    cn_name_zh       String,
    cn_name_en       String,
    cn_kind          Enum8('city' = 1, 'region' = 2),
    cn_region        String,
    category         Enum8('culture' = 1, 'education' = 2, 'science' = 3, 'youth' = 4, 'sport' = 5, 'tourism' = 6, 'economy' = 7, 'humanitarian' = 8, 'delegation' = 9),
    date             String,
    event_date       Date,
    date_precision   Enum8('none' = 0, 'year' = 1, 'month' = 2, 'day' = 3),
    evidence         String,
    confidence       Float64,
    source           String,
    url              String,
    published        String,
    published_date   Date,
    lang             String,
    extractor        String,
    origin           Enum8('crawl' = 1, 'reference' = 2),
    seen_at          DateTime
)
ENGINE = ReplacingMergeTree(version)
PARTITION BY toYYYYMM(seen_at)
ORDER BY event_id;

-- events_latest: the current row of every event (highest version).
CREATE VIEW IF NOT EXISTS events_latest AS
SELECT *
FROM events
ORDER BY version DESC
LIMIT 1 BY event_id;
