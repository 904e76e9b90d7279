package dates_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/parser/dates"
	"github.com/twinwatch/twinwatch/twin"
)

// dates returns the dates of the mentions as strings, "~" marking relative.
func found(text, lang string, ref twin.Date) []string {
	var out []string
	for _, m := range dates.Find(text, lang, ref) {
		s := m.Date.String()
		if m.Relative {
			s = "~" + s
		}
		out = append(out, s)
	}
	return out
}

func TestFind(t *testing.T) {
	t.Parallel()
	ref := twin.MustDate("2017-06-22") // a Thursday
	cases := []struct {
		name string
		text string
		lang string
		ref  twin.Date
		want []string
	}{
		{"ru full", "Соглашение подписано 15 июня 2017 г. в Харбине.", "ru", twin.Date{}, []string{"2017-06-15"}},
		{"ru byline with time", "16 июня 2017, 12:40 · Автор", "ru", twin.Date{}, []string{"2017-06-16"}},
		{"ru capital month", "Дата последнего изменения: 16 Сентября 2019 г.", "ru", twin.Date{}, []string{"2019-09-16"}},
		{"ru genitive year", "14 июля 1993 года Астрахань и Даньдун", "ru", twin.Date{}, []string{"1993-07-14"}},
		{"ru numeric", "Дата изменения: 12.11.2024", "ru", twin.Date{}, []string{"2024-11-12"}},
		{"ru numeric short day", "опубликовано 5.3.2008", "ru", twin.Date{}, []string{"2008-03-05"}},
		{"ru month year prep", "в июне 2017 года", "ru", twin.Date{}, []string{"2017-06"}},
		{"ru month year nom", "Январь 2019", "ru", twin.Date{}, []string{"2019-01"}},
		{"ru december", "подписано в декабре 1988 года.", "ru", twin.Date{}, []string{"1988-12"}},
		{"ru year word", "в 1993 году", "ru", twin.Date{}, []string{"1993"}},
		{"ru year abbrev", "Харбин (КНР) — с 1993 г.", "ru", twin.Date{}, []string{"1993"}},
		{"ru year -go", "с соседним Хэйхэ — с 2009-го.", "ru", twin.Date{}, []string{"2009"}},
		{"ru decade is no year", "в 1990-е годы", "ru", twin.Date{}, nil},
		{"ru number is no year", "передал 5000 масок и 1200 перчаток", "ru", twin.Date{}, nil},
		{"ru range", "в 2017–2019 годах", "ru", twin.Date{}, []string{"2017", "2019"}},
		{"ru copyright", "© 2024 Мэрия. Все права защищены.", "ru", twin.Date{}, nil},
		{"ru copyright range", "© 2005–2025 Администрация", "ru", twin.Date{}, nil},
		{"ru copyright name year", "© Администрация города Омска, 2013.", "ru", twin.Date{}, nil},
		{"ru day month no ref", "26 июня делегация прибыла", "ru", twin.Date{}, nil},
		{"ru day month ref", "26 мая делегация прибыла", "ru", ref, []string{"~2017-05-26"}},
		{"ru day month after ref", "26 июля делегация прибыла", "ru", ref, []string{"~2016-07-26"}},
		{"ru period end do", "Ярмарка продлится до 2 июля.", "ru", ref, []string{"~2017-07-02"}},
		{"ru period end do past", "Выставка работала до 2 июня.", "ru", ref, []string{"~2017-06-02"}},
		{"ru range po", "с 20 июня по 3 июля", "ru", ref, []string{"~2017-06-20", "~2017-07-03"}},
		{"ru period end across new year", "Фестиваль продлится до 5 января.", "ru", twin.MustDate("2017-12-28"), []string{"~2018-01-05"}},
		{"ru future verb", "Турнир пройдёт 10 марта.", "ru", ref, []string{"~2018-03-10"}},
		{"ru past verb", "Турнир прошёл 10 марта.", "ru", ref, []string{"~2017-03-10"}},
		{"ru period end no ref", "Фестиваль продлится до 2 ноября.", "ru", twin.Date{}, nil},
		{"en until", "The exhibition runs until July 9.", "en", ref, []string{"~2017-07-09"}},
		{"en will", "The delegation will arrive on 3 August.", "en", ref, []string{"~2017-08-03"}},
		{"zh zhi", "展览将持续至7月9日。", "zh", ref, []string{"~2017-07-09"}},
		{"zh qian", "请于7月9日前报名。", "zh", ref, []string{"~2017-07-09"}},
		{"ru yesterday", "Вчера мэры подписали соглашение", "ru", ref, []string{"~2017-06-21"}},
		{"ru today", "Сегодня подписано", "ru", ref, []string{"~2017-06-22"}},
		{"ru day before yesterday", "позавчера", "ru", ref, []string{"~2017-06-20"}},
		{"ru yesterday no ref", "Вчера мэры подписали", "ru", twin.Date{}, nil},
		{"ru not yesterday", "вчерашний день", "ru", ref, nil},
		{"ru wednesday", "в среду мэры подписали", "ru", ref, []string{"~2017-06-21"}},
		{"ru thursday is ref", "в четверг", "ru", ref, []string{"~2017-06-22"}},
		{"ru monday", "Во вторник делегация", "ru", ref, []string{"~2017-06-20"}},
		{"ru sunday", "в воскресенье", "ru", ref, []string{"~2017-06-18"}},
		{"ru last week", "на прошлой неделе", "ru", ref, []string{"~2017-06"}},
		{"ru weekend", "в выходные прошёл турнир", "ru", twin.MustDate("2019-02-18"), []string{"~2019-02"}},
		{"ru in may", "в мае стороны договорились", "ru", ref, []string{"~2017-05"}},
		{"ru in july before", "в июле стороны договорились", "ru", ref, []string{"~2016-07"}},
		{"ru in january last year", "в январе прошлого года", "ru", ref, []string{"~2016-01"}},
		{"ru end of last year", "в конце прошлого года", "ru", twin.MustDate("2019-03-01"), []string{"~2018"}},
		{"ru last year", "в прошлом году", "ru", ref, []string{"~2016"}},
		{"zh full", "1993年6月15日签署", "zh", twin.Date{}, []string{"1993-06-15"}},
		{"zh full padded", "发布日期：2019年07月15日", "zh", twin.Date{}, []string{"2019-07-15"}},
		{"zh month", "2022年10月，两市", "zh", twin.Date{}, []string{"2022-10"}},
		{"zh year", "两市于1992年缔结友好城市关系", "zh", twin.Date{}, []string{"1992"}},
		{"zh decade", "20世纪1990年代", "zh", twin.Date{}, nil},
		{"zh cms line", "发布时间：2024-09-13 10:21", "zh", twin.Date{}, []string{"2024-09-13"}},
		{"zh fullwidth", "２０２２年１０月２７日", "zh", twin.Date{}, []string{"2022-10-27"}},
		{"zh yesterday", "昨天，两市签署", "zh", ref, []string{"~2017-06-21"}},
		{"zh today", "今天", "zh", ref, []string{"~2017-06-22"}},
		{"zh recently", "日前，两市签署", "zh", ref, []string{"~2017-06"}},
		{"zh lately", "近日", "zh", ref, []string{"~2017-06"}},
		{"zh last friday", "上周五", "zh", ref, []string{"~2017-06-16"}},
		{"zh this year month", "今年7月，艺术团", "zh", twin.MustDate("2024-09-13"), []string{"~2024-07"}},
		{"zh month day", "6月28日", "zh", twin.MustDate("2024-09-13"), []string{"~2024-06-28"}},
		{"zh month day no ref", "6月28日", "zh", twin.Date{}, nil},
		{"zh months duration", "3个月", "zh", ref, nil},
		{"en mdy", "signed on September 27, 2000 in Beijing", "en", twin.Date{}, []string{"2000-09-27"}},
		{"en dmy", "15 June 2017", "en", twin.Date{}, []string{"2017-06-15"}},
		{"en abbrev", "Jun. 15, 2017", "en", twin.Date{}, []string{"2017-06-15"}},
		{"en weekday byline", "Tuesday, August 24, 1999, updated at 09:12", "en", twin.Date{}, []string{"1999-08-24"}},
		{"en updated", "Updated: 2004-10-27", "en", twin.Date{}, []string{"2004-10-27"}},
		{"en month year", "a preliminary agreement in June 1998.", "en", twin.Date{}, []string{"1998-06"}},
		{"en since", "sister cities since 2011.", "en", twin.Date{}, []string{"2011"}},
		{"en decade", "in the late 1980s", "en", twin.Date{}, nil},
		{"en copyright", "Copyright © 2000-2023 XINHUANET.com", "en", twin.Date{}, nil},
		{"en copyright single", "Copyright &copy; 2000 Changchun", "en", twin.Date{}, nil},
		{"en yesterday", "signed yesterday", "en", ref, []string{"~2017-06-21"}},
		{"en on sunday", "became sister regions on Sunday", "en", twin.MustDate("1999-08-24"), []string{"~1999-08-22"}},
		{"en last month", "last month", "en", ref, []string{"~2017-05"}},
		{"en in may", "in May the cities", "en", ref, []string{"~2017-05"}},
		{"en may verb", "the cities may sign", "en", ref, nil},
		{"en month day no ref", "on November 17 the delegation", "en", twin.Date{}, nil},
		{"iso", "2017-06-15", "", twin.Date{}, []string{"2017-06-15"}},
		{"iso datetime", "2025-06-30T16:20:00+03:00", "", twin.Date{}, []string{"2025-06-30"}},
		{"invalid day", "31.02.2017", "ru", twin.Date{}, nil},
		{"id not a date", "news=85412 id 1934227", "ru", twin.Date{}, nil},
		{"ru range with prepositions", "с 2017 по 2019 год", "ru", twin.Date{}, []string{"2017", "2019"}},
		{"ru day genitive ordinal", "1-го июня 2017 года", "ru", twin.Date{}, []string{"2017-06-01"}},
		{"ru year -m", "в 2009-м году", "ru", twin.Date{}, []string{"2009"}},
		{"ru day month this year", "5 марта этого года", "ru", ref, []string{"~2017-03-05"}},
		{"ru not a month word", "Март — месяц весны", "ru", twin.Date{}, nil},
		{"en range", "from 1997 to 2015", "en", twin.Date{}, []string{"1997", "2015"}},
		{"en ordinal", "on the 3rd of March 2015", "en", twin.Date{}, []string{"2015-03-03"}},
		{"en lowercase march is a verb", "they march 2000 steps", "en", twin.Date{}, nil},
		{"zh range", "2017年至2019年", "zh", twin.Date{}, []string{"2017", "2019"}},
		{"zh last year month", "去年12月", "zh", ref, []string{"~2016-12"}},
		{"two dates", "с 14.03.2008 по 16 июля 1991 г.", "ru", twin.Date{}, []string{"2008-03-14", "1991-07-16"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, found(tc.text, tc.lang, tc.ref))
		})
	}
}

func TestFindOffsets(t *testing.T) {
	t.Parallel()
	text := "Иркутск, 19 августа 2025 — вчера"
	ms := dates.Find(text, "ru", twin.MustDate("2025-08-19"))
	require.Len(t, ms, 2)
	require.Equal(t, "19 августа 2025", text[ms[0].Start:ms[0].End])
	require.Equal(t, "вчера", text[ms[1].Start:ms[1].End])
	require.False(t, ms[0].Relative)
	require.True(t, ms[1].Relative)
}

func TestParseOne(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in, lang, want string
	}{
		{"2025-06-30T16:20:00+03:00", "", "2025-06-30"},
		{"2024-09-13 10:21", "", "2024-09-13"},
		{"2017-12-14", "", "2017-12-14"},
		{"20250819", "", "2025-08-19"},
		{"Mon, 02 Jan 2006 15:04:05 GMT", "en", "2006-01-02"},
		{"1993年6月28日", "zh", "1993-06-28"},
		{"1973", "zh", "1973"},
		{"2012", "ru", "2012"},
		{"1961 г.", "ru", "1961"},
		{"16 июля 1991 г.", "ru", "1991-07-16"},
		{"May 14, 1995", "en", "1995-05-14"},
		{"2019-11", "", "2019-11"},
		{" 12.11.2024 ", "ru", "2024-11-12"},
		{"", "", ""},
		{"вчера", "ru", ""},
		{"26 июня", "ru", ""},
		{"© 2024", "ru", ""},
		{"9999", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			d, ok := dates.ParseOne(tc.in, tc.lang)
			require.Equal(t, tc.want != "", ok)
			require.Equal(t, tc.want, d.String())
		})
	}
}

func BenchmarkFind(b *testing.B) {
	para := "Вчера в Харбине мэры подписали соглашение о побратимстве, а 15 июня 2017 г. прошла выставка. " +
		"Города дружат с 1993 года; в конце прошлого года делегации обменялись визитами. 两市于1992年缔结友好城市关系，2022年10月27日举行活动。 "
	text := ""
	for len(text) < 10<<10 {
		text += para
	}
	ref := twin.MustDate("2019-03-01")
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		if len(dates.Find(text, "ru", ref)) == 0 {
			b.Fatal("nothing found")
		}
	}
}
