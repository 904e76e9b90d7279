package main

import (
	"context"
	"crypto/hmac"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/alert"
	"github.com/twinwatch/twinwatch/internal/bus/bustest"
	"github.com/twinwatch/twinwatch/twin"
)

// hookReceiver collects signed webhook notifications.
type hookReceiver struct {
	t  *testing.T
	mu sync.Mutex
	ns []alert.Notification
}

func (h *hookReceiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	if !hmac.Equal([]byte(r.Header.Get(alert.HeaderSignature)), []byte(alert.Sign([]byte("cmd-secret"), body))) {
		h.t.Errorf("bad signature")
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	var n alert.Notification
	require.NoError(h.t, json.Unmarshal(body, &n))
	h.mu.Lock()
	h.ns = append(h.ns, n)
	h.mu.Unlock()
}

func (h *hookReceiver) got() []alert.Notification {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]alert.Notification(nil), h.ns...)
}

// alertConfigFile writes a config with one webhook channel to url, the
// secret coming from the environment, and NATS at natsURL (embedded if "").
func alertConfigFile(t *testing.T, url, natsURL string) string {
	t.Setenv("TW_HOOK_SECRET", "cmd-secret")
	dir := t.TempDir()
	path := filepath.Join(dir, "tw.yaml")
	nats := "  embedded:\n    data_dir: " + dir + "/nats"
	if natsURL != "" {
		nats = "  url: " + natsURL
	}
	cfg := fmt.Sprintf(`data_dir: %[1]s
nats:
%[3]s
alert:
  digest:
    schedule: "off"
  channels:
    - name: hook
      type: webhook
      url: %[2]s
      secret: ${TW_HOOK_SECRET}
`, dir, url, nats)
	require.NoError(t, os.WriteFile(path, []byte(cfg), 0o600))
	return path
}

func TestAlertTestCommand(t *testing.T) {
	rcv := &hookReceiver{t: t}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	path := alertConfigFile(t, srv.URL, "")
	out, _, err := run(t, t.Context(), "-c", path, "alert", "test", "--channel", "hook")
	require.NoError(t, err)
	require.Equal(t, "sample alert sent to hook\n", out)
	require.Len(t, rcv.got(), 1)
	require.Equal(t, alert.KindTest, rcv.got()[0].Kind)

	_, _, err = run(t, t.Context(), "-c", path, "alert", "test", "--channel", "nope")
	require.ErrorContains(t, err, `no channel named "nope"`)
	_, _, err = run(t, t.Context(), "-c", path, "alert", "test")
	require.ErrorContains(t, err, `"channel" not set`)
}

// `twinwatch alert` against an external NATS delivers a new agreement to the
// webhook and stops cleanly on cancellation.
func TestAlertCommandIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: starts nats-server")
	}
	b := bustest.Start(t)
	rcv := &hookReceiver{t: t}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	path := alertConfigFile(t, srv.URL, b.ClientURL())

	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() {
		_, _, err := run(t, ctx, "-c", path, "alert")
		done <- err
	}()
	ru := twin.Place{ID: "gn:1", Country: twin.RU, Kind: twin.City, NameEN: "Khabarovsk", NameRU: "Хабаровск"}
	cn := twin.Place{ID: "gn:2", Country: twin.CN, Kind: twin.City, NameEN: "Fuyuan", NameRU: "Фуюань"}
	o := twin.NewAgreement(ru, cn, twin.Twin, twin.Signed, twin.DayDate(time.Now().AddDate(0, 0, -2)), "https://khv.example/news/1")
	o.Evidence, o.Confidence, o.Source, o.Origin, o.SeenAt = "Signed today.", 0.9, "news", twin.OriginCrawl, time.Now().UTC()
	require.NoError(t, b.PublishObservations(t.Context(), []twin.Observation{o}))
	deadline := time.Now().Add(2 * time.Minute)
	for len(rcv.got()) == 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	cancel()
	require.NoError(t, <-done)
	got := rcv.got()
	require.Len(t, got, 1)
	require.Equal(t, alert.KindAlert, got[0].Kind)
	require.Equal(t, o.ID, got[0].Agreement.ID)
}

func TestAlertDigestCommandIntegration(t *testing.T) {
	if testing.Short() {
		t.Skip("integration test: starts nats-server")
	}
	rcv := &hookReceiver{t: t}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	path := alertConfigFile(t, srv.URL, "")
	out, _, err := run(t, t.Context(), "-c", path, "alert", "digest")
	require.NoError(t, err)
	require.Equal(t, "digest queued\n", out)
}
