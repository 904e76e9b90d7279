package parser

import (
	"errors"
	"math"

	"github.com/twinwatch/twinwatch/config/spec"
)

// Config is the `parser` section.
type Config struct {
	// MinConfidence drops observations below it; 0 keeps everything.
	MinConfidence float64 `yaml:"min_confidence"`
	// MaxBodyBytes rejects larger pages with an error (the page is not lost:
	// the caller decides, e.g. dead-letters it). 0 means no limit.
	MaxBodyBytes int `yaml:"max_body_bytes"`
}

// DefaultConfig returns the defaults: confidence at least 0.5, pages up to 8 MiB.
func DefaultConfig() Config { return Config{MinConfidence: 0.5, MaxBodyBytes: 8 << 20} }

// Validate reports every invalid field as a spec.FieldError.
func (c Config) Validate() error {
	var errs []error
	if math.IsNaN(c.MinConfidence) || c.MinConfidence < 0 || c.MinConfidence > 1 {
		errs = append(errs, spec.Errorf("min_confidence", "want a number in [0, 1], got %v", c.MinConfidence))
	}
	if c.MaxBodyBytes < 0 {
		errs = append(errs, spec.Errorf("max_body_bytes", "want 0 (no limit) or a positive size, got %d", c.MaxBodyBytes))
	}
	return errors.Join(errs...)
}
