// Package targets reads the observed quantities a model is checked
// against: target files (TOML, read strictly), each target a number of a
// run's summary.json or of its timeseries.csv at a region and a date, with
// a value, a tolerance, a weight, a source and a role (fitted or held out),
// and the distance between a run's outputs and the targets.
package targets

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strings"
	"time"

	"github.com/collsim/collsim/internal/strict"
	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/scenario"
	"github.com/collsim/collsim/sim/sweep"
)

// Roles of a target.
const (
	Fit     = "fit"     // drives calibration
	Holdout = "holdout" // used only to judge the fit
)

// File is a target file as written.
type File struct {
	Name        string `toml:"name" doc:"short name of the set of targets (default: the file's name)"`
	Description string `toml:"description" doc:"what the targets are and where they come from"`
	Targets     []Spec `toml:"targets" doc:"the targets, one [[targets]] table each"`
}

// Spec is one [[targets]] table: what is measured (a summary.json key, or a
// timeseries.csv column at a region and a date), the observed value and how
// close a model must come to it.
type Spec struct {
	Name              string        `toml:"name" doc:"unique name; the column of the target's output in sweeps"`
	Description       string        `toml:"description" doc:"what the target measures, in words"`
	Summary           string        `toml:"summary" doc:"a key of summary.json, dotted for nested keys: peak_share, regions.Moscow.peak_share"`
	Timeseries        string        `toml:"timeseries" doc:"a column of timeseries.csv: collective_share, land_share, arrested, …"`
	Region            string        `toml:"region" doc:"the region of a timeseries target (ALL: the whole country)"`
	Date              calendar.Date `toml:"date" doc:"the date of a timeseries target: the last weekly step on or before it"`
	Value             float64       `toml:"value" doc:"the observed value, in the units of the output (shares in 0..1, counts at real-world scale)"`
	Tolerance         float64       `toml:"tolerance" min:"0" doc:"absolute tolerance, in the units of the value (for shares)"`
	RelativeTolerance float64       `toml:"relative_tolerance" min:"0" max:"10" doc:"tolerance as a share of the value (for counts)"`
	Weight            float64       `toml:"weight" min:"0" max:"1000" doc:"weight in the distance (default 1)"`
	Role              string        `toml:"role" doc:"fit (drives calibration) or holdout (only judges the fit)"`
	Source            string        `toml:"source" doc:"where the value comes from (a citation)"`
}

// Target is a target resolved: where it was written and what it measures.
type Target struct {
	Spec
	File string // the target file
	Line int    // the line of its [[targets]] table
	Set  string // the name of its file's set of targets
}

// Tol returns the target's tolerance in the units of its value: the
// absolute tolerance, or the relative one times |value|.
func (t *Target) Tol() float64 {
	if t.RelativeTolerance > 0 {
		return t.RelativeTolerance * math.Abs(t.Value)
	}
	return t.Tolerance
}

// Relative reports whether the tolerance is relative to the value.
func (t *Target) Relative() bool { return t.RelativeTolerance > 0 }

// Z returns the model's standardized error on the target: (x − value) / tolerance.
func (t *Target) Z(x float64) float64 { return (x - t.Value) / t.Tol() }

// Hit reports whether x is within the target's tolerance of its value.
func (t *Target) Hit(x float64) bool { return math.Abs(x-t.Value) <= t.Tol()*(1+1e-9) }

// Measure describes what the target measures: "peak_share" or
// "collective_share[Moscow, 1930-03-01]".
func (t *Target) Measure() string {
	if t.Summary != "" {
		return t.Summary
	}
	return fmt.Sprintf("%s[%s, %s]", t.Timeseries, t.Region, t.Date)
}

// Output returns the sweep output that measures the target, named after it.
func (t *Target) Output() sweep.OutputSpec {
	if t.Summary != "" {
		return sweep.OutputSpec{Name: t.Name, Summary: t.Summary}
	}
	return sweep.OutputSpec{Name: t.Name, Timeseries: t.Timeseries, Region: t.Region, Date: sweep.DateValue(t.Date)}
}

// List is the targets of one or more files, in file order.
type List []*Target

// Role returns the targets of a role.
func (l List) Role(role string) List {
	var r List
	for _, t := range l {
		if t.Role == role {
			r = append(r, t)
		}
	}
	return r
}

// Names returns the targets' names.
func (l List) Names() []string {
	n := make([]string, len(l))
	for i, t := range l {
		n[i] = t.Name
	}
	return n
}

// Distance returns the distance between a run's outputs x (x[i] measures
// l[i]) and the targets: the square root of the weighted mean of squared
// standardized errors,
//
//	D = √( Σ wᵢ zᵢ² / Σ wᵢ ),  zᵢ = (xᵢ − valueᵢ) / toleranceᵢ.
//
// D ≤ 1 when the run is, on weighted average, within tolerance. An output
// that is NaN (not measured) makes D infinite; targets of weight 0 are
// left out; with no weight D is NaN.
func (l List) Distance(x []float64) float64 {
	var sum, w float64
	for i, t := range l {
		if t.Weight == 0 {
			continue
		}
		if math.IsNaN(x[i]) {
			return math.Inf(1)
		}
		z := t.Z(x[i])
		sum += t.Weight * z * z
		w += t.Weight
	}
	if w == 0 {
		return math.NaN()
	}
	return math.Sqrt(sum / w)
}

// schema binds target files: dates are single values; a target's region is
// ALL, its weight 1 and its role fit unless it says otherwise.
var schema = strict.NewSchema(
	strict.Value(bindDate),
	strict.Elem(func() Spec { return Spec{Region: "ALL", Weight: 1} }),
)

// bindDate reads a date from a TOML date or a "YYYY-MM-DD" string.
func bindDate(x any, got string) (calendar.Date, error) {
	var d calendar.Date
	switch x := x.(type) {
	case string:
		return calendar.ParseDate(x)
	case time.Time:
		return d, d.UnmarshalTOML(x)
	}
	return d, fmt.Errorf("want a date \"YYYY-MM-DD\", got %s", got)
}

// Load reads target files strictly and returns their targets in order. Its
// error is a strict.ErrorList naming the file, the line and the key of
// every problem: an unknown key, a value of the wrong type or out of range,
// a target that measures nothing or two things, a missing value, tolerance,
// role or source, or a name given twice (in one file or across files).
func Load(paths ...string) (List, error) {
	var all List
	var errs strict.ErrorList
	seen := map[string]*Target{}
	for _, path := range paths {
		data, err := strict.ReadFile(path)
		if err != nil {
			errs = append(errs, err.(strict.ErrorList)...)
			continue
		}
		l, err := Parse(path, data)
		if err != nil {
			errs = append(errs, err.(strict.ErrorList)...)
			continue
		}
		for _, t := range l {
			if u, dup := seen[t.Name]; dup {
				errs = append(errs, &strict.Error{File: t.File, Line: t.Line, Key: "targets", Msg: fmt.Sprintf("target %q is in %s:%d too", t.Name, u.File, u.Line), Hint: "give each target its own name"})
				continue
			}
			seen[t.Name] = t
			all = append(all, t)
		}
	}
	if len(errs) > 0 {
		return nil, errs
	}
	return all, nil
}

// Parse is Load of one file from bytes; name is used in messages.
func Parse(name string, data []byte) (List, error) {
	root, errs := strict.Decode(name, data)
	if len(errs) > 0 {
		return nil, errs
	}
	var f File
	pos, errs := schema.Bind(reflect.ValueOf(&f).Elem(), root)
	bound := slices.Clone(errs)
	fail := func(key, msg, hint string) {
		// Say nothing more of what could not be bound: it kept its zero value.
		for _, e := range bound {
			if e.Key == key {
				return
			}
		}
		errs = append(errs, pos.Error(key, msg, hint))
	}
	schema.Ranges(reflect.ValueOf(&f).Elem(), func(key, msg string) { fail(key, msg, "") })
	if f.Name == "" {
		f.Name = strings.TrimSuffix(baseName(name), ".toml")
	}
	if len(f.Targets) == 0 && len(errs) == 0 {
		fail("targets", "no targets", "add a [[targets]] table with a name, what it measures, value, tolerance, role and source")
	}
	var l List
	names := map[string]string{}
	for i, s := range f.Targets {
		key := strict.IndexKey("targets", i)
		has := func(k string) bool { return pos.Has(key + "." + k) }
		switch {
		case s.Name == "" && !has("name"):
			fail(key, "no name", "give the target a unique name, e.g. name = \"share_1930_03_01\"")
		case strings.ContainsAny(s.Name, ",\"\n\r") || strings.TrimSpace(s.Name) != s.Name:
			fail(key+".name", fmt.Sprintf("%q: a name may not hold commas, quotes, line breaks or surrounding spaces", s.Name), "")
		case names[s.Name] != "":
			fail(key+".name", fmt.Sprintf("target %q is named twice", s.Name), names[s.Name]+" has that name too")
		default:
			names[s.Name] = key
		}
		switch {
		case s.Summary == "" && s.Timeseries == "":
			fail(key, "the target measures nothing", `give summary = "peak_share" (a key of summary.json) or timeseries = "collective_share" with region and date`)
		case s.Summary != "" && s.Timeseries != "":
			fail(key, "give one of summary and timeseries", "")
		case s.Summary != "" && (has("region") || has("date")):
			fail(key, "region and date are for a timeseries target", "name a region in the key: regions.Moscow.peak_share")
		case s.Timeseries != "" && !has("date"):
			fail(key, "a timeseries target needs a date", `e.g. date = 1930-03-01 (the last weekly step on or before it)`)
		}
		if !has("value") {
			fail(key, "no value", "give the observed value, e.g. value = 0.572")
		} else if math.IsNaN(s.Value) || math.IsInf(s.Value, 0) {
			fail(key+".value", "the value must be a finite number", "")
		}
		switch {
		case has("tolerance") && has("relative_tolerance"):
			fail(key, "give one of tolerance (absolute) and relative_tolerance", "absolute for shares, relative for counts")
		case has("tolerance") && !(s.Tolerance > 0):
			fail(key+".tolerance", "the tolerance must be above 0", "")
		case has("relative_tolerance") && !(s.RelativeTolerance > 0):
			fail(key+".relative_tolerance", "the tolerance must be above 0", "")
		case has("relative_tolerance") && s.Value == 0:
			fail(key+".relative_tolerance", "a relative tolerance of a value of 0 is 0", "give an absolute tolerance")
		case !has("tolerance") && !has("relative_tolerance"):
			fail(key, "no tolerance", "give tolerance = 0.03 (absolute, for shares) or relative_tolerance = 0.2 (for counts)")
		}
		switch s.Role {
		case Fit, Holdout:
		case "":
			fail(key, "no role", `give role = "fit" (drives calibration) or role = "holdout" (only judges the fit)`)
		default:
			fail(key+".role", fmt.Sprintf("unknown role %q", s.Role), `want "fit" or "holdout"`)
		}
		if strings.TrimSpace(s.Source) == "" {
			fail(key, "no source", "cite where the value comes from")
		}
		line := pos[key].Line
		l = append(l, &Target{Spec: s, File: name, Line: line, Set: f.Name})
	}
	if len(errs) > 0 {
		errs.Sort(name)
		return nil, errs
	}
	return l, nil
}

// baseName returns the last element of a path.
func baseName(p string) string {
	if i := strings.LastIndexAny(p, `/\`); i >= 0 {
		return p[i+1:]
	}
	return p
}

// Check checks that the scenario s has what every target measures: a key of
// summary.json, a column of timeseries.csv, a region, a date within the
// run. Its error is a strict.ErrorList at the targets' lines.
func (l List) Check(s *scenario.Scenario) error {
	var errs strict.ErrorList
	steps := calendar.Steps(s.Start, s.End)
	for i, t := range l {
		key := strict.IndexKey("targets", i)
		if k, msg, hint := sweep.CheckOutput(t.Output(), s); msg != "" {
			errs = append(errs, &strict.Error{File: t.File, Line: t.Line, Key: key + "." + k, Msg: msg, Hint: hint})
			continue
		}
		if t.Timeseries != "" && t.Date.After(steps[len(steps)-1].AddDays(6)) {
			errs = append(errs, &strict.Error{File: t.File, Line: t.Line, Key: key + ".date",
				Msg: fmt.Sprintf("%s is after the end of %s (%s)", t.Date, s.Name, s.End)})
		}
	}
	if len(errs) > 0 {
		return errs
	}
	return nil
}

// Roles returns "fit" and "holdout" with the number of targets of each.
func (l List) Roles() string {
	return fmt.Sprintf("%d fit, %d held out", len(l.Role(Fit)), len(l.Role(Holdout)))
}

// Sets returns the names of the target sets, in order of first appearance.
func (l List) Sets() []string {
	var s []string
	for _, t := range l {
		if !slices.Contains(s, t.Set) {
			s = append(s, t.Set)
		}
	}
	return s
}
