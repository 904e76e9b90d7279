package chtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/internal/chstore"
	"github.com/twinwatch/twinwatch/internal/chstore/chtest"
)

func TestMain(m *testing.M) { chtest.Run(m) }

func TestNewDatabaseIntegration(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var first chstore.Config
	t.Run("first", func(t *testing.T) {
		first = chtest.NewDatabase(t)
		s, err := chstore.Open(ctx, first, nil)
		require.NoError(t, err)
		defer s.Close()
		require.NoError(t, s.Conn().Exec(ctx, "CREATE TABLE t (x UInt8) ENGINE = MergeTree ORDER BY x"))
	})
	second := chtest.NewDatabase(t)
	require.NotEqual(t, first.Database, second.Database)
	require.Equal(t, first.Addr, second.Addr, "one server per test binary")
	require.Regexp(t, `^test_testnewdatabaseintegration_first_[0-9a-f]{8}$`, first.Database)

	s, err := chstore.Open(ctx, second, nil)
	require.NoError(t, err)
	defer s.Close()
	var n uint64
	require.NoError(t, s.Conn().QueryRow(ctx, "SELECT count() FROM system.databases WHERE name = ?", first.Database).Scan(&n))
	require.Zero(t, n, "the first test's database was dropped when it ended")
}
