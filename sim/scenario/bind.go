package scenario

import (
	"fmt"
	"reflect"
	"time"

	"github.com/collsim/collsim/internal/strict"
	"github.com/collsim/collsim/sim/agents"
	"github.com/collsim/collsim/sim/calendar"
)

var (
	dateType  = reflect.TypeFor[calendar.Date]()
	dayType   = reflect.TypeFor[calendar.DayOfYear]()
	classType = reflect.TypeFor[agents.ClassValues]()
)

// schema binds scenario files: dates and days are single values, and each
// region and phase of a file is laid over DefaultRegion and DefaultPhase.
var schema = strict.NewSchema(
	strict.Value(bindDate),
	strict.Value(bindDay),
	strict.Elem(DefaultRegion),
	strict.Elem(DefaultPhase),
)

// bindDate reads a calendar.Date from a TOML date or a "YYYY-MM-DD" string;
// the empty string is the unset date.
func bindDate(x any, got string) (calendar.Date, error) {
	var d calendar.Date
	var err error
	switch x := x.(type) {
	case string:
		if x != "" {
			d, err = calendar.ParseDate(x)
		}
	case time.Time:
		err = d.UnmarshalTOML(x)
	default:
		err = fmt.Errorf("want a date \"YYYY-MM-DD\", got %s", got)
	}
	return d, err
}

// bindDay reads a calendar.DayOfYear from a "MM-DD" string.
func bindDay(x any, got string) (calendar.DayOfYear, error) {
	var d calendar.DayOfYear
	s, ok := x.(string)
	if !ok {
		return d, fmt.Errorf("want a day \"MM-DD\", got %s", got)
	}
	err := d.UnmarshalText([]byte(s))
	return d, err
}
