package main

import (
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/collsim/collsim/internal/version"
	"github.com/collsim/collsim/sim/scenario"
	"github.com/collsim/collsim/sim/sweep"
	"github.com/collsim/collsim/sim/targets"
	"github.com/collsim/collsim/sim/validity"
)

func init() {
	register(command{"validate-history", "run a scenario over replicates and report its fit to historical targets", cmdValidateHistory})
}

// reportFlags are the flags of the report commands.
type reportFlags struct {
	sets       multiFlag
	households countFlag
	replicates int
	seed       optionalInt
	out        string
	workers    countFlag
	resume     bool
	quiet      bool
	what       string // the report, naming the default folder
}

func (f *reportFlags) register(fs *flag.FlagSet, replicates int, what string) {
	f.what = what
	fs.Var(&f.sets, "set", "override a scenario parameter for every run: `dotted.key=value` (repeatable)")
	fs.Var(&f.households, "households", "simulate `N` households in every run (default: the scenario's)")
	fs.IntVar(&f.replicates, "replicates", replicates, "runs of the scenario, each with its own seed")
	fs.Var(&f.seed, "seed", "the `seed` every replicate's seed derives from (default: the scenario's)")
	fs.StringVar(&f.out, "out", "", "write the report into `DIR` (default results/<scenario name>-"+what+")")
	f.workers = countFlag(runtime.NumCPU())
	fs.Var(&f.workers, "workers", "runs at a time (results do not depend on it)")
	fs.BoolVar(&f.resume, "resume", false, "finish the runs whose journal is in DIR/runs")
	fs.BoolVar(&f.quiet, "quiet", false, "print nothing but errors")
}

// runs returns the runs the flags describe, and the scenario.
func (f *reportFlags) runs(path string) (validity.Runs, *scenario.Scenario, error) {
	sets := append([]string(nil), f.sets...)
	if f.households > 0 {
		sets = append(sets, fmt.Sprintf("population.households=%d", f.households))
	}
	runs, s, err := validity.NewRuns(path, sets, f.replicates)
	if err != nil {
		return validity.Runs{}, nil, err
	}
	if f.seed.set {
		runs.Seed = f.seed.v
	}
	return runs, s, nil
}

// dir returns the report's folder: --out, or results/<scenario name>-<what>.
func (f *reportFlags) dir(s *scenario.Scenario) string {
	if f.out != "" {
		return f.out
	}
	return filepath.Join("results", s.Name+"-"+f.what)
}

// options returns the options of the report's runs.
func (f *reportFlags) options(name string, args []string, stderr io.Writer) validity.Options {
	opt := validity.Options{Workers: int(f.workers), Resume: f.resume, Version: version.String(),
		Command: commandLine(name, args)}
	if !f.quiet {
		opt.Log = stderr
	}
	return opt
}

// check checks the flags common to the report commands.
func (f *reportFlags) check(name string, stderr io.Writer) error {
	if f.replicates < 1 || f.replicates > 10000 {
		fmt.Fprintf(stderr, "sim %s: --replicates %d: want 1 to 10000\n", name, f.replicates)
		return errUsage
	}
	return nil
}

func cmdValidateHistory(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("validate-history", "SCENARIO.toml --targets T.toml [--targets T2.toml ...] [--replicates 10] [--out DIR] [flags]", stderr)
	var rf reportFlags
	rf.register(fs, 10, "history")
	var targetFiles multiFlag
	fs.Var(&targetFiles, "targets", "a target `file` (repeatable)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || len(targetFiles) == 0 {
		fmt.Fprintln(stderr, "sim validate-history: give one scenario and --targets")
		fs.Usage()
		return errUsage
	}
	if err := rf.check("validate-history", stderr); err != nil {
		return err
	}
	runs, s, err := rf.runs(pos[0])
	if err != nil {
		return err
	}
	ts, err := targets.Load(targetFiles...)
	if err != nil {
		return err
	}
	dir := rf.dir(s)
	ctx, stop := interruptible()
	defer stop()
	opt := rf.options("validate-history", args, stderr)
	began := time.Now()
	h, err := validity.RunHistory(ctx, runs, ts, filepath.Join(dir, "runs"), opt)
	if err != nil {
		return err
	}
	if err := h.WriteReport(dir, opt); err != nil {
		return err
	}
	if rf.quiet {
		return nil
	}
	fh, fn := h.Hits(targets.Fit)
	hh, hn := h.Hits(targets.Holdout)
	fmt.Fprintf(stdout, "%s against %d targets, %d replicates in %s: fitted %d of %d hit, held out %d of %d hit\n",
		s.Name, len(ts), runs.Replicates, time.Since(began).Round(time.Millisecond), fh, fn, hh, hn)
	for _, f := range h.Fits {
		if !f.Hit {
			fmt.Fprintf(stdout, "  miss  %-28s %-8s z = %+.2f\n", f.Target.Name, f.Target.Role, f.Z)
		}
	}
	fmt.Fprintf(stdout, "  report %s\n", filepath.Join(dir, validity.HistoryReport))
	return nil
}

func init() {
	register(command{"ablate", "switch off each mechanism in turn and report how far each pattern moves", cmdAblate})
	register(command{"sensitivity", "run a Morris or Sobol sweep and report each parameter's influence", cmdSensitivity})
}

func cmdAblate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("ablate", "SCENARIO.toml [--mechanisms a,b,...] [--replicates 10] [--out DIR] [flags]", stderr)
	var rf reportFlags
	rf.register(fs, 10, "ablation")
	mechs := fs.String("mechanisms", "", "the mechanisms to switch off, one at a time, comma-separated (default: every one the scenario has on)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := oneFile(fs, pos, "scenario file"); err != nil {
		return err
	}
	if err := rf.check("ablate", stderr); err != nil {
		return err
	}
	runs, s, err := rf.runs(pos[0])
	if err != nil {
		return err
	}
	names := validity.Mechanisms(s)
	if *mechs != "" {
		names = strings.Split(*mechs, ",")
		for i := range names {
			names[i] = strings.TrimSpace(names[i])
		}
	}
	dir := rf.dir(s)
	ctx, stop := interruptible()
	defer stop()
	opt := rf.options("ablate", args, stderr)
	began := time.Now()
	a, err := validity.RunAblation(ctx, runs, names, filepath.Join(dir, "runs"), opt)
	if err != nil {
		return err
	}
	if err := a.WriteReport(dir, opt); err != nil {
		return err
	}
	if !rf.quiet {
		fmt.Fprintf(stdout, "%s: %d mechanisms switched off in turn, %d replicates each, in %s\n%s\n  report %s\n",
			s.Name, len(names), runs.Replicates, time.Since(began).Round(time.Millisecond), a.Headline(), filepath.Join(dir, validity.AblationReport))
	}
	return nil
}

func cmdSensitivity(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sensitivity", "SWEEP.toml [--workers N] [--out DIR] [--resume] [--shard I/N] [--bootstrap 1000]", stderr)
	workers := countFlag(runtime.NumCPU())
	fs.Var(&workers, "workers", "runs at a time (results do not depend on it)")
	out := fs.String("out", "", "write into `DIR` (default results/<sweep name>); a shard writes into DIR/shard-I-of-N")
	resume := fs.Bool("resume", false, "finish the sweep whose journal is in the output folder (also: analyse a sweep merged there with sim merge)")
	var shard shardFlag
	fs.Var(&shard, "shard", "run only shard `I/N` of the sweep; merge the shards with sim merge, then run sim sensitivity --resume on the merged folder")
	boot := fs.Int("bootstrap", 1000, "bootstrap resamples for the intervals of the indices (0: none)")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := oneFile(fs, pos, "sweep file"); err != nil {
		return err
	}
	if *boot < 0 {
		fmt.Fprintln(stderr, "sim sensitivity: --bootstrap must be at least 0")
		return errUsage
	}
	sw, err := sweep.Load(pos[0])
	if err != nil {
		return err
	}
	if sw.Design != "morris" && sw.Design != "sobol" {
		return fmt.Errorf("%s: design %q: sim sensitivity needs design = \"morris\" or \"sobol\" (run other sweeps with sim sweep)", pos[0], sw.Design)
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("results", sw.Name)
	}
	ctx, stop := interruptible()
	defer stop()
	opt := sweep.Options{Dir: shard.Dir(dir), Workers: int(workers), Resume: *resume, Shard: shard.Shard, Version: version.String(),
		Command: commandLine("sensitivity", args)}
	if !*quiet {
		opt.Log = stderr
	}
	began := time.Now()
	rep, err := sweep.Execute(ctx, sw, opt)
	if err != nil {
		return err
	}
	if rep.Table == nil {
		if !*quiet {
			fmt.Fprintf(stdout, "shard %s of %s: %d runs done; when every shard is done: sim merge %s --out %s && sim sensitivity %s --out %s --resume\n",
				shard, sw.Name, rep.Ran, filepath.Join(dir, fmt.Sprintf("shard-*-of-%d", shard.Count)), dir, pos[0], dir)
		}
		return nil
	}
	s, err := validity.AnalyzeSensitivity(sw, rep.Table, *boot)
	if err != nil {
		return err
	}
	vopt := validity.Options{Version: opt.Version, Command: opt.Command}
	if err := s.WriteReport(dir, vopt); err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(stdout, "%s (%s, %d runs) in %s:\n%s\n  report %s\n", sw.Name, sw.Design, len(rep.Table.Rows), time.Since(began).Round(time.Millisecond), s.Top(3), filepath.Join(dir, validity.SensitivityReport))
	}
	return nil
}

func init() {
	register(command{"validity-docs", "write the index of a validity report folder and the generated parts of docs/MODEL.md", cmdValidityDocs})
}

func cmdValidityDocs(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("validity-docs", "--dir docs/validity [--command CMD] [--seconds N] [--cpus N]", stderr)
	dir := fs.String("dir", "docs/validity", "the report `folder` (scripts/validity.sh writes it)")
	command := fs.String("command", "scripts/validity.sh", "the `command` that regenerates the folder")
	seconds := fs.Int("seconds", 0, "how long the command took, in `seconds`")
	cpus := fs.Int("cpus", runtime.NumCPU(), "the `CPUs` it ran on")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	return validity.WriteDocs(*dir, validity.DocsInfo{Command: *command, Version: version.String(), Seconds: *seconds, CPUs: *cpus})
}
