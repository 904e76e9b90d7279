package parser

// Config is the `parser` section. (Skeleton: the parser owner extends it.)
type Config struct {
	// MinConfidence drops observations below it.
	MinConfidence float64 `yaml:"min_confidence"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config { return Config{MinConfidence: 0.5} }

// Validate reports every invalid field as a spec.FieldError.
func (c Config) Validate() error { return nil }
