package bus

import (
	"context"
	"fmt"
	"log/slog"
)

// serverLogger adapts nats-server's logger to slog. The server's notices
// (banner, start-up, shutdown) are Debug: the bus logs its own lifecycle at
// Info. Debug and trace output of the server is off.
type serverLogger struct{ l *slog.Logger }

func (s serverLogger) log(level slog.Level, format string, v ...any) {
	if s.l.Enabled(context.Background(), level) {
		s.l.Log(context.Background(), level, fmt.Sprintf(format, v...))
	}
}

func (s serverLogger) Noticef(format string, v ...any) { s.log(slog.LevelDebug, format, v...) }
func (s serverLogger) Warnf(format string, v ...any)   { s.log(slog.LevelWarn, format, v...) }
func (s serverLogger) Fatalf(format string, v ...any)  { s.log(slog.LevelError, format, v...) }
func (s serverLogger) Errorf(format string, v ...any)  { s.log(slog.LevelError, format, v...) }
func (s serverLogger) Debugf(format string, v ...any)  { s.log(slog.LevelDebug-4, format, v...) }
func (s serverLogger) Tracef(format string, v ...any)  { s.log(slog.LevelDebug-8, format, v...) }
