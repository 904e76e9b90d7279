package telemetry_test

import (
	"fmt"
	"os"

	"github.com/twinwatch/twinwatch/internal/telemetry"
)

// A logger is built from the `log` section; an invalid section is refused
// with the field named.
func ExampleNewLogger() {
	log, err := telemetry.NewLogger(telemetry.LogConfig{Level: "warn", Format: "json"}, os.Stderr)
	fmt.Println(log != nil, err)
	log.Info("not shown: below warn")

	_, err = telemetry.NewLogger(telemetry.LogConfig{Level: "info", Format: "xml"}, os.Stderr)
	fmt.Println(err)
	// Output:
	// true <nil>
	// telemetry: log config: format: must be text or json, got "xml"
}
