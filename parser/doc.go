// Package parser is the extractor: it turns one HTML page into the
// agreements and events it reports between a Russian and a Chinese place
// ([twin.Observation]). It is pure: HTML in, observations out. It never
// fetches, publishes or stores anything, keeps no state between pages, and
// decides from the page alone (it never consults the reference list of known
// relations).
//
// # What it may import
//
// Only the standard library (but not net/http), package twin, its own
// subpackages (gazetteer, htmldoc, dates, eval), HTML/text libraries
// (goquery, golang.org/x/net/html, golang.org/x/text). It must not import NATS, ClickHouse, colly or
// net/http directly, nor depend on NATS, ClickHouse or colly at all;
// imports_test.go enforces it.
//
// # How it works
//
//  1. htmldoc decodes the bytes (declared charset), finds the title, the
//     publication date and the article's text blocks (chrome, sidebars and
//     footers removed). A missing date is taken from the URL path.
//  2. Blocks are cut into sentences (ru/zh/en); table rows and list items stay
//     whole. The gazetteer finds place mentions in each (declined, old and
//     transliterated names), dates finds explicit and relative dates resolved
//     against the publication date.
//  3. Party detection drops places that the text does not make parties: the
//     place of signing when another place of its country is named ("в
//     Пекине", "在长沙"), a region named next to one of its own cities.
//  4. The page's main Russian and Chinese places (title, lead) stand in for a
//     side a sentence does not name ("город-побратим Ляоян" on Kemerovo's
//     portal); a listing page ("Города-побратимы", 友好城市 table) pairs each
//     partner row with the page's own place.
//  5. Per-language cue lexicons give the relation (twin, partner,
//     friendship, cooperation), the status (signed, intent, anniversary,
//     existing, terminated) and the event categories; plans, invitations,
//     generalities and video links are not events; a signing reported with a
//     date months before publication is an existing relation.
//  6. Claims are merged to one agreement per (pair, relation) — the
//     strongest status wins, an anniversary or existing relation borrows the
//     most precise consistent establishment date — and one event per (pair,
//     category).
//
// Quality is measured by package eval against testdata/corpus (46 labelled
// pages, see its README) and testdata/cases (our own short pages, written by
// testdata/cases/make_cases.py); corpus_test.go fails when it drops below the
// project's targets. TestDebugPage (debug_test.go) prints how the rules see
// one page. Rules must generalise: no page-specific hacks, no lists of known
// pairs.
//
// # Concurrency and cost
//
// A Parser holds only read-only data and is safe for concurrent use. A
// 100 KB page costs about 4–5 ms of CPU, over 200 pages/s per core (about
// 40% of it in htmldoc, a third of that in x/net/html's tree); go-trafilatura, which
// only extracts the main text, takes 20–30 ms on the same pages
// (BenchmarkParse, BenchmarkTrafilaturaBaseline). What keeps it there:
//   - each sentence's text is lower-cased and scanned once by a byte
//     automaton (cuedfa.go) over every cue of its language; the set of cues
//     found answers every cue-list test of the rules on that sentence
//     (page.has), and a sentence without cues of a group skips its rules;
//   - the gazetteer walks its trie once per sentence, indexed directly for Han;
//   - dates are only looked for in sentences that may need them, each
//     pattern only in windows holding one of its needed words;
//   - regular expressions run only behind a cheap test of what every match
//     holds (a year, a comma, a hyphen), and hot loops decode UTF-8 without
//     unicode/utf8's tables (package internal/runes).
//
// Every fast path has a test against the plain version it replaces
// (cues_test.go, ref_test.go, the htmldoc and dates tests).
package parser
