// Package gazetteer recognises Russian and Chinese cities and regions in
// Russian, Chinese and English text and resolves names to twin.Place.
//
// # Data
//
// The data is embedded (data/, see data/README.md for sources and the
// CC BY 4.0 GeoNames attribution): places_ru_cn.tsv (3,515 cities and
// regions of Russia and China) and cn_divisions_nbs2023.tsv (the official
// Chinese division list, which adds county-level units such as 芷江侗族自治县
// that have no GeoNames record). extras.go adds what the data lacks: old
// postal and Wade–Giles spellings (Kirin, Yenki, Chungking, Antung), former
// names (Kalinin, Ленинград), Chinese transcriptions of Russian cities
// (弗拉迪沃斯托克), colloquial region names (Приморье, Бурятия), and the
// lists of names that are also common words, surnames or foreign places.
//
// # Names
//
// Every place gets, besides its listed names:
//   - all six Russian case forms of every Russian name, including
//     multi-word (Свердловской области, Нижнего Новгорода), hyphenated
//     (Ростова-на-Дону, Петропавловска-Камчатского), plural (Мытищами) and
//     fleeting-vowel (Орла, Ельца) names; -о/-е/-и/-у/-э names stay
//     indeclinable (Сочи, Улан-Удэ, Чэнду);
//   - for Chinese places, a Palladius transcription of the pinyin (used as
//     NameRU where the data has no Russian name) and the variants
//     journalists write (Чанджоу, Чжэньцзянь, Ченду, and -нь- before a
//     consonant without its soft sign: Удалянчи, Муданцзян);
//   - Han forms with and without 市/省, traditional characters folded to
//     simplified;
//   - English variants (Jilin City, Heilongjiang Province, Amur Region).
//
// # Matching
//
// Load builds one trie over all forms, folded (lower case, ё→е, Latin
// diacritics stripped, traditional→simplified, dashes and spaces unified).
// Find scans the text once, walking the trie from each possible start:
// Latin and Cyrillic names must begin a word with a capital letter and end
// on a word boundary; Han names need no boundary. The leftmost-longest
// match wins, so 吉林省 is the province, 吉林市 the city, and
// "Комсомольском-на-Амуре" is one mention.
//
// Among places with the same form, the best candidate comes first: listed
// over derived forms, then major cities (Russian towns, Chinese
// prefecture-level cities and municipalities), then regions, then
// county-level cities and prefectures, then minor places; then the
// place's own name over an alternate name, population and feature code.
//
// # False places
//
// Lower-case words never match (находка, орёл), except "провинции X".
// Mentions are marked Ambiguous when the form is also a common word or
// person's name (Находка, Владимир, Королёв, adjective-shaped names such as
// Мирный), a foreign place (Кировск in Ukraine, 松山 in Japan), or a weak
// derived form; bare Han names that are common words (合作, 友谊, 东方) are
// not matched at all unless written with their suffix (合作市).
//
// A Gazetteer is immutable after Load and safe for concurrent use.
package gazetteer
