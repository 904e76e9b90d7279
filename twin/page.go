package twin

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// Selectors are a source's CSS selectors that override the parser's generic
// extraction of a page's parts. Empty fields fall back to generic extraction.
type Selectors struct {
	Title string `json:"title,omitempty" yaml:"title"`
	Date  string `json:"date,omitempty" yaml:"date"`
	Body  string `json:"body,omitempty" yaml:"body"`
}

// IsZero reports whether no selector is set.
func (s Selectors) IsZero() bool { return s == Selectors{} }

// Page is a fetched document: the message on the PAGES stream. Body is always
// UTF-8; Charset records what the server sent before the crawler decoded it.
type Page struct {
	V           int       `json:"v"`
	Source      string    `json:"source"`              // config name of the source
	URL         string    `json:"url"`                 // canonical URL
	FinalURL    string    `json:"final_url,omitempty"` // after redirects, if different
	Status      int       `json:"status"`              // HTTP status
	FetchedAt   time.Time `json:"fetched_at"`
	ContentType string    `json:"content_type,omitempty"`
	Charset     string    `json:"charset,omitempty"` // original charset, e.g. "windows-1251"
	Lang        string    `json:"lang,omitempty"`    // the source's language hint, if any
	Selectors   Selectors `json:"selectors,omitzero"`
	ContentHash string    `json:"content_hash"` // ContentHash of the original bytes
	Body        string    `json:"body"`
}

// MsgID is the page's Nats-Msg-Id (PageMsgID of URL and ContentHash).
func (p Page) MsgID() string { return PageMsgID(p.URL, p.ContentHash) }

// Validate reports a page without version, source, URL or content hash.
func (p Page) Validate() error {
	var errs []error
	if p.V != Version {
		errs = append(errs, fmt.Errorf("twin: page %s: version %d, want %d: %w", p.URL, p.V, Version, ErrInvalid))
	}
	if p.Source == "" || p.URL == "" || p.ContentHash == "" {
		errs = append(errs, fmt.Errorf("twin: page %q: source, url and content_hash are required: %w", p.URL, ErrInvalid))
	}
	if p.FetchedAt.IsZero() {
		errs = append(errs, fmt.Errorf("twin: page %s: fetched_at is required: %w", p.URL, ErrInvalid))
	}
	return errors.Join(errs...)
}

// DecodePage decodes and validates one wire message; every error wraps ErrInvalid.
func DecodePage(data []byte) (Page, error) {
	var p Page
	if err := json.Unmarshal(data, &p); err != nil {
		return p, fmt.Errorf("twin: decode page: %w: %w", err, ErrInvalid)
	}
	return p, p.Validate()
}
