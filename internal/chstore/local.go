package chstore

import (
	"bytes"
	"context"
	"embed"
	"encoding/xml"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"text/template"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
)

//go:embed local/*.xml
var localFS embed.FS

// Local is a private clickhouse-server on a free 127.0.0.1 port, with its
// config, data and logs under one directory (the layout of
// scripts/clickhouse.sh: config.xml, users.xml, data/, log/, server.out,
// server.pid, addr). Its methods are safe for concurrent use.
type Local struct {
	addr   string
	dir    string
	logger *slog.Logger

	cmd      *exec.Cmd     // nil when attached to a server someone else started
	exited   chan struct{} // closed when cmd has exited
	waitErr  error         // cmd.Wait's result, set before exited is closed
	stopOnce sync.Once
	stopErr  error
}

// Addr returns the server's native-protocol address, "127.0.0.1:PORT".
func (l *Local) Addr() string { return l.addr }

// Dir returns the server's absolute data directory.
func (l *Local) Dir() string { return l.dir }

// startAttempts bounds retries when the free port was taken between our
// probe and the server's bind.
const startAttempts = 3

// StartLocal starts a private clickhouse-server (binary: a name looked up on
// PATH, then in /usr/sbin, or a path) on a free 127.0.0.1 port with its
// config, data and logs under dataDir, and blocks until it answers a ping or
// ctx ends. If a server started by an earlier StartLocal or by
// scripts/clickhouse.sh is still running in dataDir and answers, it is reused
// and Stop leaves it running. A missing binary gives an error wrapping
// ErrNotInstalled. The server is in its own process group, so a terminal's
// Ctrl-C reaches only its owner, which must call Stop.
func StartLocal(ctx context.Context, binary, dataDir string, logger *slog.Logger) (*Local, error) {
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	dir, err := filepath.Abs(dataDir)
	if err != nil {
		return nil, fmt.Errorf("chstore: local data dir %s: %w", dataDir, err)
	}
	if l := reuseLocal(ctx, dir, logger); l != nil {
		return l, nil
	}
	bin, err := findBinary(binary)
	if err != nil {
		return nil, err
	}
	for _, sub := range []string{"data", "tmp", "user_files", "format_schemas", "log"} {
		if err := os.MkdirAll(filepath.Join(dir, sub), 0o755); err != nil {
			return nil, fmt.Errorf("chstore: local data dir: %w", err)
		}
	}
	var errs []error
	for attempt := 1; attempt <= startAttempts; attempt++ {
		l, err := startOnce(ctx, bin, dir, logger)
		if err == nil {
			return l, nil
		}
		errs = append(errs, err)
		if ctx.Err() != nil {
			break
		}
		logger.Warn("clickhouse start failed", "attempt", attempt, "err", err)
	}
	return nil, errors.Join(errs...)
}

// findBinary resolves the server executable or returns ErrNotInstalled.
func findBinary(binary string) (string, error) {
	if strings.ContainsRune(binary, os.PathSeparator) {
		if st, err := os.Stat(binary); err != nil || st.IsDir() {
			return "", fmt.Errorf("%w (clickhouse.local.binary %s)", ErrNotInstalled, binary)
		}
		return binary, nil
	}
	if p, err := exec.LookPath(binary); err == nil {
		return p, nil
	}
	p := filepath.Join("/usr/sbin", binary) // Debian's place, often not on a user's PATH
	if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
		return p, nil
	}
	return "", fmt.Errorf("%w (looked for %q)", ErrNotInstalled, binary)
}

// reuseLocal returns the server already running in dir, or nil.
func reuseLocal(ctx context.Context, dir string, logger *slog.Logger) *Local {
	pidText, err1 := os.ReadFile(filepath.Join(dir, "server.pid"))
	addrText, err2 := os.ReadFile(filepath.Join(dir, "addr"))
	if err1 != nil || err2 != nil {
		return nil
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(pidText)))
	if err != nil || pid <= 0 || syscall.Kill(pid, 0) != nil {
		return nil
	}
	addr := strings.TrimSpace(string(addrText))
	if ping(ctx, addr) != nil {
		return nil
	}
	logger.Info("clickhouse reused", "addr", addr, "pid", pid, "dir", dir)
	return &Local{addr: addr, dir: dir, logger: logger}
}

func startOnce(ctx context.Context, bin, dir string, logger *slog.Logger) (*Local, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	if err := writeLocalConfig(dir, port); err != nil {
		return nil, err
	}
	out, err := os.Create(filepath.Join(dir, "server.out"))
	if err != nil {
		return nil, fmt.Errorf("chstore: local server.out: %w", err)
	}
	_ = os.Remove(filepath.Join(dir, "addr"))
	begin := time.Now()
	cmd := exec.Command(bin, "--config-file="+filepath.Join(dir, "config.xml"))
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		_ = out.Close()
		return nil, fmt.Errorf("chstore: start %s: %w", bin, err)
	}
	l := &Local{addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), dir: dir, logger: logger, cmd: cmd, exited: make(chan struct{})}
	go func() {
		l.waitErr = cmd.Wait()
		_ = out.Close()
		close(l.exited)
	}()
	if err := os.WriteFile(filepath.Join(dir, "server.pid"), []byte(strconv.Itoa(cmd.Process.Pid)+"\n"), 0o644); err != nil {
		_ = l.kill()
		return nil, fmt.Errorf("chstore: local server.pid: %w", err)
	}
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if ping(ctx, l.addr) == nil {
			break
		}
		select {
		case <-l.exited:
			return nil, fmt.Errorf("chstore: clickhouse-server exited during start-up (%v); see %s and %s:\n%s",
				l.waitErr, filepath.Join(dir, "server.out"), filepath.Join(dir, "log"), l.logTail())
		case <-ctx.Done():
			_ = l.kill()
			return nil, fmt.Errorf("chstore: clickhouse-server on %s not ready: %w", l.addr, ctx.Err())
		case <-tick.C:
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "addr"), []byte(l.addr+"\n"), 0o644); err != nil {
		_ = l.kill()
		return nil, fmt.Errorf("chstore: local addr file: %w", err)
	}
	logger.Info("clickhouse started", "addr", l.addr, "pid", cmd.Process.Pid, "dir", dir, "duration", time.Since(begin))
	return l, nil
}

// ping opens a throw-away connection to addr and pings it. A bare TCP probe
// would make the server log "Client has not sent any data".
func ping(ctx context.Context, addr string) error {
	conn, err := clickhouse.Open(&clickhouse.Options{Addr: []string{addr}, DialTimeout: time.Second})
	if err != nil {
		return err
	}
	defer conn.Close()
	ctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	return conn.Ping(ctx)
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("chstore: find a free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// writeLocalConfig renders local/*.xml into dir.
func writeLocalConfig(dir string, port int) error {
	var esc bytes.Buffer
	_ = xml.EscapeText(&esc, []byte(dir))
	data := struct {
		Dir  string
		Port int
	}{esc.String(), port}
	for _, name := range []string{"config.xml", "users.xml", "metrika.xml"} {
		tmpl, err := template.ParseFS(localFS, "local/"+name)
		if err != nil {
			return fmt.Errorf("chstore: local %s: %w", name, err)
		}
		var b bytes.Buffer
		if err := tmpl.Execute(&b, data); err != nil {
			return fmt.Errorf("chstore: local %s: %w", name, err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b.Bytes(), 0o644); err != nil {
			return fmt.Errorf("chstore: local %s: %w", name, err)
		}
	}
	return nil
}

// logTail returns the last lines of the server's output and error log.
func (l *Local) logTail() string {
	var b strings.Builder
	for _, f := range []string{"server.out", "log/clickhouse-server.err.log"} {
		data, _ := os.ReadFile(filepath.Join(l.dir, f))
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		b.WriteString(strings.Join(lines[max(0, len(lines)-10):], "\n"))
		b.WriteByte('\n')
	}
	return b.String()
}

func (l *Local) kill() error {
	_ = l.cmd.Process.Signal(syscall.SIGKILL)
	<-l.exited
	return nil
}

// Stop sends SIGTERM to a server this Local started and waits for it to
// exit; when ctx ends first it sends SIGKILL and waits for that. It removes
// the addr and server.pid files and keeps the data. A reused server (started
// by someone else) is left running. Stop is idempotent and blocks.
func (l *Local) Stop(ctx context.Context) error {
	if l.cmd == nil {
		return nil
	}
	l.stopOnce.Do(func() {
		begin := time.Now()
		if err := l.cmd.Process.Signal(syscall.SIGTERM); err != nil && !errors.Is(err, os.ErrProcessDone) {
			l.stopErr = fmt.Errorf("chstore: stop clickhouse-server %d: %w", l.cmd.Process.Pid, err)
		}
		select {
		case <-l.exited:
		case <-ctx.Done():
			l.logger.Warn("clickhouse did not stop in time, killing", "pid", l.cmd.Process.Pid)
			_ = l.kill()
		}
		_ = os.Remove(filepath.Join(l.dir, "addr"))
		_ = os.Remove(filepath.Join(l.dir, "server.pid"))
		l.logger.Info("clickhouse stopped", "addr", l.addr, "duration", time.Since(begin))
	})
	return l.stopErr
}
