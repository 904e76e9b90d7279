-- Analyst views over agreements, events and places (docs/ANALYSTS.md).
-- ClickHouse 18.16: joins are ANY LEFT JOIN ... USING on renamed columns.

-- agreements_geo: the agreements view plus level, geography and the dates
-- its mentions report.
--   level:               '<ru kind>-<cn kind>' (city-city, region-region, ...).
--   ru_subject(_code):   Russian federal subject (English name, ISO 3166-2).
--   ru_federal_district: its federal district.
--   cn_province(_code):  Chinese province-level unit.
--   *_lat/_lon/_has_coords/_population: from places.
--   established_dates:   every distinct date the non-intent mentions report.
--   date_conflict:       1 when two of them disagree (neither is a prefix of
--                        the other: 1992 vs 1992-08-12 agree, 1990 vs 1992 not).
CREATE VIEW IF NOT EXISTS agreements_geo AS
SELECT
    agreement_id, relation, status, established, established_date, established_precision,
    established_year, ru_id, ru_name_ru, ru_name_zh, ru_name_en, ru_kind, ru_region, cn_id,
    cn_name_ru, cn_name_zh, cn_name_en, cn_kind, cn_region, confidence, mentions, sources, urls,
    first_seen, last_seen, level, ru_subject, ru_subject_code, ru_federal_district, ru_lat, ru_lon,
    ru_has_coords, ru_population, cn_province, cn_province_code, cn_lat, cn_lon, cn_has_coords,
    cn_population,
    established_dates, date_conflict
FROM
(
    SELECT
        agreement_id, relation, status, established, established_date, established_precision,
        established_year, ru_id, ru_name_ru, ru_name_zh, ru_name_en, ru_kind, ru_region, cn_id,
        cn_name_ru, cn_name_zh, cn_name_en, cn_kind, cn_region, confidence, mentions, sources,
        urls, first_seen, last_seen, level, ru_subject, ru_subject_code, ru_federal_district,
        ru_lat, ru_lon, ru_has_coords, ru_population, cn_province, cn_province_code, cn_lat,
        cn_lon, cn_has_coords, cn_population
    FROM
    (
        SELECT
            agreement_id, relation, status, established, established_date, established_precision,
            established_year, ru_id, ru_name_ru, ru_name_zh, ru_name_en, ru_kind, ru_region, cn_id,
            cn_name_ru, cn_name_zh, cn_name_en, cn_kind, cn_region, confidence, mentions, sources,
            urls, first_seen, last_seen, level, ru_subject, ru_subject_code, ru_federal_district,
            ru_lat, ru_lon, ru_has_coords, ru_population
        FROM
        (
            SELECT *, concat(toString(ru_kind), '-', toString(cn_kind)) AS level
            FROM agreements
        )
        ANY LEFT JOIN
        (
            SELECT
                id AS ru_id,
                region AS ru_subject,
                region_code AS ru_subject_code,
                federal_district AS ru_federal_district,
                lat AS ru_lat,
                lon AS ru_lon,
                has_coords AS ru_has_coords,
                population AS ru_population
            FROM places FINAL
            WHERE country = 'RU'
        ) USING ru_id
    )
    ANY LEFT JOIN
    (
        SELECT
            id AS cn_id,
            region AS cn_province,
            region_code AS cn_province_code,
            lat AS cn_lat,
            lon AS cn_lon,
            has_coords AS cn_has_coords,
            population AS cn_population
        FROM places FINAL
        WHERE country = 'CN'
    ) USING cn_id
)
ANY LEFT JOIN
(
    SELECT
        agreement_id,
        ds AS established_dates,
        toUInt8(arrayExists(x -> arrayExists(y -> substring(x, 1, length(y)) != y AND substring(y, 1, length(x)) != x, ds), ds)) AS date_conflict
    FROM
    (
        SELECT agreement_id, arraySort(groupUniqArrayIf(established, established != '' AND status != 'intent')) AS ds
        FROM mentions
        GROUP BY agreement_id
    )
) USING agreement_id;

-- agreements_per_year_by_relation: agreements established per year, by
-- relation and level (undated agreements are not here; see agreements_dating).
CREATE VIEW IF NOT EXISTS agreements_per_year_by_relation AS
SELECT established_year AS year, relation, level, count() AS established
FROM agreements_geo
WHERE established_year > 0
GROUP BY year, relation, level;

-- agreements_by_level: agreements per relation and level, dated and undated.
CREATE VIEW IF NOT EXISTS agreements_by_level AS
SELECT
    relation,
    level,
    count() AS agreements,
    countIf(established_year > 0) AS dated,
    countIf(established_year = 0) AS undated
FROM agreements_geo
GROUP BY relation, level;

-- agreements_by_federal_district: agreements per Russian federal district.
CREATE VIEW IF NOT EXISTS agreements_by_federal_district AS
SELECT
    ru_federal_district AS federal_district,
    count() AS agreements,
    countIf(relation = 'twin') AS twin,
    countIf(relation != 'twin') AS other,
    uniqExact(ru_subject) AS subjects,
    uniqExact(cn_province) AS cn_provinces
FROM agreements_geo
GROUP BY federal_district;

-- agreements_by_ru_subject: agreements per Russian federal subject.
CREATE VIEW IF NOT EXISTS agreements_by_ru_subject AS
SELECT
    ru_federal_district AS federal_district,
    ru_subject AS subject,
    ru_subject_code AS subject_code,
    count() AS agreements,
    countIf(relation = 'twin') AS twin,
    countIf(relation != 'twin') AS other,
    uniqExact(cn_province) AS cn_provinces,
    minIf(established_year, established_year > 0) AS first_year
FROM agreements_geo
GROUP BY federal_district, subject, subject_code;

-- agreements_by_cn_province: agreements per Chinese province-level unit.
CREATE VIEW IF NOT EXISTS agreements_by_cn_province AS
SELECT
    cn_province AS province,
    cn_province_code AS province_code,
    count() AS agreements,
    countIf(relation = 'twin') AS twin,
    countIf(relation != 'twin') AS other,
    uniqExact(ru_subject) AS ru_subjects,
    minIf(established_year, established_year > 0) AS first_year
FROM agreements_geo
GROUP BY province, province_code;

-- pairs_ranking: per pair of places, its agreements and how active it is
-- (mentions of its agreements plus events). Pairs with events but no
-- agreement are in pairs_activity.
CREATE VIEW IF NOT EXISTS pairs_ranking AS
SELECT
    ru_id,
    cn_id,
    ru_name_en,
    cn_name_en,
    ru_subject,
    cn_province,
    agreements,
    relations,
    first_established,
    mentions,
    sources,
    events,
    last_event,
    mentions + events AS activity
FROM
(
    SELECT
        ru_id,
        cn_id,
        any(ru_name_en) AS ru_name_en,
        any(cn_name_en) AS cn_name_en,
        any(ru_subject) AS ru_subject,
        any(cn_province) AS cn_province,
        count() AS agreements,
        arraySort(groupUniqArray(toString(relation))) AS relations,
        minIf(established, established_year > 0) AS first_established,
        sum(mentions) AS mentions,
        max(sources) AS sources
    FROM agreements_geo
    GROUP BY ru_id, cn_id
)
ANY LEFT JOIN
(
    SELECT ru_id, cn_id, count() AS events, max(date) AS last_event
    FROM events_latest
    GROUP BY ru_id, cn_id
) USING ru_id, cn_id;

-- events_after_establishment: events by the number of years between the
-- earliest establishment year of their pair's agreements and the event's
-- year (dated events of dated pairs only; negative: before establishment).
CREATE VIEW IF NOT EXISTS events_after_establishment AS
SELECT toInt32(event_year) - toInt32(pair_year) AS years_after, count() AS events, uniqExact(ru_id, cn_id) AS pairs
FROM
(
    SELECT ru_id, cn_id, toUInt16OrZero(substring(date, 1, 4)) AS event_year
    FROM events_latest
    WHERE date != ''
)
ANY INNER JOIN
(
    SELECT ru_id, cn_id, min(established_year) AS pair_year
    FROM agreements
    WHERE established_year > 0
    GROUP BY ru_id, cn_id
) USING ru_id, cn_id
GROUP BY years_after;

-- agreements_first_source: for each agreement, the source that reported it
-- first (by seen_at) and when: growth that appears only when a source is
-- added is visible here, not in the establishment dates.
CREATE VIEW IF NOT EXISTS agreements_first_source AS
SELECT
    agreement_id,
    argMin(m_source, (m_seen_at, m_source)) AS first_source,
    min(m_seen_at) AS first_seen
FROM (SELECT agreement_id, source AS m_source, seen_at AS m_seen_at FROM mentions)
GROUP BY agreement_id;

-- sources_growth: per source, when it was added (first observation), what it
-- reports (mentions, agreements, events) and how many agreements it was the
-- first to report (new_agreements) against the ones it only confirms.
CREATE VIEW IF NOT EXISTS sources_growth AS
SELECT
    source,
    added,
    last_seen,
    mentions,
    agreements,
    new_agreements,
    events
FROM
(
    SELECT source, added, last_seen, mentions, agreements, new_agreements
    FROM
    (
        SELECT source, min(seen_at) AS added, max(seen_at) AS last_seen, count() AS mentions, uniqExact(agreement_id) AS agreements
        FROM mentions
        GROUP BY source
    )
    ANY LEFT JOIN
    (
        SELECT first_source AS source, count() AS new_agreements
        FROM agreements_first_source
        GROUP BY source
    ) USING source
)
ANY LEFT JOIN
(
    SELECT source, count() AS events
    FROM events_latest
    GROUP BY source
) USING source;

-- agreements_per_year_by_source: agreements per establishment year as each
-- source reports them (0 = the source gives no date).
CREATE VIEW IF NOT EXISTS agreements_per_year_by_source AS
SELECT source, toUInt16OrZero(substring(established, 1, 4)) AS year, uniqExact(agreement_id) AS agreements
FROM mentions
WHERE status != 'intent'
GROUP BY source, year;
