package crawler

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"github.com/robfig/cron/v3"
)

// Locker lets exactly one replica fire a scheduled job. It must be safe for
// concurrent use.
type Locker interface {
	// TryLock takes the lock named key for ttl and reports whether this
	// caller got it; a lock already held (by anyone) gives false, nil.
	TryLock(ctx context.Context, key string, ttl time.Duration) (bool, error)
}

// NewKVLocker returns a Locker on a NATS KV bucket (see
// Config.LockBucketConfig): a lock is a key created only if absent; the
// bucket's max age (the lock TTL) removes it.
func NewKVLocker(kv jetstream.KeyValue) Locker { return kvLocker{kv: kv} }

type kvLocker struct{ kv jetstream.KeyValue }

func (l kvLocker) TryLock(ctx context.Context, key string, _ time.Duration) (bool, error) {
	_, err := l.kv.Create(ctx, key, []byte(time.Now().UTC().Format(time.RFC3339Nano)))
	if errors.Is(err, jetstream.ErrKeyExists) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("crawler: lock %s: %w", key, err)
	}
	return true, nil
}

// MemLocker is a Locker for one process (tests, `twinwatch up` without
// replicas). It is safe for concurrent use.
type MemLocker struct {
	mu sync.Mutex
	m  map[string]time.Time
}

// NewMemLocker returns an empty MemLocker.
func NewMemLocker() *MemLocker { return &MemLocker{m: map[string]time.Time{}} }

// TryLock implements Locker.
func (l *MemLocker) TryLock(_ context.Context, key string, ttl time.Duration) (bool, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if exp, ok := l.m[key]; ok && now.Before(exp) {
		return false, nil
	}
	l.m[key] = now.Add(ttl)
	return true, nil
}

// StateBucketConfig is the KV bucket configuration of crawl state, for
// (*bus.Bus).KeyValue; pass the bucket to NewKVState.
func (c Config) StateBucketConfig() jetstream.KeyValueConfig {
	return jetstream.KeyValueConfig{
		Bucket:      c.StateBucket,
		Description: "twinwatch crawl state per canonical URL (ETag, Last-Modified, content hash)",
		Storage:     jetstream.FileStorage,
	}
}

// LockBucketConfig is the KV bucket configuration of schedule locks, for
// (*bus.Bus).KeyValue; pass the bucket to NewKVLocker. Its max age is the
// lock TTL.
func (c Config) LockBucketConfig() jetstream.KeyValueConfig {
	return jetstream.KeyValueConfig{
		Bucket:      c.Schedule.LockBucket,
		Description: "twinwatch crawl schedule locks (one firing per job across replicas)",
		Storage:     jetstream.FileStorage,
		TTL:         c.Schedule.LockTTL.D(),
	}
}

// ScheduledRun is reported by Schedule after each crawl it ran.
type ScheduledRun struct {
	Source string
	Fire   time.Time // the scheduled time, the same on every replica
	Stats  Stats
	Err    error
}

// Schedule runs each source with a schedule on it, until ctx is cancelled
// (then it returns nil once running crawls have stopped). Each firing is
// locked through lock under the key "<source>.<fire time>", so with several
// replicas one of them crawls. Fire times are the same on every replica:
// cron specs are wall-clock aligned and @every periods are aligned to the
// Unix epoch. A source's jitter delays its crawl after the lock is taken. A
// firing missed while the source's previous crawl is still running is
// skipped. With a JetStream frontier the other replicas join runs in
// progress, so they share the work. done, if not nil, is called after each
// crawl (from the source's goroutine).
func (c *Crawler) Schedule(ctx context.Context, lock Locker, done func(ScheduledRun)) error {
	if lock == nil {
		return errors.New("crawler: schedule needs a Locker")
	}
	var wg sync.WaitGroup
	n := 0
	for _, s := range c.cfg.Sources {
		if s.Schedule == "" {
			continue
		}
		sched, err := cronParser.Parse(s.Schedule)
		if err != nil {
			return fmt.Errorf("crawler: schedule of %s: %w", s.Name, err)
		}
		n++
		src := c.sources[s.Name]
		wg.Go(func() { c.scheduleSource(ctx, src, sched, lock, done) })
	}
	c.log.Info("schedule started", "sources", n)
	wg.Wait()
	return nil
}

func (c *Crawler) scheduleSource(ctx context.Context, src Source, sched cron.Schedule, lock Locker, done func(ScheduledRun)) {
	log := c.log.With("source", src.Name)
	poll := time.NewTicker(max(c.cfg.Frontier.Idle.D(), time.Second))
	defer poll.Stop()
	for {
		fire := nextFire(sched, c.opts.now())
		wait := time.NewTimer(time.Until(fire))
		select {
		case <-ctx.Done():
			wait.Stop()
			return
		case <-poll.C:
			wait.Stop()
			// Help with a run another replica started.
			if c.opts.joinable != nil && c.opts.joinable(ctx, c, src.Name) {
				st, err := c.crawl(ctx, src.Name, true)
				if err != nil && !errors.Is(err, errNoRun) && ctx.Err() == nil {
					log.Warn("joined crawl failed", "err", err)
				}
				if err == nil && done != nil {
					done(ScheduledRun{Source: src.Name, Stats: st})
				}
			}
			continue
		case <-wait.C:
		}
		key := src.Name + "." + strconv.FormatInt(fire.Unix(), 10)
		ok, err := lock.TryLock(ctx, key, c.cfg.Schedule.LockTTL.D())
		if err != nil {
			log.Warn("schedule lock failed", "err", err)
			continue
		}
		if !ok {
			log.Debug("scheduled crawl taken by another replica", "fire", fire)
			continue
		}
		if j := src.Jitter.D(); j > 0 {
			if sleepCtx(ctx, time.Duration(rand.Int64N(int64(j)))) != nil {
				return
			}
		}
		log.Info("scheduled crawl", "fire", fire)
		st, err := c.Crawl(ctx, src.Name)
		if err != nil && ctx.Err() == nil {
			log.Error("scheduled crawl failed", "err", err)
		}
		if done != nil && ctx.Err() == nil {
			done(ScheduledRun{Source: src.Name, Fire: fire, Stats: st, Err: err})
		}
	}
}

// nextFire is the schedule's next time after now, aligned so that every
// replica computes the same one.
func nextFire(s cron.Schedule, now time.Time) time.Time {
	if cd, ok := s.(cron.ConstantDelaySchedule); ok {
		d := max(cd.Delay, time.Second)
		return now.Truncate(d).Add(d)
	}
	return s.Next(now)
}
