package main

import (
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/collsim/collsim/internal/version"
	"github.com/collsim/collsim/sim/sweep"
)

func init() {
	register(command{"sweep", "run a scenario over a design of parameter values, with replicates", cmdSweep})
	register(command{"merge", "combine the shards of a sweep into its outputs", cmdMerge})
}

func cmdSweep(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("sweep", "FILE.toml [--workers N] [--out DIR] [--resume] [--shard I/N] [--dry-run]", stderr)
	workers := countFlag(runtime.NumCPU())
	fs.Var(&workers, "workers", "runs at a time, each on one core (results do not depend on it)")
	out := fs.String("out", "", "write into `DIR` (default results/<sweep name>); a shard writes into DIR/shard-I-of-N")
	resume := fs.Bool("resume", false, "finish the sweep whose journal is in the output folder: run only what is missing")
	var shard shardFlag
	fs.Var(&shard, "shard", "run only shard `I/N` of the sweep, the runs k with k mod N = I (0 ≤ I < N); merge the shards with sim merge")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	dry := fs.Bool("dry-run", false, "check the sweep file and print its points; run nothing")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if err := oneFile(fs, pos, "sweep file"); err != nil {
		return err
	}
	sw, err := sweep.Load(pos[0])
	if err != nil {
		return err
	}
	if *dry {
		printPlan(stdout, sw)
		return nil
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("results", sw.Name)
	}
	dir = shard.Dir(dir)

	ctx, stop := interruptible()
	defer stop()
	opt := sweep.Options{
		Dir:     dir,
		Workers: int(workers),
		Resume:  *resume,
		Shard:   shard.Shard,
		Version: version.String(),
		Command: commandLine("sweep", args),
	}
	if !*quiet {
		opt.Log = stderr
	}
	began := time.Now()
	rep, err := sweep.Execute(ctx, sw, opt)
	if err != nil {
		return err
	}
	if *quiet {
		return nil
	}
	what := "sweep " + sw.Name
	if shard.Count > 0 {
		what = fmt.Sprintf("shard %s of sweep %s", shard, sw.Name)
	}
	fmt.Fprintf(stdout, "%s: %d runs (%d points × %d replicates", what, rep.Runs, len(sw.Points), sw.Replicates)
	if shard.Count > 0 {
		fmt.Fprintf(stdout, ", every %s", ordinal(shard.Count))
	}
	fmt.Fprintf(stdout, "): %d run now with %d workers in %s", rep.Ran, int(workers), time.Since(began).Round(time.Millisecond))
	if rep.Before > 0 {
		fmt.Fprintf(stdout, ", %d from the journal", rep.Before)
	}
	fmt.Fprintln(stdout)
	if rep.Table == nil {
		fmt.Fprintf(stdout, "  journal   %s\n  when every shard is done: sim merge %s --out %s\n",
			filepath.Join(dir, sweep.JournalFile), filepath.Join(filepath.Dir(dir), fmt.Sprintf("shard-*-of-%d", shard.Count)), filepath.Dir(dir))
		return nil
	}
	printPoints(stdout, rep.Table)
	fmt.Fprintf(stdout, "  outputs   %s/ (%s, %s, %s)\n", dir, sweep.RunsFile, sweep.SummaryFile, sweep.ChartPNG)
	return nil
}

// printPlan prints what a sweep would run.
func printPlan(w io.Writer, sw *sweep.Sweep) {
	fmt.Fprintf(w, "%s: ok (%s design, %d points × %d replicates = %d runs of %s, sweep seed %d)\n",
		sw.Path, sw.Design, len(sw.Points), sw.Replicates, len(sw.Points)*sw.Replicates, sw.Base.Name, sw.Seed)
	const most = 12
	for k := range sw.Points {
		if k == most {
			fmt.Fprintf(w, "  … %d more points\n", len(sw.Points)-most)
			break
		}
		fmt.Fprintf(w, "  point %-4d %s\n", k, strings.Join(sw.Sets(k), " "))
	}
	var names []string
	for _, o := range sw.Outputs {
		names = append(names, o.Name)
	}
	fmt.Fprintf(w, "  outputs    %s\n", strings.Join(names, ", "))
}

// ordinal names every n-th run: "4th run".
func ordinal(n int) string {
	switch {
	case n%100 >= 11 && n%100 <= 13:
		return fmt.Sprintf("%dth run", n)
	case n%10 == 1:
		return fmt.Sprintf("%dst run", n)
	case n%10 == 2:
		return fmt.Sprintf("%dnd run", n)
	case n%10 == 3:
		return fmt.Sprintf("%drd run", n)
	}
	return fmt.Sprintf("%dth run", n)
}

// printPoints prints the main output of each point (at most a screenful).
func printPoints(w io.Writer, t *sweep.Table) {
	const most = 12
	points := t.Points()
	fmt.Fprintf(w, "  %s by point (mean and 95%% CI over replicates):\n", t.Outputs[0])
	for i, p := range points {
		if i == most {
			fmt.Fprintf(w, "    … %d more points in %s\n", len(points)-most, sweep.SummaryFile)
			break
		}
		var kv []string
		for j, k := range t.Params {
			if j == 3 {
				kv = append(kv, "…")
				break
			}
			kv = append(kv, k+"="+p.Params[j])
		}
		s := p.Outputs[0]
		fmt.Fprintf(w, "    %-4d %s: %.4g [%.4g, %.4g]\n", p.Point, strings.Join(kv, " "), s.Mean, s.Lo, s.Hi)
	}
}

func cmdMerge(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("merge", "DIR... --out DIR", stderr)
	out := fs.String("out", "", "write the merged sweep into `DIR` (required)")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 || *out == "" {
		fmt.Fprintln(stderr, "sim merge: give the shard folders and --out DIR")
		fs.Usage()
		return errUsage
	}
	var log io.Writer
	if !*quiet {
		log = stderr
	}
	t, err := sweep.Merge(pos, *out, log)
	if err != nil {
		return err
	}
	if *quiet {
		return nil
	}
	fmt.Fprintf(stdout, "sweep %s: merged %d runs from %d folders\n", t.Name, len(t.Rows), len(pos))
	printPoints(stdout, t)
	fmt.Fprintf(stdout, "  outputs   %s/ (%s, %s, %s)\n", *out, sweep.RunsFile, sweep.SummaryFile, sweep.ChartPNG)
	return nil
}
