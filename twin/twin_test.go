package twin_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/twin"
)

var (
	khabarovsk = twin.Place{ID: "gn:2022890", Country: twin.RU, Kind: twin.City, NameRU: "Хабаровск", NameZH: "哈巴罗夫斯克", NameEN: "Khabarovsk", Region: "Khabarovsk Krai"}
	harbin     = twin.Place{ID: "gn:2037013", Country: twin.CN, Kind: twin.City, NameRU: "Харбин", NameZH: "哈尔滨", NameEN: "Harbin", Region: "Heilongjiang"}
)

func TestParseDate(t *testing.T) {
	t.Parallel()
	cases := []struct {
		in   string
		want twin.Date
		prec twin.Precision
		err  bool
	}{
		{in: "", want: twin.Date{}, prec: twin.PrecisionNone},
		{in: "1993", want: twin.YearDate(1993), prec: twin.PrecisionYear},
		{in: "1993-06", want: twin.MonthDate(1993, 6), prec: twin.PrecisionMonth},
		{in: "1993-06-15", want: twin.Date{1993, 6, 15}, prec: twin.PrecisionDay},
		{in: "2024-02-29", want: twin.Date{2024, 2, 29}, prec: twin.PrecisionDay},
		{in: "2023-02-29", err: true},
		{in: "1993-13", err: true},
		{in: "1993-6-15", err: true},
		{in: "93", err: true},
		{in: "abcd", err: true},
		{in: "1993/06/15", err: true},
		{in: "0001-+1", err: true},
		{in: "+993", err: true},
		{in: "1993-06--1", err: true},
	}
	for _, tc := range cases {
		t.Run(tc.in, func(t *testing.T) {
			t.Parallel()
			d, err := twin.ParseDate(tc.in)
			if tc.err {
				require.ErrorIs(t, err, twin.ErrInvalid)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, d)
			require.Equal(t, tc.prec, d.Precision())
			require.Equal(t, tc.in, d.String())
			require.True(t, d.Valid())
		})
	}
}

func TestDateJSON(t *testing.T) {
	t.Parallel()
	var v struct {
		D twin.Date `json:"d,omitzero"`
	}
	b, err := json.Marshal(v)
	require.NoError(t, err)
	require.JSONEq(t, `{}`, string(b))
	v.D = twin.MonthDate(2011, 2)
	b, err = json.Marshal(v)
	require.NoError(t, err)
	require.JSONEq(t, `{"d":"2011-02"}`, string(b))
	require.ErrorIs(t, json.Unmarshal([]byte(`{"d":"2011-02-30"}`), &v), twin.ErrInvalid)
	require.ErrorIs(t, json.Unmarshal([]byte(`{"d":1993}`), &v), twin.ErrInvalid)
}

func TestAgreementIDIsUnordered(t *testing.T) {
	t.Parallel()
	a := twin.AgreementID(khabarovsk.ID, harbin.ID, twin.Twin)
	require.Equal(t, a, twin.AgreementID(harbin.ID, khabarovsk.ID, twin.Twin))
	require.NotEqual(t, a, twin.AgreementID(khabarovsk.ID, harbin.ID, twin.Partner))
	require.Regexp(t, `^ag_[0-9a-f]{24}$`, a)
	require.Equal(t, twin.EventID("x", "y", twin.Sport, twin.YearDate(2015), "u"), twin.EventID("y", "x", twin.Sport, twin.YearDate(2015), "u"))
}

func TestObservationRoundTrip(t *testing.T) {
	t.Parallel()
	o := twin.NewAgreement(khabarovsk, harbin, twin.Twin, twin.Existing, twin.YearDate(1993), "https://khabarovskadm.ru/city/twins/")
	o.Evidence, o.Confidence, o.Source, o.Lang, o.Extractor = "Харбин (КНР) — с 1993 г.", 0.9, "khabarovsk", "ru", "test"
	o.Origin, o.SeenAt = twin.OriginCrawl, time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)
	require.NoError(t, o.Validate())
	b, err := json.Marshal(o)
	require.NoError(t, err)
	got, err := twin.DecodeObservation(b)
	require.NoError(t, err)
	require.Equal(t, o, got)
	require.Equal(t, o.MsgID(), got.MsgID())

	e := twin.NewEvent(khabarovsk, harbin, twin.Culture, twin.MonthDate(2015, 6), o.URL)
	e.V = twin.Version
	require.NoError(t, e.Validate())
	require.NotEqual(t, e.MsgID(), o.MsgID())
}

func TestDecodeObservationInvalid(t *testing.T) {
	t.Parallel()
	good := twin.NewAgreement(khabarovsk, harbin, twin.Twin, twin.Signed, twin.Date{}, "u")
	mutate := func(f func(*twin.Observation)) []byte {
		o := good
		f(&o)
		b, _ := json.Marshal(o)
		return b
	}
	cases := []struct {
		name string
		data []byte
	}{
		{"not json", []byte("{")},
		{"wrong version", mutate(func(o *twin.Observation) { o.V = 2 })},
		{"unknown status", mutate(func(o *twin.Observation) { o.Status = "maybe" })},
		{"places swapped", mutate(func(o *twin.Observation) { o.Places[0], o.Places[1] = o.Places[1], o.Places[0] })},
		{"forged id", mutate(func(o *twin.Observation) { o.ID = "ag_000" })},
		{"confidence", mutate(func(o *twin.Observation) { o.Confidence = 1.5 })},
		{"unknown type", mutate(func(o *twin.Observation) { o.Type = "rumour" })},
		{"event fields on agreement", mutate(func(o *twin.Observation) { o.Category = twin.Sport })},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, err := twin.DecodeObservation(tc.data)
			require.Error(t, err)
			require.True(t, errors.Is(err, twin.ErrInvalid), "%v", err)
		})
	}
}

func TestSubjectToken(t *testing.T) {
	t.Parallel()
	require.Equal(t, "khabarovsk-adm", twin.SubjectToken("Khabarovsk-Adm"))
	require.Equal(t, "a_b_c", twin.SubjectToken("a.b c"))
	require.Equal(t, "_", twin.SubjectToken(""))
}

func ExampleAgreementID() {
	// The same pair and relation give the same ID in either order, on any replica.
	fmt.Println(twin.AgreementID("gn:2022890", "gn:2037013", twin.Twin) == twin.AgreementID("gn:2037013", "gn:2022890", twin.Twin))
	// Output: true
}

func ExampleObservation() {
	o := twin.NewAgreement(khabarovsk, harbin, twin.Twin, twin.Existing, twin.YearDate(1993), "https://example.org/twins")
	o.Confidence = 0.9
	b, _ := json.Marshal(struct {
		Type        twin.Kind     `json:"type"`
		Relation    twin.Relation `json:"relation"`
		Established twin.Date     `json:"established"`
	}{o.Type, o.Relation, o.Established})
	fmt.Println(string(b))
	// Output: {"type":"agreement","relation":"twin","established":"1993"}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"", "1993", "1993-06", "1993-06-15", "2024-02-30", "0000", "9999-12-31"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, err := twin.ParseDate(s)
		if err != nil {
			require.ErrorIs(t, err, twin.ErrInvalid)
			return
		}
		// A date that parses prints back as itself and is valid.
		require.Equal(t, s, d.String())
		require.True(t, d.Valid())
	})
}
