package twin

import (
	"fmt"
)

// Country is the ISO 3166-1 alpha-2 code of one of the two countries tracked.
type Country string

// Countries.
const (
	RU Country = "RU"
	CN Country = "CN"
)

// Valid reports whether c is RU or CN.
func (c Country) Valid() bool { return c == RU || c == CN }

// PlaceKind says whether a place is municipal (city, district, county) or a
// region (Russian federal subject, Chinese province-level unit or prefecture).
type PlaceKind string

// Place kinds.
const (
	City   PlaceKind = "city"
	Region PlaceKind = "region"
)

// Valid reports whether k is a known kind.
func (k PlaceKind) Valid() bool { return k == City || k == Region }

// Relation is the kind of tie between two places.
type Relation string

// Relations, from the strongest formal tie to the loosest.
const (
	Twin        Relation = "twin"        // побратимы, 友好城市, sister city
	Partner     Relation = "partner"     // город-партнёр, 友好合作关系
	Friendship  Relation = "friendship"  // 友好交流城市, дружественные связи
	Cooperation Relation = "cooperation" // соглашение о сотрудничестве, 合作备忘录
)

// Relations lists every relation in a stable order.
var Relations = []Relation{Twin, Partner, Friendship, Cooperation}

// Valid reports whether r is a known relation.
func (r Relation) Valid() bool { return contains(Relations, r) }

// Status is what a page says about an agreement's state.
type Status string

// Statuses.
const (
	Signed      Status = "signed"      // the page reports the signing as news
	Intent      Status = "intent"      // protocol or memorandum of intent, talks, plans
	Anniversary Status = "anniversary" // N years of an existing relation
	Existing    Status = "existing"    // mentioned as already in place
	Terminated  Status = "terminated"  // ended, suspended, come to nothing
)

// Statuses lists every status in a stable order.
var Statuses = []Status{Signed, Intent, Anniversary, Existing, Terminated}

// Valid reports whether s is a known status.
func (s Status) Valid() bool { return contains(Statuses, s) }

// Category is the area of cooperation an event falls into.
type Category string

// Categories of events.
const (
	Culture      Category = "culture"
	Education    Category = "education"
	Science      Category = "science"
	Youth        Category = "youth"
	Sport        Category = "sport"
	Tourism      Category = "tourism"
	Economy      Category = "economy"
	Humanitarian Category = "humanitarian"
	Delegation   Category = "delegation"
)

// Categories lists every category in a stable order.
var Categories = []Category{Culture, Education, Science, Youth, Sport, Tourism, Economy, Humanitarian, Delegation}

// Valid reports whether c is a known category.
func (c Category) Valid() bool { return contains(Categories, c) }

// Kind is the type of an observation.
type Kind string

// Observation kinds.
const (
	KindAgreement Kind = "agreement"
	KindEvent     Kind = "event"
)

// Origin says where an observation came from.
type Origin string

// Origins. Observations of OriginReference are history loaded by analysts
// (backfill) and never alert.
const (
	OriginCrawl     Origin = "crawl"
	OriginReference Origin = "reference"
)

// Valid reports whether o is a known origin.
func (o Origin) Valid() bool { return o == OriginCrawl || o == OriginReference }

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// parseEnum is the shared body of the ParseXxx functions.
func parseEnum[T ~string](what string, list []T, s string) (T, error) {
	for _, x := range list {
		if string(x) == s {
			return x, nil
		}
	}
	return "", fmt.Errorf("twin: unknown %s %q: %w", what, s, ErrInvalid)
}

// ParseRelation returns the relation named s, or an error wrapping ErrInvalid.
func ParseRelation(s string) (Relation, error) { return parseEnum("relation", Relations, s) }

// ParseStatus returns the status named s, or an error wrapping ErrInvalid.
func ParseStatus(s string) (Status, error) { return parseEnum("status", Statuses, s) }

// ParseCategory returns the category named s, or an error wrapping ErrInvalid.
func ParseCategory(s string) (Category, error) { return parseEnum("category", Categories, s) }
