package bus_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/config/spec"
	"github.com/twinwatch/twinwatch/internal/bus"
	"github.com/twinwatch/twinwatch/internal/bus/bustest"
	"github.com/twinwatch/twinwatch/twin"
)

// TestDeployClusterConfIntegration starts three servers from
// deploy/nats/nats-cluster.conf (ports and directories moved to the test's)
// and runs the bus on them with R3 streams, as documented in that file.
func TestDeployClusterConfIntegration(t *testing.T) {
	skipShort(t)
	t.Setenv("NATS_SERVER_NAME", "set-by-test")
	t.Setenv("TWINWATCH_NATS_PASSWORD", "tw-secret")
	t.Setenv("NATS_SYS_PASSWORD", "sys-secret")
	conf := filepath.Join("..", "..", "deploy", "nats", "nats-cluster.conf")
	urls := bustest.StartCluster(t, 3, bustest.WithConfigFile(conf))

	cfg := bus.DefaultConfig()
	cfg.URL, cfg.User, cfg.Password = urls, "twinwatch", "tw-secret"
	cfg.ConnectTimeout = spec.Duration(30 * time.Second)
	for _, l := range []*bus.StreamLimits{&cfg.Streams.Pages, &cfg.Streams.Observations, &cfg.Streams.Alerts, &cfg.Streams.DeadLetter} {
		l.Replicas = 3
	}
	require.NoError(t, cfg.Validate())
	b := open(t, cfg, nil)
	defer closeBus(t, b)
	ctx := testCtx(t)

	s, err := b.JetStream().Stream(ctx, bus.StreamPages)
	require.NoError(t, err)
	info, err := s.Info(ctx)
	require.NoError(t, err)
	require.Equal(t, 3, info.Config.Replicas)
	require.Equal(t, "twinwatch", info.Cluster.Name, "the cluster name comes from the file")
	require.Len(t, info.Cluster.Replicas, 2)

	// A page near the configured max_payload goes through.
	page := twin.Page{V: twin.Version, Source: "big", URL: "https://example.ru/big", FetchedAt: time.Now().UTC(),
		Body: strings.Repeat("a", 4<<20)}
	page.ContentHash = twin.ContentHash([]byte(page.Body))
	require.NoError(t, b.PublishPage(ctx, page))
	got := 0
	require.NoError(t, consumeN(ctx, b, bus.ConsumerSpec{Stream: bus.StreamPages, Durable: "r3-pages"}, 1, func(m *bus.Msg) {
		p, err := twin.DecodePage(m.Data)
		require.NoError(t, err)
		got = len(p.Body)
	}))
	require.Equal(t, 4<<20, got)
}
