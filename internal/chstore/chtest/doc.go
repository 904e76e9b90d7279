// Package chtest gives integration tests a real ClickHouse: one private
// clickhouse-server per test binary (started on first use, stopped by Run),
// or the server named by TWINWATCH_CLICKHOUSE_ADDR, and a fresh database per
// test. Nothing is mocked.
//
// Use it from TestMain:
//
//	func TestMain(m *testing.M) { chtest.Run(m) }
//
//	func TestSinkIntegration(t *testing.T) {
//		cfg := chtest.NewDatabase(t) // its own database, dropped after the test
//		store, err := chstore.Open(ctx, cfg, logger)
//		...
//	}
//
// Tests are skipped under -short and when clickhouse-server is not installed,
// unless TWINWATCH_REQUIRE_INTEGRATION=1, which turns the skip into a failure.
//
// The shared server is the one piece of package-level state in the project:
// a test binary has one, guarded by a sync.Mutex, started lazily and stopped
// at the end of Run. Without Run, each Start starts a server for its test
// alone and stops it in t.Cleanup (correct, but slower).
package chtest
