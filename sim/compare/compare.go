// Package compare runs several scenarios with the same replicate seeds and
// reports how their outcomes differ: overlaid time series, a table of key
// outcomes with 95% intervals, and a paragraph naming the largest
// differences in plain words. It writes the report as one self-contained
// HTML file or as Markdown with PNG charts.
package compare

import (
	"bytes"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/engine"
	"github.com/collsim/collsim/sim/output"
	"github.com/collsim/collsim/sim/policy"
	"github.com/collsim/collsim/sim/scenario"
)

// Level is the confidence level of every interval of a comparison.
const Level = 0.95

// Run is one finished run reduced to what a comparison needs: its summary
// (as in summary.json) and the whole country's rows at real-world scale.
type Run struct {
	Summary *output.Summary
	Dates   []calendar.Date
	Country []engine.Row // the ALL row of each step, scaled as in timeseries.csv
}

// NewRun reduces the result of a run of s.
func NewRun(s *scenario.Scenario, res *engine.Result, version string) *Run {
	r := &Run{
		Summary: output.Summarize(s, res, version),
		Dates:   res.Dates,
		Country: make([]engine.Row, len(res.Rows)),
	}
	scale := s.Scale()
	for k, step := range res.Rows {
		rows := output.ScaleRows(step, scale)
		r.Country[k] = rows[len(rows)-1]
	}
	return r
}

// Arm is one scenario of a comparison with its replicate runs.
type Arm struct {
	Name        string // as shown in the report; unique in a comparison
	Description string
	Runs        []*Run // replicate runs, in the order of their seeds
	// Colour, if 1 or more, draws the arm in chart.Palette[Colour-1] (so
	// that a run keeps its colour wherever it is drawn); 0 takes the
	// palette in the order of the arms.
	Colour int
}

// Comparison is two or more arms run over the same dates.
type Comparison struct {
	Arms  []Arm
	Dates []calendar.Date
	// Posterior, if above 0, says that the runs drew their parameters from
	// a calibration's posterior: run i of every arm with parameter set i of
	// Posterior sets. Intervals are then the central 95% band of the runs
	// (a prediction band: where an outcome may lie, given what the
	// calibration leaves uncertain), not the interval of the mean.
	Posterior int
}

// New returns the comparison of arms, which must each have at least one run
// and cover the same dates.
func New(arms []Arm) (*Comparison, error) {
	if len(arms) == 0 {
		return nil, fmt.Errorf("compare: nothing to compare")
	}
	c := &Comparison{Arms: arms}
	for _, a := range arms {
		if len(a.Runs) == 0 {
			return nil, fmt.Errorf("compare: %s has no runs", a.Name)
		}
		for _, r := range a.Runs {
			if c.Dates == nil {
				c.Dates = r.Dates
				continue
			}
			if !slices.Equal(c.Dates, r.Dates) {
				return nil, fmt.Errorf("compare: %s runs from %s to %s, %s from %s to %s: compared scenarios need the same start and end",
					a.Name, r.Dates[0], r.Dates[len(r.Dates)-1], arms[0].Name, c.Dates[0], c.Dates[len(c.Dates)-1])
			}
		}
	}
	return c, nil
}

// Options control Simulate.
type Options struct {
	// Replicates is the number of runs of each scenario (at least 1).
	Replicates int
	// Seed is the seed of the first replicate: replicate i of every
	// scenario runs with seed Seed+i, whatever seed its file names, so that
	// scenarios differ by what they say and not by chance (common random
	// numbers). A replicate is the run `sim run FILE --seed Seed+i` makes.
	Seed int64
	// Posterior, if not nil, holds a parameter set for each replicate, in
	// the --set syntax (calibrate.Posterior.Sample draws them): replicate i
	// of every scenario applies Posterior[i] and runs with seed Seed+i, so
	// that scenarios are compared on the same parameter draws. It needs as
	// many sets as replicates.
	Posterior [][]string
	// Workers is the number of goroutines stepping each run.
	Workers int
	// Version is recorded in each run's summary.
	Version string
	// Progress, if not nil, is called after each run with the runs done and
	// the runs in all.
	Progress func(done, total int)
}

// Simulate runs every scenario opt.Replicates times, one run after another,
// and returns their comparison. Arms are named after the scenarios (names
// used twice get a number). It stops early with ctx's error when ctx is
// cancelled.
func Simulate(ctx context.Context, scenarios []*scenario.Scenario, opt Options) (*Comparison, error) {
	if opt.Replicates < 1 {
		return nil, fmt.Errorf("compare: %d replicates; want at least 1", opt.Replicates)
	}
	if opt.Seed < 0 || opt.Seed > math.MaxInt64-int64(opt.Replicates) {
		return nil, fmt.Errorf("compare: seed %d is out of range", opt.Seed)
	}
	if opt.Posterior != nil && len(opt.Posterior) != opt.Replicates {
		return nil, fmt.Errorf("compare: %d parameter sets for %d replicates; want one each", len(opt.Posterior), opt.Replicates)
	}
	// Every run's scenario is made before any runs, so that a parameter a
	// scenario does not have stops the comparison at once.
	runs := make([][]*scenario.Scenario, len(scenarios))
	for i, s := range scenarios {
		for r := range opt.Replicates {
			sc := s
			if opt.Posterior != nil {
				var err error
				if sc, err = WithSet(s, opt.Posterior[r]); err != nil {
					return nil, fmt.Errorf("compare: %s with parameter set %d of the posterior: %w", s.Name, r+1, err)
				}
			}
			c := *sc
			c.Seed = opt.Seed + int64(r)
			runs[i] = append(runs[i], &c)
		}
	}
	total := len(scenarios) * opt.Replicates
	arms := make([]Arm, len(scenarios))
	seen := map[string]int{}
	for i, s := range scenarios {
		name := s.Name
		if seen[name]++; seen[name] > 1 {
			name = fmt.Sprintf("%s (%d)", name, seen[name])
		}
		arms[i] = Arm{Name: name, Description: s.Description}
		for r, sc := range runs[i] {
			w, err := engine.New(sc, engine.Options{Workers: opt.Workers})
			if err != nil {
				return nil, err
			}
			res, err := w.Run(ctx, nil)
			if err != nil {
				return nil, err
			}
			arms[i].Runs = append(arms[i].Runs, NewRun(sc, res, opt.Version))
			if opt.Progress != nil {
				opt.Progress(i*opt.Replicates+r+1, total)
			}
		}
	}
	c, err := New(arms)
	if err != nil {
		return nil, err
	}
	if opt.Posterior != nil {
		c.Posterior = len(opt.Posterior)
	}
	return c, nil
}

// WithSet returns s with the overrides of set applied (in the --set
// syntax), as sim run --set would apply them to the resolved scenario s:
// s is written as TOML and read back with them. s is not changed. Its
// error names each key that s does not have or that takes no such value,
// with one exception: a key of a phase s does not have
// (phases.NAME.key) is left out, since a posterior fitted on a longer
// history (the campaign from 1927 fits the persuasion of its voluntary
// years) also serves scenarios that start later, without those phases.
func WithSet(s *scenario.Scenario, set []string) (*scenario.Scenario, error) {
	var b bytes.Buffer
	if err := s.EncodeTOML(&b); err != nil {
		return nil, err
	}
	kept := make([]string, 0, len(set))
	for _, kv := range set {
		if name, ok := phaseOf(kv); ok && !slices.ContainsFunc(s.Phases, func(p policy.Phase) bool { return p.Name == name }) {
			continue
		}
		kept = append(kept, kv)
	}
	return scenario.Parse(s.Name+" (resolved)", b.Bytes(), kept...)
}

// phaseOf returns the phase named by an override phases.NAME.key=value.
func phaseOf(kv string) (string, bool) {
	rest, ok := strings.CutPrefix(kv, "phases.")
	if !ok {
		return "", false
	}
	name, _, ok := strings.Cut(rest, ".")
	return name, ok && name != ""
}

// Seeds returns the seeds of an arm's runs.
func (a *Arm) Seeds() []int64 {
	s := make([]int64, len(a.Runs))
	for i, r := range a.Runs {
		s[i] = r.Summary.Seed
	}
	return s
}
