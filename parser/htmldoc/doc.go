// Package htmldoc turns a fetched page into its readable parts: title,
// publication date, language and the main content as a list of blocks
// (headings, paragraphs, list items, table rows with their cells and the
// table's header, captions, quotes), in document order.
//
// # Input
//
// [Parse] takes the raw body in any charset: a byte-order mark wins, then
// valid UTF-8 as it is (the crawler usually decodes before publishing, and
// such a page still declares its old charset), then [Hints].Charset, then
// the document's <meta charset> or http-equiv, else a guess between
// windows-1251 and GBK. Plain text (no markup) is split into paragraphs at
// blank lines. At most [MaxInput] bytes are read; nesting depth, block
// count and date search are capped, so work is bounded on any input.
//
// # Main content
//
// Generic extraction is readability-style scoring on the x/net/html tree:
// site chrome is recognised by tag (nav, aside, footer, header without the
// h1), ARIA role and class/id words (menu, sidebar, related, read-also,
// comments, breadcrumbs, tags, pager ...) and left out; every remaining
// paragraph, list item and data-table row scores its container; the best
// container (weighted by link density and class names) and its content-like
// siblings give the blocks. Link lists, breadcrumb trails and a trailing
// heading ("Читайте также") are dropped. A data table (no nested tables,
// short cells, two or more columns) yields one TableRow per row with its
// Cells and the header row's cells (thead, th, bold or shaded first row)
// as Header, so a listing page reads as one agreement per row.
// Per-source CSS selectors ([Hints].Selectors) override title, date and
// body extraction where they match; [ValidateSelectors] checks them.
//
// # Publication date
//
// First hit wins: the date selector; meta tags (article:published_time,
// PubDate, publishdate, dc.date ..., modification dates last); JSON-LD
// datePublished/dateModified; itemprop microdata; <time datetime> outside
// chrome; a CMS line with a label ("Дата изменения: 12.11.2024",
// "发布时间：2024-09-13 10:21", "Updated: 2000-09-28"); the first full date
// of a byline-sized block near the content ("16 июня 2017, 12:40"); the URL
// path ([URLDate]); the hint. A year alone never counts here, so a footer's
// "© 2024" cannot become the date.
//
// # Imports
//
// x/net/html, x/text, cascadia, twin and parser/dates: no network, NATS,
// ClickHouse or net/http. The tests benchmark go-trafilatura as a baseline.
//
// # Concurrency
//
// Parse is pure: it keeps no state between calls and is safe for concurrent
// use. A Doc is plain data owned by the caller; Block.Header slices are
// shared between the rows of one table and must be treated as read-only.
package htmldoc
