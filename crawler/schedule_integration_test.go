package crawler

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/config/spec"
)

func TestScheduleFiresOnceAcrossReplicasIntegration(t *testing.T) {
	url := startNATS(t)
	s := newSite(t, map[string]http.HandlerFunc{"/p": article("p")})
	cfg := testConfig(Source{Name: "tick", Kind: KindPage, URLs: []string{s.url("/p")}, Schedule: "@every 1s"})
	cfg.Schedule.LockTTL = spec.Duration(30 * time.Second)

	var mu sync.Mutex
	fires := map[int64]int{}
	ctx, cancel := context.WithCancel(t.Context())
	var wg sync.WaitGroup
	for range 2 {
		_, js := connect(t, url)
		kv, err := js.CreateOrUpdateKeyValue(t.Context(), cfg.LockBucketConfig())
		require.NoError(t, err)
		c := newTestCrawler(t, cfg, &memPub{}, NewMemState())
		wg.Go(func() {
			require.NoError(t, c.Schedule(ctx, NewKVLocker(kv), func(r ScheduledRun) {
				require.NoError(t, r.Err)
				mu.Lock()
				fires[r.Fire.Unix()]++
				mu.Unlock()
			}))
		})
	}
	require.Eventually(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(fires) >= 3
	}, time.Minute, 50*time.Millisecond)
	cancel()
	wg.Wait()
	mu.Lock()
	defer mu.Unlock()
	total := 0
	for fire, n := range fires {
		require.Equal(t, 1, n, "fire %d ran on one replica", fire)
		total += n
	}
	require.Equal(t, total, s.hit("/p"))
}

func TestNextFireAligned(t *testing.T) {
	every, err := cronParser.Parse("@every 1h")
	require.NoError(t, err)
	daily, err := cronParser.Parse("30 6 * * *")
	require.NoError(t, err)
	a := time.Date(2026, 11, 24, 10, 5, 0, 0, time.UTC)
	b := a.Add(17 * time.Minute)
	require.Equal(t, nextFire(every, a), nextFire(every, b), "replicas started at different times agree")
	require.Equal(t, time.Date(2026, 11, 24, 11, 0, 0, 0, time.UTC), nextFire(every, a))
	require.Equal(t, time.Date(2026, 11, 25, 6, 30, 0, 0, time.UTC), nextFire(daily, a))
}

func TestMemLocker(t *testing.T) {
	l := NewMemLocker()
	ok, err := l.TryLock(t.Context(), "a.1", time.Hour)
	require.NoError(t, err)
	require.True(t, ok)
	ok, _ = l.TryLock(t.Context(), "a.1", time.Hour)
	require.False(t, ok)
	ok, _ = l.TryLock(t.Context(), "a.2", time.Hour)
	require.True(t, ok)
}
