package eval

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/twin"
)

var (
	goldUfa     = GoldPlace{RU: "Уфа", ZH: "乌法", EN: "Ufa", Country: "RU", Kind: "city"}
	goldQiqihar = GoldPlace{RU: "Цицикар", ZH: "齐齐哈尔", EN: "Qiqihar", Country: "CN", Kind: "city"}
	goldJilinC  = GoldPlace{RU: "Цзилинь", ZH: "吉林", EN: "Jilin City", Country: "CN", Kind: "city"}
	ufa         = twin.Place{ID: "gn:1", Country: twin.RU, Kind: twin.City, NameRU: "Уфа", NameZH: "乌法", NameEN: "Ufa"}
	qiqihar     = twin.Place{ID: "gn:2", Country: twin.CN, Kind: twin.City, NameRU: "Цицикар", NameZH: "齐齐哈尔市", NameEN: "Qiqihar"}
	shenyang    = twin.Place{ID: "gn:3", Country: twin.CN, Kind: twin.City, NameRU: "Шэньян", NameZH: "沈阳", NameEN: "Shenyang"}
)

func TestSamePlace(t *testing.T) {
	require.True(t, SamePlace(goldQiqihar, qiqihar)) // 市 dropped
	require.False(t, SamePlace(goldQiqihar, shenyang))
	jilinProvince := twin.Place{ID: "gn:4", Country: twin.CN, Kind: twin.Region, NameRU: "Цзилинь", NameZH: "吉林", NameEN: "Jilin"}
	require.False(t, SamePlace(goldJilinC, jilinProvince), "kind disambiguates")
	jilinCity := twin.Place{ID: "gn:5", Country: twin.CN, Kind: twin.City, NameEN: "Jilin"}
	require.False(t, SamePlace(goldJilinC, jilinCity), "'Jilin City' is not 'Jilin' in English and no other name is given")
	jilinCity.NameZH = "吉林市"
	require.True(t, SamePlace(goldJilinC, jilinCity), "吉林市 is 吉林 after dropping 市")
}

func TestScorePage(t *testing.T) {
	g := GoldPage{Page: "p", Lang: "ru", Published: "2015-11-30",
		Agreements: []GoldAgreement{
			{A: goldUfa, B: goldQiqihar, Relation: "twin", Status: "signed", Established: "2015-11-28"},
		},
		Events: []GoldEvent{{A: goldUfa, B: goldQiqihar, Category: "delegation", Date: "2015-11"}},
	}
	relErr := twin.NewAgreement(ufa, qiqihar, twin.Partner, twin.Signed, twin.MustDate("2015-11"), "u")
	fp := twin.NewAgreement(ufa, shenyang, twin.Twin, twin.Signed, twin.Date{}, "u")
	evOK := twin.NewEvent(ufa, qiqihar, twin.Delegation, twin.MustDate("2015-11-28"), "u")
	pr := ScorePage(g, []twin.Observation{relErr, fp, evOK}, "2015-11-30")
	s := pr.Scores
	require.Equal(t, PRF{TP: 1, FP: 1, FN: 0}, s.Agreements, "a relation error is a match")
	require.Equal(t, Acc{OK: 0, N: 1}, s.Relation)
	require.Equal(t, Acc{OK: 1, N: 1}, s.Status)
	require.Equal(t, Acc{OK: 0, N: 1}, s.EstStrict)
	require.Equal(t, Acc{OK: 1, N: 1}, s.EstLenient)
	require.Equal(t, PRF{TP: 1, FP: 1}, s.Signed)
	require.Equal(t, PRF{TP: 1}, s.Events)
	require.Equal(t, Acc{OK: 1, N: 1}, s.DateLenient)
	require.Equal(t, Acc{OK: 1, N: 1}, s.Published)
	require.InDelta(t, 0.5, s.Agreements.P(), 1e-9)
	require.True(t, strings.Contains(strings.Join(pr.Mistakes, "\n"), "FP agreement Ufa–Shenyang"))

	empty := ScorePage(GoldPage{Page: "q", Lang: "en"}, []twin.Observation{fp}, "")
	require.Equal(t, 1, empty.Scores.Agreements.FP, "any prediction on an empty page is a false positive")
}

func TestLenient(t *testing.T) {
	require.True(t, lenient("2018-11", "2018-11-05"))
	require.True(t, lenient("2018", "2018-11"))
	require.False(t, lenient("2018", ""))
	require.True(t, lenient("", ""))
	require.False(t, lenient("2018-10", "2018-11"))
}

func TestLoadGoldErrors(t *testing.T) {
	_, err := LoadGold(t.TempDir())
	require.ErrorContains(t, err, "eval: open gold")
	pages, err := LoadGold("../testdata/corpus")
	require.NoError(t, err)
	require.Len(t, pages, 46)
}
