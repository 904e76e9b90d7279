package twin

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// digest returns a short, stable, KV- and Msg-Id-safe hex digest of parts.
// Parts are joined with NUL, which no part may contain in practice (IDs, URLs).
func digest(prefix string, parts ...string) string {
	h := sha256.New()
	for i, p := range parts {
		if i > 0 {
			h.Write([]byte{0})
		}
		h.Write([]byte(p))
	}
	return prefix + hex.EncodeToString(h.Sum(nil)[:12])
}

// AgreementID derives an agreement's ID from the unordered pair of place IDs
// and the relation: AgreementID(a, b, r) == AgreementID(b, a, r).
func AgreementID(a, b string, r Relation) string {
	if b < a {
		a, b = b, a
	}
	return digest("ag_", "agreement", a, b, string(r))
}

// MentionID derives the ID of one page's mention of an agreement from the
// agreement's ID and the page's canonical URL.
func MentionID(agreementID, canonicalURL string) string {
	return digest("mn_", "mention", agreementID, canonicalURL)
}

// EventID derives an event's ID from the unordered pair, the category, the
// date as known (possibly "") and the canonical URL of the page reporting it.
func EventID(a, b string, c Category, d Date, canonicalURL string) string {
	if b < a {
		a, b = b, a
	}
	return digest("ev_", "event", a, b, string(c), d.String(), canonicalURL)
}

// URLKey derives a key for a canonical URL that is safe as a NATS KV key
// and subject token (raw URLs are not: ':' and '?' are invalid there).
func URLKey(canonicalURL string) string { return digest("u_", "url", canonicalURL) }

// PageMsgID derives the Nats-Msg-Id of a page: the same content at the same
// URL is the same message, so JetStream drops a republish inside its window.
func PageMsgID(canonicalURL, contentHash string) string {
	return digest("pg_", "page", canonicalURL, contentHash)
}

// ContentHash returns the hex SHA-256 of a page body, as crawl state and
// PageMsgID use it.
func ContentHash(body []byte) string {
	s := sha256.Sum256(body)
	return hex.EncodeToString(s[:])
}

// SubjectToken makes s usable as one token of a NATS subject: lower-case
// letters, digits, '-' and '_' are kept; everything else becomes '_'.
func SubjectToken(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9', r == '-', r == '_':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	if b.Len() == 0 {
		return "_"
	}
	return b.String()
}
