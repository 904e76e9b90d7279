//go:build !unix

package parser_test

import "time"

// processCPU is unknown here: the CPU metrics read 0.
func processCPU() time.Duration { return 0 }
