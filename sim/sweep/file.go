package sweep

import (
	"fmt"
	"reflect"
	"time"

	"github.com/collsim/collsim/internal/strict"
	"github.com/collsim/collsim/sim/calendar"
)

// File is a sweep file as written: a base scenario, the parameters to vary
// and how, the design, the replicates and the outputs to summarise. Load
// reads one strictly and resolves it into a Sweep.
type File struct {
	Name         string       `toml:"name" doc:"short name; the default output folder is results/<name>"`
	Description  string       `toml:"description" doc:"what the sweep asks"`
	Base         string       `toml:"base" doc:"the base scenario file, relative to the sweep file"`
	Seed         int64        `toml:"seed" min:"0" max:"9223372036854775807" doc:"sweep seed: every run's seed and the Latin hypercube derive from it"`
	Replicates   int          `toml:"replicates" min:"1" max:"100000" doc:"runs (seeds) per point"`
	Design       string       `toml:"design" doc:"grid (every combination of values), lhs (a Latin hypercube of points), list (point k takes the k-th value of every parameter), morris (elementary-effect trajectories) or sobol (a Saltelli design for Sobol indices)"`
	Points       int          `toml:"points" doc:"points of a Latin hypercube (design = \"lhs\")"`
	Trajectories int          `toml:"trajectories" doc:"trajectories of a Morris design (design = \"morris\"), each of k+1 points for k parameters"`
	Levels       int          `toml:"levels" doc:"grid levels of a Morris design (even; default 4)"`
	Samples      int          `toml:"samples" doc:"base samples of a Sobol design (design = \"sobol\"): n(k+2) points for k parameters"`
	CommonSeeds  bool         `toml:"common_seeds" doc:"every point runs with the same replicate seeds (common random numbers), so that points differ by their values only; Morris and Sobol designs share seeds within each trajectory or row"`
	Set          []string     `toml:"set" doc:"overrides applied to every run, in the --set syntax (\"population.households=5000\")"`
	Parameters   []ParamSpec  `toml:"parameters" doc:"the parameters to vary; the first is the main one (the chart's x axis)"`
	Outputs      []OutputSpec `toml:"outputs" doc:"the outputs to summarise; the first is the main one (the chart's y axis)"`
}

// ParamSpec is one [[parameters]] table: a scenario key and either a list of
// values, a range (from, to, step) or a distribution to sample.
type ParamSpec struct {
	Key          string  `toml:"key" doc:"the scenario parameter, in the --set syntax: household.fear_decay, regions.Moscow.zeal, phases.halt.start"`
	Values       []Value `toml:"values" doc:"the values to take (numbers, dates, strings or booleans)"`
	From         Value   `toml:"from" doc:"first value of a range (a number or a date)"`
	To           Value   `toml:"to" doc:"last value of a range (included if a whole number of steps away)"`
	Step         float64 `toml:"step" doc:"step of a range (days, for dates)"`
	Distribution string  `toml:"distribution" doc:"uniform, loguniform or normal (design = \"lhs\" only)"`
	Min          Value   `toml:"min" doc:"lower bound of a distribution (a number, or a date for uniform)"`
	Max          Value   `toml:"max" doc:"upper bound of a distribution"`
	Mean         float64 `toml:"mean" doc:"mean of a normal distribution"`
	SD           float64 `toml:"sd" min:"0" doc:"standard deviation of a normal distribution"`
}

// OutputSpec is one [[outputs]] table: a key of summary.json, or a column of
// timeseries.csv at a region and a date.
type OutputSpec struct {
	Name       string `toml:"name" doc:"column name in runs.csv and summary.csv (default: the key)"`
	Summary    string `toml:"summary" doc:"a key of summary.json, dotted for nested keys: peak_share, regions.Moscow.peak_share"`
	Timeseries string `toml:"timeseries" doc:"a column of timeseries.csv: collective_share, arrested, …"`
	Region     string `toml:"region" doc:"the region of a timeseries output (ALL: the whole country)"`
	Date       Value  `toml:"date" doc:"the date of a timeseries output: the last step on or before it"`
}

// defaultFile returns a sweep file's defaults.
func defaultFile() File {
	return File{Seed: 1, Replicates: 1, Design: designGrid, Levels: 4}
}

// Designs.
const (
	designGrid   = "grid"
	designLHS    = "lhs"
	designList   = "list"
	designMorris = "morris"
	designSobol  = "sobol"
)

// sampled reports whether a design samples its parameters' distributions.
func sampled(design string) bool {
	return design == designLHS || design == designMorris || design == designSobol
}

// NumberValue returns a number as a Value.
func NumberValue(x float64) Value { return Value{x} }

// BoolValue returns a boolean as a Value.
func BoolValue(b bool) Value { return Value{b} }

// DateValue returns a date as a Value.
func DateValue(d calendar.Date) Value { return Value{d.String()} }

// Value is a value of a sweep file as TOML wrote it: a number (int64 or
// float64), a date (time.Time), a string or a boolean; the zero Value is
// "not given".
type Value struct {
	x any
}

// IsZero reports whether the value was not given.
func (v Value) IsZero() bool { return v.x == nil }

// number returns the value as a number.
func (v Value) number() (float64, bool) {
	switch x := v.x.(type) {
	case int64:
		return float64(x), true
	case float64:
		return x, true
	}
	return 0, false
}

// date returns the value as a date: a TOML date or a "YYYY-MM-DD" string.
func (v Value) date() (calendar.Date, bool) {
	var d calendar.Date
	switch x := v.x.(type) {
	case time.Time:
		return d, d.UnmarshalTOML(x) == nil
	case string:
		d, err := calendar.ParseDate(x)
		return d, err == nil
	}
	return d, false
}

// setting returns the value as a runs.csv cell and as a TOML value for --set.
func (v Value) setting() (cell, lit string) {
	switch x := v.x.(type) {
	case string:
		return x, strict.QuoteString(x)
	case int64:
		s := fmt.Sprint(x)
		return s, s
	case float64:
		s := strict.FormatFloat(x)
		return s, s
	case bool:
		s := fmt.Sprint(x)
		return s, s
	}
	if d, ok := v.date(); ok {
		return d.String(), d.String()
	}
	return fmt.Sprint(v.x), fmt.Sprint(v.x)
}

// lit returns the value as a TOML value for --set.
func (v Value) lit() string {
	_, l := v.setting()
	return l
}

// String returns the value as written in runs.csv.
func (v Value) String() string {
	c, _ := v.setting()
	return c
}

// bindValue reads a Value: any single TOML value.
func bindValue(x any, got string) (Value, error) {
	switch x.(type) {
	case string, int64, float64, bool, time.Time:
		return Value{x}, nil
	}
	return Value{}, fmt.Errorf("want a number, a date, a string or a boolean, got %s", got)
}

// schema binds sweep files; an output's region is ALL unless it says otherwise.
var schema = strict.NewSchema(
	strict.Value(bindValue),
	strict.Elem(func() OutputSpec { return OutputSpec{Region: "ALL"} }),
)

// fileType is the type sweep files are bound onto.
var fileType = reflect.TypeFor[File]()
