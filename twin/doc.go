// Package twin holds twinwatch's domain: places, agreements, events, pages and
// the observations the parser makes of them, with their deterministic IDs and
// their versioned wire JSON.
//
// Every stage (crawler, parser, sink, alert) depends on this package and on
// nothing of each other; twin itself imports only the standard library.
//
// # Identity
//
// IDs are derived from content, never allocated, so that every replica and
// every replay computes the same ID for the same thing (DESIGN.md, "Identity and
// deduplication"):
//
//   - a place's ID is its gazetteer ID ("gn:2022890");
//   - an agreement's ID is derived from the unordered pair of place IDs and the
//     relation kind ([AgreementID]);
//   - a mention's ID from the agreement ID and the canonical URL ([MentionID]);
//   - an event's ID from the pair, category, date and source URL ([EventID]);
//   - a page's message ID from its canonical URL and content hash ([PageMsgID]).
//
// # Concurrency
//
// Values are plain data; nothing here holds state.
package twin
