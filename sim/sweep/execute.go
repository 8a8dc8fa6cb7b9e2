package sweep

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/collsim/collsim/internal/progress"
	"github.com/collsim/collsim/sim/engine"
	"github.com/collsim/collsim/sim/output"
)

// Options control how a sweep is run; its results do not depend on them.
type Options struct {
	Dir     string // the output folder (of the shard, see Shard.Dir)
	Workers int    // runs at a time, each on one goroutine (< 1: one)
	Resume  bool   // continue the journal in Dir rather than refuse it
	Shard   Shard  // the part of the sweep to run; zero: all of it
	Version string // the program version, recorded in the journal and the provenance files
	Command string // the command line, recorded in the provenance files
	Log     io.Writer
	// Done, if not nil, is called after each run is in the journal.
	Done func(Run)
}

// Report says what Execute did.
type Report struct {
	Runs     int    // runs of the shard (of the sweep, unsharded)
	Before   int    // runs the journal held already
	Ran      int    // runs done now
	Repaired bool   // the journal's torn last line was dropped
	Table    *Table // the finished sweep, when Execute wrote its outputs
}

// ErrInterrupted is the error of Execute when its context is cancelled:
// the runs finished are in the journal, and Resume finishes the sweep.
var ErrInterrupted = errors.New("interrupted")

// Execute runs the sweep (or one shard of it) into opt.Dir on a pool of
// opt.Workers goroutines, one run each at a time. Each finished run is
// appended to the journal and synced to disk before the next is reported;
// with opt.Resume, the runs already in the journal are not run again (a torn
// last line is dropped and its run redone), after checking the journal is of
// the same sweep. When every run of the whole sweep is in the journal,
// Execute writes runs.csv, summary.csv and the chart; a shard leaves that
// to Merge. Cancelling ctx stops the runs in progress and returns an error
// wrapping ErrInterrupted.
func Execute(ctx context.Context, sw *Sweep, opt Options) (*Report, error) {
	if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
		return nil, err
	}
	unlock, err := Lock(opt.Dir)
	if err != nil {
		return nil, err
	}
	defer unlock()
	h := sw.header(opt.Version, opt.Shard)
	var shard []int // the runs of the shard
	for k := h.Shard.Index; k < h.runs(); k += h.Shard.Count {
		shard = append(shard, k)
	}
	rep := &Report{Runs: len(shard)}

	j, rows, err := sw.openForRun(opt, h, rep)
	if err != nil {
		return rep, err
	}
	defer j.close()
	if err := sw.writeProvenance(opt); err != nil {
		return rep, err
	}
	done := make(map[int]bool, len(rows))
	for _, r := range rows {
		done[r.Point*h.Replicates+r.Replicate] = true
	}
	var todo []Run
	for _, k := range shard {
		if !done[k] {
			todo = append(todo, sw.Run(k))
		}
	}

	bar := progress.New(opt.Log, sw.Name, len(todo), progress.Options{Unit: "runs"})
	err = sw.runAll(ctx, todo, opt.Workers, func(r Run, row *Row) error {
		if err := j.add(row); err != nil {
			return fmt.Errorf("writing the journal: %w", err)
		}
		rows = append(rows, *row)
		rep.Ran++
		bar.Add(1)
		if opt.Done != nil {
			opt.Done(r)
		}
		return nil
	})
	bar.Finish()
	if err != nil {
		if ctx.Err() != nil {
			return rep, fmt.Errorf("%w with %d of %d runs done, each in %s: finish with --resume",
				ErrInterrupted, rep.Before+rep.Ran, rep.Runs, filepath.Join(opt.Dir, JournalFile))
		}
		return rep, err
	}
	if h.Shard.Count > 1 {
		return rep, nil
	}
	t := h.table()
	t.Rows = rows
	t.sort()
	rep.Table = t
	return rep, t.WriteOutputs(opt.Dir)
}

// openForRun opens the journal of opt.Dir for appending (creating it if
// there is none) and returns the rows of the runs it holds.
func (sw *Sweep) openForRun(opt Options, h header, rep *Report) (*journal, []Row, error) {
	path := filepath.Join(opt.Dir, JournalFile)
	jd, err := readJournal(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		j, err := createJournal(path, h)
		return j, nil, err
	case !opt.Resume:
		return nil, nil, fmt.Errorf("%s holds a sweep already (%s): add --resume to finish it, or choose another --out", opt.Dir, JournalFile)
	case errors.Is(err, errNoHeader):
		// Cut short as it was created: it holds no run.
		if err := os.Remove(path); err != nil {
			return nil, nil, err
		}
		j, err := createJournal(path, h)
		return j, nil, err
	case err != nil:
		return nil, nil, err
	}
	if why := jd.sameSweep(&h); why != "" {
		return nil, nil, fmt.Errorf("%s was started by %s: the sweep file or its base scenario changed since (or this is another sweep's folder); restore them, or start afresh in another --out", path, why)
	}
	if jd.Shard != h.Shard {
		return nil, nil, fmt.Errorf("%s is the journal of shard %s, not %s", path, jd.Shard, h.Shard)
	}
	if err := sw.checkRows(path, jd); err != nil {
		return nil, nil, err
	}
	if jd.torn {
		if err := os.Truncate(path, jd.good); err != nil {
			return nil, nil, fmt.Errorf("repairing %s: %w", path, err)
		}
		rep.Repaired = true
		if opt.Log != nil {
			fmt.Fprintf(opt.Log, "%s: dropped a torn last line; its run will be redone\n", path)
		}
	}
	rep.Before = len(jd.rows)
	j, err := appendJournal(path)
	if err == nil && jd.torn {
		err = j.f.Sync()
	}
	return j, jd.rows, err
}

// checkRows checks each row of the journal jd (at path) against the sweep:
// its parameters must be those of its point, and an output may be NaN only
// where a run can give NaN (a value summary.json may write as null, or a
// date before the start when the start is a parameter). The hash of the
// header guards the sweep file; this guards the rows, which resume would
// otherwise take as they are.
func (sw *Sweep) checkRows(path string, jd *journalData) error {
	hint := "the journal was edited; delete the line to have its run done again, or start afresh in another --out"
	for i, r := range jd.rows {
		for k, v := range sw.Points[r.Point] {
			if want := v.String(); r.Params[k] != want {
				return fmt.Errorf("%s:%d: point %d has %s = %s, but the sweep gives %s (hint: %s)", path, jd.lines[i], r.Point, sw.Params[k].Key, r.Params[k], want, hint)
			}
		}
		for k, x := range r.Outputs {
			if math.IsNaN(x) && !sw.nanOK(k) {
				return fmt.Errorf("%s:%d: output %s is NaN, which no run gives (hint: %s)", path, jd.lines[i], sw.Outputs[k].Name, hint)
			}
		}
	}
	return nil
}

// nanOK reports whether a run may give NaN for output k: a value that
// summary.json may write as null, or a timeseries value at a date that may
// precede the start, when the start is a parameter.
func (sw *Sweep) nanOK(k int) bool {
	o := sw.Outputs[k]
	if o.Key == nil {
		return slices.ContainsFunc(sw.Params, func(p Param) bool { return p.Key == "start" })
	}
	return summaryNullable(o.Key)
}

// runAll simulates the runs on workers goroutines and hands each finished
// one to record, one at a time, in the order they finish. It stops at the
// first error (of a run or of record) or when ctx is cancelled, and waits
// for the runs in progress to stop.
func (sw *Sweep) runAll(ctx context.Context, runs []Run, workers int, record func(Run, *Row) error) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		run Run
		row *Row
		err error
	}
	jobs := make(chan Run)
	results := make(chan result)
	var wg sync.WaitGroup
	for range max(1, min(workers, len(runs))) {
		wg.Go(func() {
			for r := range jobs {
				row, err := sw.Simulate(ctx, r)
				results <- result{r, row, err}
			}
		})
	}
	go func() {
		defer close(jobs)
		for _, r := range runs {
			select {
			case jobs <- r:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(results)
	}()
	var first error
	recorded, broken := 0, false // broken: the journal failed, record nothing more
	for res := range results {
		err := res.err
		if err == nil && !broken {
			// A run that finished is kept even after another failed.
			err = record(res.run, res.row)
			broken = err != nil
			if err == nil {
				recorded++
			}
		}
		if err != nil && first == nil {
			first = err
			cancel()
		}
	}
	if first == nil && recorded < len(runs) {
		first = ctx.Err()
	}
	return first
}

// Simulate runs one run of the sweep, single-threaded, and returns its row.
func (sw *Sweep) Simulate(ctx context.Context, r Run) (*Row, error) {
	s, err := sw.Scenario(r.Point, r.Seed)
	if err != nil {
		return nil, fmt.Errorf("point %d: %w", r.Point, err)
	}
	w, err := engine.New(s, engine.Options{Workers: 1})
	if err != nil {
		return nil, fmt.Errorf("point %d: %w", r.Point, err)
	}
	res, err := w.Run(ctx, nil)
	if err != nil {
		return nil, err
	}
	vals, err := measure(sw.Outputs, s, res)
	if err != nil {
		return nil, fmt.Errorf("point %d, replicate %d: %w", r.Point, r.Replicate, err)
	}
	row := &Row{Point: r.Point, Replicate: r.Replicate, Seed: r.Seed, Outputs: vals}
	for _, v := range sw.Points[r.Point] {
		row.Params = append(row.Params, v.String())
	}
	return row, nil
}

// writeProvenance writes the copy of the sweep file and the resolved base
// scenario into opt.Dir.
func (sw *Sweep) writeProvenance(opt Options) error {
	note := func(w io.Writer, what string) {
		fmt.Fprintf(w, "# %s\n", what)
		fmt.Fprintf(w, "# written by collsim %s\n", opt.Version)
		if opt.Command != "" {
			fmt.Fprintf(w, "# command: %s\n", opt.Command)
		}
		fmt.Fprintf(w, "# sweep seed: %d; hash: %s\n\n", sw.Seed, sw.Hash)
	}
	err := output.WriteFile(filepath.Join(opt.Dir, SweepCopy), func(w io.Writer) error {
		note(w, fmt.Sprintf("A copy of the sweep file %s; its base scenario, resolved, is %s beside it.", sw.Path, BaseScenario))
		_, err := w.Write(sw.data)
		return err
	})
	if err != nil {
		return err
	}
	return output.WriteFile(filepath.Join(opt.Dir, BaseScenario), func(w io.Writer) error {
		note(w, strings.Join([]string{
			"The base scenario of sweep " + sw.Name + ", fully resolved: every default filled in,",
			"# the sweep's set overrides applied. A run of the sweep is this scenario with its",
			"# point's values and its seed (runs.csv): sim run base.toml --set KEY=VALUE ... --seed SEED",
		}, "\n"))
		_, err := w.Write(sw.baseTOML)
		return err
	})
}
