package sweep

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/collsim/collsim/internal/strict"
	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/scenario"
)

// maxLevels bounds the values of one range, and maxPoints the points of a
// sweep, so that a slip of a step does not plan a billion runs.
const (
	maxLevels = 10000
	maxPoints = 100000
)

// Param is a varied parameter: a scenario key and the values it takes (a
// list or a range), or a distribution it is sampled from.
type Param struct {
	Key    string  // as in the sweep file and the --set syntax; the column of runs.csv
	Type   string  // the scenario parameter's type (float, integer, date, …); "" if unknown
	Levels []Value // the values to take; nil for a distribution
	dist   *distribution
}

// distribution is a distribution to sample a parameter from.
type distribution struct {
	kind     string  // uniform, loguniform, normal
	lo, hi   float64 // bounds; ±Inf for an unbounded normal
	mean, sd float64 // normal
	dates    bool    // uniform over the days from start to start+days
	start    calendar.Date
	days     int
}

// Distributions, with what each needs.
var distributions = map[string]string{
	"uniform":    "min and max (numbers or dates)",
	"loguniform": "min and max, both above 0",
	"normal":     "mean and sd (and min, max to truncate it)",
}

// quantile returns the value below which a share u of the distribution lies.
func (d *distribution) quantile(u float64) float64 {
	switch d.kind {
	case "loguniform":
		return math.Exp(math.Log(d.lo) + u*(math.Log(d.hi)-math.Log(d.lo)))
	case "normal":
		n := distuv.Normal{Mu: d.mean, Sigma: d.sd}
		a, b := n.CDF(d.lo), n.CDF(d.hi)
		return n.Quantile(a + u*(b-a))
	}
	return d.lo + u*(d.hi-d.lo)
}

// sample returns the parameter's value at u in (0, 1): the level at u for a
// list or a range, else the distribution's quantile, a whole number for an
// integer parameter, a day for a date, and otherwise rounded to six
// significant digits (the value written is the value run).
func (p *Param) sample(u float64) Value {
	if p.dist == nil {
		return p.Levels[min(int(u*float64(len(p.Levels))), len(p.Levels)-1)]
	}
	d := p.dist
	if d.dates {
		return Value{d.start.AddDays(min(int(u*float64(d.days+1)), d.days)).String()}
	}
	x := d.quantile(u)
	if p.Type == "integer" {
		return Value{int64(math.Round(x))}
	}
	return Value{round(x, 6)}
}

// round returns x rounded to digits significant digits.
func round(x float64, digits int) float64 {
	y, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', digits, 64), 64)
	return y
}

// ParamType returns the type of the scenario parameter at key, in the
// --set syntax ("cadre.courage", 'regions."North Caucasus".zeal'): float,
// integer, date, day, boolean or string, or "" if there is none.
func ParamType(key string) string {
	segs, ok := strict.SplitKey(key)
	if !ok {
		return ""
	}
	return paramType(segs)
}

// paramType returns the type of the scenario parameter at the key parts
// segs (as scenario.Parameters names it: float, integer, date, day,
// boolean, string), or "" if there is none.
func paramType(segs []string) string {
	types := map[string]string{}
	arrays := map[string]bool{}
	for _, p := range scenario.Parameters() {
		types[p.Key] = p.Type
		if i := strings.Index(p.Key, "[]"); i >= 0 {
			arrays[p.Key[:i]] = true
		}
	}
	key := ""
	for i := 0; i < len(segs); i++ {
		key = strict.JoinKey(key, segs[i])
		if arrays[key] {
			key += "[]" // the next part names an element
			i++
			continue
		}
		if t, ok := types[key]; ok {
			switch {
			case i == len(segs)-1:
				return t
			case t == "table of dates" && i == len(segs)-2:
				return "date"
			}
			return ""
		}
	}
	return ""
}

// levels returns the values of a range from, to, step: numbers, or dates a
// whole number of days apart.
func levels(from, to Value, step float64) ([]Value, string, string) {
	if step <= 0 || math.IsNaN(step) || math.IsInf(step, 0) {
		return nil, "step", "the step must be above 0"
	}
	if a, ok := from.number(); ok {
		b, ok := to.number()
		if !ok {
			return nil, "to", "want a number like from, got " + describe(to)
		}
		if b < a {
			return nil, "to", fmt.Sprintf("empty range: to %s is below from %s", strict.FormatFloat(b), strict.FormatFloat(a))
		}
		n := math.Floor((b-a)/step+1e-9) + 1
		if n > maxLevels {
			return nil, "step", fmt.Sprintf("the range has %.0f values, more than %d", n, maxLevels)
		}
		vs := make([]Value, int(n))
		for i := range vs {
			vs[i] = Value{round(a+float64(i)*step, 12)}
		}
		return vs, "", ""
	}
	a, ok := from.date()
	if !ok {
		return nil, "from", "want a number or a date, got " + describe(from)
	}
	b, ok := to.date()
	if !ok {
		return nil, "to", "want a date like from, got " + describe(to)
	}
	if step != math.Trunc(step) {
		return nil, "step", "the step of a range of dates is a whole number of days"
	}
	if b.Before(a) {
		return nil, "to", fmt.Sprintf("empty range: to %s is before from %s", b, a)
	}
	n := b.DaysSince(a)/int(step) + 1
	if n > maxLevels {
		return nil, "step", fmt.Sprintf("the range has %d values, more than %d", n, maxLevels)
	}
	vs := make([]Value, n)
	for i := range vs {
		vs[i] = Value{a.AddDays(i * int(step)).String()}
	}
	return vs, "", ""
}

// describe says what a value holds, for messages.
func describe(v Value) string {
	switch x := v.x.(type) {
	case nil:
		return "nothing"
	case string:
		return "string " + strconv.Quote(x)
	}
	return v.String()
}
