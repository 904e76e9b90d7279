package config_test

import (
	"fmt"
	"strings"

	"github.com/twinwatch/twinwatch/config"
)

// Loading reports every problem at once, each with file, line and key.
func ExampleLoadBytes() {
	_, err := config.LoadBytes("twinwatch.yaml", []byte(`
sink:
  batch:
    count: -1
    period: soon
log:
  levle: debug
`))
	fmt.Println(err)

	f, err := config.LoadBytes("twinwatch.yaml", []byte("log:\n  level: debug\n"))
	fmt.Println(f.Log.Level, f.Log.Format, f.ShutdownTimeout, err)
	// Output:
	// twinwatch.yaml:4: sink.batch.count: must be positive, got -1
	// twinwatch.yaml:5: sink.batch.period: want a duration such as "30s", got "soon"
	// twinwatch.yaml:7: log.levle: unknown key (did you mean "level"?); known keys: format, level
	// debug text 30s <nil>
}

// The effective config prints every section with secrets masked.
func ExampleFile_Effective() {
	f := config.Default()
	f.ClickHouse.Password = "hunter2"
	out, err := f.Effective()
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, line := range strings.Split(string(out), "\n") {
		if strings.HasPrefix(line, "shutdown_timeout:") || strings.HasPrefix(line, "  password: '") {
			fmt.Println(line)
		}
	}
	fmt.Println(strings.Contains(string(out), "hunter2"))
	// Output:
	// shutdown_timeout: 30s
	//   password: '******'
	// false
}
