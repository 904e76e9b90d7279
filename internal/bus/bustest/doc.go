// Package bustest starts real, in-process NATS JetStream servers for tests:
// a ready *bus.Bus on an embedded server (Start), a bare server that tests
// reach as external clients (StartServer), and a small cluster (StartCluster).
// Each lives in t.TempDir(), listens on a random loopback port and is shut
// down by t.Cleanup. Nothing is mocked.
//
// Helpers call t.Fatal on failure, so call them from the test's goroutine.
// They are safe to use from parallel tests: every call starts its own server.
package bustest
