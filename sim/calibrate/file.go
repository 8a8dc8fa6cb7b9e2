// Package calibrate fits a scenario's parameters to observed targets by
// Approximate Bayesian Computation (sim/abc), running each batch of
// proposals as a sweep (sim/sweep): in parallel, resumable after an
// interruption, and split over a cluster with shards. It writes the
// accepted parameter sets of every generation, posterior summaries, a
// pairs chart and a calibrated scenario that extends the input scenario
// with the posterior estimates.
package calibrate

import (
	"fmt"
	"math"
	"reflect"

	"github.com/collsim/collsim/internal/strict"
	"github.com/collsim/collsim/sim/abc"
	"github.com/collsim/collsim/sim/sweep"
)

// File is a calibration file (the --params file) as written: the priors of
// the parameters to fit and the settings of ABC-SMC.
type File struct {
	Description string      `toml:"description" doc:"what is calibrated, and why these parameters"`
	Seed        int64       `toml:"seed" min:"0" max:"9223372036854775807" doc:"the calibration seed: proposals and every run's seed derive from it"`
	Particles   int         `toml:"particles" min:"2" max:"100000" doc:"particles accepted in each generation"`
	Generations int         `toml:"generations" min:"1" max:"100" doc:"generations, counting generation 0 (rejection sampling from the priors)"`
	PriorRuns   int         `toml:"prior_runs" min:"0" max:"10000000" doc:"runs of generation 0; its tolerance keeps the best particles of them (default 4 × particles)"`
	Quantile    float64     `toml:"quantile" min:"0" max:"1" doc:"each generation's tolerance is this quantile of the previous generation's distances"`
	MaxRuns     int         `toml:"max_runs" min:"0" max:"10000000" doc:"most runs of a generation after the first; beyond, it keeps its best particles (default 50 × particles)"`
	Replicates  int         `toml:"replicates" min:"1" max:"1000" doc:"runs of each parameter set (their outputs averaged before the distance)"`
	Set         []string    `toml:"set" doc:"overrides applied to every run, in the --set syntax (\"population.households=50000\")"`
	Estimate    string      `toml:"estimate" doc:"what the calibrated scenario sets: the posterior median (default) or mean"`
	Parameters  []ParamSpec `toml:"parameters" doc:"the parameters to fit, one [[parameters]] table each"`
}

// ParamSpec is one [[parameters]] table: a scenario key and its prior.
type ParamSpec struct {
	Key   string  `toml:"key" doc:"the scenario parameter, in the --set syntax: cadre.targeting_rate, regions.Moscow.zeal"`
	Prior string  `toml:"prior" doc:"uniform (default) or loguniform"`
	Min   float64 `toml:"min" doc:"the prior's lower bound"`
	Max   float64 `toml:"max" doc:"the prior's upper bound"`
}

// Estimates.
const (
	Median = "median"
	Mean   = "mean"
)

// defaultFile returns a calibration file's defaults.
func defaultFile() File {
	return File{Seed: 1, Particles: 100, Generations: 4, Quantile: 0.5, Replicates: 1, Estimate: Median}
}

// schema binds calibration files; a parameter's prior is uniform unless it
// says otherwise.
var schema = strict.NewSchema(strict.Elem(func() ParamSpec { return ParamSpec{Prior: "uniform"} }))

// ParseFile reads a calibration file strictly from data; name is used in
// messages. Its error is a strict.ErrorList naming the file, the line and
// the key of each problem. It does not check the keys against a scenario
// (NewPlan does).
func ParseFile(name string, data []byte) (*File, strict.Positions, error) {
	root, errs := strict.Decode(name, data)
	if len(errs) > 0 {
		return nil, nil, errs
	}
	f := defaultFile()
	pos, errs := schema.Bind(reflect.ValueOf(&f).Elem(), root)
	fail := func(key, msg, hint string) { errs = append(errs, pos.Error(key, msg, hint)) }
	schema.Ranges(reflect.ValueOf(&f).Elem(), func(key, msg string) { fail(key, msg, "") })
	if len(errs) == 0 {
		if f.PriorRuns == 0 {
			f.PriorRuns = 4 * f.Particles
		}
		switch {
		case f.PriorRuns < f.Particles:
			fail("prior_runs", fmt.Sprintf("%d prior runs are fewer than the %d particles", f.PriorRuns, f.Particles), "")
		case f.MaxRuns != 0 && f.MaxRuns < f.Particles:
			fail("max_runs", fmt.Sprintf("%d runs are fewer than the %d particles", f.MaxRuns, f.Particles), "")
		case !(f.Quantile > 0 && f.Quantile < 1):
			fail("quantile", fmt.Sprintf("%s: want a number strictly between 0 and 1", strict.FormatFloat(f.Quantile)), "0.5 is usual")
		}
		if f.Estimate != Median && f.Estimate != Mean {
			fail("estimate", fmt.Sprintf("unknown estimate %q", f.Estimate), `want "median" or "mean"`)
		}
		if len(f.Parameters) == 0 {
			fail("parameters", "no parameters to fit", `add a [[parameters]] table with key, min and max`)
		}
		seen := map[string]int{}
		for i, p := range f.Parameters {
			key := strict.IndexKey("parameters", i)
			switch {
			case p.Key == "":
				fail(key, "no key", `name the scenario parameter, e.g. key = "cadre.targeting_rate"`)
				continue
			case sweep.ParamType(p.Key) == "":
				// Plan says more, with the scenario in hand.
			case sweep.ParamType(p.Key) != "float":
				fail(key+".key", fmt.Sprintf("%s is a %s: only real numbers are calibrated", p.Key, sweep.ParamType(p.Key)), "")
			}
			if j, dup := seen[p.Key]; dup {
				fail(key+".key", p.Key+" is fitted twice", fmt.Sprintf("parameters[%d] fits it too", j))
			}
			seen[p.Key] = i
			if !pos.Has(key+".min") || !pos.Has(key+".max") {
				fail(key, "a prior needs min and max", "")
				continue
			}
			switch {
			case p.Prior != "uniform" && p.Prior != "loguniform":
				fail(key+".prior", fmt.Sprintf("unknown prior %q", p.Prior), `want "uniform" or "loguniform"`)
			case math.IsNaN(p.Min) || math.IsInf(p.Min, 0) || math.IsNaN(p.Max) || math.IsInf(p.Max, 0):
				fail(key, "min and max must be finite numbers", "")
			case !(p.Min < p.Max):
				fail(key+".max", fmt.Sprintf("max %s is not above min %s", strict.FormatFloat(p.Max), strict.FormatFloat(p.Min)), "")
			case p.Prior == "loguniform" && p.Min <= 0:
				fail(key+".min", "the bounds of a loguniform prior are above 0", "")
			}
		}
	}
	if len(errs) > 0 {
		errs.Sort(name)
		return nil, nil, errs
	}
	return &f, pos, nil
}

// Priors returns the parameters' priors for abc.
func (f *File) Priors() []abc.Prior {
	ps := make([]abc.Prior, len(f.Parameters))
	for i, p := range f.Parameters {
		ps[i] = abc.Prior{Name: p.Key, Min: p.Min, Max: p.Max, Log: p.Prior == "loguniform"}
	}
	return ps
}
