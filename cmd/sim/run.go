package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"time"

	"github.com/collsim/collsim/internal/progress"
	"github.com/collsim/collsim/internal/version"
	"github.com/collsim/collsim/sim/engine"
	"github.com/collsim/collsim/sim/output"
	"github.com/collsim/collsim/sim/scenario"
)

// scenarioFlags are the flags that change what a scenario is.
type scenarioFlags struct {
	sets       multiFlag
	seed       optionalInt
	households countFlag
}

func (f *scenarioFlags) register(fs *flag.FlagSet) {
	fs.Var(&f.sets, "set", "override a scenario parameter: `dotted.key=value` (repeatable; e.g. household.fear_decay=0.2, regions.Moscow.zeal=1)")
	fs.Var(&f.seed, "seed", "master random `seed` (default: the scenario's)")
	fs.Var(&f.households, "households", "simulate `N` households, every region in proportion (default: the scenario's)")
}

// load reads the scenario file and applies the flags.
func (f *scenarioFlags) load(path string) (*scenario.Scenario, error) {
	return f.loadWith(scenario.Load, path)
}

// loadWith is load reading the file with load (scenario.Load, or
// scenario.Check to apply the rule for campaigns too).
func (f *scenarioFlags) loadWith(load func(string, ...string) (*scenario.Scenario, error), path string) (*scenario.Scenario, error) {
	s, err := load(path, f.sets...)
	if err != nil {
		return nil, err
	}
	changed := false
	if f.seed.set {
		s.Seed = f.seed.v
		changed = true
	}
	if f.households > 0 {
		s.Population.Households = int(f.households)
		changed = true
	}
	if changed {
		if err := s.Validate(); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func cmdRun(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("run", "FILE.toml [flags]", stderr)
	var sf scenarioFlags
	sf.register(fs)
	out := fs.String("out", "", "write outputs into `DIR` (default results/<scenario name>)")
	workers := countFlag(runtime.NumCPU())
	fs.Var(&workers, "workers", "goroutines stepping shards of villages in parallel (results do not depend on it)")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	force := fs.Bool("force", false, "write into an --out folder that holds other files, beside them")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := oneFile(fs, pos, "scenario file"); err != nil {
		return err
	}
	s, err := sf.load(pos[0])
	if err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("results", s.Name)
	}
	others, err := checkRunOut(dir, *force)
	if err != nil {
		return err
	}

	began := time.Now()
	w, err := engine.New(s, engine.Options{Workers: int(workers)})
	if err != nil {
		return err
	}
	ctx, stop := interruptible()
	defer stop()
	var bar *progress.Reporter
	if !*quiet {
		bar = progress.New(stderr, s.Name, w.Steps(), progress.Options{Unit: "weeks"})
	}
	res, err := w.Run(ctx, func(int, int) { bar.Add(1) })
	bar.Finish()
	if err != nil {
		return fmt.Errorf("interrupted: %w (nothing written)", err)
	}
	command := commandLine("run", args)
	var sum *output.Summary
	write := func(d string) (err error) {
		sum, err = writeRun(d, s, res, version.String(), command)
		return err
	}
	if others {
		// --force: the run's files among others, each replaced whole.
		removeRunTemps(dir)
		err = write(dir)
	} else {
		err = writeRunDir(dir, write)
	}
	if err != nil {
		return err
	}
	if !*quiet {
		printSummary(stdout, s, sum, dir, time.Since(began))
	}
	return nil
}

// writeRun writes the outputs of a run into a folder (a variable for tests
// that make it fail).
var writeRun = output.WriteRun

// printSummary prints a short human summary of a run.
func printSummary(w io.Writer, s *scenario.Scenario, sum *output.Summary, dir string, took time.Duration) {
	pct := func(x float64) string { return fmt.Sprintf("%.1f%%", 100*x) }
	fmt.Fprintf(w, "%s: %d households simulated", s.Name, sum.HouseholdsSimulated)
	if sum.Scale != 1 {
		fmt.Fprintf(w, " standing for %d (counts scaled ×%g)", sum.HouseholdsReal, sum.Scale)
	}
	fmt.Fprintf(w, ", %d weeks from %s, seed %d, in %s\n", sum.Steps, sum.Start, s.Seed, took.Round(time.Millisecond))
	fmt.Fprintf(w, "  peak collectivization  %s of households on %s (reported: %s)\n", pct(sum.PeakShare), sum.PeakDate, pct(sum.PeakReportedShare))
	if sum.HaltDate != "" {
		fmt.Fprintf(w, "  halt                   %s", sum.HaltDate)
		if sum.HaltedByRule {
			fmt.Fprint(w, " (called by the halt rule)")
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "  at the end (%s)  %s of households, %s of land\n", sum.End, pct(sum.FinalShare), pct(sum.FinalLandShare))
	fmt.Fprintf(w, "  joins / exits          %d / %d\n", sum.TotalJoins, sum.TotalExits)
	fmt.Fprintf(w, "  repression             %d fined, %d disenfranchised, %d arrested, %d deported, %d resettled\n",
		sum.Fined, sum.Disenfranchised, sum.Arrested, sum.Deported, sum.Resettled)
	fmt.Fprintf(w, "  livestock              %+.1f%%; productivity %+.1f%%; %d disturbances; %d cadres punished\n",
		100*sum.LivestockChange, 100*sum.ProductivityChange, sum.UnrestEvents, sum.CadresPunished)
	fmt.Fprintf(w, "  outputs                %s/\n", dir)
}
