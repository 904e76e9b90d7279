package parser

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/twin"
)

func TestSplitSentences(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"Мэр г. Уфы прибыл. Делегация А. С. Иванова уехала.", []string{"Мэр г. Уфы прибыл.", "Делегация А. С. Иванова уехала."}},
		{"昨天，两市签署协议。双方表示满意！", []string{"昨天，两市签署协议。", "双方表示满意！"}},
		{"Mr. Li arrived on Friday. The talks began.", []string{"Mr. Li arrived on Friday.", "The talks began."}},
		{"«Это дружба», — сказал мэр. Затем гости уехали.", []string{"«Это дружба», — сказал мэр.", "Затем гости уехали."}},
		{"В 2003 г. побратимы встретились", []string{"В 2003 г. побратимы встретились"}},
	} {
		require.Equal(t, tc.want, splitSentences(tc.in), tc.in)
	}
}

func TestAnniversaryYears(t *testing.T) {
	for _, tc := range []struct {
		text, lang string
		want       int
	}{
		{"отметили 30-летие побратимских связей", "ru", 30},
		{"исполняется 20 лет побратимским отношениям", "ru", 20},
		{"к 25-й годовщине", "ru", 25},
		{"отметили десятилетие дружбы", "ru", 10},
		{"дружат почти три десятилетия", "ru", 0},
		{"结为友好城市三十周年", "zh", 30},
		{"结好二十五周年", "zh", 25},
		{"十周年", "zh", 10},
		{"marked the 25th anniversary of sister-city ties", "en", 25},
		{"30 years of friendship", "en", 30},
	} {
		require.Equal(t, tc.want, anniversaryYears(pad(tc.text), tc.lang), tc.text)
	}
}

func TestDateFromURL(t *testing.T) {
	for _, tc := range []struct{ url, want string }{
		{"https://www.yakutia.info/article/2015/05/22/yakutsk", "2015-05-22"},
		{"https://www.irk.ru/news/20250819/twin/", "2025-08-19"},
		{"http://www.hnfao.gov.cn/xxgk/gzdt/200906/t20090612_1084327.html", "2009-06-12"},
		{"http://www.0745news.cn/2017/0923/1034567.shtml", "2017-09-23"},
		{"https://www.bashinform.ru/news/politics/2015-11-30/v-tsitsikare", "2015-11-30"},
		{"http://en.sanya.gov.cn/news/2019-11/05/c_5123.htm", "2019-11-05"},
		{"http://www.penza.ru/news/5321.html", ""},
		{"::not a url", ""},
	} {
		require.Equal(t, tc.want, dateFromURL(tc.url).String(), tc.url)
	}
}

func TestStatusCues(t *testing.T) {
	for _, tc := range []struct {
		lang, text string
		want       twin.Status
	}{
		{"ru", "Вчера города подписали соглашение о побратимстве.", twin.Signed},
		{"ru", "Стороны подписали протокол о намерениях установить побратимские связи.", twin.Intent},
		{"ru", "Соглашение о побратимстве планируется подписать осенью.", twin.Intent},
		{"ru", "Города дружат с 1992 года.", twin.Existing},
		{"ru", "Побратимские связи были расторгнуты в 2015 году.", twin.Terminated},
		{"ru", "Города отметили 30-летие побратимства.", twin.Anniversary},
		{"zh", "双方签署了建立友好城市关系意向书。", twin.Intent},
		{"zh", "两市正式签署友好城市协议。", twin.Signed},
		{"zh", "两市将推动建立友好城市关系。", twin.Intent},
		{"zh", "此前，两市已建立友好城市关系。", twin.Existing},
		{"en", "The two cities signed a sister-city agreement on Sunday.", twin.Signed},
		{"en", "They have been sister cities since 2011.", twin.Existing},
		{"en", "The agreement will be signed next year.", twin.Intent},
	} {
		pg := &page{lex: lexicons[tc.lang], lang: tc.lang}
		require.Equal(t, tc.want, pg.status(pad(tc.text)), tc.text)
	}
}
