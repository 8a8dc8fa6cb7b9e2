// Package calendar holds the simulation's dates and its agricultural year:
// weekly steps from a start date, and which weeks are for sowing and for
// harvest.
package calendar

import (
	"fmt"
	"time"

	"github.com/BurntSushi/toml"
)

// Date is a calendar day, without time of day or zone. It reads and writes
// as YYYY-MM-DD in TOML (as a quoted string or a TOML local date), in CSV and
// in JSON. The zero Date is "unset".
type Date struct {
	t time.Time // always midnight UTC
}

// NewDate returns the date y-m-d.
func NewDate(y int, m time.Month, d int) Date {
	return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

// ParseDate parses YYYY-MM-DD.
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("%q is not a date of the form YYYY-MM-DD", s)
	}
	return Date{t}, nil
}

// MustParseDate is ParseDate for constants known to be valid; it panics otherwise.
func MustParseDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// IsZero reports whether d is unset.
func (d Date) IsZero() bool { return d.t.IsZero() }

// String returns d as YYYY-MM-DD.
func (d Date) String() string { return d.t.Format(time.DateOnly) }

// AddDays returns d plus n days.
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// AddYears returns the date n years later (a 29 February becomes 1 March
// in a common year).
func (d Date) AddYears(n int) Date { return Date{d.t.AddDate(n, 0, 0)} }

// DaysSince returns the number of days from e to d (negative if d is earlier).
func (d Date) DaysSince(e Date) int { return int(d.t.Sub(e.t).Hours() / 24) }

// Before reports whether d is before e.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }

// After reports whether d is after e.
func (d Date) After(e Date) bool { return d.t.After(e.t) }

// Year returns the calendar year of d.
func (d Date) Year() int { return d.t.Year() }

// Unix returns the seconds from 1970-01-01 to d (negative before it).
func (d Date) Unix() int64 { return d.t.Unix() }

// DayOfYear returns the day of the year, 1 to 366.
func (d Date) DayOfYear() int { return d.t.YearDay() }

// MarshalText writes YYYY-MM-DD.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// UnmarshalTOML accepts a quoted "YYYY-MM-DD" string or a TOML local date.
func (d *Date) UnmarshalTOML(v any) error {
	switch v := v.(type) {
	case string:
		return d.UnmarshalText([]byte(v))
	case time.Time:
		if v.Hour() != 0 || v.Minute() != 0 || v.Second() != 0 || v.Nanosecond() != 0 {
			return fmt.Errorf("want a date, got a date with a time of day")
		}
		*d = NewDate(v.Year(), v.Month(), v.Day())
		return nil
	}
	return fmt.Errorf("want a date (\"YYYY-MM-DD\"), got %T", v)
}

var _ toml.Unmarshaler = (*Date)(nil)

// DayOfYear is a day in the agricultural year given as MM-DD.
type DayOfYear struct {
	Month time.Month
	Day   int
}

// ParseDayOfYear parses MM-DD.
func ParseDayOfYear(s string) (DayOfYear, error) {
	t, err := time.Parse("01-02", s)
	if err != nil {
		return DayOfYear{}, fmt.Errorf("%q is not a day of the form MM-DD", s)
	}
	return DayOfYear{t.Month(), t.Day()}, nil
}

// String returns MM-DD.
func (d DayOfYear) String() string { return fmt.Sprintf("%02d-%02d", int(d.Month), d.Day) }

// MarshalText writes MM-DD.
func (d DayOfYear) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads MM-DD.
func (d *DayOfYear) UnmarshalText(b []byte) error {
	v, err := ParseDayOfYear(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// In returns the date of d in year y.
func (d DayOfYear) In(y int) Date { return NewDate(y, d.Month, d.Day) }

// Season is a part of the agricultural year.
type Season uint8

// The seasons that change what households do in a week.
const (
	Growing Season = iota // the crop is in the ground, or nothing is sown
	Sowing                // spring sowing (no rule reads it yet)
	Harvest               // the crop is brought in, week by week
)

// Window is a span of weeks in each year that starts on a day of the year.
type Window struct {
	Start DayOfYear
	Weeks int
}

// Contains reports whether the week starting on d falls in the window.
func (w Window) Contains(d Date) bool {
	for _, y := range [2]int{d.Year() - 1, d.Year()} {
		s := w.Start.In(y)
		if !d.Before(s) && d.DaysSince(s) < 7*w.Weeks {
			return true
		}
	}
	return false
}

// Year is the agricultural calendar: when spring sowing and harvest fall.
type Year struct {
	Sowing  Window
	Harvest Window
}

// SeasonOf returns the season of the week that starts on d.
func (y Year) SeasonOf(d Date) Season {
	switch {
	case y.Harvest.Contains(d):
		return Harvest
	case y.Sowing.Contains(d):
		return Sowing
	}
	return Growing
}

// Steps returns the dates of the weekly steps from start to end: start itself
// (step 0, the initial state) and every seventh day after it up to and
// including end.
func Steps(start, end Date) []Date {
	var ds []Date
	for d := start; !d.After(end); d = d.AddDays(7) {
		ds = append(ds, d)
	}
	return ds
}
