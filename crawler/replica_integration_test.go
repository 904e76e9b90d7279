package crawler

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/config/spec"
	"github.com/twinwatch/twinwatch/twin"
)

// startNATS starts an embedded nats-server with JetStream in a temp dir and
// returns its client URL. It is shut down when the test ends.
func startNATS(t testing.TB) string {
	t.Helper()
	if testing.Short() {
		t.Skip("integration test: skipped with -short")
	}
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true,
		StoreDir: t.TempDir(), NoSigs: true, NoLog: true})
	require.NoError(t, err)
	ns.Start()
	require.True(t, ns.ReadyForConnections(30*time.Second), "nats-server not ready")
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	return ns.ClientURL()
}

// connect opens a client connection and its JetStream context.
func connect(t testing.TB, url string) (*nats.Conn, jetstream.JetStream) {
	t.Helper()
	nc, err := nats.Connect(url)
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	require.NoError(t, err)
	return nc, js
}

func openKVState(t testing.TB, js jetstream.JetStream) StateStore {
	t.Helper()
	kv, err := js.CreateOrUpdateKeyValue(t.Context(), jetstream.KeyValueConfig{Bucket: "crawl_state"})
	require.NoError(t, err)
	return NewKVState(kv)
}

func TestKVStateIncrementalIntegration(t *testing.T) {
	url := startNATS(t)
	_, js := connect(t, url)
	s := newSite(t, map[string]http.HandlerFunc{
		"/etag": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("ETag", `W/"1"`)
			if r.Header.Get("If-None-Match") == `W/"1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			article("e")(w, r)
		},
		"/plain": article("p"),
	})
	cfg := testConfig(Source{Name: "p", Kind: KindPage, URLs: []string{s.url("/etag"), s.url("/plain")}})
	pub := &memPub{}
	state := openKVState(t, js)
	c := newTestCrawler(t, cfg, pub, state)
	st, err := c.Crawl(t.Context(), "p")
	require.NoError(t, err)
	require.Equal(t, 2, st.Published)

	// A second crawler process sharing the bucket publishes nothing.
	pub2 := &memPub{}
	st, err = newTestCrawler(t, cfg, pub2, openKVState(t, js)).Crawl(t.Context(), "p")
	require.NoError(t, err)
	require.Empty(t, pub2.urls())
	require.Equal(t, 2, st.Unchanged)
	got, ok, err := state.Get(t.Context(), s.url("/etag"))
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, http.StatusNotModified, got.Status)
}

// replicaSite serves a listing of n articles, each taking delay to answer,
// and counts fetches per article.
func replicaSite(t *testing.T, n int, delay time.Duration) (*site, func() map[string]int) {
	var links string
	for i := range n {
		links += fmt.Sprintf(`<a class="a" href="/a/%d">%d</a>`, i, i)
	}
	routes := map[string]http.HandlerFunc{"/list": htmlPage(links)}
	for i := range n {
		routes[fmt.Sprintf("/a/%d", i)] = func(w http.ResponseWriter, r *http.Request) {
			select {
			case <-time.After(delay):
			case <-r.Context().Done():
				return
			}
			article(fmt.Sprint(i))(w, r)
		}
	}
	s := newSite(t, routes)
	return s, func() map[string]int {
		s.mu.Lock()
		defer s.mu.Unlock()
		out := map[string]int{}
		for i := range n {
			if h := s.hits[fmt.Sprintf("/a/%d", i)]; h > 0 {
				out[fmt.Sprintf("/a/%d", i)] = h
			}
		}
		return out
	}
}

func frontierConfig(s *site, n int) Config {
	cfg := testConfig(Source{Name: "shared", Kind: KindListing, URLs: []string{s.url("/list")}, Links: "a.a", MaxURLs: n + 10})
	cfg.Concurrency = 2
	cfg.Frontier.Mode = FrontierJetStream
	cfg.Frontier.AckWait = spec.Duration(2 * time.Second)
	cfg.Frontier.Idle = spec.Duration(time.Second)
	return cfg
}

func TestReplicasShareRunIntegration(t *testing.T) {
	url := startNATS(t)
	const n = 40
	s, hits := replicaSite(t, n, 20*time.Millisecond)
	cfg := frontierConfig(s, n)
	pub := &memPub{}

	var wg sync.WaitGroup
	stats := make([]Stats, 2)
	for i := range 2 {
		_, js := connect(t, url)
		c := newTestCrawler(t, cfg, pub, openKVState(t, js), WithJetStreamFrontier(js))
		wg.Go(func() {
			var err error
			stats[i], err = c.Crawl(t.Context(), "shared")
			require.NoError(t, err)
		})
		if i == 0 {
			// Let the first replica start the run; the second joins it.
			require.Eventually(t, func() bool { return s.hit("/list") > 0 }, time.Minute, 10*time.Millisecond)
		}
	}
	wg.Wait()
	h := hits()
	require.Len(t, h, n)
	for p, c := range h {
		require.Equal(t, 1, c, "%s fetched once per run", p)
	}
	require.Len(t, pub.urls(), n)
	require.Equal(t, n+1, stats[0].Fetched+stats[1].Fetched)
	require.Positive(t, stats[1].Fetched, "the second replica did part of the work")

	// The run is over: the next crawl is a new run, and finds nothing changed.
	_, js := connect(t, url)
	st, err := newTestCrawler(t, cfg, pub, openKVState(t, js), WithJetStreamFrontier(js)).Crawl(t.Context(), "shared")
	require.NoError(t, err)
	require.Equal(t, n, st.Unchanged)
}

func TestReplicaKilledMidRunIntegration(t *testing.T) {
	url := startNATS(t)
	const n = 30
	s, hits := replicaSite(t, n, 50*time.Millisecond)
	cfg := frontierConfig(s, n)
	pub := &memPub{}

	// Replica A starts the run and is killed (connection dropped, context
	// cancelled) after a few articles.
	ncA, jsA := connect(t, url)
	ctxA, killA := context.WithCancel(t.Context())
	var fetchedA atomic.Int64
	a := newTestCrawler(t, cfg, countingPub{pub, &fetchedA}, openKVState(t, jsA), WithJetStreamFrontier(jsA))
	doneA := make(chan struct{})
	go func() {
		defer close(doneA)
		_, _ = a.Crawl(ctxA, "shared")
	}()
	require.Eventually(t, func() bool { return fetchedA.Load() >= 3 }, time.Minute, 10*time.Millisecond)
	ncA.Close()
	killA()
	<-doneA

	// Replica B joins the same run and finishes it, redelivered URLs included.
	_, jsB := connect(t, url)
	st, err := newTestCrawler(t, cfg, pub, openKVState(t, jsB), WithJetStreamFrontier(jsB)).Crawl(t.Context(), "shared")
	require.NoError(t, err)
	require.Positive(t, st.Fetched)
	require.Len(t, hits(), n, "every article was fetched")
	require.Len(t, pub.urls(), n, "every article was published")
}

type countingPub struct {
	*memPub
	n *atomic.Int64
}

func (p countingPub) PublishPage(ctx context.Context, pg twinPage) error {
	err := p.memPub.PublishPage(ctx, pg)
	if err == nil {
		p.n.Add(1)
	}
	return err
}

type twinPage = twin.Page

func TestJetStreamFrontierIntegration(t *testing.T) {
	url := startNATS(t)
	_, js := connect(t, url)
	cfg := testConfig(Source{Name: "big", Kind: KindSitemap, URLs: []string{"https://example.ru/sitemap.xml"}})
	cfg.Frontier.Mode = FrontierJetStream
	cfg.Frontier.Idle = spec.Duration(500 * time.Millisecond)
	c := newTestCrawler(t, cfg, &memPub{}, NewMemState(), WithJetStreamFrontier(js))
	ctx := t.Context()

	_, _, _, err := openJSFrontier(ctx, js, c, c.sources["big"], true)
	require.ErrorIs(t, err, errNoRun, "join-only finds no run")
	f, owner, id, err := openJSFrontier(ctx, js, c, c.sources["big"], false)
	require.NoError(t, err)
	require.True(t, owner)
	require.NotEmpty(t, id)
	_, owner2, id2, err := openJSFrontier(ctx, js, c, c.sources["big"], true)
	require.NoError(t, err)
	require.False(t, owner2, "a second replica joins")
	require.Equal(t, id, id2)

	const n = 5000 // more than nats.go's async publish window
	items := make([]item, n)
	for i := range items {
		items[i] = item{URL: fmt.Sprintf("https://example.ru/p/%d", i), Role: roleArticle, Depth: 1}
	}
	added, err := f.push(ctx, items...)
	require.NoError(t, err)
	require.Equal(t, n, added)
	added, err = f.push(ctx, items[:100]...)
	require.NoError(t, err)
	require.Zero(t, added, "queued once per run")

	seen := map[string]bool{}
	for {
		it, done, err := f.next(ctx)
		if err != nil {
			require.ErrorIs(t, err, io.EOF)
			break
		}
		require.False(t, seen[it.URL])
		seen[it.URL] = true
		done(true)
	}
	require.Len(t, seen, n)
	f.finish(ctx)
	_, _, _, err = openJSFrontier(ctx, js, c, c.sources["big"], true)
	require.ErrorIs(t, err, errNoRun, "finish ended the run")
}
