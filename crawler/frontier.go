package crawler

import (
	"context"
	"errors"
	"io"
	"sync"
)

// role is what a frontier item is fetched for.
type role string

const (
	roleListing  role = "listing"  // find article links and the next page
	roleFeed     role = "feed"     // RSS/Atom: follow item links
	roleSitemap  role = "sitemap"  // sitemap or index: follow entries
	roleSiteRoot role = "siteroot" // discover sitemaps through robots.txt
	roleArticle  role = "article"  // publish if changed
	rolePage     role = "page"     // publish if changed (a configured page)
)

// publishes reports whether fetched documents of this role are published.
func (r role) publishes() bool { return r == roleArticle || r == rolePage }

// item is one URL of a run's frontier.
type item struct {
	URL   string `json:"u"`
	Role  role   `json:"r"`
	Depth int    `json:"d,omitempty"`
	Page  int    `json:"p,omitempty"` // listing pages followed so far from the start URL
}

// frontier is a run's queue of URLs, deduplicated per run. Implementations
// are safe for concurrent use.
type frontier interface {
	// push adds items not yet seen in this run and returns how many were new.
	push(ctx context.Context, items ...item) (int, error)
	// next blocks until an item is available and returns it with a done
	// func to call once: done(true) when it was processed, done(false) to
	// hand it back (the replica is stopping). io.EOF: the run is finished.
	next(ctx context.Context) (item, func(processed bool), error)
	// finish is called once by each replica whose next returned io.EOF.
	finish(ctx context.Context)
}

// memFrontier is the local frontier of a single-process run: finished when
// the queue is empty and nothing is in flight.
type memFrontier struct {
	mu       sync.Mutex
	queue    []item
	seen     map[string]bool
	inflight int
	changed  chan struct{}
}

func newMemFrontier() *memFrontier {
	return &memFrontier{seen: map[string]bool{}, changed: make(chan struct{})}
}

func (f *memFrontier) signalLocked() {
	close(f.changed)
	f.changed = make(chan struct{})
}

func (f *memFrontier) push(_ context.Context, items ...item) (int, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, it := range items {
		if f.seen[it.URL] {
			continue
		}
		f.seen[it.URL] = true
		f.queue = append(f.queue, it)
		n++
	}
	if n > 0 {
		f.signalLocked()
	}
	return n, nil
}

func (f *memFrontier) finish(context.Context) {}

func (f *memFrontier) next(ctx context.Context) (item, func(bool), error) {
	for {
		f.mu.Lock()
		if len(f.queue) > 0 {
			it := f.queue[0]
			f.queue[0] = item{}
			f.queue = f.queue[1:]
			f.inflight++
			f.mu.Unlock()
			var once sync.Once
			return it, func(bool) {
				once.Do(func() {
					f.mu.Lock()
					f.inflight--
					f.signalLocked()
					f.mu.Unlock()
				})
			}, nil
		}
		if f.inflight == 0 {
			f.mu.Unlock()
			return item{}, nil, io.EOF
		}
		ch := f.changed
		f.mu.Unlock()
		select {
		case <-ch:
		case <-ctx.Done():
			return item{}, nil, ctx.Err()
		}
	}
}

// frontierFactory opens the shared frontier of a run of src. owner is true
// for the replica that started the run (it seeds the start URLs); id names
// the run.
// With joinOnly it fails with errNoRun instead of starting a run.
type frontierFactory func(ctx context.Context, c *Crawler, src Source, joinOnly bool) (f frontier, owner bool, id string, err error)

// errNoRun: there is no run of the source in progress to join.
var errNoRun = errors.New("crawler: no run in progress")
