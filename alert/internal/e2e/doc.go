// Package e2e holds the alerter's end-to-end test and latency benchmark: the
// bundled demo site and synthetic pages go through the real crawler, bus,
// parser and alerter to a webhook receiver on loopback. It is test-only code
// (this file aside) and may import every stage, which alert itself may not.
package e2e
