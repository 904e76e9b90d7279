package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/twinwatch/twinwatch/internal/bus"
	"github.com/twinwatch/twinwatch/internal/chstore"
)

// migrationLockBucket holds the lock that sink replicas take around schema
// migrations; its key TTL bounds how long a crashed holder blocks the others.
var migrationLockBucket = jetstream.KeyValueConfig{
	Bucket:      "twinwatch_migrations",
	Description: "twinwatch: one sink replica at a time applies ClickHouse migrations",
	TTL:         2 * time.Minute,
	Storage:     jetstream.FileStorage,
}

// lockedMigrations is the store whose Migrate first takes a lock in NATS KV,
// so sink replicas that start together apply migrations one at a time; the
// later ones then find nothing pending.
type lockedMigrations struct {
	*chstore.Store
	kv   jetstream.KeyValue
	poll time.Duration
}

func newLockedMigrations(ctx context.Context, b *bus.Bus, st *chstore.Store) (*lockedMigrations, error) {
	kv, err := b.KeyValue(ctx, migrationLockBucket)
	if err != nil {
		return nil, fmt.Errorf("migration lock: %w", err)
	}
	return &lockedMigrations{Store: st, kv: kv, poll: 250 * time.Millisecond}, nil
}

// Migrate waits for the lock (until ctx is done), applies pending migrations
// and releases the lock.
func (l *lockedMigrations) Migrate(ctx context.Context) ([]string, error) {
	const key = "migrate"
	holder, _ := os.Hostname()
	holder = fmt.Sprintf("%s/%d", holder, os.Getpid())
	for {
		_, err := l.kv.Create(ctx, key, []byte(holder))
		if err == nil {
			break
		}
		if !errors.Is(err, jetstream.ErrKeyExists) {
			return nil, fmt.Errorf("migration lock: %w", err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("migration lock: %w", ctx.Err())
		case <-time.After(l.poll):
		}
	}
	defer func() { _ = l.kv.Delete(context.WithoutCancel(ctx), key) }()
	return l.Store.Migrate(ctx)
}
