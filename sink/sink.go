package sink

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"golang.org/x/sync/errgroup"

	"github.com/twinwatch/twinwatch/internal/bus"
	"github.com/twinwatch/twinwatch/internal/chstore"
	"github.com/twinwatch/twinwatch/twin"
)

// Durable consumer names. Every replica of the sink uses the same ones, so
// replicas share the work instead of each writing everything.
const (
	PagesDurable        = "sink-pages"
	ObservationsDurable = "sink-observations"
)

// Table labels of the sink's metrics and logs.
const (
	TableCrawlLog     = "crawl_log"
	TableObservations = "observations"
)

// Source is one durable JetStream consumer as the sink uses it;
// *bus.Subscription satisfies it. Fetch blocks up to wait for at most max
// messages; Settle acks (err nil), dead-letters (err wraps twin.ErrInvalid) or
// naks with back-off (other errors, dead-lettered at the last delivery).
type Source interface {
	Fetch(ctx context.Context, max int, wait time.Duration) ([]*bus.Msg, error)
	Settle(ctx context.Context, m *bus.Msg, err error) bus.Outcome
}

// Subscriber opens a durable pull consumer; *bus.Bus satisfies it. The
// subscription it returns is owned (and stopped) by the caller.
type Subscriber interface {
	Subscribe(ctx context.Context, spec bus.ConsumerSpec) (*bus.Subscription, error)
}

// Writer is the ClickHouse side; *chstore.Store satisfies it. Migrate is run
// once at start-up. The inserts must be idempotent for equal rows (IDs and
// ReplacingMergeTree): the sink may insert a row twice after a crash, and
// never reports a row committed that the Writer did not commit.
type Writer interface {
	Migrate(ctx context.Context) ([]string, error)
	InsertPages(ctx context.Context, pages []twin.Page) error
	InsertObservations(ctx context.Context, obs []twin.Observation) error
}

// Option is a test seam of New.
type Option func(*options)

type options struct {
	afterInsert func(ctx context.Context, table string, rows int) error
	retryable   func(error) bool
}

// WithAfterInsert installs hook, called after every successful insert and
// before any message of it is settled. If hook returns an error, the sink
// behaves as a process killed at that instant: Run stops at once, settles
// nothing more and returns that error; unsettled messages are redelivered
// after AckWait. Tests use it to prove that a crash between insert and ack
// neither loses nor doubles rows.
func WithAfterInsert(hook func(ctx context.Context, table string, rows int) error) Option {
	return func(o *options) { o.afterInsert = hook }
}

// WithRetryable replaces chstore.IsRetryable as the classifier of insert
// errors (for a fake Writer in tests).
func WithRetryable(f func(error) bool) Option {
	return func(o *options) { o.retryable = f }
}

// Sink moves PAGES into the crawl log and OBSERVATIONS into the observation
// tables. Build it with New and run it with Run, once.
type Sink struct {
	cfg  Config
	sub  Subscriber
	w    Writer
	log  *slog.Logger
	m    *metrics
	opts options
}

// New returns a Sink reading from sub and writing to w, logging to logger and
// registering its metrics on reg (which must not already hold them). It
// validates cfg and does no I/O. Options: WithAfterInsert, WithRetryable.
func New(cfg Config, sub Subscriber, w Writer, logger *slog.Logger, reg *prometheus.Registry, opts ...Option) (*Sink, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("sink: config: %w", err)
	}
	if sub == nil || w == nil || logger == nil || reg == nil {
		return nil, errors.New("sink: New needs a subscriber, a writer, a logger and a registry")
	}
	m, err := newMetrics(reg)
	if err != nil {
		return nil, err
	}
	s := &Sink{cfg: cfg, sub: sub, w: w, log: logger.With("stage", "sink"), m: m}
	s.opts.retryable = chstore.IsRetryable
	for _, o := range opts {
		o(&s.opts)
	}
	return s, nil
}

// fetchSize is the most messages one pull asks for: fetch_size, but never
// more than one batch (pages are big).
func fetchSize(c Config, b BatchConfig) int { return min(c.FetchSize, b.Count) }

// PagesConsumer is the consumer the sink reads PAGES with.
func (c Config) PagesConsumer() bus.ConsumerSpec {
	return bus.ConsumerSpec{
		Stream: bus.StreamPages, Durable: PagesDurable, MaxDeliver: c.MaxDeliver,
		AckWait: c.AckWait.D(), MaxAckPending: (c.Inserts+1)*c.PagesBatch.Count + 2*fetchSize(c, c.PagesBatch),
	}
}

// ObservationsConsumer is the consumer the sink reads OBSERVATIONS with.
func (c Config) ObservationsConsumer() bus.ConsumerSpec {
	return bus.ConsumerSpec{
		Stream: bus.StreamObservations, Durable: ObservationsDurable, MaxDeliver: c.MaxDeliver,
		AckWait: c.AckWait.D(), MaxAckPending: (c.Inserts+1)*c.Batch.Count + 2*fetchSize(c, c.Batch),
	}
}

// Run migrates the schema (retrying while ClickHouse is unreachable), then
// consumes PAGES and OBSERVATIONS concurrently until ctx is cancelled. Cancellation is the soft stop: fetching stops, the
// open batches are flushed (for at most DrainTimeout), every message is
// settled, and Run returns nil. It returns an error if the migration or a
// subscription fails, or from a WithAfterInsert hook. Run blocks; call it once.
func (s *Sink) Run(ctx context.Context) error {
	applied, err := s.migrate(ctx)
	if err != nil {
		return startErr(ctx, err)
	}
	if len(applied) > 0 {
		s.log.Info("migrations applied", "rows", len(applied))
	}
	pagesSub, err := s.sub.Subscribe(ctx, s.cfg.PagesConsumer())
	if err != nil {
		return startErr(ctx, fmt.Errorf("sink: subscribe %s: %w", PagesDurable, err))
	}
	defer pagesSub.Stop()
	obsSub, err := s.sub.Subscribe(ctx, s.cfg.ObservationsConsumer())
	if err != nil {
		return startErr(ctx, fmt.Errorf("sink: subscribe %s: %w", ObservationsDurable, err))
	}
	defer obsSub.Stop()

	pages := &pipe[twin.Page]{
		s: s, table: TableCrawlLog, stream: bus.StreamPages, consumer: PagesDurable, src: pagesSub, batch: s.cfg.PagesBatch,
		decode: twin.DecodePage, insert: s.w.InsertPages, held: s.m.held.WithLabelValues(TableCrawlLog), okMsgs: s.m.messages.WithLabelValues(TableCrawlLog, "ok"),
	}
	obs := &pipe[twin.Observation]{
		s: s, table: TableObservations, stream: bus.StreamObservations, consumer: ObservationsDurable, src: obsSub, batch: s.cfg.Batch,
		decode: decodeObservation, insert: s.w.InsertObservations, held: s.m.held.WithLabelValues(TableObservations), okMsgs: s.m.messages.WithLabelValues(TableObservations, "ok"),
	}
	s.log.Info("sink started")
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { return pages.run(gctx) })
	g.Go(func() error { return obs.run(gctx) })
	err = g.Wait()
	s.log.Info("sink stopped", "err", err)
	return err
}

// migrate runs Writer.Migrate, retrying with back-off while ClickHouse is
// unreachable (a sink started before its database).
func (s *Sink) migrate(ctx context.Context) ([]string, error) {
	delay := s.cfg.Retry.Initial.D()
	for attempt := 1; ; attempt++ {
		applied, err := s.w.Migrate(ctx)
		if err == nil {
			return applied, nil
		}
		if !s.opts.retryable(err) || ctx.Err() != nil {
			return nil, fmt.Errorf("sink: migrate: %w", err)
		}
		s.log.Warn("migrate failed, retrying", "attempt", attempt, "err", err)
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("sink: migrate: %w", err)
		case <-time.After(delay):
		}
		delay = min(2*delay, s.cfg.Retry.Max.D())
	}
}

// startErr is err, or nil if ctx was cancelled (a stop during start-up is
// still a clean stop).
func startErr(ctx context.Context, err error) error {
	if ctx.Err() != nil {
		return nil
	}
	return err
}

// crashError marks an error from the WithAfterInsert hook: stop, settle nothing.
type crashError struct{ err error }

func (e *crashError) Error() string { return "sink: stopped by hook: " + e.err.Error() }
func (e *crashError) Unwrap() error { return e.err }

func isCrash(err error) bool {
	var c *crashError
	return errors.As(err, &c)
}

// pipe is one stream's path: fetch → decode → batch → insert → settle. The
// fetch loop pulls while the batch loop decodes into the open batch and up to
// cfg.Inserts flush loops write earlier ones; a full batch waits for a flush
// loop (back-pressure), so at most Inserts+1 batches are held at once.
type pipe[T any] struct {
	s        *Sink
	table    string
	stream   string
	consumer string
	src      Source
	batch    BatchConfig
	decode   func([]byte) (T, error)
	insert   func(context.Context, []T) error

	crashed atomic.Bool // set by a crash hook: settle nothing more

	held   prometheus.Gauge   // this table's child of metrics.held
	okMsgs prometheus.Counter // this table's child of metrics.messages{outcome="ok"}
}

type batch[T any] struct {
	msgs    []*bus.Msg
	rows    []T
	bytes   int
	opened  time.Time // when the first message arrived
	touched time.Time // last "in progress" signal to JetStream
}

func (b *batch[T]) len() int { return len(b.msgs) }

func (p *pipe[T]) newBatch() *batch[T] {
	n := fetchSize(p.s.cfg, p.batch) // grows by appending if the stream is busy
	return &batch[T]{msgs: make([]*bus.Msg, 0, n), rows: make([]T, 0, n)}
}

func (p *pipe[T]) run(ctx context.Context) error {
	full := make(chan *batch[T])
	stopped := make(chan struct{}) // closed when a flush loop stops for good (crash hook)
	var (
		wg   sync.WaitGroup
		once sync.Once
		errs = make([]error, p.s.cfg.Inserts)
	)
	for i := range errs {
		wg.Go(func() {
			if errs[i] = p.flushLoop(ctx, full); errs[i] != nil {
				once.Do(func() { close(stopped) })
			}
		})
	}
	fetched := make(chan []*bus.Msg, 1)
	quit := make(chan struct{}) // closed when the batch loop is gone
	var fetchErr error
	fetchDone := make(chan struct{})
	go func() {
		defer close(fetchDone)
		fetchErr = p.fetchLoop(ctx, fetched, quit)
	}()
	p.batchLoop(ctx, fetched, full, stopped)
	close(quit)
	<-fetchDone
	close(full)
	wg.Wait()
	return errors.Join(append(errs, fetchErr)...)
}

// fetchLoop pulls messages and passes them on until ctx is cancelled or
// fetching fails for good; then it closes fetched. It drops what it holds
// (unsettled, as a crashed process would) if quit is closed first.
func (p *pipe[T]) fetchLoop(ctx context.Context, fetched chan<- []*bus.Msg, quit <-chan struct{}) error {
	defer close(fetched)
	cfg := p.s.cfg
	delay := cfg.Retry.Initial.D()
	for ctx.Err() == nil {
		// Take what is there at once; if nothing is, wait for one message.
		// (No long pull for a big batch: a pull request that expires while
		// the server is still delivering strands the rest of its batch
		// until ack_wait.)
		msgs, err := p.src.Fetch(ctx, fetchSize(cfg, p.batch), 0)
		if err == nil && len(msgs) == 0 {
			msgs, err = p.src.Fetch(ctx, 1, cfg.FetchWait.D())
		}
		if len(msgs) > 0 {
			select {
			case fetched <- msgs:
			case <-quit:
				return nil
			}
		}
		if err == nil || ctx.Err() != nil {
			delay = cfg.Retry.Initial.D()
			continue
		}
		if permanent(err) {
			p.s.log.Error("fetch failed for good, stopping", "stream", p.stream, "consumer", p.consumer, "err", err)
			return fmt.Errorf("sink: fetch %s: %w", p.consumer, err)
		}
		p.s.log.Warn("fetch failed, retrying", "stream", p.stream, "consumer", p.consumer, "err", err)
		select {
		case <-ctx.Done():
		case <-quit:
			return nil
		case <-time.After(delay):
		}
		delay = min(2*delay, cfg.Retry.Max.D())
	}
	return nil
}

// batchLoop decodes fetched messages into batches and hands them to the
// flush loops: a full batch (batch.count or batch.bytes) waits for a flush
// loop; a batch due (batch.period after its first message) goes to the first
// flush loop that is free, and keeps filling up to full while all are busy,
// so that inserts grow under load. When fetched is closed (soft stop) it
// hands over what it holds and returns; when stopped is closed (crash) it
// returns at once.
func (p *pipe[T]) batchLoop(ctx context.Context, fetched <-chan []*bus.Msg, full chan<- *batch[T], stopped <-chan struct{}) {
	b := p.newBatch()
	timer := time.NewTimer(time.Hour)
	timer.Stop()
	defer timer.Stop()
	touch := time.NewTicker(p.touchEvery())
	defer touch.Stop()
	due := false
	for {
		var out chan<- *batch[T]
		if due {
			out = full
		}
		select {
		case out <- b:
			b, due = p.newBatch(), false
		case <-timer.C:
			due = b.len() > 0
		case <-touch.C:
			if b.len() > 0 && time.Since(b.touched) >= p.touchEvery() {
				p.touch(b)
			}
		case <-stopped:
			return
		case msgs, ok := <-fetched:
			if !ok {
				if b.len() > 0 {
					p.handOver(full, stopped, b)
				}
				return
			}
			for len(msgs) > 0 {
				n := min(len(msgs), p.batch.Count-b.len())
				if b.len() == 0 {
					timer.Reset(p.batch.Period.D())
				}
				p.add(ctx, b, msgs[:n])
				msgs = msgs[n:]
				if b.len() >= p.batch.Count || b.bytes >= p.batch.Bytes {
					timer.Stop()
					if !p.handOver(full, stopped, b) {
						return
					}
					b, due = p.newBatch(), false
				}
			}
		}
	}
}

// handOver passes b to a flush loop, keeping its messages alive while it
// waits. It reports false if the flush loops have stopped.
func (p *pipe[T]) handOver(full chan<- *batch[T], stopped <-chan struct{}, b *batch[T]) bool {
	tick := time.NewTicker(p.touchEvery())
	defer tick.Stop()
	for {
		select {
		case full <- b:
			return true
		case <-stopped:
			return false
		case <-tick.C:
			p.touch(b)
		}
	}
}

// add decodes msgs into b. A message that does not decode is settled as
// invalid at once (dead-lettered with the reason) and is not part of b.
func (p *pipe[T]) add(ctx context.Context, b *batch[T], msgs []*bus.Msg) {
	if len(msgs) == 0 {
		return
	}
	rows, errs := p.decodeAll(msgs)
	for i, m := range msgs {
		if errs[i] != nil {
			p.settle(ctx, m, fmt.Errorf("sink: decode %s message %s: %w", p.stream, m.MsgID, errs[i]))
			continue
		}
		if b.len() == 0 {
			b.opened, b.touched = time.Now(), time.Now()
		}
		b.msgs = append(b.msgs, m)
		b.rows = append(b.rows, rows[i])
		b.bytes += len(m.Data)
	}
	p.held.Add(float64(len(msgs)))
}

// decodeAll decodes msgs, spreading big fetches over the available CPUs.
func (p *pipe[T]) decodeAll(msgs []*bus.Msg) ([]T, []error) {
	rows := make([]T, len(msgs))
	errs := make([]error, len(msgs))
	dec := func(lo, hi int) {
		for i := lo; i < hi; i++ {
			rows[i], errs[i] = p.decode(msgs[i].Data)
		}
	}
	workers := min(runtime.GOMAXPROCS(0), len(msgs)/256)
	if workers <= 1 {
		dec(0, len(msgs))
		return rows, errs
	}
	var wg sync.WaitGroup
	chunk := (len(msgs) + workers - 1) / workers
	for lo := 0; lo < len(msgs); lo += chunk {
		wg.Go(func() { dec(lo, min(lo+chunk, len(msgs))) })
	}
	wg.Wait()
	return rows, errs
}

// flushLoop writes the batches it is handed. After ctx is cancelled it goes
// on (the soft stop flushes what was fetched) for at most DrainTimeout.
func (p *pipe[T]) flushLoop(ctx context.Context, full <-chan *batch[T]) error {
	wctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	defer cancel()
	stop := context.AfterFunc(ctx, func() { time.AfterFunc(p.s.cfg.DrainTimeout.D(), cancel) })
	defer stop()
	for b := range full {
		if p.crashed.Load() {
			return nil
		}
		if err := p.flush(wctx, b); err != nil {
			return err // only a crash hook gets here
		}
	}
	return nil
}

// Per-message results of a flush.
const (
	pending   uint8 = iota // not written (yet)
	committed              // in ClickHouse
	rejected               // refused: reasons[i] says why
)

// split is the state of a flush that failed for some rows.
type split struct {
	state     []uint8
	reasons   []error
	committed int
	leaves    int  // single rows refused by bisection
	gaveUp    bool // too many refused and none committed: not the rows' fault
}

// flush writes b and settles every message of it. It returns an error only
// for a crash hook.
func (p *pipe[T]) flush(ctx context.Context, b *batch[T]) error {
	err := p.write(ctx, b, b.rows)
	switch {
	case err == nil:
		p.s.m.batches.WithLabelValues(p.table, "ok").Inc()
		p.ackAll(ctx, b)
		return nil
	case isCrash(err):
		return err
	case ctx.Err() != nil:
		p.abandon(ctx, b, err)
		return nil
	}
	// A non-retryable error: find the rows that cannot go in.
	st := &split{state: make([]uint8, b.len()), reasons: make([]error, b.len())}
	idx := make([]int, b.len())
	for i := range idx {
		idx[i] = i
	}
	if err := p.resolve(ctx, b, idx, err, st); err != nil {
		return err // crash
	}
	if err := p.confirm(ctx, b, st); err != nil {
		return err // crash
	}
	// Rows bisection blamed are dead-lettered only if others went in: if
	// nothing went in, the cause may as well be the table (missing, broken
	// schema) as the rows, so they are nak'ed and the bus dead-letters each
	// at its last delivery. Rows chstore itself called invalid always go.
	var dead, retry int
	for i, m := range b.msgs {
		reason := st.reasons[i]
		switch {
		case st.state[i] == committed:
			p.settle(ctx, m, nil)
		case st.state[i] == rejected && (errors.Is(reason, twin.ErrInvalid) || st.committed > 0):
			dead++
			if !errors.Is(reason, twin.ErrInvalid) {
				reason = fmt.Errorf("%w: %w", reason, twin.ErrInvalid)
			}
			p.settle(ctx, m, fmt.Errorf("sink: clickhouse refused %s message %s: %w", p.stream, m.MsgID, reason))
		default:
			retry++
			if reason == nil {
				reason = err
			}
			p.settle(ctx, m, fmt.Errorf("sink: insert %s message %s: %w", p.stream, m.MsgID, reason))
		}
	}
	switch {
	case retry > 0:
		p.s.log.Error("batch refused, returned to the stream", "stream", p.stream, "rows", retry, "err", err)
		p.s.m.batches.WithLabelValues(p.table, "error").Inc()
	case dead > 0:
		p.s.m.batches.WithLabelValues(p.table, "dead_letter").Inc()
	}
	return nil
}

// abandon settles every message of b as not written because the sink is
// stopping (its drain_timeout ran out with ClickHouse still failing): the bus
// hands it back for redelivery at once, without counting it against the
// message (context.Canceled is never dead-lettered).
func (p *pipe[T]) abandon(ctx context.Context, b *batch[T], err error) {
	p.s.m.batches.WithLabelValues(p.table, "error").Inc()
	p.s.log.Warn("batch not written before shutdown, returned to the stream", "stream", p.stream, "rows", b.len(), "err", err)
	for _, m := range b.msgs {
		p.settle(ctx, m, fmt.Errorf("sink: stopped before %s message %s was written: %w (last error: %v)", p.stream, m.MsgID, context.Canceled, err))
	}
}

// permanent reports a fetch error that retrying will not cure.
func permanent(err error) bool {
	return errors.Is(err, bus.ErrStopped) || errors.Is(err, nats.ErrConnectionClosed) ||
		errors.Is(err, jetstream.ErrConsumerDeleted) || errors.Is(err, jetstream.ErrConsumerNotFound) ||
		errors.Is(err, jetstream.ErrStreamNotFound)
}

// resolve finds out which of the rows b.rows[idx] (which failed together
// with err) ClickHouse refuses, and commits the others. A *chstore.InvalidError
// names the refused rows; any other error is bisected: each half is inserted
// again, down to single rows. It returns an error only for a crash hook.
func (p *pipe[T]) resolve(ctx context.Context, b *batch[T], idx []int, err error, st *split) error {
	var inv *chstore.InvalidError
	if errors.As(err, &inv) && len(inv.Rows) == len(inv.Errs) && len(inv.Rows) > 0 {
		refused := make(map[int]bool, len(inv.Rows))
		for k, r := range inv.Rows {
			if r < 0 || r >= len(idx) {
				refused = nil // not ours to trust: bisect instead
				break
			}
			refused[r] = true
			st.state[idx[r]], st.reasons[idx[r]] = rejected, inv.Errs[k]
		}
		if refused != nil {
			rest := make([]int, 0, len(idx)-len(refused))
			for k, i := range idx {
				if !refused[k] {
					rest = append(rest, i)
				}
			}
			return p.try(ctx, b, rest, st)
		}
	}
	if len(idx) == 1 {
		st.state[idx[0]], st.reasons[idx[0]] = rejected, err
		st.leaves++
		if st.leaves >= 8 && st.committed == 0 {
			st.gaveUp = true
		}
		return nil
	}
	mid := len(idx) / 2
	if err := p.try(ctx, b, idx[:mid], st); err != nil {
		return err
	}
	return p.try(ctx, b, idx[mid:], st)
}

// confirm gives every row that bisection blamed, when others went in, one
// more insert on its own: a failure of the table that healed while the batch
// was being bisected must not dead-letter good rows.
func (p *pipe[T]) confirm(ctx context.Context, b *batch[T], st *split) error {
	if st.committed == 0 || st.leaves == 0 {
		return nil
	}
	for i, s := range st.state {
		if s != rejected || errors.Is(st.reasons[i], twin.ErrInvalid) || ctx.Err() != nil {
			continue
		}
		err := p.write(ctx, b, b.rows[i:i+1])
		switch {
		case err == nil:
			st.state[i], st.reasons[i] = committed, nil
			st.committed++
			st.leaves--
		case isCrash(err):
			return err
		case ctx.Err() == nil:
			st.reasons[i] = err
		}
	}
	return nil
}

// try inserts b.rows[idx] and records the result in st.
func (p *pipe[T]) try(ctx context.Context, b *batch[T], idx []int, st *split) error {
	if len(idx) == 0 || st.gaveUp || ctx.Err() != nil {
		return nil
	}
	rows := make([]T, len(idx))
	for k, i := range idx {
		rows[k] = b.rows[i]
	}
	err := p.write(ctx, b, rows)
	switch {
	case err == nil:
		for _, i := range idx {
			st.state[i] = committed
		}
		st.committed += len(idx)
		return nil
	case isCrash(err):
		return err
	case ctx.Err() != nil:
		return nil
	}
	return p.resolve(ctx, b, idx, err, st)
}

// write inserts rows (all or some of b's), retrying retryable errors with
// back-off until it succeeds, fails for good or ctx ends. While it waits it
// keeps b's messages from being redelivered.
func (p *pipe[T]) write(ctx context.Context, b *batch[T], rows []T) error {
	cfg := p.s.cfg
	delay := cfg.Retry.Initial.D()
	for attempt := 1; ; attempt++ {
		start := time.Now()
		err := p.insert(ctx, rows)
		p.s.m.flushDuration.WithLabelValues(p.table).Observe(time.Since(start).Seconds())
		if err == nil {
			p.s.m.rows.WithLabelValues(p.table).Add(float64(len(rows)))
			p.s.log.Debug("batch committed", "stream", p.stream, "rows", len(rows), "duration", time.Since(start))
			if h := p.s.opts.afterInsert; h != nil {
				if err := h(ctx, p.table, len(rows)); err != nil {
					p.crashed.Store(true)
					return &crashError{err}
				}
			}
			if p.crashed.Load() {
				return &crashError{errors.New("another insert of this pipe stopped it")}
			}
			return nil
		}
		if ctx.Err() != nil || !p.s.opts.retryable(err) {
			return err
		}
		p.s.m.batches.WithLabelValues(p.table, "retry").Inc()
		p.s.log.Warn("insert failed, retrying", "stream", p.stream, "rows", len(rows), "attempt", attempt, "err", err)
		if time.Since(b.touched) >= p.touchEvery() {
			p.touch(b)
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		delay = min(2*delay, cfg.Retry.Max.D())
	}
}

func (p *pipe[T]) touchEvery() time.Duration { return p.s.cfg.AckWait.D() / 3 }

// touch tells JetStream that b's messages are still being worked on.
func (p *pipe[T]) touch(b *batch[T]) {
	for _, m := range b.msgs {
		if err := m.InProgress(); err != nil {
			p.s.log.Debug("in-progress signal failed", "stream", p.stream, "msg_id", m.MsgID, "err", err)
		}
	}
	b.touched = time.Now()
}

// ackAll settles every message of a committed batch as done: the hot path,
// with the metrics updated once per batch.
func (p *pipe[T]) ackAll(ctx context.Context, b *batch[T]) {
	ctx = context.WithoutCancel(ctx)
	ok := 0
	for _, m := range b.msgs {
		out := p.src.Settle(ctx, m, nil)
		if out == bus.OutcomeOK {
			ok++
		} else {
			p.s.m.messages.WithLabelValues(p.table, string(out)).Inc()
		}
	}
	p.okMsgs.Add(float64(ok))
	p.held.Sub(float64(len(b.msgs)))
}

// settle settles m through the bus, even during the soft stop (ctx is
// detached from cancellation; the bus bounds its own calls).
func (p *pipe[T]) settle(ctx context.Context, m *bus.Msg, err error) {
	out := p.src.Settle(context.WithoutCancel(ctx), m, err)
	p.held.Dec()
	p.s.m.messages.WithLabelValues(p.table, string(out)).Inc()
	if err != nil {
		p.s.log.Debug("message not written", "stream", p.stream, "msg_id", m.MsgID, "err", err)
	}
}
