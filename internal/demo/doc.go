// Package demo is the offline demo that `twinwatch up --demo` runs: a small
// web site embedded in the binary (municipal portals and news pages in
// Russian, Chinese and English, an RSS feed, a sitemap, robots.txt and a
// windows-1251 page) served on a loopback port, and the crawler sources that
// cover it, so that a newcomer sees pages become rows without internet.
//
// Start serves the site; Sources returns the sources for its URL; Expected
// documents what a full run should yield (pages, agreements, events), for
// the end-to-end test. The texts were written for the project (README.md
// lists the pages and the facts behind them); existing relations and their
// dates follow the reference data, the news of November 2026 is invented
// around Date.
//
// The package imports crawler (for Source) and twin; nothing imports it but
// cmd and tests. The embedded site is read-only; a Server owns one
// goroutine, which Close (or the end of Start's ctx) stops.
package demo
