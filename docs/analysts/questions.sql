-- Q1. How did the number of agreements grow per decade (and how many are undated)?
SELECT
    if(established_year = 0, 'undated', concat(toString(intDiv(established_year, 10) * 10), 's')) AS decade,
    count() AS agreements,
    countIf(relation = 'twin') AS twin,
    countIf(relation != 'twin') AS other
FROM agreements_geo
GROUP BY decade
ORDER BY decade;

-- Q2. Cumulative count since 1988, every five years.
SELECT year, established, cumulative
FROM agreements_per_year
WHERE year % 5 = 3 OR year = toYear(today())
ORDER BY year;

-- Q3. Which Russian regions lead?
SELECT subject, federal_district, agreements, twin, cn_provinces, first_year
FROM agreements_by_ru_subject
ORDER BY agreements DESC, subject
LIMIT 10;

-- Q4. Which federal districts lead?
SELECT federal_district, agreements, twin, other, subjects, cn_provinces
FROM agreements_by_federal_district
ORDER BY agreements DESC;

-- Q5. Which Chinese provinces lead?
SELECT province, province_code, agreements, twin, ru_subjects, first_year
FROM agreements_by_cn_province
ORDER BY agreements DESC, province
LIMIT 10;

-- Q6. Twin versus partner (and other relations) over time, by five-year period.
SELECT
    concat(toString(intDiv(year - 1988, 5) * 5 + 1988), '–', toString(intDiv(year - 1988, 5) * 5 + 1992)) AS period,
    sumIf(established, relation = 'twin') AS twin,
    sumIf(established, relation = 'partner') AS partner,
    sumIf(established, relation NOT IN ('twin', 'partner')) AS other
FROM agreements_per_year_by_relation
WHERE year >= 1988
GROUP BY period
ORDER BY period;

-- Q7. City–city versus region–region, by relation.
SELECT relation, level, agreements, dated, undated
FROM agreements_by_level
ORDER BY agreements DESC;

-- Q8. How long after establishment do events keep happening?
SELECT years_after, events, pairs
FROM events_after_establishment
ORDER BY years_after;

-- Q9. The busiest pairs.
SELECT ru_name_en, cn_name_en, agreements, relations, first_established, mentions, sources, events, activity
FROM pairs_ranking
ORDER BY activity DESC, ru_name_en, cn_name_en
LIMIT 10;

-- Q10. Categories of events by year (0 = undated event).
SELECT year, category, events
FROM events_per_year
ORDER BY year, category;

-- Q11. Agreements per source, and how many each was first to report (growth that is only a new source shows here).
SELECT source, added, mentions, agreements, new_agreements, events
FROM sources_growth
ORDER BY added, source;

-- Q12. Agreements whose sources give more than one date (conflicts kept visible).
SELECT ru_name_en, cn_name_en, relation, established, established_dates, date_conflict
FROM agreements_geo
WHERE length(established_dates) > 1
ORDER BY date_conflict DESC, ru_name_en, cn_name_en
LIMIT 10;
