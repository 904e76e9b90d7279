package sink

import (
	"errors"
	"time"

	"github.com/twinwatch/twinwatch/config/spec"
)

// Config is the `sink` section.
type Config struct {
	// Batch is when an open batch of observations is flushed to ClickHouse.
	Batch BatchConfig `yaml:"batch"`
	// PagesBatch is the same for pages (crawl log). Pages carry whole bodies,
	// so their batches are smaller.
	PagesBatch BatchConfig `yaml:"pages_batch"`
	// Inserts is how many batches of one stream may be inserting at once
	// (while the next one fills). More overlap the inserts' round trips and
	// use ClickHouse's cores; each holds one batch in memory.
	Inserts int `yaml:"inserts"`
	// FetchSize is the most messages one pull from JetStream asks for; never
	// more than one batch's count (so pages are pulled pages_batch.count at
	// a time).
	FetchSize int `yaml:"fetch_size"`
	// FetchWait is how long one pull waits for messages when the open batch
	// is empty (with an open batch it waits at most until the batch is due).
	FetchWait spec.Duration `yaml:"fetch_wait"`
	// MaxDeliver is how often a message is delivered before it goes to the
	// dead-letter stream with its last error.
	MaxDeliver int `yaml:"max_deliver"`
	// AckWait is how long JetStream waits for a settlement before it
	// redelivers. While ClickHouse is down the sink keeps its batch alive
	// with "in progress" signals every AckWait/3.
	AckWait spec.Duration `yaml:"ack_wait"`
	// Retry is the back-off between attempts to insert a batch after a
	// retryable ClickHouse error (server down, timeout, too many parts).
	Retry RetryConfig `yaml:"retry"`
	// DrainTimeout bounds the last flush after the sink is told to stop; what
	// cannot be written by then is left to be redelivered.
	DrainTimeout spec.Duration `yaml:"drain_timeout"`
}

// BatchConfig is when an open batch is flushed: at Count messages, at Bytes
// of message payload, or Period after its first message, whichever is first.
type BatchConfig struct {
	// Count is the most messages in one batch (one INSERT per table).
	Count int `yaml:"count"`
	// Bytes is the most message payload bytes in one batch.
	Bytes int `yaml:"bytes"`
	// Period is the longest a message waits in an open batch.
	Period spec.Duration `yaml:"period"`
}

// RetryConfig is an exponential back-off: Initial, doubling up to Max.
type RetryConfig struct {
	Initial spec.Duration `yaml:"initial"`
	Max     spec.Duration `yaml:"max"`
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{
		Batch:        BatchConfig{Count: 20000, Bytes: 64 << 20, Period: spec.Duration(200 * time.Millisecond)},
		PagesBatch:   BatchConfig{Count: 200, Bytes: 16 << 20, Period: spec.Duration(500 * time.Millisecond)},
		Inserts:      2,
		FetchSize:    5000,
		FetchWait:    spec.Duration(time.Second),
		MaxDeliver:   5,
		AckWait:      spec.Duration(30 * time.Second),
		Retry:        RetryConfig{Initial: spec.Duration(100 * time.Millisecond), Max: spec.Duration(10 * time.Second)},
		DrainTimeout: spec.Duration(10 * time.Second),
	}
}

// Validate reports every invalid field as a spec.FieldError.
func (c Config) Validate() error {
	var errs []error
	errs = append(errs, spec.Prefix("batch", c.Batch.validate()), spec.Prefix("pages_batch", c.PagesBatch.validate()))
	if c.Inserts < 1 || c.Inserts > 16 {
		errs = append(errs, spec.Errorf("inserts", "want 1 to 16, got %d", c.Inserts))
	}
	if c.FetchSize <= 0 {
		errs = append(errs, spec.Errorf("fetch_size", "must be positive, got %d", c.FetchSize))
	}
	if c.FetchWait <= 0 {
		errs = append(errs, spec.Errorf("fetch_wait", "must be positive, got %s", c.FetchWait))
	}
	if c.MaxDeliver < 1 {
		errs = append(errs, spec.Errorf("max_deliver", "must be at least 1, got %d", c.MaxDeliver))
	}
	if c.AckWait < spec.Duration(time.Second) {
		errs = append(errs, spec.Errorf("ack_wait", "must be at least 1s, got %s", c.AckWait))
	}
	if c.Retry.Initial <= 0 {
		errs = append(errs, spec.Errorf("retry.initial", "must be positive, got %s", c.Retry.Initial))
	}
	if c.Retry.Max < c.Retry.Initial {
		errs = append(errs, spec.Errorf("retry.max", "must be at least retry.initial (%s), got %s", c.Retry.Initial, c.Retry.Max))
	}
	if c.DrainTimeout <= 0 {
		errs = append(errs, spec.Errorf("drain_timeout", "must be positive, got %s", c.DrainTimeout))
	}
	return errors.Join(errs...)
}

func (b BatchConfig) validate() error {
	var errs []error
	if b.Count <= 0 {
		errs = append(errs, spec.Errorf("count", "must be positive, got %d", b.Count))
	}
	if b.Bytes <= 0 {
		errs = append(errs, spec.Errorf("bytes", "must be positive, got %d", b.Bytes))
	}
	if b.Period <= 0 {
		errs = append(errs, spec.Errorf("period", "must be positive, got %s", b.Period))
	}
	return errors.Join(errs...)
}
