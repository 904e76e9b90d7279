// Package config loads twinwatch's one YAML configuration file into a File:
// one section per package that owns it (nats → bus.Config, clickhouse →
// chstore.Config, crawler, parser, sink, alert, log and metrics →
// telemetry), plus
// data_dir and shutdown_timeout.
//
// # Loading
//
// Load and LoadBytes apply, in order:
//
//  1. defaults: every section's DefaultConfig (Default);
//  2. the file, strictly: an unknown key, a duplicate key or a value of the
//     wrong type is a problem; a key with no value keeps its default, a list
//     replaces the default list;
//  3. ${VAR} expansion from the environment, in fields of type spec.Secret
//     only (an unset variable is a problem; "$$" is a literal "$"; a ${VAR}
//     in any other field is reported, since it would stay literal);
//  4. validation: File's own checks and every section's Validate, whose
//     spec.FieldError paths are prefixed with the section's key.
//
// Every problem of every step is collected and returned at once as a *Error,
// one Problem per line, formatted "FILE:LINE: key.path: message". A problem
// found by Validate on a key the file does not set points at the nearest
// enclosing section that it does set, or carries no line at all when the
// value is a default.
//
// The loader knows no section's fields: it walks the yaml.Node tree and the
// Go types by reflection, so a stage adding a field to its Config needs no
// change here. It never reads anything but the file and, for secrets, the
// environment.
//
// # Printing
//
// File.Effective returns the effective configuration as YAML with secrets
// masked; `twinwatch config check FILE` prints it after a successful load.
// config.example.yaml at the repository root documents every key with its
// default; a test keeps it loadable and equal to Default.
//
// # Imports and concurrency
//
// config imports the Config types of the stages and of bus, chstore and
// telemetry; nothing but cmd imports config. Load has no shared state and is
// safe to call concurrently; a *File is a plain value owned by its caller.
package config
