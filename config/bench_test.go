package config_test

import (
	"os"
	"testing"

	"github.com/twinwatch/twinwatch/config"
)

// BenchmarkLoadExample loads the documented example (every key and the
// example crawler sources).
func BenchmarkLoadExample(b *testing.B) {
	data, err := os.ReadFile(exampleFile)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := config.LoadBytes(exampleFile, data); err != nil {
			b.Fatal(err)
		}
	}
}
