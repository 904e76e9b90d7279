package twin

import "fmt"

// Place is a Russian or Chinese city or region as the gazetteer knows it.
// Names are the gazetteer's standard forms: Russian nominative, simplified
// Chinese without a final 市/省, English as Wikipedia titles it.
type Place struct {
	ID      string    `json:"id"` // gazetteer ID, e.g. "gn:2022890"
	Country Country   `json:"country"`
	Kind    PlaceKind `json:"kind"`
	NameRU  string    `json:"name_ru"`
	NameZH  string    `json:"name_zh"`
	NameEN  string    `json:"name_en"`
	// Region is the English name of the first-order division a city belongs
	// to ("Khabarovsk Krai", "Heilongjiang"); empty for regions.
	Region string `json:"region,omitempty"`
}

// Validate reports a place that lacks an ID, a known country or kind, or any name.
func (p Place) Validate() error {
	switch {
	case p.ID == "":
		return fmt.Errorf("twin: place %q has no id: %w", p.Name(), ErrInvalid)
	case !p.Country.Valid():
		return fmt.Errorf("twin: place %s: country %q: %w", p.ID, p.Country, ErrInvalid)
	case !p.Kind.Valid():
		return fmt.Errorf("twin: place %s: kind %q: %w", p.ID, p.Kind, ErrInvalid)
	case p.NameRU == "" && p.NameZH == "" && p.NameEN == "":
		return fmt.Errorf("twin: place %s has no name: %w", p.ID, ErrInvalid)
	}
	return nil
}

// Name returns the English name, else the Russian, else the Chinese one.
func (p Place) Name() string {
	for _, n := range []string{p.NameEN, p.NameRU, p.NameZH} {
		if n != "" {
			return n
		}
	}
	return ""
}

// NameIn returns the name in lang ("ru", "zh", "en"), falling back to Name.
func (p Place) NameIn(lang string) string {
	var n string
	switch lang {
	case "ru":
		n = p.NameRU
	case "zh":
		n = p.NameZH
	case "en":
		n = p.NameEN
	}
	if n == "" {
		return p.Name()
	}
	return n
}
