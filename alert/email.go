package alert

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"net/textproto"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/twinwatch/twinwatch/twin"
)

// mailer sends e-mail over SMTP: STARTTLS or implicit TLS, AUTH PLAIN,
// multipart/alternative text and HTML. Each message's Message-ID is derived
// from the delivery ID, so an update's In-Reply-To needs no stored state.
type mailer struct {
	cfg   SMTPConfig
	tls   *tls.Config
	addr  string
	clock func() time.Time
}

func newMailer(c SMTPConfig) (*mailer, error) {
	tc := &tls.Config{ServerName: c.Host, MinVersion: tls.VersionTLS12}
	if c.CAFile != "" {
		pem, err := os.ReadFile(c.CAFile)
		if err != nil {
			return nil, fmt.Errorf("alert: smtp ca_file: %w", err)
		}
		tc.RootCAs = x509.NewCertPool()
		if !tc.RootCAs.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("alert: smtp ca_file %s holds no PEM certificate", c.CAFile)
		}
	}
	return &mailer{cfg: c, tls: tc, addr: net.JoinHostPort(c.Host, strconv.Itoa(c.Port)), clock: time.Now}, nil
}

// MessageID returns the Message-ID header value of a delivery's e-mail.
func MessageID(deliveryID, from string) string {
	domain := "twinwatch.local"
	if a, err := mail.ParseAddress(from); err == nil {
		if _, d, ok := strings.Cut(a.Address, "@"); ok && d != "" {
			domain = d
		}
	}
	return "<" + deliveryID + "@" + domain + ">"
}

func (m *mailer) Send(ctx context.Context, d Delivery) (string, error) {
	msg, id, err := m.compose(d)
	if err != nil {
		return "", err
	}
	if err := m.send(ctx, msg); err != nil {
		return "", err
	}
	return id, nil
}

func (m *mailer) send(ctx context.Context, msg []byte) (err error) {
	var dialer net.Dialer
	conn, err := dialer.DialContext(ctx, "tcp", m.addr)
	if err != nil {
		return fmt.Errorf("alert: smtp dial %s: %w", m.addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	stop := context.AfterFunc(ctx, func() { _ = conn.SetDeadline(time.Unix(1, 0)) })
	defer stop()
	if m.cfg.TLS == "tls" {
		conn = tls.Client(conn, m.tls)
	}
	c, err := smtp.NewClient(conn, m.cfg.Host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("alert: smtp %s: greeting: %w", m.addr, err)
	}
	defer c.Close()
	step := func(what string, err error) error {
		if err == nil {
			return nil
		}
		var te *textproto.Error
		if errors.As(err, &te) && te.Code >= 500 {
			return fmt.Errorf("alert: smtp %s: %s: %w: %w", m.addr, what, err, twin.ErrInvalid)
		}
		return fmt.Errorf("alert: smtp %s: %s: %w", m.addr, what, err)
	}
	if err := step("hello", c.Hello("localhost")); err != nil {
		return err
	}
	if m.cfg.TLS == "starttls" {
		if ok, _ := c.Extension("STARTTLS"); !ok {
			return fmt.Errorf("alert: smtp %s: server does not offer STARTTLS (set smtp.tls): %w", m.addr, twin.ErrInvalid)
		}
		if err := step("starttls", c.StartTLS(m.tls)); err != nil {
			return err
		}
	}
	if m.cfg.Username != "" {
		if err := step("auth", c.Auth(smtp.PlainAuth("", m.cfg.Username, m.cfg.Password.Reveal(), m.cfg.Host))); err != nil {
			return err
		}
	}
	from, _ := mail.ParseAddress(m.cfg.From)
	if err := step("mail from", c.Mail(from.Address)); err != nil {
		return err
	}
	for _, to := range m.cfg.To {
		a, _ := mail.ParseAddress(to)
		if err := step("rcpt to "+a.Address, c.Rcpt(a.Address)); err != nil {
			return err
		}
	}
	w, err := c.Data()
	if err := step("data", err); err != nil {
		return err
	}
	if _, err := w.Write(msg); err != nil {
		return step("data", err)
	}
	if err := step("data end", w.Close()); err != nil {
		return err
	}
	return step("quit", c.Quit())
}

// compose builds the RFC 5322 message and returns it with its Message-ID.
func (m *mailer) compose(d Delivery) ([]byte, string, error) {
	var b bytes.Buffer
	id := MessageID(d.ID, m.cfg.From)
	hdr := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	hdr("From", encodeAddress(m.cfg.From))
	tos := make([]string, len(m.cfg.To))
	for i, t := range m.cfg.To {
		tos[i] = encodeAddress(t)
	}
	hdr("To", strings.Join(tos, ", "))
	hdr("Subject", mime.QEncoding.Encode("utf-8", d.Subject))
	hdr("Date", stamp(m.clock()))
	hdr("Message-ID", id)
	if d.Thread != "" {
		hdr("In-Reply-To", d.Thread)
		hdr("References", d.Thread)
	}
	hdr("MIME-Version", "1.0")
	hdr("X-Twinwatch-Kind", d.Kind)
	part := func(ctype, body string) {
		hdr("Content-Type", ctype+"; charset=utf-8")
		hdr("Content-Transfer-Encoding", "quoted-printable")
		b.WriteString("\r\n")
		qp := quotedprintable.NewWriter(&b)
		_, _ = qp.Write([]byte(strings.ReplaceAll(strings.ReplaceAll(body, "\r\n", "\n"), "\n", "\r\n")))
		_ = qp.Close()
		b.WriteString("\r\n")
	}
	switch m.cfg.Format {
	case "text":
		part("text/plain", d.Text)
	case "html":
		part("text/html", d.HTML)
	default:
		var rb [12]byte
		_, _ = rand.Read(rb[:])
		boundary := "tw-" + hex.EncodeToString(rb[:])
		hdr("Content-Type", `multipart/alternative; boundary="`+boundary+`"`)
		b.WriteString("\r\n")
		b.WriteString("--" + boundary + "\r\n")
		part("text/plain", d.Text)
		b.WriteString("--" + boundary + "\r\n")
		part("text/html", d.HTML)
		b.WriteString("--" + boundary + "--\r\n")
	}
	return b.Bytes(), id, nil
}

// encodeAddress renders an address with a non-ASCII display name encoded.
func encodeAddress(s string) string {
	a, err := mail.ParseAddress(s)
	if err != nil {
		return s
	}
	return a.String()
}
