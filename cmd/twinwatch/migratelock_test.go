package main

import (
	"context"
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"

	"github.com/twinwatch/twinwatch/internal/bus/bustest"
	"github.com/twinwatch/twinwatch/internal/chstore"
	"github.com/twinwatch/twinwatch/internal/chstore/chtest"
)

// TestLockedMigrationsIntegration starts three "replicas" migrating one fresh
// database at once: exactly one applies the migrations, the others wait for
// the lock and find nothing pending, and each migration is recorded once.
func TestLockedMigrationsIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("integration")
	}
	b := bustest.Start(t)
	cfg := chtest.NewDatabase(t)
	applied := make([][]string, 3)
	var g errgroup.Group
	for i := range applied {
		st, err := chstore.Open(t.Context(), cfg, nil)
		require.NoError(t, err)
		t.Cleanup(func() { _ = st.Close() })
		l, err := newLockedMigrations(t.Context(), b, st)
		require.NoError(t, err)
		g.Go(func() (err error) {
			applied[i], err = l.Migrate(t.Context())
			return err
		})
	}
	require.NoError(t, g.Wait())
	var nonEmpty, total int
	for _, a := range applied {
		if len(a) > 0 {
			nonEmpty++
			total = len(a)
		}
	}
	require.Equal(t, 1, nonEmpty, "one replica applies, the others find nothing pending: %v", applied)

	st, err := chstore.Open(context.Background(), cfg, nil)
	require.NoError(t, err)
	defer st.Close()
	var rows uint64
	require.NoError(t, st.Conn().QueryRow(t.Context(), fmt.Sprintf("SELECT count() FROM %s.schema_migrations", cfg.Database)).Scan(&rows))
	require.Equal(t, uint64(total), rows)
}
