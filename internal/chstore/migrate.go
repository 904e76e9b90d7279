package chstore

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// ErrMigrationChanged is returned by Migrate when an applied migration's
// embedded text no longer matches the checksum recorded when it ran:
// migrations are never edited once merged; add a new one instead.
var ErrMigrationChanged = errors.New("chstore: applied migration was edited")

// Migrate applies the embedded migrations (sql/migrations/NNNN_name.sql) not
// yet recorded in schema_migrations, in order, recording each after all its
// statements succeeded, and returns the names it applied ("0001_pages").
// It is idempotent: a second call applies nothing. Every statement is itself
// idempotent (IF NOT EXISTS), so a migration interrupted half-way is simply
// run again. Concurrent callers do no harm but should be serialised by the
// caller (the sink holds a lock). It blocks for the DDL.
func (s *Store) Migrate(ctx context.Context) (applied []string, err error) {
	all, err := migrations()
	if err != nil {
		return nil, err
	}
	if err := s.exec(ctx, mustSQL("schema_migrations.sql")); err != nil {
		return nil, fmt.Errorf("chstore: create schema_migrations: %w", err)
	}
	done, err := s.appliedMigrations(ctx)
	if err != nil {
		return nil, err
	}
	for _, m := range all {
		if sum, ok := done[m.version]; ok {
			if sum != m.checksum {
				return applied, fmt.Errorf("chstore: migration %s: recorded checksum %s, embedded %s: %w", m.name, sum, m.checksum, ErrMigrationChanged)
			}
			continue
		}
		for i, stmt := range m.statements {
			if err := s.exec(ctx, stmt); err != nil {
				return applied, fmt.Errorf("chstore: migration %s statement %d: %w", m.name, i+1, err)
			}
		}
		if err := s.recordMigration(ctx, m); err != nil {
			return applied, err
		}
		s.logger.Info("migration applied", "migration", m.name, "statements", len(m.statements))
		applied = append(applied, m.name)
	}
	return applied, nil
}

func (s *Store) exec(ctx context.Context, stmt string) error {
	ctx, cancel := s.queryCtx(ctx)
	defer cancel()
	return s.conn.Exec(ctx, stmt)
}

// appliedMigrations returns version -> checksum of the recorded migrations.
func (s *Store) appliedMigrations(ctx context.Context) (map[uint32]string, error) {
	ctx, cancel := s.queryCtx(ctx)
	defer cancel()
	rows, err := s.conn.Query(ctx, mustSQL("queries/applied_migrations.sql"))
	if err != nil {
		return nil, fmt.Errorf("chstore: read schema_migrations: %w", err)
	}
	defer rows.Close()
	done := map[uint32]string{}
	for rows.Next() {
		var v uint32
		var sum string
		if err := rows.Scan(&v, &sum); err != nil {
			return nil, fmt.Errorf("chstore: read schema_migrations: %w", err)
		}
		done[v] = sum
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("chstore: read schema_migrations: %w", err)
	}
	return done, nil
}

func (s *Store) recordMigration(ctx context.Context, m migration) error {
	ctx, cancel := s.queryCtx(ctx)
	defer cancel()
	b, err := s.conn.PrepareBatch(ctx, mustSQL("insert_schema_migrations.sql"))
	if err != nil {
		return fmt.Errorf("chstore: record migration %s: %w", m.name, err)
	}
	defer func() { _ = b.Abort() }()
	if err := b.Append(m.version, m.name, m.checksum, time.Now().UTC()); err != nil {
		return fmt.Errorf("chstore: record migration %s: %w", m.name, err)
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("chstore: record migration %s: %w", m.name, err)
	}
	return nil
}
