package crawler

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"syscall"
	"time"
)

// ErrPrivateAddress is returned (wrapped) for a request that would reach a
// loopback, private, link-local, unspecified or multicast address while
// Config.AllowPrivateNetworks is false. The URL is skipped; nothing to retry.
var ErrPrivateAddress = errors.New("crawler: refusing private, loopback or link-local address")

// forbiddenAddr reports whether a is off limits for a public crawler.
func forbiddenAddr(a netip.Addr) bool {
	a = a.Unmap()
	return a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() ||
		cgnat.Contains(a)
}

var cgnat = netip.MustParsePrefix("100.64.0.0/10")

// guardControl is a net.Dialer Control hook: it runs after DNS resolution,
// on the address actually dialled, for every connection (redirects included).
func guardControl(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("%w: %s", ErrPrivateAddress, address)
	}
	if forbiddenAddr(ap.Addr()) {
		return fmt.Errorf("%w: %s", ErrPrivateAddress, ap.Addr())
	}
	return nil
}

// hostIsForbiddenLiteral reports a host that is an IP literal off limits,
// so such URLs are refused before any connection is tried.
func hostIsForbiddenLiteral(host string) bool {
	a, err := netip.ParseAddr(host)
	return err == nil && forbiddenAddr(a)
}

// DialFunc dials a connection; see WithDialContext.
type DialFunc func(ctx context.Context, network, addr string) (net.Conn, error)

// newTransport builds the one transport a Crawler reuses for every request.
func newTransport(cfg Config, dial DialFunc) *http.Transport {
	if dial == nil {
		d := &net.Dialer{Timeout: cfg.RequestTimeout.D(), KeepAlive: 30 * time.Second}
		if !cfg.AllowPrivateNetworks {
			d.Control = guardControl
		}
		dial = d.DialContext
	}
	return &http.Transport{
		Proxy:                 nil, // never route through an environment proxy: config only
		DialContext:           dial,
		ForceAttemptHTTP2:     true,
		MaxIdleConns:          1024,
		MaxIdleConnsPerHost:   max(cfg.HostConcurrency, 4),
		IdleConnTimeout:       90 * time.Second,
		TLSHandshakeTimeout:   10 * time.Second,
		ResponseHeaderTimeout: cfg.RequestTimeout.D(),
		ExpectContinueTimeout: time.Second,
	}
}
