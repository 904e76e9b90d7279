// Package places loads the gazetteer's places, with their region, Russian
// federal district or Chinese province, coordinates and population, into
// the ClickHouse table `places` (migration 0020_places.sql), so analysts
// join agreements to geography without leaving SQL.
//
// Russian federal districts are not in the gazetteer: FederalDistrict maps
// the ISO 3166-2 codes of the 89 federal subjects the gazetteer lists to
// their 8 districts (Central, Northwestern, Southern, North Caucasian, Volga,
// Ural, Siberian, Far Eastern). The gazetteer codes the four subjects
// annexed in 2022 and Crimea/Sevastopol with their UA- codes; Russian
// administration puts all six in the Southern district, and so does the
// table (documented in docs/ANALYSTS.md).
//
// Ensure is idempotent and cheap: it computes a version of the rows and
// inserts only when the table does not hold exactly that version.
//
// places imports twin and clickhouse-go's driver interface only; cmd converts
// gazetteer.Record to Place (same fields).
package places
