// Package eval scores the extractor of package parser against a labelled
// corpus in the format of parser/testdata/corpus (README.md there): a
// gold.jsonl with one line per page and the pages under pages/.
//
// Matching follows the corpus README: places are identified by any of their
// three names after normalisation (kind disambiguates same-named units);
// agreements match per page on (Russian place, Chinese place, relation), and a
// prediction whose pair matches a gold agreement of another relation counts as
// a relation error rather than a false positive plus a false negative; events
// match on (pair, category). Dates are compared strictly (equal strings) and
// leniently (one a prefix of the other; "" only matches "").
//
// The package reads files and writes a table; it never touches the network.
package eval
