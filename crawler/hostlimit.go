package crawler

import (
	"context"
	"sync"
	"time"
)

// hostLimiter enforces per-host politeness: at most conc requests in flight
// and request starts at least delay apart; Retry-After pushes the next start
// back. Safe for concurrent use.
type hostLimiter struct {
	now func() time.Time
	mu  sync.Mutex
	m   map[string]*hostSlot
}

type hostSlot struct {
	sem  chan struct{}
	next time.Time // earliest start of the next request
	refs int
}

func newHostLimiter(now func() time.Time) *hostLimiter {
	return &hostLimiter{now: now, m: map[string]*hostSlot{}}
}

// acquire blocks until a request to host may start; the caller must call
// release exactly once after the response is read.
func (l *hostLimiter) acquire(ctx context.Context, host string, conc int, delay time.Duration) (release func(), err error) {
	l.mu.Lock()
	s := l.m[host]
	if s == nil {
		if len(l.m) > 4096 {
			l.sweepLocked()
		}
		s = &hostSlot{sem: make(chan struct{}, max(conc, 1))}
		l.m[host] = s
	}
	s.refs++
	l.mu.Unlock()
	unref := func() {
		l.mu.Lock()
		s.refs--
		l.mu.Unlock()
	}
	select {
	case s.sem <- struct{}{}:
	case <-ctx.Done():
		unref()
		return nil, ctx.Err()
	}
	l.mu.Lock()
	now := l.now()
	start := now
	if s.next.After(start) {
		start = s.next
	}
	s.next = start.Add(delay)
	l.mu.Unlock()
	if wait := start.Sub(now); wait > 0 {
		t := time.NewTimer(wait)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			<-s.sem
			unref()
			return nil, ctx.Err()
		}
	}
	return func() { <-s.sem; unref() }, nil
}

// pushBack delays the next request to host until at least t.
func (l *hostLimiter) pushBack(host string, t time.Time) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if s := l.m[host]; s != nil && t.After(s.next) {
		s.next = t
	}
}

func (l *hostLimiter) sweepLocked() {
	now := l.now()
	for h, s := range l.m {
		if s.refs == 0 && !s.next.After(now) {
			delete(l.m, h)
		}
	}
}
