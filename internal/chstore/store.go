package chstore

import (
	"context"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2"
	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"
)

// Store is twinwatch's ClickHouse database: it migrates the schema, writes
// pages and observations in batches and counts what analysts see. It is safe
// for concurrent use; Close it once when done.
type Store struct {
	conn    driver.Conn
	cfg     Config
	logger  *slog.Logger
	timeout time.Duration
}

// ErrNoAddr is returned by Open when Config.Addr is empty: start a private
// server with StartLocal and put its Addr in the config first.
var ErrNoAddr = errors.New("chstore: no clickhouse address configured (clickhouse.addr is empty)")

// Open connects to cfg.Addr over the native protocol, creates cfg.Database if
// it does not exist, and pings. It blocks until connected or ctx/dial_timeout
// ends. logger may be nil. Errors are wrapped; IsRetryable tells a server
// that is down (retry) from a bad configuration. Close the Store before
// stopping a Local server it talks to.
func Open(ctx context.Context, cfg Config, logger *slog.Logger) (*Store, error) {
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("chstore: invalid config: %w", err)
	}
	if len(cfg.Addr) == 0 {
		return nil, ErrNoAddr
	}
	if logger == nil {
		logger = slog.New(slog.DiscardHandler)
	}
	// Bootstrap on the server's default database: connecting to a database
	// that does not exist yet fails the handshake (code 81).
	boot, err := connect(cfg, "")
	if err != nil {
		return nil, err
	}
	s := &Store{conn: boot, cfg: cfg, logger: logger, timeout: cfg.QueryTimeout.D()}
	qctx, cancel := s.queryCtx(ctx)
	err = boot.Exec(qctx, "CREATE DATABASE IF NOT EXISTS "+quoteIdent(cfg.Database))
	cancel()
	_ = boot.Close()
	if err != nil {
		return nil, fmt.Errorf("chstore: create database %s on %v: %w", cfg.Database, cfg.Addr, err)
	}
	if s.conn, err = connect(cfg, cfg.Database); err != nil {
		return nil, err
	}
	qctx, cancel = s.queryCtx(ctx)
	defer cancel()
	if err := s.conn.Ping(qctx); err != nil {
		_ = s.conn.Close()
		return nil, fmt.Errorf("chstore: ping %v: %w", cfg.Addr, err)
	}
	if v, err := s.conn.ServerVersion(); err == nil {
		logger.Info("clickhouse connected", "addr", cfg.Addr, "database", cfg.Database, "server_version", v.String())
	}
	return s, nil
}

// connect builds a connection pool; it does not dial yet.
func connect(cfg Config, database string) (driver.Conn, error) {
	opts := &clickhouse.Options{
		Protocol:    clickhouse.Native,
		Addr:        cfg.Addr,
		Auth:        clickhouse.Auth{Database: database, Username: cfg.User, Password: cfg.Password.Reveal()},
		DialTimeout: cfg.DialTimeout.D(),
		// No Logger: clickhouse-go warns on every connection that 18.16 is
		// older than its minimum supported version; we log once in Open.
	}
	switch cfg.Compression {
	case CompressionLZ4:
		opts.Compression = &clickhouse.Compression{Method: clickhouse.CompressionLZ4}
	case CompressionZSTD:
		opts.Compression = &clickhouse.Compression{Method: clickhouse.CompressionZSTD}
	}
	if cfg.TLS.Enabled {
		tc := &tls.Config{InsecureSkipVerify: cfg.TLS.InsecureSkipVerify} //nolint:gosec // opt-in for tests
		if cfg.TLS.CAFile != "" {
			pem, err := os.ReadFile(cfg.TLS.CAFile)
			if err != nil {
				return nil, fmt.Errorf("chstore: tls.ca_file: %w", err)
			}
			tc.RootCAs = x509.NewCertPool()
			if !tc.RootCAs.AppendCertsFromPEM(pem) {
				return nil, fmt.Errorf("chstore: tls.ca_file %s holds no PEM certificate", cfg.TLS.CAFile)
			}
		}
		opts.TLS = tc
	}
	conn, err := clickhouse.Open(opts)
	if err != nil {
		return nil, fmt.Errorf("chstore: open %v: %w", cfg.Addr, err)
	}
	return conn, nil
}

// queryCtx bounds ctx by the query timeout unless it already ends sooner.
func (s *Store) queryCtx(ctx context.Context) (context.Context, context.CancelFunc) {
	if d, ok := ctx.Deadline(); ok && time.Until(d) <= s.timeout {
		return ctx, func() {}
	}
	return context.WithTimeout(ctx, s.timeout)
}

// Close closes the connection pool. It does not stop a Local server.
func (s *Store) Close() error {
	if err := s.conn.Close(); err != nil {
		return fmt.Errorf("chstore: close: %w", err)
	}
	return nil
}

// Conn returns the underlying clickhouse-go connection pool, bound to the
// store's database, for tests and analysts' queries. It is owned by the
// Store: do not close it. Remember the 18.16 traps (package doc).
func (s *Store) Conn() driver.Conn { return s.conn }

// Database returns the name of the store's database.
func (s *Store) Database() string { return s.cfg.Database }

// Counts are distinct rows as analysts see them, duplicates not counted.
type Counts struct {
	Pages      uint64 // distinct (url, content_hash) in pages
	Agreements uint64 // distinct agreement_id in agreement_mentions
	Mentions   uint64 // distinct mention_id in agreement_mentions
	Events     uint64 // distinct event_id in events
}

// Counts returns the distinct counts of pages, agreements, mentions and
// events (uniqExact over the IDs, so unmerged duplicates are not counted).
func (s *Store) Counts(ctx context.Context) (Counts, error) {
	ctx, cancel := s.queryCtx(ctx)
	defer cancel()
	var c Counts
	if err := s.conn.QueryRow(ctx, mustSQL("queries/counts.sql")).Scan(&c.Pages, &c.Agreements, &c.Mentions, &c.Events); err != nil {
		return Counts{}, fmt.Errorf("chstore: counts: %w", err)
	}
	return c, nil
}

func checksum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:8])
}
