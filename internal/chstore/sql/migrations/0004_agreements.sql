-- agreements: one row per agreement_id, merged from its current mentions.
--   established*: the most precise date among mentions that report the
--     agreement as in place (status other than 'intent'); ties go to the
--     higher confidence, then the newer version. established is '' and
--     established_year 0 when no such mention carries a date.
--   status: what the most recently published mention says.
--   places and names: from the newest mention.
-- The inner query renames columns (m_*) so that output aliases never shadow
-- the columns they aggregate.
CREATE VIEW IF NOT EXISTS agreements AS
SELECT
    agreement_id,
    any(m_relation) AS relation,
    argMax(m_status, (m_published_date, m_seen_at, m_version)) AS status,
    argMaxIf(m_established, (m_rank, m_confidence, m_version), m_dated) AS established,
    argMaxIf(m_established_date, (m_rank, m_confidence, m_version), m_dated) AS established_date,
    argMaxIf(m_established_precision, (m_rank, m_confidence, m_version), m_dated) AS established_precision,
    toUInt16OrZero(substring(argMaxIf(m_established, (m_rank, m_confidence, m_version), m_dated), 1, 4)) AS established_year,
    argMax(m_ru_id, m_version) AS ru_id,
    argMax(m_ru_name_ru, m_version) AS ru_name_ru,
    argMax(m_ru_name_zh, m_version) AS ru_name_zh,
    argMax(m_ru_name_en, m_version) AS ru_name_en,
    argMax(m_ru_kind, m_version) AS ru_kind,
    argMax(m_ru_region, m_version) AS ru_region,
    argMax(m_cn_id, m_version) AS cn_id,
    argMax(m_cn_name_ru, m_version) AS cn_name_ru,
    argMax(m_cn_name_zh, m_version) AS cn_name_zh,
    argMax(m_cn_name_en, m_version) AS cn_name_en,
    argMax(m_cn_kind, m_version) AS cn_kind,
    argMax(m_cn_region, m_version) AS cn_region,
    max(m_confidence) AS confidence,
    count() AS mentions,
    uniqExact(m_source) AS sources,
    uniqExact(m_url) AS urls,
    min(m_seen_at) AS first_seen,
    max(m_seen_at) AS last_seen
FROM
(
    SELECT
        agreement_id,
        relation AS m_relation,
        status AS m_status,
        published_date AS m_published_date,
        seen_at AS m_seen_at,
        version AS m_version,
        established AS m_established,
        established_date AS m_established_date,
        established_precision AS m_established_precision,
        toUInt8(established_precision) AS m_rank,
        established_precision != 'none' AND status != 'intent' AS m_dated,
        confidence AS m_confidence,
        ru_id AS m_ru_id,
        ru_name_ru AS m_ru_name_ru,
        ru_name_zh AS m_ru_name_zh,
        ru_name_en AS m_ru_name_en,
        ru_kind AS m_ru_kind,
        ru_region AS m_ru_region,
        cn_id AS m_cn_id,
        cn_name_ru AS m_cn_name_ru,
        cn_name_zh AS m_cn_name_zh,
        cn_name_en AS m_cn_name_en,
        cn_kind AS m_cn_kind,
        cn_region AS m_cn_region,
        source AS m_source,
        url AS m_url
    FROM mentions
)
GROUP BY agreement_id;
