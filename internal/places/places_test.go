package places_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/twinwatch/twinwatch/internal/places"
	"github.com/twinwatch/twinwatch/parser/gazetteer"
	"github.com/twinwatch/twinwatch/twin"
)

func rows(t testing.TB) []places.Row {
	t.Helper()
	g, err := gazetteer.Load()
	require.NoError(t, err)
	recs, err := g.Records()
	require.NoError(t, err)
	ps := make([]places.Place, len(recs))
	for i, r := range recs {
		ps[i] = places.Place(r)
	}
	return places.Rows(ps)
}

func TestFederalDistricts(t *testing.T) {
	perDistrict := map[string]int{}
	subjects := 0
	for _, r := range rows(t) {
		if r.Country != twin.RU || r.Kind != twin.Region {
			continue
		}
		subjects++
		require.NotEmpty(t, r.RegionCode, r.NameEN)
		require.NotEmpty(t, r.FederalDistrict, "%s (%s) has no federal district", r.NameEN, r.RegionCode)
		perDistrict[r.FederalDistrict]++
	}
	require.Equal(t, 89, subjects)
	require.Equal(t, map[string]int{
		places.Central: 18, places.Northwestern: 11, places.Southern: 12, places.NorthCaucasian: 7,
		places.Volga: 14, places.Ural: 6, places.Siberian: 10, places.FarEastern: 11,
	}, perDistrict)
	require.Len(t, places.FederalDistricts, 8)
	require.Equal(t, places.FarEastern, places.FederalDistrict("RU-KHA"))
	require.Empty(t, places.FederalDistrict("CN-HL"))
}

func TestRows(t *testing.T) {
	byID := map[string]places.Row{}
	for _, r := range rows(t) {
		byID[r.ID] = r
	}
	kh := byID["gn:2022890"] // Khabarovsk
	require.Equal(t, "Khabarovsk Krai", kh.Region)
	require.Equal(t, "RU-KHA", kh.RegionCode)
	require.Equal(t, places.FarEastern, kh.FederalDistrict)
	require.True(t, kh.HasCoords)
	require.InDelta(t, 48.48, kh.Lat, 0.01)
	require.Positive(t, kh.Population)
	cities, withDistrict, cnCities, withProvince := 0, 0, 0, 0
	for _, r := range byID {
		switch {
		case r.Country == twin.RU && r.Kind == twin.City:
			cities++
			if r.FederalDistrict != "" {
				withDistrict++
			}
		case r.Country == twin.CN && r.Kind == twin.City:
			cnCities++
			if r.Province != "" {
				withProvince++
			}
		}
	}
	require.Greater(t, withDistrict*100/cities, 95, "Russian cities with a federal district: %d of %d", withDistrict, cities)
	require.Greater(t, withProvince*100/cnCities, 95, "Chinese cities with a province: %d of %d", withProvince, cnCities)
	require.Equal(t, places.Version(places.Rows(nil)), places.Version(nil))
}
