-- pages: the crawl log. One row per (canonical URL, content hash); the body
-- itself stays in the PAGES stream (replay), only its size is kept here.
-- Partitioned by ingestion month (fetched_at), never by a date in the page.
CREATE TABLE IF NOT EXISTS pages
(
    url          String,
    content_hash String,
    source       String,
    final_url    String,
    status       UInt16,
    fetched_at   DateTime,
    content_type String,
    charset      String,
    lang         String,
    bytes        UInt64
)
ENGINE = ReplacingMergeTree(fetched_at)
PARTITION BY toYYYYMM(fetched_at)
ORDER BY (url, content_hash);
