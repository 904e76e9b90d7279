package crawler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/twinwatch/twinwatch/twin"
)

// URLState is what the crawler remembers about one canonical URL between
// runs: enough for a conditional request and to tell a changed page.
type URLState struct {
	URL          string    `json:"url"`
	ETag         string    `json:"etag,omitempty"`
	LastModified string    `json:"last_modified,omitempty"`
	ContentHash  string    `json:"content_hash,omitempty"`
	FetchedAt    time.Time `json:"fetched_at"`
	Status       int       `json:"status"`
	// PublishedAt is when the page with ContentHash was last published.
	PublishedAt time.Time `json:"published_at,omitzero"`
}

// StateStore keeps crawl state per canonical URL. Implementations are safe
// for concurrent use, and several crawler replicas may share one.
type StateStore interface {
	// Get returns the state of url; ok is false when there is none.
	Get(ctx context.Context, url string) (st URLState, ok bool, err error)
	// Put stores the state of st.URL, replacing what was there.
	Put(ctx context.Context, st URLState) error
}

// NewKVState returns a StateStore on a NATS KV bucket (see
// Config.StateBucket); keys are twin.URLKey of the canonical URL, values JSON.
// Nothing is cached in the process, so memory stays flat however many URLs
// the bucket holds.
func NewKVState(kv jetstream.KeyValue) StateStore { return kvState{kv: kv} }

type kvState struct{ kv jetstream.KeyValue }

func (s kvState) Get(ctx context.Context, url string) (URLState, bool, error) {
	e, err := s.kv.Get(ctx, twin.URLKey(url))
	if errors.Is(err, jetstream.ErrKeyNotFound) {
		return URLState{}, false, nil
	}
	if err != nil {
		return URLState{}, false, fmt.Errorf("crawler: get state of %s: %w", url, err)
	}
	var st URLState
	if err := json.Unmarshal(e.Value(), &st); err != nil {
		// A state we cannot read is treated as absent: the page is fetched
		// unconditionally and the state rewritten.
		return URLState{}, false, nil
	}
	return st, true, nil
}

func (s kvState) Put(ctx context.Context, st URLState) error {
	b, err := json.Marshal(st)
	if err != nil {
		return fmt.Errorf("crawler: encode state of %s: %w", st.URL, err)
	}
	if _, err := s.kv.Put(ctx, twin.URLKey(st.URL), b); err != nil {
		return fmt.Errorf("crawler: put state of %s: %w", st.URL, err)
	}
	return nil
}

// MemState is an in-memory StateStore for tests and one-off runs. It is
// safe for concurrent use.
type MemState struct {
	mu sync.Mutex
	m  map[string]URLState
}

// NewMemState returns an empty MemState.
func NewMemState() *MemState { return &MemState{m: map[string]URLState{}} }

// Get implements StateStore.
func (s *MemState) Get(_ context.Context, url string) (URLState, bool, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.m[url]
	return st, ok, nil
}

// Put implements StateStore.
func (s *MemState) Put(_ context.Context, st URLState) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[st.URL] = st
	return nil
}

// Len returns the number of URLs held.
func (s *MemState) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.m)
}
