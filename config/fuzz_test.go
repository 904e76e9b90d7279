package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/twinwatch/twinwatch/config"
)

// FuzzLoadBytes: any input gives either a valid File or a *config.Error with
// at least one problem, never a panic; a File prints as YAML.
func FuzzLoadBytes(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*", "*.yaml"))
	files = append(files, exampleFile)
	for _, name := range files {
		if data, err := os.ReadFile(name); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("a: &a [*a]\n"))
	f.Add([]byte("<<: {log: {}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		file, err := config.LoadBytes("fuzz.yaml", data)
		if err != nil {
			var cerr *config.Error
			if !errors.As(err, &cerr) || len(cerr.Problems) == 0 {
				t.Fatalf("error %T without problems: %v", err, err)
			}
			if file != nil {
				t.Fatal("a File together with an error")
			}
			return
		}
		if _, err := file.Effective(); err != nil {
			t.Fatalf("effective: %v", err)
		}
	})
}
