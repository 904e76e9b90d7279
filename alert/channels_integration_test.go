package alert_test

import (
	"crypto/tls"
	"encoding/json"
	"encoding/pem"
	"errors"
	"io"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"net/mail"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/alert"
	"github.com/twinwatch/twinwatch/config/spec"
	"github.com/twinwatch/twinwatch/internal/bus/bustest"
	"github.com/twinwatch/twinwatch/twin"
)

// smtpServer is a go-smtp server on loopback requiring STARTTLS and AUTH PLAIN.
type smtpServer struct {
	addr   string
	caFile string
	mu     sync.Mutex
	mails  []receivedMail
}

type receivedMail struct {
	from string
	to   []string
	data []byte
}

type smtpSession struct {
	srv  *smtpServer
	conn *smtp.Conn
	auth bool
	cur  receivedMail
}

func (s *smtpSession) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *smtpSession) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != "alerts" || password != "pa55" {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "bad credentials"}
		}
		s.auth = true
		return nil
	}), nil
}

func (s *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if !s.auth {
		return smtp.ErrAuthRequired
	}
	if _, tls := s.conn.TLSConnectionState(); !tls {
		return errors.New("not over TLS")
	}
	s.cur = receivedMail{from: from}
	return nil
}

func (s *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.cur.to = append(s.cur.to, to)
	return nil
}

func (s *smtpSession) Data(r io.Reader) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	s.cur.data = data
	s.srv.mu.Lock()
	s.srv.mails = append(s.srv.mails, s.cur)
	s.srv.mu.Unlock()
	return nil
}

func (s *smtpSession) Reset()        {}
func (s *smtpSession) Logout() error { return nil }

func startSMTP(t testing.TB) *smtpServer { return startSMTPMode(t, false) }

// startSMTPMode starts the server with STARTTLS, or with implicit TLS (the
// whole connection is TLS, as on port 465).
func startSMTPMode(t testing.TB, implicit bool) *smtpServer {
	t.Helper()
	// Borrow httptest's certificate for 127.0.0.1.
	hs := httptest.NewUnstartedServer(http.NotFoundHandler())
	hs.StartTLS()
	tlsCfg := hs.TLS.Clone()
	caFile := filepath.Join(t.TempDir(), "ca.pem")
	require.NoError(t, os.WriteFile(caFile, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: hs.Certificate().Raw}), 0o600))
	hs.Close()

	ss := &smtpServer{caFile: caFile}
	be := smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) { return &smtpSession{srv: ss, conn: c}, nil })
	srv := smtp.NewServer(be)
	srv.Domain = "localhost"
	srv.TLSConfig = tlsCfg
	srv.AllowInsecureAuth = false
	srv.ReadTimeout, srv.WriteTimeout = time.Minute, time.Minute
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ss.addr = l.Addr().String()
	if implicit {
		l = tls.NewListener(l, tlsCfg)
	}
	go func() { _ = srv.Serve(l) }()
	t.Cleanup(func() { _ = srv.Close() })
	return ss
}

func (s *smtpServer) received() []receivedMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]receivedMail(nil), s.mails...)
}

// telegramAPI is a Bot API look-alike answering sendMessage.
type telegramAPI struct {
	mu   sync.Mutex
	reqs []map[string]any
}

func (api *telegramAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/botTOKEN42/sendMessage" {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"ok":false,"error_code":404,"description":"Not Found"}`))
		return
	}
	var req map[string]any
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = w.Write([]byte(`{"ok":false,"error_code":400,"description":"Bad Request: bad json"}`))
		return
	}
	api.mu.Lock()
	api.reqs = append(api.reqs, req)
	id := 100 + len(api.reqs)
	api.mu.Unlock()
	_, _ = w.Write([]byte(`{"ok":true,"result":{"message_id":` + strconv.Itoa(id) + `,"chat":{"id":-1001}}}`))
}

func (api *telegramAPI) requests() []map[string]any {
	api.mu.Lock()
	defer api.mu.Unlock()
	return append([]map[string]any(nil), api.reqs...)
}

// chatHook records Slack/Mattermost-style {"text": ...} posts.
type chatHook struct {
	mu    sync.Mutex
	texts []string
}

func (c *chatHook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Text string `json:"text"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil || body.Text == "" {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	c.mu.Lock()
	c.texts = append(c.texts, body.Text)
	c.mu.Unlock()
	_, _ = w.Write([]byte("ok"))
}

func (c *chatHook) got() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.texts...)
}

// An alert and its update reach e-mail (Russian, STARTTLS, AUTH, text and
// HTML, the update In-Reply-To the alert), Telegram (English, the update a
// reply to the alert's message) and Slack- and Mattermost-style webhooks.
func TestChannelsIntegration(t *testing.T) {
	integration(t)
	b := bustest.Start(t)
	mailSrv := startSMTP(t)
	api := &telegramAPI{}
	tg := httptest.NewServer(api)
	t.Cleanup(tg.Close)
	slack, mm := &chatHook{}, &chatHook{}
	slackSrv, mmSrv := httptest.NewServer(slack), httptest.NewServer(mm)
	t.Cleanup(slackSrv.Close)
	t.Cleanup(mmSrv.Close)
	host, port, _ := net.SplitHostPort(mailSrv.addr)
	p, _ := strconv.Atoi(port)

	cfg := testConfig(
		alert.ChannelConfig{Name: "mail", Type: alert.TypeEmail, Language: "ru", SMTP: alert.SMTPConfig{
			Host: host, Port: p, TLS: "starttls", CAFile: mailSrv.caFile, Username: "alerts", Password: spec.Secret("pa55"),
			From: "twinwatch <alerts@twinwatch.example>", To: []string{"analyst@example.org", "Дежурный <duty@example.org>"},
		}},
		alert.ChannelConfig{Name: "tg", Type: alert.TypeTelegram, Token: "TOKEN42", ChatID: "-1001", APIURL: tg.URL},
		alert.ChannelConfig{Name: "slack", Type: alert.TypeSlack, URL: slackSrv.URL + "/services/T/B/X"},
		alert.ChannelConfig{Name: "mm", Type: alert.TypeMattermost, URL: mmSrv.URL + "/hooks/abc", Language: "ru"},
	)
	a := startAlerter(t, b, cfg, nil)

	o := agreement(1, twin.Signed, "2026-11-19", "https://khabarovsk.example/news/1", 0.9)
	publish(t, b, o)
	drained(t, b, a)
	publish(t, b, agreement(1, twin.Signed, "2026-11-19", "https://harbin.example/news/2", 0.9))
	drained(t, b, a)

	// E-mail.
	mails := mailSrv.received()
	require.Len(t, mails, 2)
	require.Equal(t, "alerts@twinwatch.example", mails[0].from)
	require.Equal(t, []string{"analyst@example.org", "duty@example.org"}, mails[0].to)
	first, err := mail.ReadMessage(strings.NewReader(string(mails[0].data)))
	require.NoError(t, err)
	subj, err := new(mime.WordDecoder).DecodeHeader(first.Header.Get("Subject"))
	require.NoError(t, err)
	require.Equal(t, "Городск-1 – Чэнши-1: города-побратимы", subj)
	plain, html := mimeParts(t, first)
	require.Contains(t, plain, "Новое соглашение: Городск-1 (Россия) и Чэнши-1 (Китай) – города-побратимы, 19 ноября 2026 г.")
	require.Contains(t, plain, "https://khabarovsk.example/news/1")
	require.Contains(t, html, `<a href="https://khabarovsk.example/news/1">`)
	second, err := mail.ReadMessage(strings.NewReader(string(mails[1].data)))
	require.NoError(t, err)
	require.Equal(t, first.Header.Get("Message-ID"), second.Header.Get("In-Reply-To"))
	plain2, _ := mimeParts(t, second)
	require.Contains(t, plain2, "Обновление (ещё один источник, всего 2)")

	// Telegram.
	reqs := api.requests()
	require.Len(t, reqs, 2)
	require.Equal(t, "-1001", reqs[0]["chat_id"])
	require.Contains(t, reqs[0]["text"], "New agreement: Gorodsk-1 (Khabarovsk Krai, Russia) and Chengshi-1 (Heilongjiang, China) – twin cities, 19 November 2026.")
	require.Nil(t, reqs[0]["reply_parameters"])
	require.Equal(t, map[string]any{"message_id": float64(101), "allow_sending_without_reply": true}, reqs[1]["reply_parameters"])

	// Slack and Mattermost.
	require.Len(t, slack.got(), 2)
	require.Contains(t, slack.got()[0], "New agreement: Gorodsk-1")
	require.Len(t, mm.got(), 2)
	require.Contains(t, mm.got()[0], "Новое соглашение: Городск-1")
}

// mimeParts returns the text/plain and text/html parts of a multipart mail.
func mimeParts(t *testing.T, m *mail.Message) (plain, html string) {
	t.Helper()
	mt, params, err := mime.ParseMediaType(m.Header.Get("Content-Type"))
	require.NoError(t, err)
	require.Equal(t, "multipart/alternative", mt)
	r := multipart.NewReader(m.Body, params["boundary"])
	for {
		p, err := r.NextPart() // decodes quoted-printable
		if err == io.EOF {
			return plain, html
		}
		require.NoError(t, err)
		data, err := io.ReadAll(p)
		require.NoError(t, err)
		switch ct, _, _ := mime.ParseMediaType(p.Header.Get("Content-Type")); ct {
		case "text/plain":
			plain = string(data)
		case "text/html":
			html = string(data)
		}
	}
}

// `alert test` sends a sample straight to the channel; an unknown name and a
// failing destination are errors.
func TestSendTestIntegration(t *testing.T) {
	integration(t)
	b := bustest.Start(t)
	rcv, url := newReceiver(t, "k")
	a := startAlerter(t, b, testConfig(webhookChannel("hook", url, "k")), nil)
	require.NoError(t, a.Test(t.Context(), "hook"))
	got := rcv.all()
	require.Len(t, got, 1)
	require.Equal(t, alert.KindTest, got[0].Kind)
	require.Contains(t, got[0].Text, "Test message. Khabarovsk")
	require.ErrorContains(t, a.Test(t.Context(), "nope"), `no channel named "nope"`)
	rcv.setFail(func(alert.Notification) int { return 500 })
	require.ErrorContains(t, a.Test(t.Context(), "hook"), "HTTP 500")
	_ = time.Second
}

// noBus is a Bus that is never called (Test needs none for these channels).
type noBus struct{ alert.Bus }

// The Telegram token sits in the request URL: it never appears in errors.
func TestTelegramErrorHidesToken(t *testing.T) {
	t.Parallel()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close()) // nothing listens there now
	cfg := testConfig(alert.ChannelConfig{Name: "tg", Type: alert.TypeTelegram, Token: "123456:SECRET-TOKEN", ChatID: "1", APIURL: "http://" + addr})
	a, err := alert.New(cfg, noBus{}, nil, nil, nil)
	require.NoError(t, err)
	err = a.Test(t.Context(), "tg")
	require.Error(t, err)
	require.NotContains(t, err.Error(), "SECRET-TOKEN")
}

// Telegram's answers are classified: a 4xx is permanent (the delivery is
// dead-lettered at once), 429 and 5xx may be retried.
func TestTelegramErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name      string
		status    int
		body      string
		permanent bool
	}{
		{"bad chat", 400, `{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`, true},
		{"flood", 429, `{"ok":false,"error_code":429,"description":"Too Many Requests","parameters":{"retry_after":3}}`, false},
		{"server", 502, `<html>bad gateway</html>`, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
				w.WriteHeader(tc.status)
				_, _ = w.Write([]byte(tc.body))
			}))
			defer srv.Close()
			a, err := alert.New(testConfig(alert.ChannelConfig{Name: "tg", Type: alert.TypeTelegram, Token: "T", ChatID: "1", APIURL: srv.URL}), noBus{}, nil, nil, nil)
			require.NoError(t, err)
			err = a.Test(t.Context(), "tg")
			require.Error(t, err)
			require.Equal(t, tc.permanent, errors.Is(err, twin.ErrInvalid), "%v", err)
		})
	}
}

// Wrong SMTP credentials are a permanent failure, reported with the reply.
func TestSMTPAuthFailureIntegration(t *testing.T) {
	integration(t)
	srv := startSMTP(t)
	host, port, _ := net.SplitHostPort(srv.addr)
	p, _ := strconv.Atoi(port)
	ch := alert.ChannelConfig{Name: "mail", Type: alert.TypeEmail, SMTP: alert.SMTPConfig{
		Host: host, Port: p, CAFile: srv.caFile, Username: "alerts", Password: "wrong",
		From: "a@twinwatch.example", To: []string{"b@example.org"},
	}}
	a, err := alert.New(testConfig(ch), noBus{}, nil, nil, nil)
	require.NoError(t, err)
	err = a.Test(t.Context(), "mail")
	require.ErrorIs(t, err, twin.ErrInvalid)
	require.ErrorContains(t, err, "auth")
	require.Empty(t, srv.received())
	// Without the CA the server's certificate is not trusted: retried, not sent.
	ch.SMTP.CAFile, ch.SMTP.Password = "", "pa55"
	a, err = alert.New(testConfig(ch), noBus{}, nil, nil, nil)
	require.NoError(t, err)
	require.ErrorContains(t, a.Test(t.Context(), "mail"), "starttls")
	require.Empty(t, srv.received())
}

// Implicit TLS (smtp.tls: tls) with a text-only body.
func TestSMTPImplicitTLSIntegration(t *testing.T) {
	integration(t)
	srv := startSMTPMode(t, true)
	host, port, _ := net.SplitHostPort(srv.addr)
	p, _ := strconv.Atoi(port)
	ch := alert.ChannelConfig{Name: "mail", Type: alert.TypeEmail, SMTP: alert.SMTPConfig{
		Host: host, Port: p, TLS: "tls", CAFile: srv.caFile, Username: "alerts", Password: "pa55",
		From: "a@twinwatch.example", To: []string{"b@example.org"}, Format: "text",
	}}
	a, err := alert.New(testConfig(ch), noBus{}, nil, nil, nil)
	require.NoError(t, err)
	require.NoError(t, a.Test(t.Context(), "mail"))
	got := srv.received()
	require.Len(t, got, 1)
	m, err := mail.ReadMessage(strings.NewReader(string(got[0].data)))
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(m.Header.Get("Content-Type"), "text/plain"))
	require.Equal(t, "<test.", m.Header.Get("Message-ID")[:6])
	require.True(t, strings.HasSuffix(m.Header.Get("Message-ID"), ".mail@twinwatch.example>"))
}
