package crawler

import (
	"errors"
	"fmt"

	"github.com/twinwatch/twinwatch/config/spec"
	"github.com/twinwatch/twinwatch/twin"
)

// Config is the `crawler` section. (Skeleton: the crawler owner extends it.)
type Config struct {
	UserAgent            string   `yaml:"user_agent"`
	AllowPrivateNetworks bool     `yaml:"allow_private_networks"`
	Sources              []Source `yaml:"sources"`
}

// SourceKind is how a source is crawled.
type SourceKind string

// Source kinds.
const (
	KindListing SourceKind = "listing"
	KindFeed    SourceKind = "feed"
	KindSitemap SourceKind = "sitemap"
	KindPage    SourceKind = "page"
)

// Source is one configured source.
type Source struct {
	Name      string         `yaml:"name"`
	Kind      SourceKind     `yaml:"kind"`
	URLs      []string       `yaml:"urls"`
	Lang      string         `yaml:"lang"`
	Schedule  string         `yaml:"schedule"`
	Selectors twin.Selectors `yaml:"selectors"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{UserAgent: "twinwatch/1 (+https://github.com/twinwatch/twinwatch)"}
}

// Validate reports every invalid field as a spec.FieldError.
func (c Config) Validate() error {
	var errs []error
	for i, s := range c.Sources {
		if s.Name == "" {
			errs = append(errs, spec.Errorf(fmt.Sprintf("sources[%d].name", i), "is required"))
		}
		switch s.Kind {
		case KindListing, KindFeed, KindSitemap, KindPage:
		default:
			errs = append(errs, spec.Errorf(fmt.Sprintf("sources[%d].kind", i), "must be listing, feed, sitemap or page, got %q", s.Kind))
		}
	}
	return errors.Join(errs...)
}
