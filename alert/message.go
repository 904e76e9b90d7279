package alert

import (
	"bytes"
	"fmt"
	htmltemplate "html/template"
	"strings"
	"text/template"
	"time"

	"github.com/twinwatch/twinwatch/twin"
)

// TemplateData is what message templates execute with. Place names, the
// relation and the date are already in the channel's language.
type TemplateData struct {
	// Kind is alert, update, digest or test.
	Kind string
	// Lang is the channel's language ("en", "ru").
	Lang string
	// RU and CN are the two places' names in Lang; RURegion and CNRegion the
	// regions they lie in (English gazetteer names, empty for regions).
	RU, CN, RURegion, CNRegion string
	// Relation is the relation's label in Lang ("twin cities", "побратимы").
	Relation string
	// Status is the observation's status (signed, existing, ...).
	Status string
	// Date is the establishment date written out in Lang, "" if unknown.
	Date string
	// Evidence is the sentence the agreement was read from.
	Evidence string
	// URL is the source page; Source its config name.
	URL, Source string
	// Confidence of the extraction, 0..1.
	Confidence float64
	// Late is true for an agreement discovered long after it was established.
	Late bool
	// Update is set for updates.
	Update *UpdateData
	// Digest is set for digests.
	Digest *DigestView
	// Observation is the raw observation (alerts and updates).
	Observation twin.Observation
}

// UpdateData says what an update adds.
type UpdateData struct {
	// N numbers the agreement's updates from 1.
	N int `json:"n"`
	// BetterDate is set when the date became more precise; Date is then the new one.
	BetterDate bool `json:"better_date"`
	// NewSource is set when another source reported the agreement; URL is its page.
	NewSource bool `json:"new_source"`
	// Sources counts the distinct sources seen so far.
	Sources int `json:"sources"`
}

// DigestData is a digest's content, as the job and the JSON notification carry it.
type DigestData struct {
	// Since and Until bound the period summarised.
	Since time.Time `json:"since"`
	Until time.Time `json:"until"`
	// Late are the agreements discovered late.
	Late []twin.Observation `json:"late"`
	// Categories counts new events by category, in a stable order.
	Categories []CategoryCount `json:"categories"`
	// Silent lists sources that yielded nothing in the period.
	Silent []string `json:"silent"`
}

// DigestView is DigestData for templates: late discoveries as one line each
// in the channel's language.
type DigestView struct {
	Since, Until time.Time
	Late         []string
	Categories   []CategoryCount
	Silent       []string
}

// view renders d's late discoveries in lang.
func (d *DigestData) view(lang string) *DigestView {
	if d == nil {
		return nil
	}
	v := &DigestView{Since: d.Since, Until: d.Until, Categories: d.Categories, Silent: d.Silent}
	for _, o := range d.Late {
		td := newTemplateData(KindDigest, lang, o)
		s := td.RU + " – " + td.CN + " (" + td.Relation
		if td.Date != "" {
			s += ", " + td.Date
		}
		s += ")"
		if o.URL != "" {
			s += " " + o.URL
		}
		v.Late = append(v.Late, s)
	}
	return v
}

// CategoryCount is one line of a digest's event counts.
type CategoryCount struct {
	// Category is a twin.Category ("culture", "sport", ...).
	Category string `json:"category"`
	// Count is how many new events of the category the period had.
	Count int `json:"count"`
}

// rendered is a message ready for a notifier.
type rendered struct {
	Subject, Text, HTML string
}

var relationLabels = map[string]map[twin.Relation]string{
	"en": {twin.Twin: "twin cities", twin.Partner: "partner cities", twin.Friendship: "friendship ties", twin.Cooperation: "cooperation agreement"},
	"ru": {twin.Twin: "города-побратимы", twin.Partner: "города-партнёры", twin.Friendship: "дружественные связи", twin.Cooperation: "соглашение о сотрудничестве"},
}

var monthsEN = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"}
var monthsRUGen = []string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}
var monthsRUNom = []string{"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"}

// FormatDate writes d as a reader of lang expects: "15 June 2017", "June
// 2017", "2017" in English; "15 июня 2017 г.", "июнь 2017 г.", "2017 г." in
// Russian; "" when unknown.
func FormatDate(d twin.Date, lang string) string {
	ru := lang == "ru"
	switch d.Precision() {
	case twin.PrecisionDay:
		if ru {
			return fmt.Sprintf("%d %s %d г.", d.Day, monthsRUGen[d.Month-1], d.Year)
		}
		return fmt.Sprintf("%d %s %d", d.Day, monthsEN[d.Month-1], d.Year)
	case twin.PrecisionMonth:
		if ru {
			return fmt.Sprintf("%s %d г.", monthsRUNom[d.Month-1], d.Year)
		}
		return fmt.Sprintf("%s %d", monthsEN[d.Month-1], d.Year)
	case twin.PrecisionYear:
		if ru {
			return fmt.Sprintf("%d г.", d.Year)
		}
		return fmt.Sprintf("%d", d.Year)
	}
	return ""
}

// newTemplateData fills the agreement fields of TemplateData from o.
func newTemplateData(kind, lang string, o twin.Observation) TemplateData {
	rel := relationLabels[lang][o.Relation]
	if rel == "" {
		rel = string(o.Relation)
	}
	return TemplateData{
		Kind: kind, Lang: lang,
		RU: o.Places[0].NameIn(lang), CN: o.Places[1].NameIn(lang),
		RURegion: o.Places[0].Region, CNRegion: o.Places[1].Region,
		Relation: rel, Status: string(o.Status), Date: FormatDate(o.Established, lang),
		Evidence: o.Evidence, URL: o.URL, Source: o.Source, Confidence: o.Confidence,
		Observation: o,
	}
}

// Default templates, by language. They are documented in docs/ALERTS.md.
var defaultSubject = map[string]string{
	"en": `{{if eq .Kind "digest"}}twinwatch digest{{else}}{{if eq .Kind "update"}}Update: {{else if eq .Kind "test"}}Test: {{end}}{{.RU}} – {{.CN}}: {{.Relation}}{{end}}`,
	"ru": `{{if eq .Kind "digest"}}Сводка twinwatch{{else}}{{if eq .Kind "update"}}Обновление: {{else if eq .Kind "test"}}Проверка: {{end}}{{.RU}} – {{.CN}}: {{.Relation}}{{end}}`,
}

var defaultText = map[string]string{
	"en": `{{- if eq .Kind "digest" -}}
twinwatch digest, {{.Digest.Since.Format "2006-01-02 15:04"}} – {{.Digest.Until.Format "2006-01-02 15:04"}} UTC
{{if .Digest.Late}}
Agreements discovered late:
{{range .Digest.Late}}- {{.}}
{{end}}{{end}}{{if .Digest.Categories}}
New events by category:
{{range .Digest.Categories}}- {{.Category}}: {{.Count}}
{{end}}{{end}}{{if .Digest.Silent}}
Sources that yielded nothing:
{{range .Digest.Silent}}- {{.}}
{{end}}{{end}}{{if not (or .Digest.Late .Digest.Categories .Digest.Silent)}}
Nothing to report.
{{end}}
{{- else -}}
{{if eq .Kind "update"}}Update{{if .Update.BetterDate}} (more precise date){{end}}{{if .Update.NewSource}} (another source, {{.Update.Sources}} in all){{end}}: {{else if eq .Kind "test"}}Test message. {{else}}New agreement: {{end -}}
{{.RU}} ({{if .RURegion}}{{.RURegion}}, {{end}}Russia) and {{.CN}} ({{if .CNRegion}}{{.CNRegion}}, {{end}}China) – {{.Relation}}{{if .Date}}, {{.Date}}{{end}}.
“{{.Evidence}}”
{{.URL}}
{{- end}}`,
	"ru": `{{- if eq .Kind "digest" -}}
Сводка twinwatch, {{.Digest.Since.Format "02.01.2006 15:04"}} – {{.Digest.Until.Format "02.01.2006 15:04"}} UTC
{{if .Digest.Late}}
Соглашения, обнаруженные с опозданием:
{{range .Digest.Late}}- {{.}}
{{end}}{{end}}{{if .Digest.Categories}}
Новые события по категориям:
{{range .Digest.Categories}}- {{.Category}}: {{.Count}}
{{end}}{{end}}{{if .Digest.Silent}}
Источники без результатов:
{{range .Digest.Silent}}- {{.}}
{{end}}{{end}}{{if not (or .Digest.Late .Digest.Categories .Digest.Silent)}}
Нового нет.
{{end}}
{{- else -}}
{{if eq .Kind "update"}}Обновление{{if .Update.BetterDate}} (уточнена дата){{end}}{{if .Update.NewSource}} (ещё один источник, всего {{.Update.Sources}}){{end}}: {{else if eq .Kind "test"}}Проверочное сообщение. {{else}}Новое соглашение: {{end -}}
{{.RU}} (Россия) и {{.CN}} (Китай) – {{.Relation}}{{if .Date}}, {{.Date}}{{else}}.{{end}}
«{{.Evidence}}»
{{.URL}}
{{- end}}`,
}

var defaultHTML = map[string]string{
	"en": `{{if eq .Kind "digest"}}<h3>twinwatch digest</h3>
{{if .Digest.Late}}<p>Agreements discovered late:</p><ul>{{range .Digest.Late}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{if .Digest.Categories}}<p>New events by category:</p><ul>{{range .Digest.Categories}}<li>{{.Category}}: {{.Count}}</li>{{end}}</ul>{{end}}
{{if .Digest.Silent}}<p>Sources that yielded nothing:</p><ul>{{range .Digest.Silent}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{else}}<p><b>{{if eq .Kind "update"}}Update{{else if eq .Kind "test"}}Test message{{else}}New agreement{{end}}:</b>
{{.RU}} (Russia) and {{.CN}} (China) – {{.Relation}}{{if .Date}}, {{.Date}}{{end}}.</p>
<blockquote>{{.Evidence}}</blockquote>
<p><a href="{{.URL}}">{{.URL}}</a></p>{{end}}`,
	"ru": `{{if eq .Kind "digest"}}<h3>Сводка twinwatch</h3>
{{if .Digest.Late}}<p>Соглашения, обнаруженные с опозданием:</p><ul>{{range .Digest.Late}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{if .Digest.Categories}}<p>Новые события по категориям:</p><ul>{{range .Digest.Categories}}<li>{{.Category}}: {{.Count}}</li>{{end}}</ul>{{end}}
{{if .Digest.Silent}}<p>Источники без результатов:</p><ul>{{range .Digest.Silent}}<li>{{.}}</li>{{end}}</ul>{{end}}
{{else}}<p><b>{{if eq .Kind "update"}}Обновление{{else if eq .Kind "test"}}Проверочное сообщение{{else}}Новое соглашение{{end}}:</b>
{{.RU}} (Россия) и {{.CN}} (Китай) – {{.Relation}}{{if .Date}}, {{.Date}}{{else}}.{{end}}</p>
<blockquote>{{.Evidence}}</blockquote>
<p><a href="{{.URL}}">{{.URL}}</a></p>{{end}}`,
}

// templates are a channel's parsed templates.
type templates struct {
	subject, text *template.Template
	html          *htmltemplate.Template
}

func newTemplates(c ChannelConfig) (*templates, error) {
	pick := func(custom string, def map[string]string) string {
		if custom != "" {
			return custom
		}
		return def[c.Language]
	}
	var t templates
	var err error
	if t.subject, err = template.New("subject").Option("missingkey=zero").Parse(pick(c.Template.Subject, defaultSubject)); err != nil {
		return nil, fmt.Errorf("alert: channel %s: subject template: %w", c.Name, err)
	}
	if t.text, err = template.New("text").Parse(pick(c.Template.Text, defaultText)); err != nil {
		return nil, fmt.Errorf("alert: channel %s: text template: %w", c.Name, err)
	}
	if t.html, err = htmltemplate.New("html").Parse(pick(c.Template.HTML, defaultHTML)); err != nil {
		return nil, fmt.Errorf("alert: channel %s: html template: %w", c.Name, err)
	}
	return &t, nil
}

// render executes the templates. A template that fails at execution (a
// field that does not exist) is an error the channel cannot get past.
func (t *templates) render(d TemplateData) (rendered, error) {
	var s, x, h bytes.Buffer
	if err := t.subject.Execute(&s, d); err != nil {
		return rendered{}, fmt.Errorf("alert: subject template: %w: %w", err, twin.ErrInvalid)
	}
	if err := t.text.Execute(&x, d); err != nil {
		return rendered{}, fmt.Errorf("alert: text template: %w: %w", err, twin.ErrInvalid)
	}
	if err := t.html.Execute(&h, d); err != nil {
		return rendered{}, fmt.Errorf("alert: html template: %w: %w", err, twin.ErrInvalid)
	}
	subj := strings.Join(strings.Fields(s.String()), " ")
	return rendered{Subject: subj, Text: strings.TrimSpace(x.String()), HTML: strings.TrimSpace(h.String())}, nil
}
