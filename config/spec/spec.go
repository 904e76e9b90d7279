// Package spec holds the small value types that stage configurations are made
// of: secrets that never print, durations that read and print as "30s", and
// field errors that carry their YAML path so the config loader can point at
// the file and line.
//
// It is a leaf package (standard library only) so that every stage can declare
// its own Config with these types without importing package config.
package spec

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Secret is a string that must not leak: it prints, logs and marshals as a
// mask. Only Reveal returns the value. The config loader expands ${VAR} in
// fields of this type (and only in them).
type Secret string

const mask = "******"

// Reveal returns the secret's value, for the one place that needs it.
func (s Secret) Reveal() string { return string(s) }

// String returns a mask, or "" for an empty secret.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return mask
}

// LogValue masks the secret in structured logs.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalYAML masks the secret when an effective config is printed.
func (s Secret) MarshalYAML() (any, error) { return s.String(), nil }

// MarshalJSON masks the secret.
func (s Secret) MarshalJSON() ([]byte, error) { return []byte(fmt.Sprintf("%q", s.String())), nil }

// Duration is a time.Duration written as a Go duration string ("30s", "5m").
type Duration time.Duration

// D returns d as a time.Duration.
func (d Duration) D() time.Duration { return time.Duration(d) }

// String returns the Go duration string.
func (d Duration) String() string { return time.Duration(d).String() }

// MarshalYAML writes d as a duration string.
func (d Duration) MarshalYAML() (any, error) { return d.String(), nil }

// UnmarshalYAML reads a duration string such as "1m30s".
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	var s string
	if err := n.Decode(&s); err != nil {
		return fmt.Errorf("want a duration such as \"30s\"")
	}
	v, err := time.ParseDuration(strings.TrimSpace(s))
	if err != nil {
		return fmt.Errorf("want a duration such as \"30s\", got %q", s)
	}
	*d = Duration(v)
	return nil
}

// FieldError is a problem with one configuration field. Path is the YAML
// path relative to the section that validated it ("batch.count",
// "sources[2].schedule"); the config loader prefixes the section and looks up
// the file and line.
type FieldError struct {
	Path string
	Msg  string
}

func (e *FieldError) Error() string {
	if e.Path == "" {
		return e.Msg
	}
	return e.Path + ": " + e.Msg
}

// Errorf returns a *FieldError for path.
func Errorf(path, format string, args ...any) error {
	return &FieldError{Path: path, Msg: fmt.Sprintf(format, args...)}
}

// Prefix returns err with prefix prepended to the path of every FieldError it
// holds (joined errors included): Prefix("sources[2]", err) turns
// "schedule: ..." into "sources[2].schedule: ...". Other errors become
// FieldErrors at prefix. A nil err gives nil.
func Prefix(prefix string, err error) error {
	if err == nil {
		return nil
	}
	var out []error
	for _, e := range Flatten(err) {
		var fe *FieldError
		if errors.As(e, &fe) {
			p := prefix
			switch {
			case fe.Path == "":
			case strings.HasPrefix(fe.Path, "["):
				p += fe.Path
			case prefix == "":
				p = fe.Path
			default:
				p += "." + fe.Path
			}
			out = append(out, &FieldError{Path: p, Msg: fe.Msg})
			continue
		}
		out = append(out, &FieldError{Path: prefix, Msg: e.Error()})
	}
	return errors.Join(out...)
}

// Flatten returns the leaves of a tree of errors joined with errors.Join.
func Flatten(err error) []error {
	if err == nil {
		return nil
	}
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		var out []error
		for _, e := range j.Unwrap() {
			out = append(out, Flatten(e)...)
		}
		return out
	}
	return []error{err}
}
