// Package validity writes the reports that judge a scenario as a model of
// history: its fit to observed targets over replicate runs (fitted and held
// out), the sensitivity of its outcomes to its parameters (Morris and
// Sobol), and what each of its mechanisms contributes to each pattern
// (ablation). Every run goes through a sweep (sim/sweep), so reports run in
// parallel, resume after an interruption, and depend only on their seeds.
package validity

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/collsim/collsim/sim/scenario"
	"github.com/collsim/collsim/sim/sweep"
)

// Runs are the runs behind a report: a scenario with overrides, replicated.
type Runs struct {
	Scenario   string   // the scenario file
	Set        []string // overrides, in the --set syntax ("population.households=50000")
	Replicates int
	Seed       int64 // the sweep seed from which each replicate's seed derives

	base *scenario.Scenario // the scenario loaded with the overrides (NewRuns); nil: load it
}

// NewRuns returns the runs of the scenario file at path with the overrides
// sets, replicated, and the scenario with the overrides applied, loaded
// once: the reports use it rather than load it again. The sweep seed is the
// scenario's; set Seed for another.
func NewRuns(path string, sets []string, replicates int) (Runs, *scenario.Scenario, error) {
	s, err := scenario.Load(path, sets...)
	if err != nil {
		return Runs{}, nil, err
	}
	return Runs{Scenario: path, Set: sets, Replicates: replicates, Seed: s.Seed, base: s}, s, nil
}

// Options control how a report's runs are done; its results do not depend
// on them.
type Options struct {
	Workers int
	Resume  bool // continue the runs in the report's folder rather than refuse them
	Version string
	Command string
	Log     io.Writer
}

// load returns the scenario of the runs with their overrides applied: the
// one NewRuns loaded, or else read from the file.
func (r *Runs) load() (*scenario.Scenario, error) {
	if r.base != nil {
		return r.base, nil
	}
	return scenario.Load(r.Scenario, r.Set...)
}

// sweepFile returns a list-design sweep of the runs, to be run in dir.
func (r *Runs) sweepFile(name, description, dir string) (sweep.File, error) {
	base, err := sweep.RelPath(dir, r.Scenario)
	if err != nil {
		return sweep.File{}, err
	}
	return sweep.File{Name: name, Description: description, Base: base, Seed: r.Seed,
		Replicates: r.Replicates, Design: "list", Set: r.Set}, nil
}

// execute runs the sweep file f in dir (resuming its journal when
// opt.Resume) and returns the sweep and its finished runs.
func execute(ctx context.Context, f sweep.File, dir string, opt Options) (*sweep.Sweep, *sweep.Table, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, nil, err
	}
	sw, err := sweep.Parse(filepath.Join(dir, sweep.SweepCopy), f.Encode())
	if err != nil {
		return nil, nil, fmt.Errorf("planning the runs: %w", err)
	}
	rep, err := sweep.Execute(ctx, sw, sweep.Options{Dir: dir, Workers: opt.Workers, Resume: opt.Resume,
		Version: opt.Version, Command: opt.Command, Log: opt.Log})
	if err != nil {
		return nil, nil, err
	}
	return sw, rep.Table, nil
}

// column returns the values of the output named name of the runs of point
// p, replicate by replicate.
func column(t *sweep.Table, name string, p int) []float64 {
	c := slices.Index(t.Outputs, name)
	var xs []float64
	for _, r := range t.Rows {
		if r.Point == p && c >= 0 {
			xs = append(xs, r.Outputs[c])
		}
	}
	return xs
}
