package crawler

import (
	"fmt"
	"sync"
	"time"
)

// startProgress writes a progress line about twice a second while r runs
// (when WithProgress is set); the returned func stops it and writes the
// summary. It owns one goroutine, which has exited when stop returns.
func (c *Crawler) startProgress(r *run) (stop func(Stats)) {
	w := c.opts.progress
	if w == nil {
		return func(Stats) {}
	}
	start := time.Now()
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(500 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				st := r.cnt.stats(r.src.Name, 0)
				fmt.Fprintf(w, "\r%s: fetched %d  queued %d  published %d  unchanged %d  failed %d  skipped %d  %s ",
					r.src.Name, st.Fetched, st.Queued, st.Published, st.Unchanged, st.Failed, st.Skipped, sinceStart(start))
			}
		}
	})
	return func(st Stats) {
		close(done)
		wg.Wait()
		fmt.Fprintf(w, "\r%s: fetched %d, queued %d, published %d, unchanged %d, failed %d, skipped %d, articles %d in %s\n",
			st.Source, st.Fetched, st.Queued, st.Published, st.Unchanged, st.Failed, st.Skipped, st.Articles, st.Duration.Round(time.Millisecond))
		if r.noArticles(st) {
			fmt.Fprintf(w, "%s: WARNING: no articles found (kind %s): check the source's links selector, feed or sitemap\n", st.Source, r.src.Kind)
		}
	}
}
