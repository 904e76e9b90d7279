// Package dates finds and reads calendar dates in Russian, Chinese and
// English text: explicit ones ("15 июня 2017 г.", "15.06.2017", "в июне 2017
// года", "в 1993 году", "1993年6月15日", "2022年10月", "June 15, 2017",
// "15 June 2017", "2017-06-15") and relative ones resolved against a
// reference date, usually the page's publication date ("вчера", "в
// четверг", "в мае", "в конце прошлого года", "昨天", "日前", "上周五",
// "on Sunday", "last month").
//
// Every date carries the precision the text supports (twin.Date: day,
// month or year). A day and month without a year ("26 июня", "November
// 17") resolve only against a reference date; without one they give
// nothing. Against one, the context picks the year: in a report of the
// past it is the most recent such day on or before the reference; at the
// end of a period or a deadline ("до 2 ноября", "по 3 июля", "until July
// 9", "至7月9日", "7月9日前") the occurrence closest to the reference; in a
// sentence about the future ("пройдёт", "will", "将于") the next one on or
// after it. Years behind a copyright sign ("© 2024", "© 2005–2025") and
// decades ("1990-е", "1980s", "1990年代") are never dates.
//
// [Find] scans a text and returns non-overlapping mentions with their byte
// offsets; [ParseOne] reads one date expression such as a table cell, a
// meta tag value or a <time datetime> attribute.
//
// # Imports
//
// Standard library and twin only: no network, no I/O.
//
// # Concurrency
//
// The package holds only read-only tables and compiled regular
// expressions built at initialisation; every function is pure and safe
// for concurrent use. Find reads at most the first MiB of its input.
package dates
