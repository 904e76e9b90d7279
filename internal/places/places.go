package places

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"time"

	"github.com/ClickHouse/clickhouse-go/v2/lib/driver"

	"github.com/twinwatch/twinwatch/twin"
)

// Place is a gazetteer place with its attributes; its fields are those of
// gazetteer.Record, so `places.Place(rec)` converts one.
type Place struct {
	twin.Place
	Level      string
	RegionID   string
	RegionCode string
	Population int64
	Lat, Lon   float64
	HasCoords  bool
}

// Row is one row of the places table.
type Row struct {
	Place
	Region          string // English name of the first-order division (own name for regions)
	FederalDistrict string // RU only
	Province        string // CN only
}

// Rows derives the table rows: region names from the region places, the
// federal district from the subject's ISO code.
func Rows(ps []Place) []Row {
	byID := make(map[string]int, len(ps))
	for i, p := range ps {
		byID[p.ID] = i
	}
	fd := subjectDistrict()
	out := make([]Row, 0, len(ps))
	for _, p := range ps {
		r := Row{Place: p, Region: p.Region}
		if p.Kind == twin.Region && p.RegionID == p.ID || r.Region == "" && p.Kind == twin.Region {
			r.Region = p.NameEN
		}
		if i, ok := byID[p.RegionID]; ok && ps[i].NameEN != "" {
			r.Region = ps[i].NameEN
		}
		switch p.Country {
		case twin.RU:
			r.FederalDistrict = fd[p.RegionCode]
		case twin.CN:
			r.Province = r.Region
		}
		out = append(out, r)
	}
	return out
}

// Version is a digest of the rows: Ensure reloads when it changes.
func Version(rows []Row) string {
	h := sha256.New()
	for _, r := range rows {
		fmt.Fprintf(h, "%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%s\x00%d\x00%v\x00%v\x00%v\n",
			r.ID, r.Country, r.Kind, r.Level, r.NameRU, r.NameZH, r.NameEN, r.Region, r.RegionID, r.RegionCode,
			r.FederalDistrict+r.Province, r.Population, r.Lat, r.Lon, r.HasCoords)
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}

// Conn is the part of a ClickHouse connection Ensure uses (chstore.Store.Conn()).
type Conn interface {
	QueryRow(ctx context.Context, query string, args ...any) driver.Row
	PrepareBatch(ctx context.Context, query string, opts ...driver.PrepareBatchOption) (driver.Batch, error)
	Exec(ctx context.Context, query string, args ...any) error
}

const insertSQL = `INSERT INTO places (id, country, kind, level, name_ru, name_zh, name_en, region, region_id,
 region_code, federal_district, province, lat, lon, has_coords, population, data_version, loaded_at)`

// Ensure makes the places table hold exactly rows: when it already holds
// len(rows) rows of their Version it does nothing and returns false;
// otherwise it inserts them (newer loaded_at replaces older rows), runs
// OPTIMIZE ... FINAL and returns true. The table must exist (Migrate).
func Ensure(ctx context.Context, conn Conn, rows []Row) (loaded bool, err error) {
	v := Version(rows)
	var n uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM places FINAL WHERE data_version = ?", v).Scan(&n); err != nil {
		return false, fmt.Errorf("places: read version: %w", err)
	}
	var total uint64
	if err := conn.QueryRow(ctx, "SELECT count() FROM places FINAL").Scan(&total); err != nil {
		return false, fmt.Errorf("places: count: %w", err)
	}
	if n == uint64(len(rows)) && total == n {
		return false, nil
	}
	b, err := conn.PrepareBatch(ctx, insertSQL)
	if err != nil {
		return false, fmt.Errorf("places: prepare insert: %w", err)
	}
	defer func() { _ = b.Abort() }()
	now := time.Now().UTC().Truncate(time.Second)
	for _, r := range rows {
		lat, lon := r.Lat, r.Lon
		if math.IsNaN(lat) || math.IsNaN(lon) {
			lat, lon = 0, 0
		}
		var hc uint8
		if r.HasCoords {
			hc = 1
		}
		if err := b.Append(r.ID, string(r.Country), string(r.Kind), r.Level, r.NameRU, r.NameZH, r.NameEN,
			r.Region, r.RegionID, r.RegionCode, r.FederalDistrict, r.Province, lat, lon, hc,
			uint64(max(r.Population, 0)), v, now); err != nil {
			return false, fmt.Errorf("places: append %s: %w", r.ID, err)
		}
	}
	if err := b.Send(); err != nil {
		return false, fmt.Errorf("places: insert %d rows: %w", len(rows), err)
	}
	// Merge the new version over the old one now, and drop rows of ids no
	// longer in the gazetteer (v is hex, safe to inline).
	if total > 0 {
		if err := conn.Exec(ctx, "OPTIMIZE TABLE places FINAL"); err != nil {
			return true, fmt.Errorf("places: optimize: %w", err)
		}
		if err := conn.Exec(ctx, "ALTER TABLE places DELETE WHERE data_version != '"+v+"'"); err != nil {
			return true, fmt.Errorf("places: drop stale rows: %w", err)
		}
	}
	return true, nil
}
