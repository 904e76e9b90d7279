package sink

import (
	"errors"
	"time"

	"github.com/twinwatch/twinwatch/config/spec"
)

// Config is the `sink` section. (Skeleton: the sink owner extends it.)
type Config struct {
	Batch BatchConfig `yaml:"batch"`
}

// BatchConfig is when an open batch is flushed: at Count messages or after Period.
type BatchConfig struct {
	Count  int           `yaml:"count"`
	Period spec.Duration `yaml:"period"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{Batch: BatchConfig{Count: 5000, Period: spec.Duration(200 * time.Millisecond)}}
}

// Validate reports every invalid field as a spec.FieldError.
func (c Config) Validate() error {
	var errs []error
	if c.Batch.Count <= 0 {
		errs = append(errs, spec.Errorf("batch.count", "must be positive, got %d", c.Batch.Count))
	}
	if c.Batch.Period <= 0 {
		errs = append(errs, spec.Errorf("batch.period", "must be positive, got %s", c.Batch.Period))
	}
	return errors.Join(errs...)
}
