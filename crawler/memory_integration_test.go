package crawler

import (
	"encoding/json"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/twinwatch/twinwatch/twin"
)

// BenchmarkStateMemoryIntegration fills the crawl-state KV bucket with
// TWINWATCH_BENCH_STATE_URLS entries (default 1,000,000), then crawls 10,000
// of those URLs (all unchanged) and reports how much the heap grew over the
// crawl (peak and after), to show that crawler memory does not depend on the
// size of crawl state. The nats-server runs as a separate process (built
// from the module with `go build`) so that the heap measured is the
// crawler's alone; if it cannot be built the server runs in-process and its
// block cache is counted too. Run with -benchtime=1x.
func BenchmarkStateMemoryIntegration(b *testing.B) {
	total := 1_000_000
	if v := os.Getenv("TWINWATCH_BENCH_STATE_URLS"); v != "" {
		total, _ = strconv.Atoi(v)
	}
	const crawled = 10_000
	const perList = 500
	body := "<html><head><title>a</title></head><body><p>unchanged</p></body></html>"
	hash := twin.ContentHash([]byte(body))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		if len(r.URL.Path) > 5 && r.URL.Path[:5] == "/list" {
			n, _ := strconv.Atoi(r.URL.Path[5:])
			for i := n * perList; i < (n+1)*perList; i++ {
				fmt.Fprintf(w, `<a class="t" href="/a/%d">%d</a>`, i, i)
			}
			return
		}
		fmt.Fprint(w, body)
	}))
	b.Cleanup(srv.Close)

	url := startExternalNATS(b)
	_, js := connect(b, url)
	kv, err := js.CreateOrUpdateKeyValue(b.Context(), jetstream.KeyValueConfig{Bucket: "crawl_state", Storage: jetstream.FileStorage})
	if err != nil {
		b.Fatal(err)
	}
	// Fill the bucket with async publishes straight to the KV subjects.
	t0 := time.Now()
	var futs []jetstream.PubAckFuture
	for i := range total {
		u := fmt.Sprintf("%s/a/%d", srv.URL, i)
		v, _ := json.Marshal(URLState{URL: u, ContentHash: hash, FetchedAt: time.Now().UTC(), Status: 200})
		f, err := js.PublishAsync("$KV.crawl_state."+twin.URLKey(u), v)
		if err != nil {
			b.Fatal(err)
		}
		futs = append(futs, f)
		if len(futs) == 2_000 {
			for _, f := range futs {
				select {
				case <-f.Ok():
				case err := <-f.Err():
					b.Fatal(err)
				}
			}
			futs = futs[:0]
		}
	}
	for _, f := range futs {
		select {
		case <-f.Ok():
		case err := <-f.Err():
			b.Fatal(err)
		}
	}
	b.Logf("filled %d state entries in %s", total, time.Since(t0).Round(time.Millisecond))

	var lists []string
	for i := range crawled / perList {
		lists = append(lists, fmt.Sprintf("%s/list%d", srv.URL, i))
	}
	cfg := testConfig(Source{Name: "mem", Kind: KindListing, URLs: lists, Links: "a.t", MaxURLs: crawled + len(lists)})
	cfg.Concurrency = 32
	c, err := New(cfg, &nopPub{}, NewKVState(kv), slog.New(slog.DiscardHandler), prometheus.NewRegistry())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()

	heap := func() uint64 {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapInuse
	}
	runtime.GC()
	before := heap()
	var peak uint64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				peak = max(peak, heap())
			}
		}
	})
	for b.Loop() {
		st, err := c.Crawl(b.Context(), "mem")
		if err != nil {
			b.Fatal(err)
		}
		if st.Unchanged != crawled {
			b.Fatalf("unchanged %d, want %d (%+v)", st.Unchanged, crawled, st)
		}
	}
	close(stop)
	wg.Wait()
	runtime.GC()
	after := heap()
	b.ReportMetric(float64(total), "state-urls")
	b.ReportMetric(float64(before)/(1<<20), "heap-before-MiB")
	b.ReportMetric(float64(int64(peak)-int64(before))/(1<<20), "heap-peak-growth-MiB")
	b.ReportMetric(float64(int64(after)-int64(before))/(1<<20), "heap-after-growth-MiB")
}

// startExternalNATS builds and starts nats-server as a child process with
// JetStream, falling back to an in-process server.
func startExternalNATS(b *testing.B) string {
	dir := b.TempDir()
	bin := filepath.Join(dir, "nats-server")
	out, err := exec.Command("go", "build", "-o", bin, "github.com/nats-io/nats-server/v2").CombinedOutput()
	if err != nil {
		b.Logf("nats-server not built (%v: %s): measuring with an in-process server", err, out)
		return startNATS(b)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	port := l.Addr().(*net.TCPAddr).Port
	_ = l.Close()
	cmd := exec.Command(bin, "-a", "127.0.0.1", "-p", strconv.Itoa(port), "-js", "-sd", filepath.Join(dir, "js"))
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	url := fmt.Sprintf("nats://127.0.0.1:%d", port)
	for i := 0; ; i++ {
		nc, err := nats.Connect(url)
		if err == nil {
			nc.Close()
			break
		}
		if i > 600 {
			b.Fatalf("nats-server did not start: %v", err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.Log("nats-server runs as a separate process")
	return url
}
