-- places: every gazetteer place with the attributes analysts join on, loaded
-- by `twinwatch backfill` and `twinwatch report` (internal/places) whenever
-- the gazetteer's data_version differs from the loaded one. One row per id;
-- read it as `places FINAL` (a reload is followed by OPTIMIZE ... FINAL).
--   region:           English name of the first-order division (federal
--                     subject / province-level unit); a region's own name.
--   region_id/_code:  its gazetteer id and ISO 3166-2 code (RU-KHA, CN-HL).
--   federal_district: Russian federal district of the subject (RU only).
--   province:         Chinese province-level unit (CN only; = region).
--   lat/lon:          WGS84 degrees, valid when has_coords = 1.
--   population:       last known population, 0 when unknown.
CREATE TABLE IF NOT EXISTS places
(
    id               String,
    country          Enum8('RU' = 1, 'CN' = 2),
    kind             Enum8('city' = 1, 'region' = 2),
    level            String,
    name_ru          String,
    name_zh          String,
    name_en          String,
    region           String,
    region_id        String,
    region_code      String,
    federal_district String,
    province         String,
    lat              Float64,
    lon              Float64,
    has_coords       UInt8,
    population       UInt64,
    data_version     String,
    loaded_at        DateTime
)
ENGINE = ReplacingMergeTree(loaded_at)
ORDER BY id;

-- federal_districts: the 8 Russian federal districts and their subjects.
CREATE VIEW IF NOT EXISTS federal_districts AS
SELECT
    federal_district,
    count() AS subjects,
    arraySort(groupArray(region_code)) AS subject_codes,
    sum(population) AS population
FROM places FINAL
WHERE country = 'RU' AND kind = 'region'
GROUP BY federal_district;
