// Package backfill turns the reference list of known Russia–China relations
// (data/twinning/ru_cn_relations.tsv) into observations that travel the same
// pipeline as crawled data: OBSERVATIONS stream → sink → ClickHouse, with
// source "reference", origin twin.OriginReference (so they never alert) and
// the row's source_url as the provenance URL. Crawled mentions of the same
// agreement carry the same twin.AgreementID and merge with them in the
// agreements view.
//
// # Input
//
// One header row naming the columns ru_place, ru_place_en, cn_place,
// cn_place_en, level, type, established, source_url, note (any order; extra
// columns are ignored), then one row per relation. Read accepts it as TSV
// (tab-separated, no quoting, as the list is kept) or CSV (RFC 4180).
//
// # Mapping
//
//   - places: ru_place / cn_place are looked up in the gazetteer (then the
//     _en names); a candidate of the right country whose kind matches the
//     level side ("city-region": Russian city, Chinese region) wins, else
//     the best candidate of the right country.
//   - type: twin → twin.Twin, partner → twin.Partner, friendship-exchange →
//     twin.Friendship; unknown (only an intent document was found although a
//     secondary list calls the pair twins) → twin.Twin with status
//     twin.Intent and confidence 0.3, so it is counted as a known pair but
//     its date never becomes an establishment date.
//   - status twin.Existing, confidence 1.0, or 0.8 when the note is tagged
//     UNCERTAIN, APPROXIMATE or INFERRED.
//   - established: YYYY, YYYY-MM or YYYY-MM-DD, kept at its precision; an
//     empty cell stays undated (counted in Result.Undated), never a fake year.
//
// # Bad rows
//
// A row that cannot become an observation (missing or unknown place, bad
// level, type, date or URL, duplicate of an earlier row) is reported as a
// RowError with its line number and reason; every other row is kept. Only an
// unreadable file or a header without the required columns stops the load.
//
// # Imports
//
// backfill imports twin only; it declares Resolver (satisfied by
// *gazetteer.Gazetteer) and Publisher (satisfied by *bus.Bus).
package backfill
