// Package chrecord records the alerter's decisions in ClickHouse's alert_log
// table (migration 0021_alert_log.sql of internal/chstore): it adapts a
// clickhouse-go connection to alert.Recorder.
//
// It imports alert (for the Record type) and clickhouse-go; nothing imports
// it but cmd. A Recorder is safe for concurrent use.
package chrecord

import (
	"context"
	"fmt"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/twinwatch/twinwatch/alert"
	"github.com/twinwatch/twinwatch/twin"
)

// insert names its columns: ClickHouse 18.16 needs them for batch inserts.
const insert = `INSERT INTO alert_log (agreement_id, kind, n, better_date, new_source, sources, ru_id, cn_id,
relation, status, established, date_precision, evidence, confidence, source, url, seen_at, recorded_at)`

// Recorder writes alert.Records to alert_log, one small batch per record.
type Recorder struct {
	conn    driver.Conn
	timeout time.Duration
}

// New returns a Recorder on conn (e.g. chstore.Store.Conn()), whose database
// must hold the alert_log table (run the migrations first). Each insert is
// bounded by timeout (0: 10s).
func New(conn driver.Conn, timeout time.Duration) *Recorder {
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	return &Recorder{conn: conn, timeout: timeout}
}

// Record inserts r. Recording the same record twice is harmless: the table
// is a ReplacingMergeTree keyed by (agreement_id, kind, n). Errors may be
// retried.
func (r *Recorder) Record(ctx context.Context, rec alert.Record) error {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	b, err := r.conn.PrepareBatch(ctx, insert)
	if err != nil {
		return fmt.Errorf("chrecord: insert %s of %s: %w", rec.Kind, rec.AgreementID, err)
	}
	defer func() { _ = b.Abort() }()
	o := rec.Observation
	seen := o.SeenAt
	if seen.IsZero() || seen.Unix() < 0 || seen.Unix() >= 1<<32 {
		seen = rec.At
	}
	flag := func(v bool) uint8 {
		if v {
			return 1
		}
		return 0
	}
	err = b.Append(rec.AgreementID, rec.Kind, uint32(rec.N), flag(rec.BetterDate), flag(rec.NewSource), uint32(rec.Sources),
		o.Places[0].ID, o.Places[1].ID, string(o.Relation), string(o.Status), o.Established.String(),
		precision(o.Established.Precision()), o.Evidence, o.Confidence, o.Source, o.URL, seen.UTC(), rec.At.UTC())
	if err != nil {
		return fmt.Errorf("chrecord: insert %s of %s: %w", rec.Kind, rec.AgreementID, err)
	}
	if err := b.Send(); err != nil {
		return fmt.Errorf("chrecord: insert %s of %s: %w", rec.Kind, rec.AgreementID, err)
	}
	return nil
}

// precision names p as the date_precision enum does.
func precision(p twin.Precision) string {
	if p == twin.PrecisionNone {
		return "none"
	}
	return p.String()
}
