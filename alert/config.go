package alert

import (
	"errors"
	"fmt"
	"net/mail"
	"net/url"
	"regexp"
	"strings"
	"text/template"
	"time"

	htmltemplate "html/template"

	"github.com/robfig/cron/v3"

	"github.com/twinwatch/twinwatch/config/spec"
	"github.com/twinwatch/twinwatch/twin"
)

// Config is the `alert` section: what counts as a new agreement, where alerts,
// updates and the digest go, and the NATS KV buckets that make every decision
// and every delivery happen once.
type Config struct {
	// Statuses an agreement observation must have to alert. Default [signed].
	Statuses []twin.Status `yaml:"statuses"`
	// MinConfidence is the lowest extraction confidence that alerts (0..1).
	MinConfidence float64 `yaml:"min_confidence"`
	// FreshWithin is how recently, before it was first seen, an agreement must
	// have been established to page now; an older one ("discovered late") goes
	// to the digest. Default 1440h (60 days).
	FreshWithin spec.Duration `yaml:"fresh_within"`
	// UnknownDate decides an agreement whose establishment date is unknown (and
	// whose page has no publication date either): "alert" treats it as fresh
	// (a page reporting a signing is news), "digest" as a late discovery.
	UnknownDate string `yaml:"unknown_date"`
	// Updates decides what happens when a later observation adds a better date
	// or another source to an alerted agreement: "send" records it and sends it
	// to the channels that take updates, "record" only records it, "off" ignores it.
	Updates string `yaml:"updates"`
	// Digest is the periodic summary of late discoveries, events and source health.
	Digest DigestConfig `yaml:"digest"`
	// State names the NATS KV buckets the alerter keeps.
	State StateConfig `yaml:"state"`
	// Channels are the destinations; several may be configured at once. None
	// by default: the alerter then only decides and records.
	Channels []ChannelConfig `yaml:"channels"`
}

// DigestConfig is the periodic digest.
type DigestConfig struct {
	// Schedule is a five-field cron expression in UTC ("0 8 * * *": daily at
	// 08:00), or "off".
	Schedule string `yaml:"schedule"`
	// SendEmpty sends a digest even when there is nothing to report: "skip" or "send".
	SendEmpty string `yaml:"send_empty"`
}

// StateConfig names the alerter's NATS KV buckets.
type StateConfig struct {
	// Agreements holds one entry per decided agreement: the decision (alert,
	// late, history), best date, sources seen and updates. Created by an
	// atomic create, so an agreement is decided once across restarts,
	// redeliveries and replicas.
	Agreements string `yaml:"agreements"`
	// Deliveries holds one marker per (delivery, channel) once sent, with the
	// channel's thread reference (Telegram message_id, e-mail Message-ID).
	Deliveries string `yaml:"deliveries"`
	// Digest holds what the next digest reports.
	Digest string `yaml:"digest"`
	// Replicas of each bucket in a NATS cluster (1 for the embedded server).
	Replicas int `yaml:"replicas"`
}

// Channel types.
const (
	TypeWebhook    = "webhook"
	TypeSlack      = "slack"
	TypeMattermost = "mattermost"
	TypeTelegram   = "telegram"
	TypeEmail      = "email"
	TypeNATS       = "nats"
)

var channelTypes = []string{TypeWebhook, TypeSlack, TypeMattermost, TypeTelegram, TypeEmail, TypeNATS}

// Message kinds, as channels select them in ChannelConfig.Send.
const (
	KindAlert  = "alert"
	KindUpdate = "update"
	KindDigest = "digest"
	KindTest   = "test"
)

// ChannelConfig is one destination. Fields that do not apply to its type
// must stay empty.
type ChannelConfig struct {
	// Name identifies the channel in logs, metrics, `alert test --channel`
	// and its delivery subject: lower-case letters, digits, '-' and '_'.
	Name string `yaml:"name"`
	// Type is webhook, slack, mattermost, telegram, email or nats.
	Type string `yaml:"type"`
	// Send lists the kinds of message the channel takes: alert, update, digest.
	// Empty means [alert, update].
	Send []string `yaml:"send"`
	// Language of the message text: "en" or "ru"; empty means en.
	Language string `yaml:"language"`
	// Filter restricts which agreements reach the channel (alerts and updates).
	Filter FilterConfig `yaml:"filter,omitempty"`
	// Timeout bounds one send; 0 means 10s.
	Timeout spec.Duration `yaml:"timeout"`
	// MaxAttempts is how many times a delivery is tried (with back-off, from
	// the nats consumer settings) before it goes to the dead-letter stream; 0 means 5.
	MaxAttempts int `yaml:"max_attempts"`
	// Template overrides the default message templates.
	Template TemplateConfig `yaml:"template,omitempty"`

	// URL of the webhook (webhook, slack, mattermost).
	URL string `yaml:"url,omitempty"`
	// Secret signs webhook bodies: header X-Twinwatch-Signature is
	// "sha256=" + hex HMAC-SHA256 of the body with this key (webhook).
	Secret spec.Secret `yaml:"secret,omitempty"`
	// Token is the Telegram bot token (telegram).
	Token spec.Secret `yaml:"token,omitempty"`
	// ChatID is the Telegram chat (telegram).
	ChatID string `yaml:"chat_id,omitempty"`
	// APIURL is the Telegram Bot API base URL (telegram); empty means https://api.telegram.org.
	APIURL string `yaml:"api_url,omitempty"`
	// SMTP is the mail server and envelope (email).
	SMTP SMTPConfig `yaml:"smtp,omitempty"`
	// Subject is the NATS subject programs subscribe to (nats); empty means
	// twinwatch.alerts.agreement (kept in the ALERTS stream).
	Subject string `yaml:"subject,omitempty"`
}

// FilterConfig restricts a channel to some agreements; an empty list allows all.
type FilterConfig struct {
	// Statuses allowed (signed, existing, ...).
	Statuses []twin.Status `yaml:"statuses"`
	// Relations allowed (twin, partner, friendship, cooperation).
	Relations []twin.Relation `yaml:"relations"`
	// Pairs of countries allowed, as "RU-CN" (order does not matter).
	Pairs []string `yaml:"pairs"`
	// Regions: the agreement passes when either place is, or lies in, one of
	// these regions (English names as the gazetteer writes them:
	// "Khabarovsk Krai", "Heilongjiang"), compared case-insensitively.
	Regions []string `yaml:"regions"`
}

// TemplateConfig holds text/template sources; empty ones use the defaults for
// the channel's language. They execute with a TemplateData.
type TemplateConfig struct {
	// Subject of an e-mail (one line).
	Subject string `yaml:"subject"`
	// Text is the plain-text body, and the text of chat messages.
	Text string `yaml:"text"`
	// HTML is the HTML body of an e-mail (html/template).
	HTML string `yaml:"html"`
}

// SMTPConfig is an SMTP server and the envelope of the mails sent through it.
type SMTPConfig struct {
	// Host of the SMTP server.
	Host string `yaml:"host"`
	// Port of the SMTP server; 0 means 587.
	Port int `yaml:"port"`
	// TLS is "starttls" (required upgrade), "tls" (implicit TLS, port 465) or
	// "none" (no encryption, no authentication); empty means starttls.
	TLS string `yaml:"tls"`
	// CAFile is a PEM bundle of roots that verify the server; empty uses the system roots.
	CAFile string `yaml:"ca_file"`
	// Username for AUTH PLAIN; empty sends without authentication.
	Username string `yaml:"username"`
	// Password for Username.
	Password spec.Secret `yaml:"password"`
	// From is the sender address.
	From string `yaml:"from"`
	// To are the recipients.
	To []string `yaml:"to"`
	// Format is "both" (multipart text and HTML), "text" or "html"; empty means both.
	Format string `yaml:"format"`
}

// DefaultConfig returns the defaults: alert on signed agreements with
// confidence at least 0.7 established within 60 days of being seen, send
// updates, a daily digest at 08:00 UTC, no channels.
func DefaultConfig() Config {
	return Config{
		Statuses:      []twin.Status{twin.Signed},
		MinConfidence: 0.7,
		FreshWithin:   spec.Duration(60 * 24 * time.Hour),
		UnknownDate:   "alert",
		Updates:       "send",
		Digest:        DigestConfig{Schedule: "0 8 * * *", SendEmpty: "skip"},
		State: StateConfig{
			Agreements: "twinwatch_alert_agreements",
			Deliveries: "twinwatch_alert_deliveries",
			Digest:     "twinwatch_alert_digest",
			Replicas:   1,
		},
	}
}

// Channel defaults applied by withDefaults.
const (
	defaultTimeout     = 10 * time.Second
	defaultMaxAttempts = 5
	defaultTelegramAPI = "https://api.telegram.org"
	defaultSMTPPort    = 587
)

// withDefaults fills a channel's empty fields.
func (c ChannelConfig) withDefaults() ChannelConfig {
	if len(c.Send) == 0 {
		c.Send = []string{KindAlert, KindUpdate}
	}
	if c.Language == "" {
		c.Language = "en"
	}
	if c.Timeout == 0 {
		c.Timeout = spec.Duration(defaultTimeout)
	}
	if c.MaxAttempts == 0 {
		c.MaxAttempts = defaultMaxAttempts
	}
	switch c.Type {
	case TypeTelegram:
		if c.APIURL == "" {
			c.APIURL = defaultTelegramAPI
		}
	case TypeEmail:
		if c.SMTP.Port == 0 {
			c.SMTP.Port = defaultSMTPPort
		}
		if c.SMTP.TLS == "" {
			c.SMTP.TLS = "starttls"
		}
		if c.SMTP.Format == "" {
			c.SMTP.Format = "both"
		}
	case TypeNATS:
		if c.Subject == "" {
			c.Subject = "twinwatch.alerts.agreement"
		}
	}
	return c
}

// sends reports whether the channel takes messages of kind.
func (c ChannelConfig) sends(kind string) bool {
	if kind == KindTest {
		return true
	}
	for _, k := range c.Send {
		if k == kind {
			return true
		}
	}
	return false
}

var channelName = regexp.MustCompile(`^[a-z0-9][a-z0-9_-]{0,63}$`)

// Validate reports every invalid field as a spec.FieldError with its path
// relative to the section ("channels[1].url").
func (c Config) Validate() error {
	var errs []error
	bad := func(path, format string, args ...any) { errs = append(errs, spec.Errorf(path, format, args...)) }
	if len(c.Statuses) == 0 {
		bad("statuses", "at least one status is required (default [signed])")
	}
	for i, s := range c.Statuses {
		if !s.Valid() {
			bad(fmt.Sprintf("statuses[%d]", i), "want one of %v, got %q", twin.Statuses, s)
		}
	}
	if c.MinConfidence < 0 || c.MinConfidence > 1 {
		bad("min_confidence", "want 0 to 1, got %v", c.MinConfidence)
	}
	if c.FreshWithin <= 0 {
		bad("fresh_within", "must be positive, got %s", c.FreshWithin)
	}
	if c.UnknownDate != "alert" && c.UnknownDate != "digest" {
		bad("unknown_date", "want alert or digest, got %q", c.UnknownDate)
	}
	if c.Updates != "send" && c.Updates != "record" && c.Updates != "off" {
		bad("updates", "want send, record or off, got %q", c.Updates)
	}
	if c.Digest.Schedule != "off" {
		if _, err := cron.ParseStandard(c.Digest.Schedule); err != nil {
			bad("digest.schedule", "want a five-field cron expression or off: %v", err)
		}
	}
	if c.Digest.SendEmpty != "skip" && c.Digest.SendEmpty != "send" {
		bad("digest.send_empty", "want skip or send, got %q", c.Digest.SendEmpty)
	}
	kvName := regexp.MustCompile(`^[a-zA-Z0-9_-]+$`)
	for _, b := range []struct{ path, v string }{
		{"state.agreements", c.State.Agreements}, {"state.deliveries", c.State.Deliveries}, {"state.digest", c.State.Digest},
	} {
		if !kvName.MatchString(b.v) {
			bad(b.path, "want a bucket name of letters, digits, '-' and '_', got %q", b.v)
		}
	}
	if c.State.Agreements == c.State.Deliveries || c.State.Agreements == c.State.Digest || c.State.Deliveries == c.State.Digest {
		bad("state", "the three buckets must differ")
	}
	if c.State.Replicas < 1 || c.State.Replicas > 5 {
		bad("state.replicas", "want 1 to 5, got %d", c.State.Replicas)
	}
	seen := map[string]bool{}
	for i, ch := range c.Channels {
		p := fmt.Sprintf("channels[%d]", i)
		if seen[ch.Name] {
			bad(p+".name", "duplicate channel name %q", ch.Name)
		}
		seen[ch.Name] = true
		if err := ch.validate(); err != nil {
			errs = append(errs, spec.Prefix(p, err))
		}
	}
	return errors.Join(errs...)
}

func (c ChannelConfig) validate() error {
	var errs []error
	bad := func(path, format string, args ...any) { errs = append(errs, spec.Errorf(path, format, args...)) }
	if !channelName.MatchString(c.Name) {
		bad("name", "want 1-64 of a-z, 0-9, '-', '_' starting with a letter or digit, got %q", c.Name)
	}
	known := false
	for _, t := range channelTypes {
		known = known || t == c.Type
	}
	if !known {
		bad("type", "want one of %s, got %q", strings.Join(channelTypes, ", "), c.Type)
		return errors.Join(errs...)
	}
	c = c.withDefaults()
	for i, k := range c.Send {
		if k != KindAlert && k != KindUpdate && k != KindDigest {
			bad(fmt.Sprintf("send[%d]", i), "want alert, update or digest, got %q", k)
		}
	}
	if c.Language != "en" && c.Language != "ru" {
		bad("language", "want en or ru, got %q", c.Language)
	}
	if c.Timeout < 0 {
		bad("timeout", "must be positive, got %s", c.Timeout)
	}
	if c.MaxAttempts < 1 {
		bad("max_attempts", "must be at least 1, got %d", c.MaxAttempts)
	}
	for i, s := range c.Filter.Statuses {
		if !s.Valid() {
			bad(fmt.Sprintf("filter.statuses[%d]", i), "want one of %v, got %q", twin.Statuses, s)
		}
	}
	for i, r := range c.Filter.Relations {
		if !r.Valid() {
			bad(fmt.Sprintf("filter.relations[%d]", i), "want one of %v, got %q", twin.Relations, r)
		}
	}
	for i, p := range c.Filter.Pairs {
		a, b, ok := strings.Cut(p, "-")
		if !ok || !twin.Country(a).Valid() || !twin.Country(b).Valid() {
			bad(fmt.Sprintf("filter.pairs[%d]", i), "want two country codes such as RU-CN, got %q", p)
		}
	}
	if _, err := template.New("subject").Parse(c.Template.Subject); err != nil {
		bad("template.subject", "%v", err)
	}
	if _, err := template.New("text").Parse(c.Template.Text); err != nil {
		bad("template.text", "%v", err)
	}
	if _, err := htmltemplate.New("html").Parse(c.Template.HTML); err != nil {
		bad("template.html", "%v", err)
	}
	only := func(path string, set bool) {
		if set {
			bad(path, "does not apply to a %s channel", c.Type)
		}
	}
	switch c.Type {
	case TypeWebhook, TypeSlack, TypeMattermost:
		if err := checkHTTPURL(c.URL); err != nil {
			bad("url", "%v", err)
		}
		if c.Type == TypeWebhook && c.Secret == "" {
			bad("secret", "required: the receiver checks the X-Twinwatch-Signature HMAC with it")
		}
		if c.Type != TypeWebhook {
			only("secret", c.Secret != "")
		}
	case TypeTelegram:
		if c.Token == "" {
			bad("token", "required (the bot token, e.g. ${TELEGRAM_TOKEN})")
		}
		if c.ChatID == "" {
			bad("chat_id", "required")
		}
		if err := checkHTTPURL(c.APIURL); err != nil {
			bad("api_url", "%v", err)
		}
	case TypeEmail:
		s := c.SMTP
		if s.Host == "" {
			bad("smtp.host", "required")
		}
		if s.Port < 1 || s.Port > 65535 {
			bad("smtp.port", "want 1 to 65535, got %d", s.Port)
		}
		if s.TLS != "starttls" && s.TLS != "tls" && s.TLS != "none" {
			bad("smtp.tls", "want starttls, tls or none, got %q", s.TLS)
		}
		if s.TLS == "none" && s.Username != "" {
			bad("smtp.tls", "authentication needs starttls or tls")
		}
		if (s.Username == "") != (s.Password == "") {
			bad("smtp", "username and password go together")
		}
		if _, err := mail.ParseAddress(s.From); err != nil {
			bad("smtp.from", "want an address, got %q", s.From)
		}
		if len(s.To) == 0 {
			bad("smtp.to", "at least one recipient is required")
		}
		for i, to := range s.To {
			if _, err := mail.ParseAddress(to); err != nil {
				bad(fmt.Sprintf("smtp.to[%d]", i), "want an address, got %q", to)
			}
		}
		if s.Format != "both" && s.Format != "text" && s.Format != "html" {
			bad("smtp.format", "want both, text or html, got %q", s.Format)
		}
	case TypeNATS:
		if strings.ContainsAny(c.Subject, " *>") || !strings.HasPrefix(c.Subject, "twinwatch.alerts.") ||
			strings.HasPrefix(c.Subject, "twinwatch.alerts.deliver.") {
			bad("subject", "want a literal subject under twinwatch.alerts. (kept in the ALERTS stream), not under twinwatch.alerts.deliver., got %q", c.Subject)
		}
	}
	if c.Type != TypeWebhook && c.Type != TypeSlack && c.Type != TypeMattermost {
		only("url", c.URL != "")
		only("secret", c.Secret != "")
	}
	if c.Type != TypeTelegram {
		only("token", c.Token != "")
		only("chat_id", c.ChatID != "")
		only("api_url", c.APIURL != "")
	}
	if c.Type != TypeEmail {
		only("smtp", c.SMTP.Host != "" || c.SMTP.From != "" || len(c.SMTP.To) > 0 || c.SMTP.Username != "")
	}
	if c.Type != TypeNATS {
		only("subject", c.Subject != "")
	}
	return errors.Join(errs...)
}

func checkHTTPURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("want an http(s) URL, got %q", s)
	}
	return nil
}
