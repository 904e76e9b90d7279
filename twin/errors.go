package twin

import "errors"

// ErrInvalid marks a value that can never be processed, however often it is
// retried: undecodable JSON, an unknown enum, a missing field. Consumers that
// see it dead-letter the message instead of retrying it.
var ErrInvalid = errors.New("invalid")
