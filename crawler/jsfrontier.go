package crawler

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/twinwatch/twinwatch/twin"
)

// FrontierSubject is the subject prefix of frontier messages:
// twinwatch.frontier.<source>.
const FrontierSubject = "twinwatch.frontier"

// frontierDuplicates is the frontier stream's duplicate window: a URL is
// queued once per run as long as the run is shorter than this.
const frontierDuplicates = 6 * time.Hour

// WithJetStreamFrontier makes runs share a JetStream work-queue frontier
// (used when Config.Frontier.Mode is "jetstream"): every replica crawling
// the same source joins the run in progress, each URL is handed to one
// replica, and a URL held by a crashed replica is redelivered to another
// after frontier.ack_wait. New creates nothing; the first Crawl creates or
// updates the stream, a durable consumer per source (crawl_<source>) and a
// KV bucket recording the run in progress (<stream>_runs, lower case).
func WithJetStreamFrontier(js jetstream.JetStream) Option {
	return func(o *options) {
		o.frontier = func(ctx context.Context, c *Crawler, src Source, joinOnly bool) (frontier, bool, string, error) {
			return openJSFrontier(ctx, js, c, src, joinOnly)
		}
		o.joinable = func(ctx context.Context, c *Crawler, source string) bool {
			kv, err := js.KeyValue(ctx, runBucket(c.cfg.Frontier.Stream))
			if err != nil {
				return false
			}
			_, err = kv.Get(ctx, source)
			return err == nil
		}
	}
}

// runRecord is the KV value naming the run in progress of a source.
type runRecord struct {
	ID      string    `json:"id"`
	Started time.Time `json:"started"`
}

type jsFrontier struct {
	js      jetstream.JetStream
	cons    jetstream.Consumer
	runs    jetstream.KeyValue
	source  string
	subject string
	runID   string
	runRev  uint64
	idle    time.Duration
	ackWait time.Duration

	mu         sync.Mutex
	emptySince time.Time
}

func openJSFrontier(ctx context.Context, js jetstream.JetStream, c *Crawler, src Source, joinOnly bool) (frontier, bool, string, error) {
	fc := c.cfg.Frontier
	_, err := js.CreateOrUpdateStream(ctx, jetstream.StreamConfig{
		Name:        fc.Stream,
		Description: "twinwatch crawl frontier: URLs of runs in progress (work queue)",
		Subjects:    []string{FrontierSubject + ".>"},
		Retention:   jetstream.WorkQueuePolicy,
		Storage:     jetstream.FileStorage,
		Duplicates:  frontierDuplicates,
		MaxAge:      24 * time.Hour,
	})
	if err != nil {
		return nil, false, "", fmt.Errorf("crawler: frontier stream %s: %w", fc.Stream, err)
	}
	subject := FrontierSubject + "." + src.Name
	cons, err := js.CreateOrUpdateConsumer(ctx, fc.Stream, jetstream.ConsumerConfig{
		Durable:       "crawl_" + src.Name,
		FilterSubject: subject,
		AckPolicy:     jetstream.AckExplicitPolicy,
		AckWait:       fc.AckWait.D(),
		MaxDeliver:    fc.MaxDeliver,
		MaxAckPending: -1,
	})
	if err != nil {
		return nil, false, "", fmt.Errorf("crawler: frontier consumer for %s: %w", src.Name, err)
	}
	runs, err := js.CreateOrUpdateKeyValue(ctx, jetstream.KeyValueConfig{
		Bucket:      runBucket(fc.Stream),
		Description: "twinwatch crawl runs in progress, per source",
		Storage:     jetstream.FileStorage,
		TTL:         24 * time.Hour,
	})
	if err != nil {
		return nil, false, "", fmt.Errorf("crawler: frontier run bucket: %w", err)
	}
	f := &jsFrontier{js: js, cons: cons, runs: runs, source: src.Name, subject: subject,
		idle: fc.Idle.D(), ackWait: fc.AckWait.D()}
	owner, err := f.joinOrStart(ctx, c.opts.now(), joinOnly)
	if err != nil {
		return nil, false, "", err
	}
	return f, owner, f.runID, nil
}

func runBucket(stream string) string {
	b := []byte(stream + "_runs")
	for i, ch := range b {
		if ch >= 'A' && ch <= 'Z' {
			b[i] = ch + 'a' - 'A'
		}
	}
	return string(b)
}

// joinOrStart joins the source's run in progress, or starts one (and then
// is its owner, who seeds it). A recorded run whose frontier has been empty
// for longer than twice the idle time is stale (all its replicas died) and
// is replaced.
func (f *jsFrontier) joinOrStart(ctx context.Context, now time.Time, joinOnly bool) (bool, error) {
	for range 5 {
		e, err := f.runs.Get(ctx, f.source)
		switch {
		case errors.Is(err, jetstream.ErrKeyNotFound):
			if joinOnly {
				return false, errNoRun
			}
			rec := runRecord{ID: strconv.FormatInt(now.UnixNano(), 36), Started: now}
			b, _ := json.Marshal(rec)
			rev, err := f.runs.Create(ctx, f.source, b)
			if errors.Is(err, jetstream.ErrKeyExists) {
				continue
			}
			if err != nil {
				return false, fmt.Errorf("crawler: start run of %s: %w", f.source, err)
			}
			f.runID, f.runRev = rec.ID, rev
			return true, nil
		case err != nil:
			return false, fmt.Errorf("crawler: look up run of %s: %w", f.source, err)
		}
		var rec runRecord
		if json.Unmarshal(e.Value(), &rec) != nil || rec.ID == "" {
			_ = f.runs.Delete(ctx, f.source, jetstream.LastRevision(e.Revision()))
			continue
		}
		empty, err := f.empty(ctx)
		if err != nil {
			return false, err
		}
		if empty && now.Sub(rec.Started) > 2*f.idle {
			if joinOnly {
				return false, errNoRun
			}
			// Stale: replace it with a new run that we own.
			nrec := runRecord{ID: strconv.FormatInt(now.UnixNano(), 36), Started: now}
			b, _ := json.Marshal(nrec)
			rev, err := f.runs.Update(ctx, f.source, b, e.Revision())
			if err != nil {
				continue
			}
			f.runID, f.runRev = nrec.ID, rev
			return true, nil
		}
		f.runID, f.runRev = rec.ID, e.Revision()
		return false, nil
	}
	return false, fmt.Errorf("crawler: join run of %s: too much contention", f.source)
}

func (f *jsFrontier) empty(ctx context.Context) (bool, error) {
	info, err := f.cons.Info(ctx)
	if err != nil {
		return false, fmt.Errorf("crawler: frontier of %s: %w", f.source, err)
	}
	return info.NumPending == 0 && info.NumAckPending == 0, nil
}

// pushChunk bounds the async publishes in flight (nats.go stalls past 4000).
const pushChunk = 1000

func (f *jsFrontier) push(ctx context.Context, items ...item) (int, error) {
	n := 0
	for len(items) > 0 {
		k := min(len(items), pushChunk)
		m, err := f.pushSome(ctx, items[:k])
		n += m
		if err != nil {
			return n, err
		}
		items = items[k:]
	}
	f.mu.Lock()
	f.emptySince = time.Time{}
	f.mu.Unlock()
	return n, nil
}

func (f *jsFrontier) pushSome(ctx context.Context, items []item) (int, error) {
	futures := make([]jetstream.PubAckFuture, 0, len(items))
	for _, it := range items {
		b, err := json.Marshal(it)
		if err != nil {
			return 0, err
		}
		msg := &nats.Msg{Subject: f.subject, Data: b, Header: nats.Header{}}
		msg.Header.Set(jetstream.MsgIDHeader, f.runID+"."+twin.URLKey(it.URL))
		fut, err := f.js.PublishMsgAsync(msg)
		if err != nil {
			return 0, fmt.Errorf("crawler: queue %s: %w", it.URL, err)
		}
		futures = append(futures, fut)
	}
	n := 0
	var errs []error
	for _, fut := range futures {
		select {
		case ack := <-fut.Ok():
			if !ack.Duplicate {
				n++
			}
		case err := <-fut.Err():
			errs = append(errs, err)
		case <-ctx.Done():
			return n, ctx.Err()
		}
	}
	if len(errs) > 0 {
		return n, fmt.Errorf("crawler: queue %d of %d urls: %w", len(errs), len(items), errors.Join(errs...))
	}
	return n, nil
}

func (f *jsFrontier) next(ctx context.Context) (item, func(bool), error) {
	for {
		if err := ctx.Err(); err != nil {
			return item{}, nil, err
		}
		batch, err := f.cons.Fetch(1, jetstream.FetchMaxWait(300*time.Millisecond))
		if err != nil {
			if ctx.Err() != nil {
				return item{}, nil, ctx.Err()
			}
			return item{}, nil, fmt.Errorf("crawler: fetch from frontier of %s: %w", f.source, err)
		}
		for msg := range batch.Messages() {
			var it item
			if err := json.Unmarshal(msg.Data(), &it); err != nil || it.URL == "" {
				_ = msg.Term()
				continue
			}
			f.mu.Lock()
			f.emptySince = time.Time{}
			f.mu.Unlock()
			return it, f.holder(msg), nil
		}
		if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && ctx.Err() == nil {
			return item{}, nil, fmt.Errorf("crawler: fetch from frontier of %s: %w", f.source, err)
		}
		empty, err := f.empty(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return item{}, nil, ctx.Err()
			}
			return item{}, nil, err
		}
		f.mu.Lock()
		if !empty {
			f.emptySince = time.Time{}
		} else if f.emptySince.IsZero() {
			f.emptySince = time.Now()
		} else if time.Since(f.emptySince) >= f.idle {
			f.mu.Unlock()
			return item{}, nil, io.EOF
		}
		f.mu.Unlock()
	}
}

// holder keeps msg in progress while it is processed and settles it:
// Ack when processed, Nak (redeliver now) when the replica is stopping.
func (f *jsFrontier) holder(msg jetstream.Msg) func(bool) {
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(max(f.ackWait/3, 10*time.Millisecond))
		defer t.Stop()
		for {
			select {
			case <-stop:
				return
			case <-t.C:
				_ = msg.InProgress()
			}
		}
	})
	var once sync.Once
	return func(processed bool) {
		once.Do(func() {
			close(stop)
			wg.Wait()
			if processed {
				_ = msg.Ack()
			} else {
				_ = msg.Nak()
			}
		})
	}
}

// finish ends the run record if it is still ours to end.
func (f *jsFrontier) finish(ctx context.Context) {
	e, err := f.runs.Get(ctx, f.source)
	if err != nil {
		return
	}
	var rec runRecord
	if json.Unmarshal(e.Value(), &rec) == nil && rec.ID == f.runID {
		_ = f.runs.Delete(ctx, f.source, jetstream.LastRevision(e.Revision()))
	}
}
