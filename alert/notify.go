package alert

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/twinwatch/twinwatch/twin"
)

// Notifier sends one rendered message to one destination. Send blocks until
// the destination accepted the message or ctx ends, and returns the
// destination's reference for threading later updates under it ("" if the
// destination has none). An error wrapping twin.ErrInvalid will never
// succeed (a rejected request); any other error may be retried. Notifiers
// are safe for concurrent use.
type Notifier interface {
	Send(ctx context.Context, d Delivery) (thread string, err error)
}

// Delivery is one message for one channel.
type Delivery struct {
	// ID is unique per (message, channel) and stable across retries:
	// "<job>.<channel>", job being alert.<agreement>, update.<agreement>.<n>,
	// digest.<yyyymmddhhmm> or test.<nanoseconds>. Receivers may use it to
	// drop a repeat (header X-Twinwatch-Delivery; NATS Msg-Id "notify."+ID).
	ID string
	// Kind is alert, update, digest or test.
	Kind string
	// Thread is the original alert's reference on this channel, for updates.
	Thread string
	// Subject, Text and HTML are the rendered templates.
	Subject, Text, HTML string
	// Body is the JSON Notification, for webhook and NATS channels.
	Body []byte
}

// Notification is the JSON body of webhook requests and NATS alert messages
// (version 1).
type Notification struct {
	// V is the version of this JSON, 1.
	V int `json:"v"`
	// Kind is alert, update, digest or test.
	Kind string `json:"kind"`
	// ID is the delivery ID (also in header X-Twinwatch-Delivery).
	ID string `json:"id"`
	// Channel is the channel's name.
	Channel string `json:"channel"`
	// Agreement is the agreement observation (alerts, updates, tests).
	Agreement *twin.Observation `json:"agreement,omitempty"`
	// Late marks an agreement discovered long after it was established.
	Late bool `json:"late,omitempty"`
	// Update says what an update adds.
	Update *UpdateData `json:"update,omitempty"`
	// Digest is a digest's content.
	Digest *DigestData `json:"digest,omitempty"`
	// Subject and Text are the rendered templates.
	Subject string `json:"subject"`
	Text    string `json:"text"`
}

// HTTP headers of webhook requests.
const (
	// HeaderSignature is "sha256=" + lower-case hex HMAC-SHA256 of the raw
	// body, keyed with the channel's secret.
	HeaderSignature = "X-Twinwatch-Signature"
	// HeaderDelivery is the Delivery ID: the same on every retry.
	HeaderDelivery = "X-Twinwatch-Delivery"
	// HeaderKind is the message kind (alert, update, digest, test).
	HeaderKind = "X-Twinwatch-Kind"
)

// Sign returns the X-Twinwatch-Signature value of body under secret. A
// receiver recomputes it over the raw body and compares with hmac.Equal.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// newNotifier builds the notifier of c (defaults applied).
func newNotifier(c ChannelConfig, client *http.Client, pub publisher) (Notifier, error) {
	switch c.Type {
	case TypeWebhook:
		return &webhook{url: c.URL, secret: []byte(c.Secret.Reveal()), client: client}, nil
	case TypeSlack, TypeMattermost:
		return &chatHook{url: c.URL, client: client, slack: c.Type == TypeSlack}, nil
	case TypeTelegram:
		return &telegram{api: strings.TrimRight(c.APIURL, "/"), token: c.Token.Reveal(), chat: c.ChatID, client: client}, nil
	case TypeEmail:
		return newMailer(c.SMTP)
	case TypeNATS:
		return &natsNotifier{pub: pub, subject: c.Subject}, nil
	}
	return nil, fmt.Errorf("alert: channel %s: unknown type %q", c.Name, c.Type)
}

// httpError classifies an HTTP failure: 4xx other than 408 and 429 is
// permanent (the request itself is wrong), the rest may be retried.
func httpError(what string, resp *http.Response) error {
	body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
	err := fmt.Errorf("alert: %s: HTTP %d: %s", what, resp.StatusCode, strings.TrimSpace(string(body)))
	if resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != http.StatusRequestTimeout && resp.StatusCode != http.StatusTooManyRequests {
		return fmt.Errorf("%w: %w", err, twin.ErrInvalid)
	}
	return err
}

func postJSON(ctx context.Context, client *http.Client, url string, body []byte, header http.Header) (*http.Response, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("%w: %w", err, twin.ErrInvalid)
	}
	for k, v := range header {
		req.Header[k] = v
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "twinwatch-alert/1")
	return client.Do(req)
}

// webhook POSTs the Notification JSON, signed.
type webhook struct {
	url    string
	secret []byte
	client *http.Client
}

func (w *webhook) Send(ctx context.Context, d Delivery) (string, error) {
	h := http.Header{}
	h.Set(HeaderSignature, Sign(w.secret, d.Body))
	h.Set(HeaderDelivery, d.ID)
	h.Set(HeaderKind, d.Kind)
	resp, err := postJSON(ctx, w.client, w.url, d.Body, h)
	if err != nil {
		return "", fmt.Errorf("alert: webhook post: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return "", httpError("webhook post", resp)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	return "", nil
}

// chatHook posts to a Slack- or Mattermost-compatible incoming webhook
// ({"text": ...}). Incoming webhooks return no message reference, so updates
// arrive as their own messages, quoting the agreement.
type chatHook struct {
	url    string
	client *http.Client
	slack  bool // escape &, < and >, which Slack reads as markup
}

var slackEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

func (c *chatHook) Send(ctx context.Context, d Delivery) (string, error) {
	text := d.Text
	if c.slack {
		text = slackEscaper.Replace(text)
	}
	body, err := json.Marshal(map[string]string{"text": text})
	if err != nil {
		return "", fmt.Errorf("alert: chat webhook: %w", err)
	}
	resp, err := postJSON(ctx, c.client, c.url, body, nil)
	if err != nil {
		return "", fmt.Errorf("alert: chat webhook post: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return "", httpError("chat webhook post", resp)
	}
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 1<<16))
	return "", nil
}

// telegram sends with the Bot API's sendMessage; updates reply to the alert.
type telegram struct {
	api, token, chat string
	client           *http.Client
}

type telegramResponse struct {
	OK          bool   `json:"ok"`
	ErrorCode   int    `json:"error_code"`
	Description string `json:"description"`
	Result      struct {
		MessageID int64 `json:"message_id"`
	} `json:"result"`
	Parameters struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// telegramMaxText is the Bot API's limit on a message's text, in characters.
const telegramMaxText = 4096

func (t *telegram) Send(ctx context.Context, d Delivery) (string, error) {
	text := d.Text
	if r := []rune(text); len(r) > telegramMaxText {
		text = string(r[:telegramMaxText-1]) + "…"
	}
	req := map[string]any{"chat_id": t.chat, "text": text, "link_preview_options": map[string]bool{"is_disabled": true}}
	if id, err := strconv.ParseInt(d.Thread, 10, 64); err == nil && id > 0 {
		req["reply_parameters"] = map[string]any{"message_id": id, "allow_sending_without_reply": true}
	}
	body, err := json.Marshal(req)
	if err != nil {
		return "", fmt.Errorf("alert: telegram: %w", err)
	}
	resp, err := postJSON(ctx, t.client, t.api+"/bot"+t.token+"/sendMessage", body, nil)
	if err != nil {
		// The URL holds the token: keep only the cause, never the URL.
		var ue *url.Error
		if errors.As(err, &ue) {
			err = ue.Err
		}
		return "", fmt.Errorf("alert: telegram sendMessage: %w", err)
	}
	defer resp.Body.Close()
	var tr telegramResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<16)).Decode(&tr); err != nil {
		return "", fmt.Errorf("alert: telegram sendMessage: HTTP %d, undecodable response: %w", resp.StatusCode, err)
	}
	if !tr.OK {
		err := fmt.Errorf("alert: telegram sendMessage: %d %s", tr.ErrorCode, tr.Description)
		if tr.Parameters.RetryAfter > 0 {
			err = fmt.Errorf("%w (retry after %ds)", err, tr.Parameters.RetryAfter)
		}
		if tr.ErrorCode >= 400 && tr.ErrorCode < 500 && tr.ErrorCode != http.StatusTooManyRequests {
			return "", fmt.Errorf("%w: %w", err, twin.ErrInvalid)
		}
		return "", err
	}
	return strconv.FormatInt(tr.Result.MessageID, 10), nil
}

// publisher is what the NATS channel needs of the bus.
type publisher interface {
	Publish(ctx context.Context, subject, msgID string, data []byte) (duplicate bool, err error)
}

// natsNotifier publishes the Notification to a subject of the ALERTS stream,
// with Nats-Msg-Id "notify." + the delivery ID.
type natsNotifier struct {
	pub     publisher
	subject string
}

func (n *natsNotifier) Send(ctx context.Context, d Delivery) (string, error) {
	if n.pub == nil {
		return "", fmt.Errorf("alert: nats channel without a bus")
	}
	// Not d.ID itself: that is the delivery job's Msg-Id in the same stream.
	if _, err := n.pub.Publish(ctx, n.subject, "notify."+d.ID, d.Body); err != nil {
		return "", fmt.Errorf("alert: publish to %s: %w", n.subject, err)
	}
	return "", nil
}

// stamp formats t for an e-mail Date header.
func stamp(t time.Time) string { return t.UTC().Format(time.RFC1123Z) }
