package crawler

import (
	"fmt"
	"net"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/andybalholm/cascadia"
)

// trackingParams are query parameters that identify a campaign or a click,
// never a document; CanonicalURL drops them (and every utm_* parameter).
var trackingParams = map[string]bool{
	"fbclid": true, "gclid": true, "dclid": true, "yclid": true, "ysclid": true,
	"msclkid": true, "mc_cid": true, "mc_eid": true, "_openstat": true,
	"_ga": true, "_gl": true, "igshid": true, "ref_src": true,
}

// CanonicalURL returns the canonical form of an absolute http(s) URL, the
// key of crawl state and page.URL: lower-case scheme and host, no default
// port, no fragment, no empty query, tracking parameters (utm_*, fbclid,
// gclid, yclid, ...) removed, remaining parameters sorted by key (values of a
// repeated key keep their order), an empty path written as "/". It is pure
// and safe for concurrent use; equal documents get equal strings. It fails
// for relative URLs, other schemes and URLs without a host.
func CanonicalURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return "", fmt.Errorf("crawler: canonical url: %w", err)
	}
	return canonical(u)
}

func canonical(u *url.URL) (string, error) {
	scheme := strings.ToLower(u.Scheme)
	if scheme != "http" && scheme != "https" {
		return "", fmt.Errorf("crawler: canonical url %q: want an absolute http or https URL", u.Redacted())
	}
	host := strings.TrimSuffix(strings.ToLower(u.Hostname()), ".")
	if host == "" {
		return "", fmt.Errorf("crawler: canonical url %q: no host", u.Redacted())
	}
	if strings.Contains(host, ":") { // IPv6 literal
		a, err := netip.ParseAddr(host)
		if err != nil || !a.Is6() {
			return "", fmt.Errorf("crawler: canonical url %q: bad host", u.Redacted())
		}
		host = "[" + a.String() + "]"
	} else if strings.ContainsAny(host, " []%/\\@<>\"{}|^`") {
		return "", fmt.Errorf("crawler: canonical url %q: bad host", u.Redacted())
	}
	port := u.Port()
	if port != "" {
		n, err := strconv.ParseUint(port, 10, 16)
		if err != nil {
			return "", fmt.Errorf("crawler: canonical url %q: bad port", u.Redacted())
		}
		port = strconv.FormatUint(n, 10)
	}
	if (scheme == "http" && port == "80") || (scheme == "https" && port == "443") {
		port = ""
	}
	if port != "" {
		host = net.JoinHostPort(strings.Trim(host, "[]"), port)
	}
	out := url.URL{Scheme: scheme, Host: host, Path: u.Path, RawPath: u.RawPath}
	if out.Path == "" {
		out.Path = "/"
		out.RawPath = ""
	}
	if u.RawQuery != "" {
		out.RawQuery = canonicalQuery(u.RawQuery)
	}
	return out.String(), nil
}

// canonicalQuery drops tracking parameters and sorts the rest by key,
// keeping each pair's original encoding normalised by url.QueryEscape.
func canonicalQuery(raw string) string {
	type kv struct {
		k, v string
		hasV bool
	}
	var pairs []kv
	for part := range strings.SplitSeq(raw, "&") {
		if part == "" {
			continue
		}
		k, v, hasV := strings.Cut(part, "=")
		key, err := url.QueryUnescape(k)
		if err != nil {
			key = k
		}
		lk := strings.ToLower(key)
		if strings.HasPrefix(lk, "utm_") || trackingParams[lk] {
			continue
		}
		val, err := url.QueryUnescape(v)
		if err != nil {
			val = v
		}
		pairs = append(pairs, kv{key, val, hasV})
	}
	slices.SortStableFunc(pairs, func(a, b kv) int { return strings.Compare(a.k, b.k) })
	var b strings.Builder
	for i, p := range pairs {
		if i > 0 {
			b.WriteByte('&')
		}
		b.WriteString(url.QueryEscape(p.k))
		if p.hasV {
			b.WriteByte('=')
			b.WriteString(url.QueryEscape(p.v))
		}
	}
	return b.String()
}

// resolve makes href absolute against base and canonical; "" for links
// that are not http(s) documents (mailto:, javascript:, fragments only).
func resolve(base *url.URL, href string) string {
	href = strings.TrimSpace(href)
	if href == "" || strings.HasPrefix(href, "#") {
		return ""
	}
	ref, err := url.Parse(href)
	if err != nil {
		return ""
	}
	c, err := canonical(base.ResolveReference(ref))
	if err != nil {
		return ""
	}
	return c
}

// checkSelector reports a CSS selector that goquery cannot compile.
func checkSelector(sel string) error {
	if _, err := cascadia.ParseGroup(sel); err != nil {
		return fmt.Errorf("bad CSS selector %q: %v", sel, err)
	}
	return nil
}
