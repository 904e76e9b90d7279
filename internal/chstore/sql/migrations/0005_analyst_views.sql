-- agreements_per_year: agreements established in each year from 1988 to the
-- current year (zero years included) and the cumulative count at its end,
-- which includes agreements established before 1988. Undated agreements are
-- excluded here and counted in agreements_dating.
CREATE VIEW IF NOT EXISTS agreements_per_year AS
SELECT
    tupleElement(yn, 1) AS year,
    tupleElement(yn, 2) AS established,
    (SELECT count() FROM agreements WHERE established_year > 0 AND established_year < 1988) + cum AS cumulative
FROM
(
    SELECT
        arraySort(groupArray((year, n))) AS yns,
        arrayCumSum(arrayMap(x -> tupleElement(x, 2), arraySort(groupArray((year, n))))) AS cums
    FROM
    (
        SELECT year, n
        FROM (SELECT arrayJoin(arrayMap(i -> toUInt16(1988 + i), range(toUInt32(toYear(today()) - 1987)))) AS year)
        ANY LEFT JOIN
        (
            SELECT established_year AS year, count() AS n
            FROM agreements
            WHERE established_year >= 1988
            GROUP BY year
        ) USING year
    )
)
ARRAY JOIN yns AS yn, cums AS cum;

-- agreements_dating: how many agreements are known, dated and undated.
CREATE VIEW IF NOT EXISTS agreements_dating AS
SELECT
    count() AS agreements,
    countIf(established_year > 0) AS dated,
    countIf(established_year = 0) AS undated
FROM agreements;

-- agreements_by_relation: agreements per relation kind and latest status.
CREATE VIEW IF NOT EXISTS agreements_by_relation AS
SELECT relation, status, count() AS agreements
FROM agreements
GROUP BY relation, status;

-- events_per_year: events per category and year of the event's date (undated: year 0).
CREATE VIEW IF NOT EXISTS events_per_year AS
SELECT toUInt16OrZero(substring(date, 1, 4)) AS year, category, count() AS events
FROM events_latest
GROUP BY year, category;

-- agreements_by_region: agreements per Russian and Chinese first-order
-- division (a region's own English name when the place is a region).
CREATE VIEW IF NOT EXISTS agreements_by_region AS
SELECT
    if(ru_kind = 'region', ru_name_en, ru_region) AS ru_region,
    if(cn_kind = 'region', cn_name_en, cn_region) AS cn_region,
    relation,
    count() AS agreements
FROM agreements
GROUP BY ru_region, cn_region, relation;

-- pairs_activity: per pair of places, events reported and their span.
CREATE VIEW IF NOT EXISTS pairs_activity AS
SELECT
    ru_id,
    any(ru_name_en) AS ru_name_en,
    cn_id,
    any(cn_name_en) AS cn_name_en,
    count() AS events,
    uniqExact(category) AS categories,
    min(seen_at) AS first_seen,
    max(seen_at) AS last_seen
FROM events_latest
GROUP BY ru_id, cn_id;

-- sources_report: what each source reports.
CREATE VIEW IF NOT EXISTS sources_report AS
SELECT
    source,
    count() AS mentions,
    uniqExact(agreement_id) AS agreements,
    min(seen_at) AS first_seen,
    max(seen_at) AS last_seen
FROM mentions
GROUP BY source;
