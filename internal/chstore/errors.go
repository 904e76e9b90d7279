package chstore

import (
	"context"
	"errors"
	"io"
	"net"
	"os"
	"syscall"

	"github.com/ClickHouse/clickhouse-go/v2"
)

// ErrNotInstalled is returned by StartLocal when the clickhouse-server binary
// cannot be found. Install it (`make clickhouse-install`, which runs
// scripts/clickhouse.sh install) or set clickhouse.local.binary, or point
// clickhouse.addr at an existing server.
var ErrNotInstalled = errors.New("chstore: clickhouse-server not found on PATH: run `make clickhouse-install` or set clickhouse.addr")

// retryableCodes are server exception codes that describe the server's state
// (overload, timeouts, network, memory, parts backlog, replication), not the
// data: the same insert may succeed later.
var retryableCodes = map[int32]bool{
	3:   true, // UNEXPECTED_END_OF_FILE
	32:  true, // ATTEMPT_TO_READ_AFTER_EOF
	159: true, // TIMEOUT_EXCEEDED
	160: true, // TOO_SLOW
	164: true, // READONLY (e.g. a replica in read-only mode)
	202: true, // TOO_MANY_SIMULTANEOUS_QUERIES
	203: true, // NO_FREE_CONNECTION
	209: true, // SOCKET_TIMEOUT
	210: true, // NETWORK_ERROR
	225: true, // NO_ZOOKEEPER
	236: true, // ABORTED
	241: true, // MEMORY_LIMIT_EXCEEDED
	242: true, // TABLE_IS_READ_ONLY
	252: true, // TOO_MANY_PARTS
	285: true, // TOO_FEW_LIVE_REPLICAS
	286: true, // UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE
	319: true, // UNKNOWN_STATUS_OF_INSERT
	394: true, // QUERY_WAS_CANCELLED
	425: true, // SYSTEM_ERROR
	439: true, // CANNOT_SCHEDULE_TASK
	999: true, // KEEPER_EXCEPTION
}

// IsRetryable reports whether err is worth retrying later: the server is
// unreachable (connection refused or reset, broken pipe, EOF, timeouts,
// no free connection) or answered with an exception code that describes its
// state (overload, memory, too many parts, network, replication). It is
// false for nil, for rows that can never be inserted (twin.ErrInvalid,
// *InvalidError), for context cancellation (shutdown), and for any other
// server exception: bad data or schema (53 type mismatch, 27 cannot parse,
// 6 cannot parse text, 41/38 bad date, 60 unknown table, 62 syntax, ...).
// Unknown client-side errors are not retryable. Classification uses
// errors.Is/As only, never the text.
func IsRetryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) {
		return false
	}
	var inv *InvalidError
	if errors.As(err, &inv) {
		return false
	}
	var ex *clickhouse.Exception
	if errors.As(err, &ex) {
		return retryableCodes[ex.Code]
	}
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		errors.Is(err, clickhouse.ErrAcquireConnTimeout) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, net.ErrClosed) ||
		errors.Is(err, syscall.ECONNREFUSED) || errors.Is(err, syscall.ECONNRESET) ||
		errors.Is(err, syscall.ECONNABORTED) || errors.Is(err, syscall.EPIPE) ||
		errors.Is(err, syscall.ETIMEDOUT) || errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH) {
		return true
	}
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		return true
	}
	var op *net.OpError
	return errors.As(err, &op)
}
