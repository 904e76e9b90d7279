package alert_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/alert"
	"github.com/twinwatch/twinwatch/config/spec"
	"github.com/twinwatch/twinwatch/twin"
)

func TestDefaultConfigValid(t *testing.T) {
	t.Parallel()
	require.NoError(t, alert.DefaultConfig().Validate())
}

func TestConfigValidate(t *testing.T) {
	t.Parallel()
	hook := webhookChannel("hook", "https://hooks.example/x", "k")
	mail := alert.ChannelConfig{Name: "mail", Type: alert.TypeEmail, SMTP: alert.SMTPConfig{Host: "smtp.example", From: "a@example.org", To: []string{"b@example.org"}}}
	cases := []struct {
		name  string
		edit  func(*alert.Config)
		paths []string // want these field paths, in any order
	}{
		{"all channel types ok", func(c *alert.Config) {
			c.Channels = []alert.ChannelConfig{hook, mail,
				{Name: "tg", Type: alert.TypeTelegram, Token: "t", ChatID: "1"},
				{Name: "slack", Type: alert.TypeSlack, URL: "https://hooks.slack.com/services/x"},
				{Name: "mm", Type: alert.TypeMattermost, URL: "http://mm.local/hooks/x", Language: "ru"},
				{Name: "bus", Type: alert.TypeNATS, Send: []string{"alert", "update", "digest"}},
			}
		}, nil},
		{"decision fields", func(c *alert.Config) {
			c.Statuses = []twin.Status{"signed", "nope"}
			c.MinConfidence = 1.5
			c.FreshWithin = 0
			c.UnknownDate = "page"
			c.Updates = "maybe"
		}, []string{"statuses[1]", "min_confidence", "fresh_within", "unknown_date", "updates"}},
		{"no statuses", func(c *alert.Config) { c.Statuses = nil }, []string{"statuses"}},
		{"digest", func(c *alert.Config) { c.Digest.Schedule = "daily"; c.Digest.SendEmpty = "yes" },
			[]string{"digest.schedule", "digest.send_empty"}},
		{"digest off", func(c *alert.Config) { c.Digest.Schedule = "off" }, nil},
		{"state", func(c *alert.Config) { c.State.Digest = "a b"; c.State.Replicas = 0 },
			[]string{"state.digest", "state.replicas"}},
		{"same buckets", func(c *alert.Config) { c.State.Digest = c.State.Agreements }, []string{"state"}},
		{"channel basics", func(c *alert.Config) {
			h := hook
			h.Name, h.Type = "Bad Name", "pager"
			c.Channels = []alert.ChannelConfig{h, hook, hook}
		}, []string{"channels[0].name", "channels[0].type", "channels[2].name"}},
		{"webhook", func(c *alert.Config) {
			h := hook
			h.URL, h.Secret, h.Token, h.Language, h.MaxAttempts = "ftp://x", "", "t", "zh", -1
			h.Send = []string{"page"}
			h.Timeout = spec.Duration(-time.Second)
			h.Template.Text = "{{.RU"
			h.Filter = alert.FilterConfig{Statuses: []twin.Status{"x"}, Relations: []twin.Relation{"y"}, Pairs: []string{"RU"}}
			c.Channels = []alert.ChannelConfig{h}
		}, []string{"channels[0].url", "channels[0].secret", "channels[0].token", "channels[0].language",
			"channels[0].max_attempts", "channels[0].send[0]", "channels[0].timeout", "channels[0].template.text",
			"channels[0].filter.statuses[0]", "channels[0].filter.relations[0]", "channels[0].filter.pairs[0]"}},
		{"telegram", func(c *alert.Config) {
			c.Channels = []alert.ChannelConfig{{Name: "tg", Type: alert.TypeTelegram, APIURL: "nope", URL: "https://x"}}
		}, []string{"channels[0].token", "channels[0].chat_id", "channels[0].api_url", "channels[0].url"}},
		{"email", func(c *alert.Config) {
			m := mail
			m.SMTP = alert.SMTPConfig{Port: 70000, TLS: "none", Username: "u", From: "nobody", To: []string{"x"}, Format: "rtf"}
			c.Channels = []alert.ChannelConfig{m}
		}, []string{"channels[0].smtp.host", "channels[0].smtp.port", "channels[0].smtp.tls", "channels[0].smtp",
			"channels[0].smtp.from", "channels[0].smtp.to[0]", "channels[0].smtp.format"}},
		{"nats", func(c *alert.Config) {
			c.Channels = []alert.ChannelConfig{{Name: "bus", Type: alert.TypeNATS, Subject: "twinwatch.alerts.deliver.x"}}
		}, []string{"channels[0].subject"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			cfg := alert.DefaultConfig()
			tc.edit(&cfg)
			err := cfg.Validate()
			var got []string
			for _, e := range spec.Flatten(err) {
				var fe *spec.FieldError
				require.True(t, errors.As(e, &fe), "%v", e)
				got = append(got, fe.Path)
			}
			require.ElementsMatch(t, tc.paths, got, "%v", err)
		})
	}
}
