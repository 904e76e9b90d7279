package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/twinwatch/twinwatch/alert"
	"github.com/twinwatch/twinwatch/config/spec"
	"github.com/twinwatch/twinwatch/crawler"
	"github.com/twinwatch/twinwatch/internal/bus"
	"github.com/twinwatch/twinwatch/internal/chstore"
	"github.com/twinwatch/twinwatch/internal/telemetry"
	"github.com/twinwatch/twinwatch/parser"
	"github.com/twinwatch/twinwatch/sink"
)

// File is the whole configuration file. Each section is the Config type of
// the package that owns it; stages are handed their section, never the File.
type File struct {
	// DataDir holds local state: the embedded NATS server's JetStream store
	// and a private ClickHouse for `twinwatch up`. Default ".data".
	DataDir string `yaml:"data_dir"`
	// ShutdownTimeout is the hard stop: how long a graceful shutdown may take
	// before the process gives up. Default 30s.
	ShutdownTimeout spec.Duration `yaml:"shutdown_timeout"`

	NATS       bus.Config              `yaml:"nats"`
	ClickHouse chstore.Config          `yaml:"clickhouse"`
	Crawler    crawler.Config          `yaml:"crawler"`
	Parser     parser.Config           `yaml:"parser"`
	Sink       sink.Config             `yaml:"sink"`
	Alert      alert.Config            `yaml:"alert"`
	Log        telemetry.LogConfig     `yaml:"log"`
	Metrics    telemetry.MetricsConfig `yaml:"metrics"`
}

// Default returns the configuration used when the file sets nothing: every
// section's defaults.
func Default() *File {
	return &File{
		DataDir:         ".data",
		ShutdownTimeout: spec.Duration(30 * time.Second),
		NATS:            bus.DefaultConfig(),
		ClickHouse:      chstore.DefaultConfig(),
		Crawler:         crawler.DefaultConfig(),
		Parser:          parser.DefaultConfig(),
		Sink:            sink.DefaultConfig(),
		Alert:           alert.DefaultConfig(),
		Log:             telemetry.DefaultLogConfig(),
		Metrics:         telemetry.DefaultMetricsConfig(),
	}
}

// Problem is one thing wrong with a configuration file. Line is 1-based and
// 0 when the problem has no place in the file (a default that fails
// validation, say); Path is the YAML key path ("sink.batch.count",
// "crawler.sources[2].kind"), empty for a file-level problem.
type Problem struct {
	File string
	Line int
	Path string
	Msg  string
}

// String formats the problem as "FILE:LINE: key.path: message", leaving out
// what is unknown.
func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.File)
	if p.Line > 0 {
		b.WriteString(":" + strconv.Itoa(p.Line))
	}
	if b.Len() > 0 {
		b.WriteString(": ")
	}
	if p.Path != "" {
		b.WriteString(p.Path + ": ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Error is every problem found in a configuration, in file order (problems
// without a line last). It prints one problem per line. Load, LoadBytes and
// Validate return it as a *Error.
type Error struct {
	Problems []Problem
}

func (e *Error) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Load reads the file at path and returns its effective configuration; see
// LoadBytes. A file that cannot be read gives a plain wrapped error.
func Load(path string) (*File, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("config: %w", err)
	}
	return LoadBytes(path, data)
}

// LoadBytes parses data, named name in messages, into the effective
// configuration: defaults first, then the file on top (strictly: an unknown
// key or a value of the wrong type is a problem), then ${VAR} expansion from
// the environment in secret fields only (an unset variable is a problem),
// then every section's Validate. All problems are collected and returned
// together as a *Error whose entries name the file, line and key; the File
// is returned only when there is none. A key present with no value keeps
// its default; a list in the file replaces the default list.
func LoadBytes(name string, data []byte) (*File, error) {
	f := Default()
	var root yaml.Node
	dec := yaml.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&root); err != nil && !errors.Is(err, io.EOF) {
		return nil, &Error{Problems: []Problem{syntaxProblem(name, err)}}
	}
	var extra yaml.Node
	switch err := dec.Decode(&extra); {
	case err == nil:
		return nil, &Error{Problems: []Problem{{File: name, Line: extra.Line, Msg: "more than one YAML document; want one"}}}
	case !errors.Is(err, io.EOF):
		return nil, &Error{Problems: []Problem{syntaxProblem(name, err)}}
	}
	d := &decoder{file: name}
	if root.Kind == yaml.DocumentNode && len(root.Content) == 1 {
		d.decode(root.Content[0], reflect.ValueOf(f).Elem(), "")
	}
	doc := &root
	if doc.Kind == yaml.DocumentNode && len(doc.Content) == 1 {
		doc = doc.Content[0]
	}
	placeLocalState(f, doc)
	// A value that failed to decode keeps its default, so expansion and
	// validation still run and every independent problem is reported at once.
	probs := d.problems
	for _, fe := range expandSecrets(reflect.ValueOf(f).Elem(), "", os.LookupEnv) {
		probs = append(probs, locate(name, doc, fe))
	}
	for _, fe := range f.validate() {
		probs = append(probs, locate(name, doc, fe))
	}
	if len(probs) > 0 {
		sortProblems(probs)
		return nil, &Error{Problems: probs}
	}
	return f, nil
}

// Validate checks f as LoadBytes does after decoding (without file or line),
// for a File built in code. It returns nil or a *Error.
func (f *File) Validate() error {
	var probs []Problem
	for _, fe := range f.validate() {
		probs = append(probs, Problem{Path: fe.Path, Msg: fe.Msg})
	}
	if len(probs) == 0 {
		return nil
	}
	return &Error{Problems: probs}
}

// Effective returns f as YAML, every section included, with secrets masked
// (spec.Secret marshals as a mask): what `twinwatch config check` prints.
func (f *File) Effective() ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(f); err != nil {
		return nil, fmt.Errorf("config: marshal effective config: %w", err)
	}
	if err := enc.Close(); err != nil {
		return nil, fmt.Errorf("config: marshal effective config: %w", err)
	}
	return buf.Bytes(), nil
}

// validator is what a section implements to be checked.
type validator interface{ Validate() error }

// validate runs the File's own checks and every section's Validate, with
// paths made absolute.
func (f *File) validate() []*spec.FieldError {
	var errs []error
	if strings.TrimSpace(f.DataDir) == "" {
		errs = append(errs, spec.Errorf("data_dir", "must not be empty"))
	}
	if f.ShutdownTimeout <= 0 {
		errs = append(errs, spec.Errorf("shutdown_timeout", "must be positive, got %s", f.ShutdownTimeout))
	}
	v := reflect.ValueOf(f).Elem()
	t := v.Type()
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, skip := yamlName(sf)
		if skip {
			continue
		}
		if val, ok := v.Field(i).Interface().(validator); ok {
			errs = append(errs, spec.Prefix(name, val.Validate()))
		}
	}
	var out []*spec.FieldError
	for _, e := range spec.Flatten(errors.Join(errs...)) {
		var fe *spec.FieldError
		if !errors.As(e, &fe) {
			fe = &spec.FieldError{Msg: e.Error()}
		}
		out = append(out, fe)
	}
	return out
}

func sortProblems(p []Problem) {
	sort.SliceStable(p, func(i, j int) bool {
		li, lj := p[i].Line, p[j].Line
		if li == 0 || lj == 0 {
			return li != 0 && lj == 0
		}
		return li < lj
	})
}

var lineRE = regexp.MustCompile(`line (\d+): `)

// syntaxProblem turns a yaml parse error into a Problem with its line.
func syntaxProblem(name string, err error) Problem {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	p := Problem{File: name, Msg: "invalid YAML: " + msg}
	if m := lineRE.FindStringSubmatchIndex(msg); m != nil {
		p.Line, _ = strconv.Atoi(msg[m[2]:m[3]])
		p.Msg = "invalid YAML: " + msg[:m[0]] + msg[m[1]:]
	}
	return p
}

// placeLocalState puts the local state of the sections that do not place it
// themselves under data_dir: the embedded NATS store in <data_dir>/nats and
// the private ClickHouse of `twinwatch up` in <data_dir>/clickhouse.
func placeLocalState(f *File, doc *yaml.Node) {
	for _, l := range []struct {
		path string
		dst  *string
		sub  string
	}{
		{"nats.embedded.data_dir", &f.NATS.Embedded.DataDir, "nats"},
		{"clickhouse.local.data_dir", &f.ClickHouse.Local.DataDir, "clickhouse"},
	} {
		if !inFile(doc, l.path) && strings.TrimSpace(f.DataDir) != "" {
			*l.dst = filepath.Join(f.DataDir, l.sub)
		}
	}
}

// inFile reports whether the file sets the key at path.
func inFile(doc *yaml.Node, path string) bool {
	n := doc
	for _, seg := range splitPath(path) {
		for n != nil && n.Kind == yaml.AliasNode {
			n = n.Alias
		}
		if n == nil {
			return false
		}
		n, _ = child(n, seg)
	}
	return n != nil
}
