-- Distinct rows as analysts see them.
SELECT
    (SELECT uniqExact(url, content_hash) FROM pages) AS pages,
    (SELECT uniqExact(agreement_id) FROM agreement_mentions) AS agreements,
    (SELECT uniqExact(mention_id) FROM agreement_mentions) AS mentions,
    (SELECT uniqExact(event_id) FROM events) AS events
