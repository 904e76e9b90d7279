package twin

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"time"
)

// Precision is how much of a Date is known.
type Precision uint8

// Precisions, from none to a full day. Their order is meaningful: a higher
// precision is a more precise date.
const (
	PrecisionNone Precision = iota
	PrecisionYear
	PrecisionMonth
	PrecisionDay
)

// String returns "unknown", "year", "month" or "day".
func (p Precision) String() string {
	switch p {
	case PrecisionYear:
		return "year"
	case PrecisionMonth:
		return "month"
	case PrecisionDay:
		return "day"
	default:
		return "unknown"
	}
}

// Date is a calendar date known to a precision: "1993-06-15", "1993-06",
// "1993" or nothing at all. The zero Date is unknown. Its JSON form is that
// string ("" when unknown).
type Date struct {
	Year  int // 0 when unknown
	Month int // 0 when only the year is known
	Day   int // 0 when only the month is known
}

// DayDate returns the Date of t's calendar day.
func DayDate(t time.Time) Date { return Date{t.Year(), int(t.Month()), t.Day()} }

// YearDate returns a Date known to the year.
func YearDate(y int) Date { return Date{Year: y} }

// MonthDate returns a Date known to the month.
func MonthDate(y, m int) Date { return Date{Year: y, Month: m} }

// ParseDate parses "YYYY-MM-DD", "YYYY-MM", "YYYY" or "" (unknown). Anything
// else, or an impossible day, is an error wrapping ErrInvalid.
func ParseDate(s string) (Date, error) {
	bad := func() (Date, error) {
		return Date{}, fmt.Errorf("twin: date %q is not YYYY[-MM[-DD]]: %w", s, ErrInvalid)
	}
	var d Date
	switch len(s) {
	case 0:
		return d, nil
	case 4, 7, 10:
	default:
		return bad()
	}
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && !(c == '-' && (i == 4 || i == 7)) {
			return bad() // strconv.Atoi alone would take "+1" as a month
		}
	}
	y, err := strconv.Atoi(s[:4])
	if err != nil || y < 1 {
		return bad()
	}
	d.Year = y
	if len(s) >= 7 {
		if s[4] != '-' {
			return bad()
		}
		m, err := strconv.Atoi(s[5:7])
		if err != nil || m < 1 || m > 12 {
			return bad()
		}
		d.Month = m
	}
	if len(s) == 10 {
		if s[7] != '-' {
			return bad()
		}
		day, err := strconv.Atoi(s[8:10])
		if err != nil || day < 1 || day > daysIn(d.Year, d.Month) {
			return bad()
		}
		d.Day = day
	}
	return d, nil
}

// MustDate is ParseDate for literals in tests and tables; it panics on error.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func daysIn(y, m int) int {
	return time.Date(y, time.Month(m)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Precision reports how much of d is known.
func (d Date) Precision() Precision {
	switch {
	case d.Year == 0:
		return PrecisionNone
	case d.Month == 0:
		return PrecisionYear
	case d.Day == 0:
		return PrecisionMonth
	default:
		return PrecisionDay
	}
}

// IsZero reports whether d is unknown.
func (d Date) IsZero() bool { return d.Year == 0 }

// String returns "YYYY-MM-DD", "YYYY-MM", "YYYY" or "".
func (d Date) String() string {
	var buf [10]byte
	return string(d.appendTo(buf[:0]))
}

// appendTo appends the string form to b without fmt: dates are formatted for
// every message on the hot path.
func (d Date) appendTo(b []byte) []byte {
	p := d.Precision()
	if p == PrecisionNone {
		return b
	}
	b = appendPadded(b, d.Year, 4)
	if p >= PrecisionMonth {
		b = appendPadded(append(b, '-'), d.Month, 2)
	}
	if p == PrecisionDay {
		b = appendPadded(append(b, '-'), d.Day, 2)
	}
	return b
}

func appendPadded(b []byte, v, width int) []byte {
	var tmp [20]byte
	s := strconv.AppendInt(tmp[:0], int64(v), 10)
	for i := len(s); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, s...)
}

// Start returns the first instant (UTC) d may stand for: 1993 → 1993-01-01.
// The zero Date gives the zero time.
func (d Date) Start() time.Time {
	if d.IsZero() {
		return time.Time{}
	}
	m, day := max(d.Month, 1), max(d.Day, 1)
	return time.Date(d.Year, time.Month(m), day, 0, 0, 0, 0, time.UTC)
}

// Valid reports whether d is unknown or a real calendar date at its precision.
func (d Date) Valid() bool {
	_, err := ParseDate(d.String())
	return err == nil && (d.Month != 0 || d.Day == 0) && (d.Year != 0 || d.Month == 0)
}

// MarshalJSON encodes d as its string form.
func (d Date) MarshalJSON() ([]byte, error) {
	b := make([]byte, 0, 12)
	b = append(b, '"')
	b = d.appendTo(b)
	return append(b, '"'), nil
}

// UnmarshalJSON decodes the string form; errors wrap ErrInvalid. A plain
// quoted string (every date twinwatch writes) is parsed in place; anything
// with escapes goes through encoding/json.
func (d *Date) UnmarshalJSON(b []byte) error {
	var s string
	if n := len(b); n >= 2 && b[0] == '"' && b[n-1] == '"' && !bytes.ContainsAny(b[1:n-1], "\\\"") {
		s = string(b[1 : n-1])
	} else if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("twin: date: %w: %w", err, ErrInvalid)
	}
	v, err := ParseDate(s)
	if err != nil {
		return err
	}
	*d = v
	return nil
}
