package calibrate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/collsim/collsim/internal/strict"
	"github.com/collsim/collsim/sim/abc"
	"github.com/collsim/collsim/sim/rng"
	"github.com/collsim/collsim/sim/scenario"
	"github.com/collsim/collsim/sim/sweep"
	"github.com/collsim/collsim/sim/targets"
)

// Plan is a calibration checked and ready to run: the scenario, the
// targets (only those of role fit drive it) and the calibration file.
type Plan struct {
	ScenarioPath string
	Base         *scenario.Scenario // the scenario with the file's set applied
	TargetPaths  []string
	Targets      targets.List // every target; the holdout ones are measured, not fitted
	Fit          targets.List
	ParamsPath   string
	File         *File
	Priors       []abc.Prior
	Before       []float64 // each parameter's value in the scenario (NaN if not found)

	paramsData []byte // the calibration file as read, for its copy in the output folder
}

// valueAt returns the number at key (in the --set syntax) of the scenario,
// or NaN: struct fields by their toml tags, regions and phases by name.
func valueAt(s *scenario.Scenario, key string) float64 {
	segs, ok := strict.SplitKey(key)
	if !ok {
		return math.NaN()
	}
	v := reflect.ValueOf(s).Elem()
	for _, seg := range segs {
		switch v.Kind() {
		case reflect.Struct:
			f := -1
			for i := range v.NumField() {
				if v.Type().Field(i).Tag.Get("toml") == seg {
					f = i
				}
			}
			if f < 0 {
				return math.NaN()
			}
			v = v.Field(f)
		case reflect.Slice:
			found := false
			for i := range v.Len() {
				if n := v.Index(i).FieldByName("Name"); n.IsValid() && n.String() == seg {
					v, found = v.Index(i), true
					break
				}
			}
			if !found {
				return math.NaN()
			}
		default:
			return math.NaN()
		}
	}
	if v.CanFloat() {
		return v.Float()
	}
	return math.NaN()
}

// NewPlan reads and checks a calibration: the scenario, the target files
// and the calibration file, each parameter's bounds applied to the
// scenario and each target checked against it. Errors name the file, the
// line and the key.
func NewPlan(scenarioPath string, targetPaths []string, paramsPath string) (*Plan, error) {
	data, err := strict.ReadFile(paramsPath)
	if err != nil {
		return nil, err
	}
	f, pos, err := ParseFile(paramsPath, data)
	if err != nil {
		return nil, err
	}
	base, err := scenario.Load(scenarioPath, f.Set...)
	if err != nil {
		var list strict.ErrorList
		if errors.As(err, &list) {
			for _, e := range list {
				if e.File == strict.SetFile && e.Line >= 1 && e.Line <= len(f.Set) {
					p := pos.Error(strict.IndexKey("set", e.Line-1), e.Error(), "")
					e.File, e.Line, e.Key, e.Msg, e.Hint = p.File, p.Line, p.Key, p.Msg, ""
				}
			}
		}
		return nil, err
	}
	var errs strict.ErrorList
	for i, p := range f.Parameters {
		key := strict.IndexKey("parameters", i)
		for _, b := range []struct {
			k string
			x float64
		}{{"min", p.Min}, {"max", p.Max}} {
			_, err := scenario.Load(scenarioPath, append(slices.Clone(f.Set), p.Key+"="+strict.FormatFloat(b.x))...)
			var list strict.ErrorList
			if errors.As(err, &list) {
				for _, e := range list {
					at := key + "." + b.k
					if e.Msg == "unknown key" || e.Msg == "not a key" || strings.HasPrefix(e.Msg, "no element named") {
						at = key + ".key"
					}
					errs = append(errs, pos.Error(at, e.Key+": "+e.Msg, e.Hint))
				}
			}
		}
	}
	if len(errs) > 0 {
		errs = slices.CompactFunc(errs, func(a, b *strict.Error) bool { return a.Error() == b.Error() })
		return nil, errs
	}
	ts, err := targets.Load(targetPaths...)
	if err != nil {
		return nil, err
	}
	if err := ts.Check(base); err != nil {
		return nil, err
	}
	p := &Plan{ScenarioPath: scenarioPath, Base: base, TargetPaths: targetPaths, Targets: ts, Fit: ts.Role(targets.Fit),
		ParamsPath: paramsPath, File: f, Priors: f.Priors(), paramsData: data}
	for _, pr := range p.Priors {
		p.Before = append(p.Before, valueAt(base, pr.Name))
	}
	if len(p.Fit) == 0 {
		return nil, fmt.Errorf("%s: no target has role \"fit\": nothing to calibrate on", strings.Join(targetPaths, ", "))
	}
	return p, nil
}

// Config returns the ABC-SMC settings of the plan.
func (p *Plan) Config() abc.Config {
	f := p.File
	return abc.Config{Priors: p.Priors, Particles: f.Particles, Generations: f.Generations, PriorRuns: f.PriorRuns,
		Quantile: f.Quantile, MaxRuns: f.MaxRuns, Seed: uint64(f.Seed)}
}

// Options control how a calibration runs; its results do not depend on them.
type Options struct {
	Dir     string      // the output folder
	Workers int         // runs at a time
	Resume  bool        // continue the calibration in Dir rather than refuse it
	Shard   sweep.Shard // run only this shard of each batch (implies Resume)
	Version string
	Command string
	Log     io.Writer
}

// ErrPending is the error of Run in a shard that has done its part of a
// batch while other shards of it are unfinished: run it again (as a job
// array does) when they are done.
var ErrPending = errors.New("other shards are unfinished")

// Result is a finished calibration.
type Result struct {
	Plan        *Plan
	Generations []*abc.Generation
	Summaries   []abc.Summary // of the last generation, 90% intervals
	Estimate    []float64     // the posterior median or mean of each parameter
}

// Level is the level of the posterior intervals.
const Level = 0.9

// Files of a calibration's output folder.
const (
	CopyFile        = "calibrate.toml"  // the calibration file, with provenance
	ParticlesFile   = "particles.csv"   // accepted particles of every generation
	GenerationsFile = "generations.csv" // tolerance, runs, effective sample size
	PosteriorFile   = "posterior.csv"   // posterior summaries
	PairsPNG        = "pairs.png"       // the pairs chart of the posterior
	PairsSVG        = "pairs.svg"
	ReportFile      = "calibration.md" // a Markdown summary
	CalibratedFile  = "calibrated.toml"
)

// Run calibrates: ABC-SMC whose batches of proposals run as sweeps in
// Dir/gen-G/batch-B. An interrupted calibration continues with Resume: the
// batches already run are read back, not run again, and every proposal
// depends only on the seed and on earlier results, so the result is that of
// a calibration never interrupted. With a Shard, each batch runs only that
// shard; when a batch's other shards are unfinished Run returns an error
// wrapping ErrPending, and when they are all done any shard (or an
// unsharded run) merges them and goes on.
func Run(ctx context.Context, p *Plan, opt Options) (*Result, error) {
	if opt.Shard.Count > 0 {
		opt.Resume = true
	}
	if _, err := os.Stat(filepath.Join(opt.Dir, CopyFile)); err == nil && !opt.Resume {
		return nil, fmt.Errorf("%s holds a calibration already (%s): add --resume to finish it, or choose another --out", opt.Dir, CopyFile)
	}
	if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
		return nil, err
	}
	if err := p.writeCopy(opt); err != nil {
		return nil, err
	}
	r := &runner{plan: p, opt: opt}
	progress := func(g *abc.Generation) {
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, "generation %d: ε = %.4g, %d runs in %d batches, %d particles, effective sample size %.0f%s\n",
				g.Index, g.Epsilon, g.Runs, g.Batches, len(g.Particles), g.ESS(), map[bool]string{true: " (hit max_runs: kept the best)"}[g.Fallback])
		}
	}
	gens, err := abc.Run(ctx, p.Config(), r.simulate, progress)
	if err != nil {
		return nil, err
	}
	res := &Result{Plan: p, Generations: gens}
	last := gens[len(gens)-1]
	res.Summaries = last.Summarize(p.Priors, Level)
	for _, s := range res.Summaries {
		e := s.Median
		if p.File.Estimate == Mean {
			e = s.Mean
		}
		res.Estimate = append(res.Estimate, e)
	}
	return res, nil
}

// runner runs the batches of a calibration as sweeps.
type runner struct {
	plan *Plan
	opt  Options
}

// Stream keys under the calibration seed.
const keyBatch = 1 // a batch's sweep seed: (keyBatch, generation, batch)

// batchSweep returns the sweep of batch b of generation g: a list design of
// the proposals, every target an output.
func (r *runner) batchSweep(g, b int, thetas [][]float64) (*sweep.Sweep, string, error) {
	p := r.plan
	dir := filepath.Join(r.opt.Dir, fmt.Sprintf("gen-%d", g), fmt.Sprintf("batch-%d", b))
	base, err := sweep.RelPath(dir, p.ScenarioPath)
	if err != nil {
		return nil, "", err
	}
	f := sweep.File{
		Name:        fmt.Sprintf("%s-gen%d-batch%d", p.Base.Name, g, b),
		Description: fmt.Sprintf("calibration of %s (%s): the proposals of batch %d of generation %d", p.Base.Name, filepath.Base(p.ParamsPath), b, g),
		Base:        base,
		Seed:        int64(rng.Derive(uint64(p.File.Seed), keyBatch, uint64(g), uint64(b)) >> 1),
		Replicates:  p.File.Replicates,
		Design:      "list",
		Set:         p.File.Set,
	}
	for j, pr := range p.Priors {
		spec := sweep.ParamSpec{Key: pr.Name}
		for _, th := range thetas {
			spec.Values = append(spec.Values, sweep.NumberValue(th[j]))
		}
		f.Parameters = append(f.Parameters, spec)
	}
	for _, t := range p.Targets {
		f.Outputs = append(f.Outputs, t.Output())
	}
	sw, err := sweep.Parse(filepath.Join(dir, sweep.SweepCopy), f.Encode())
	return sw, dir, err
}

// simulate is the abc.Simulator: it runs (or reads back) the batch's sweep
// and returns each proposal's distance to the fit targets.
func (r *runner) simulate(ctx context.Context, g, b int, thetas [][]float64) ([]float64, error) {
	sw, dir, err := r.batchSweep(g, b, thetas)
	if err != nil {
		return nil, fmt.Errorf("generation %d, batch %d: %w", g, b, err)
	}
	t, err := r.execute(ctx, sw, dir)
	if err != nil {
		return nil, fmt.Errorf("generation %d, batch %d: %w", g, b, err)
	}
	return distances(t, r.plan.Fit, len(thetas))
}

// execute runs the sweep of a batch in dir, or the shard of it, and returns
// its table when every run is done.
func (r *runner) execute(ctx context.Context, sw *sweep.Sweep, dir string) (*sweep.Table, error) {
	opt := sweep.Options{Workers: r.opt.Workers, Resume: r.opt.Resume, Version: r.opt.Version, Command: r.opt.Command, Log: r.opt.Log}
	_, err := os.Stat(filepath.Join(dir, sweep.JournalFile))
	whole := err == nil // dir holds the batch's own journal: run whole, or its shards merged
	shards, count, err := shardDirs(dir)
	if err != nil {
		return nil, err
	}
	if !whole && r.opt.Shard.Count > 0 {
		// Run this shard, then merge if every shard is done.
		opt.Dir, opt.Shard, opt.Resume = r.opt.Shard.Dir(dir), r.opt.Shard, true
		if count > 0 && count != r.opt.Shard.Count {
			return nil, fmt.Errorf("%s holds shards of a split in %d, not %d", dir, count, r.opt.Shard.Count)
		}
		if _, err := sweep.Execute(ctx, sw, opt); err != nil {
			return nil, err
		}
		shards, _, err = shardDirs(dir)
		if err != nil {
			return nil, err
		}
		if len(shards) < r.opt.Shard.Count {
			return nil, fmt.Errorf("%w: %d of %d shards of %s have started", ErrPending, len(shards), r.opt.Shard.Count, dir)
		}
		t, err := sweep.Merge(shards, dir, nil)
		if _, ok := errors.AsType[*sweep.MissingError](err); ok {
			return nil, fmt.Errorf("%w in %s", ErrPending, dir)
		}
		return t, err
	}
	if !whole && count > 0 {
		// A sharded run started this batch: finish each shard here, then merge.
		for i := range count {
			opt.Shard = sweep.Shard{Index: i, Count: count}
			opt.Dir, opt.Resume = opt.Shard.Dir(dir), true
			if _, err := sweep.Execute(ctx, sw, opt); err != nil {
				return nil, err
			}
		}
		shards, _, err = shardDirs(dir)
		if err != nil {
			return nil, err
		}
		return sweep.Merge(shards, dir, nil)
	}
	opt.Dir = dir
	if whole {
		opt.Resume = true // done, or begun, by this calibration
	}
	rep, err := sweep.Execute(ctx, sw, opt)
	if err != nil {
		return nil, err
	}
	return rep.Table, nil
}

// shardDirs returns the shard folders of a batch (those holding a journal)
// and the number of shards of their split (0 if none).
func shardDirs(dir string) ([]string, int, error) {
	matches, _ := filepath.Glob(filepath.Join(dir, "shard-*-of-*"))
	var dirs []string
	count := 0
	for _, m := range matches {
		var i, n int
		if _, err := fmt.Sscanf(filepath.Base(m), "shard-%d-of-%d", &i, &n); err != nil {
			continue
		}
		if count != 0 && n != count {
			return nil, 0, fmt.Errorf("%s holds shards of splits in %d and in %d", dir, count, n)
		}
		count = n
		if _, err := os.Stat(filepath.Join(m, sweep.JournalFile)); err == nil {
			dirs = append(dirs, m)
		}
	}
	return dirs, count, nil
}

// distances returns each point's distance to the fit targets: that of the
// mean of its replicates' outputs (NaN if a replicate's output is NaN).
func distances(t *sweep.Table, fit targets.List, points int) ([]float64, error) {
	cols := make([]int, len(fit))
	for i, tg := range fit {
		cols[i] = slices.Index(t.Outputs, tg.Name)
		if cols[i] < 0 {
			return nil, fmt.Errorf("the sweep has no output %q", tg.Name)
		}
	}
	sums := make([][]float64, points)
	counts := make([]int, points)
	for i := range sums {
		sums[i] = make([]float64, len(fit))
	}
	for _, row := range t.Rows {
		if row.Point >= points {
			return nil, fmt.Errorf("the sweep has a point %d of %d", row.Point, points)
		}
		counts[row.Point]++
		for i, c := range cols {
			sums[row.Point][i] += row.Outputs[c]
		}
	}
	d := make([]float64, points)
	for p := range d {
		if counts[p] == 0 {
			return nil, fmt.Errorf("point %d has no run", p)
		}
		for i := range sums[p] {
			sums[p][i] /= float64(counts[p])
		}
		d[p] = fit.Distance(sums[p])
	}
	return d, nil
}

// writeCopy writes the calibration file with where it came from.
func (p *Plan) writeCopy(opt Options) error {
	var b strings.Builder
	fmt.Fprintf(&b, "# A copy of the calibration file %s\n# written by collsim %s\n", p.ParamsPath, opt.Version)
	if opt.Command != "" {
		fmt.Fprintf(&b, "# command: %s\n", opt.Command)
	}
	fmt.Fprintf(&b, "# scenario: %s\n# targets: %s (%s; fitted: %s)\n\n", p.ScenarioPath, strings.Join(p.TargetPaths, ", "), p.Targets.Roles(), strings.Join(p.Fit.Names(), ", "))
	b.Write(p.paramsData)
	return writeString(filepath.Join(opt.Dir, CopyFile), b.String())
}

// formatValue writes a parameter value to four significant digits.
func formatValue(x float64) string {
	if math.IsNaN(x) {
		return "NaN"
	}
	return strconv.FormatFloat(x, 'g', 4, 64)
}
