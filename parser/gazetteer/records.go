package gazetteer

import (
	"strconv"
	"strings"

	"github.com/twinwatch/twinwatch/twin"
)

// Record is a place with the attributes analysts join on, beyond what
// twin.Place carries. Its field set is kept identical to
// internal/places.Place so that one converts to the other.
type Record struct {
	twin.Place
	// Level is the administrative level from the data ("city", "oblast",
	// "province", "prefecture_city", "county_seat", "division", ...).
	Level string
	// RegionID is the gazetteer ID of the first-order division the place
	// belongs to; a region's own ID for regions; "" when unknown.
	RegionID string
	// RegionCode is the ISO 3166-2 code of that division ("RU-KHA",
	// "CN-HL"), "" when the data has none.
	RegionCode string
	// Population is the last known population, 0 when unknown.
	Population int64
	// Lat and Lon are WGS84 degrees; HasCoords is false when unknown.
	Lat, Lon  float64
	HasCoords bool
}

// Records returns every place of the gazetteer with its attributes, in a
// stable order (data rows first, then derived divisions and extras). It
// re-reads the embedded data, so call it once, not per lookup.
func (g *Gazetteer) Records() ([]Record, error) {
	rows, err := readTSV("data/places_ru_cn.tsv")
	if err != nil {
		return nil, err
	}
	byID := make(map[string]map[string]string, len(rows))
	for _, r := range rows {
		byID[r["id"]] = r
	}
	regionByName := map[string]int32{} // country+English name of a first-order division
	for i, p := range g.places {
		if r, ok := byID[p.ID]; ok && r["admin1_id"] == "" && isoCode(r["admin_code"]) != "" {
			regionByName[string(p.Country)+"|"+p.NameEN] = int32(i)
		}
	}
	out := make([]Record, 0, len(g.places))
	for _, p := range g.places {
		rec := Record{Place: p.Place, Level: p.level, Population: p.pop}
		r, ok := byID[p.ID]
		if ok {
			rec.RegionID = r["admin1_id"]
			if code := isoCode(r["admin_code"]); code != "" && rec.RegionID == "" {
				rec.RegionID = p.ID
			}
			lat, err1 := strconv.ParseFloat(r["lat"], 64)
			lon, err2 := strconv.ParseFloat(r["lon"], 64)
			if err1 == nil && err2 == nil {
				rec.Lat, rec.Lon, rec.HasCoords = lat, lon, true
			}
		}
		if rec.RegionID == "" && p.Region != "" {
			if i, ok := regionByName[string(p.Country)+"|"+p.Region]; ok {
				rec.RegionID = g.places[i].ID
			}
		}
		if reg, ok := byID[rec.RegionID]; ok {
			rec.RegionCode = isoCode(reg["admin_code"])
		}
		out = append(out, rec)
	}
	return out, nil
}

// isoCode picks the ISO 3166-2 part of an admin_code field ("CN-AH;GB:34").
func isoCode(s string) string {
	for part := range strings.SplitSeq(s, ";") {
		if len(part) > 3 && part[2] == '-' && part[0] >= 'A' && part[0] <= 'Z' {
			return part
		}
	}
	return ""
}
