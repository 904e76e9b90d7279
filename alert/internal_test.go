package alert

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/twin"
)

var seen = time.Date(2026, 11, 24, 12, 0, 0, 0, time.UTC)

func obs(s twin.Status, est string, conf float64) twin.Observation {
	ru := twin.Place{ID: "gn:1", Country: twin.RU, Kind: twin.City, NameRU: "Хабаровск", NameEN: "Khabarovsk", NameZH: "哈巴罗夫斯克", Region: "Khabarovsk Krai"}
	cn := twin.Place{ID: "gn:2", Country: twin.CN, Kind: twin.City, NameRU: "Фуюань", NameEN: "Fuyuan", NameZH: "抚远", Region: "Heilongjiang"}
	o := twin.NewAgreement(ru, cn, twin.Twin, s, twin.MustDate(est), "https://www.Khv.example/news/1")
	o.Evidence, o.Confidence, o.Origin, o.SeenAt, o.Source = "Хабаровск и Фуюань подписали соглашение.", conf, twin.OriginCrawl, seen, "khv"
	return o
}

func TestClassify(t *testing.T) {
	t.Parallel()
	a := &Alerter{cfg: DefaultConfig()}
	digestUnknown := &Alerter{cfg: DefaultConfig()}
	digestUnknown.cfg.UnknownDate = "digest"
	ref := obs(twin.Signed, "2026-11-20", 1)
	ref.Origin = twin.OriginReference
	published := obs(twin.Signed, "", 0.9)
	published.Published = twin.MustDate("1999-03-01")
	cases := []struct {
		name string
		a    *Alerter
		o    twin.Observation
		want string
	}{
		{"fresh day", a, obs(twin.Signed, "2026-11-19", 0.9), decisionAlert},
		{"at the threshold", a, obs(twin.Signed, "2026-11-19", 0.7), decisionAlert},
		{"below the threshold", a, obs(twin.Signed, "2026-11-19", 0.69), ""},
		{"intent", a, obs(twin.Intent, "2026-11-19", 0.99), ""},
		{"anniversary", a, obs(twin.Anniversary, "2026-11-19", 0.99), ""},
		{"existing", a, obs(twin.Existing, "2026-11-19", 0.99), ""},
		{"terminated", a, obs(twin.Terminated, "2026-11-19", 0.99), ""},
		{"history", a, ref, decisionHistory},
		{"59 days", a, obs(twin.Signed, "2026-09-26", 0.9), decisionAlert},
		{"61 days", a, obs(twin.Signed, "2026-09-23", 0.9), decisionLate},
		{"years ago", a, obs(twin.Signed, "1993-06-15", 0.9), decisionLate},
		{"this year, month unknown", a, obs(twin.Signed, "2026", 0.9), decisionAlert},
		{"last year", a, obs(twin.Signed, "2025", 0.9), decisionLate},
		{"month", a, obs(twin.Signed, "2026-09", 0.9), decisionAlert},
		{"unknown date", a, obs(twin.Signed, "", 0.9), decisionAlert},
		{"unknown date to digest", digestUnknown, obs(twin.Signed, "", 0.9), decisionLate},
		{"publication date stands in", a, published, decisionLate},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, tc.a.classify(tc.o, seen))
		})
	}
}

func TestBetterDate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		best, d string
		want    bool
	}{
		{"", "2026", true}, {"2026", "2026-11", true}, {"2026", "2026-11-19", true}, {"2026-11", "2026-11-19", true},
		{"2026", "2025-11-19", false}, {"2026-10", "2026-11-19", false}, {"2026-11-19", "2026-11-19", false},
		{"2026-11-19", "2026-11", false}, {"2026", "", false},
	} {
		require.Equal(t, tc.want, betterDate(twin.MustDate(tc.best), twin.MustDate(tc.d)), "%s → %s", tc.best, tc.d)
	}
}

func TestSourceKey(t *testing.T) {
	t.Parallel()
	o := obs(twin.Signed, "", 1)
	require.Equal(t, "khv.example", sourceKey(o))
	o.URL = ""
	require.Equal(t, "khv", sourceKey(o))
}

func TestFilter(t *testing.T) {
	t.Parallel()
	o := obs(twin.Signed, "2026-11-19", 1)
	for _, tc := range []struct {
		name string
		f    FilterConfig
		want bool
	}{
		{"empty", FilterConfig{}, true},
		{"status", FilterConfig{Statuses: []twin.Status{twin.Existing}}, false},
		{"relation", FilterConfig{Relations: []twin.Relation{twin.Twin, twin.Partner}}, true},
		{"relation no", FilterConfig{Relations: []twin.Relation{twin.Partner}}, false},
		{"pair either order", FilterConfig{Pairs: []string{"CN-RU"}}, true},
		{"region", FilterConfig{Regions: []string{"heilongjiang"}}, true},
		{"region no", FilterConfig{Regions: []string{"Primorsky Krai"}}, false},
	} {
		require.Equal(t, tc.want, tc.f.match(o), tc.name)
	}
}

func TestFormatDate(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ d, en, ru string }{
		{"2017-06-15", "15 June 2017", "15 июня 2017 г."},
		{"2017-06", "June 2017", "июнь 2017 г."},
		{"2017", "2017", "2017 г."},
		{"", "", ""},
	} {
		require.Equal(t, tc.en, FormatDate(twin.MustDate(tc.d), "en"))
		require.Equal(t, tc.ru, FormatDate(twin.MustDate(tc.d), "ru"))
	}
}

func TestDefaultTemplates(t *testing.T) {
	t.Parallel()
	o := obs(twin.Signed, "2026-11-19", 0.9)
	cases := []struct {
		name, kind, lang      string
		update                *UpdateData
		digest                *DigestData
		subject, text, inHTML string
	}{
		{"alert en", KindAlert, "en", nil, nil,
			"Khabarovsk – Fuyuan: twin cities",
			"New agreement: Khabarovsk (Khabarovsk Krai, Russia) and Fuyuan (Heilongjiang, China) – twin cities, 19 November 2026.\n“Хабаровск и Фуюань подписали соглашение.”\nhttps://www.Khv.example/news/1",
			`<a href="https://www.Khv.example/news/1">`},
		{"alert ru", KindAlert, "ru", nil, nil,
			"Хабаровск – Фуюань: города-побратимы",
			"Новое соглашение: Хабаровск (Россия) и Фуюань (Китай) – города-побратимы, 19 ноября 2026 г.\n«Хабаровск и Фуюань подписали соглашение.»\nhttps://www.Khv.example/news/1",
			"Новое соглашение"},
		{"update en", KindUpdate, "en", &UpdateData{N: 1, BetterDate: true, NewSource: true, Sources: 2}, nil,
			"Update: Khabarovsk – Fuyuan: twin cities",
			"Update (more precise date) (another source, 2 in all): Khabarovsk (Khabarovsk Krai, Russia) and Fuyuan (Heilongjiang, China) – twin cities, 19 November 2026.\n“Хабаровск и Фуюань подписали соглашение.”\nhttps://www.Khv.example/news/1",
			"Update"},
		{"digest ru", KindDigest, "ru", nil, &DigestData{Since: seen.Add(-24 * time.Hour), Until: seen,
			Late: []twin.Observation{obs(twin.Signed, "1993-06-15", 1)}, Categories: []CategoryCount{{"culture", 2}}, Silent: []string{"harbin"}},
			"Сводка twinwatch",
			"Сводка twinwatch, 23.11.2026 12:00 – 24.11.2026 12:00 UTC\n\nСоглашения, обнаруженные с опозданием:\n- Хабаровск – Фуюань (города-побратимы, 15 июня 1993 г.) https://www.Khv.example/news/1\n\nНовые события по категориям:\n- culture: 2\n\nИсточники без результатов:\n- harbin",
			"<li>harbin</li>"},
		{"empty digest en", KindDigest, "en", nil, &DigestData{Since: seen.Add(-24 * time.Hour), Until: seen},
			"twinwatch digest",
			"twinwatch digest, 2026-11-23 12:00 – 2026-11-24 12:00 UTC\n\nNothing to report.",
			"twinwatch digest"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			tm, err := newTemplates(ChannelConfig{Name: "x", Language: tc.lang})
			require.NoError(t, err)
			td := TemplateData{Kind: tc.kind, Lang: tc.lang}
			if tc.kind != KindDigest {
				td = newTemplateData(tc.kind, tc.lang, o)
			}
			td.Update, td.Digest = tc.update, tc.digest.view(tc.lang)
			r, err := tm.render(td)
			require.NoError(t, err)
			require.Equal(t, tc.subject, r.Subject)
			require.Equal(t, tc.text, r.Text)
			require.Contains(t, r.HTML, tc.inHTML)
		})
	}
}

// A custom template that names a missing field fails at render time with
// an error the delivery dead-letters at once.
func TestTemplateError(t *testing.T) {
	t.Parallel()
	tm, err := newTemplates(ChannelConfig{Name: "x", Language: "en", Template: TemplateConfig{Text: "{{.Nope}}"}})
	require.NoError(t, err)
	_, err = tm.render(TemplateData{})
	require.ErrorIs(t, err, twin.ErrInvalid)
}
