package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"time"

	"github.com/collsim/collsim/internal/version"
	"github.com/collsim/collsim/sim/calibrate"
	"github.com/collsim/collsim/sim/sweep"
)

func init() {
	register(command{"calibrate", "fit a scenario's parameters to targets by Approximate Bayesian Computation", cmdCalibrate})
}

func cmdCalibrate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("calibrate", "SCENARIO.toml --targets T.toml [--targets T2.toml ...] --params P.toml [--out DIR] [--workers N] [--resume] [--shard I/N] [--calibrated FILE]", stderr)
	var targetFiles multiFlag
	fs.Var(&targetFiles, "targets", "a target `file` (repeatable); its targets of role fit drive the calibration")
	params := fs.String("params", "", "the calibration `file`: the parameters' priors and the ABC-SMC settings (required)")
	out := fs.String("out", "", "write into `DIR` (default results/<scenario name>-calibration)")
	workers := countFlag(runtime.NumCPU())
	fs.Var(&workers, "workers", "runs at a time, each on one core (results do not depend on it)")
	resume := fs.Bool("resume", false, "finish the calibration in the output folder: run only what is missing")
	var shard shardFlag
	fs.Var(&shard, "shard", "run only shard `I/N` of each batch (implies --resume); a shard exits when the other shards of a batch are unfinished: run the job array again")
	calibrated := fs.String("calibrated", "", "write the calibrated scenario to `FILE` (default DIR/calibrated.toml); it extends SCENARIO.toml")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || len(targetFiles) == 0 || *params == "" {
		fmt.Fprintln(stderr, "sim calibrate: give one scenario, --targets and --params")
		fs.Usage()
		return errUsage
	}
	plan, err := calibrate.NewPlan(pos[0], targetFiles, *params)
	if err != nil {
		return err
	}
	dir := *out
	if dir == "" {
		dir = filepath.Join("results", plan.Base.Name+"-calibration")
	}
	ctx, stop := interruptible()
	defer stop()
	opt := calibrate.Options{
		Dir:     dir,
		Workers: int(workers),
		Resume:  *resume,
		Shard:   shard.Shard,
		Version: version.String(),
		Command: commandLine("calibrate", args),
	}
	if !*quiet {
		opt.Log = stderr
	}
	began := time.Now()
	res, err := calibrate.Run(ctx, plan, opt)
	switch {
	case errors.Is(err, calibrate.ErrPending):
		if !*quiet {
			fmt.Fprintf(stdout, "shard %s done: %v; run the shards again (with --resume) when they finish\n", shard, err)
		}
		return nil
	case errors.Is(err, sweep.ErrInterrupted) || ctx.Err() != nil && err != nil:
		return fmt.Errorf("%w: finish with the same command and --resume", err)
	case err != nil:
		return err
	}
	if err := res.WriteOutputs(dir, *calibrated, opt); err != nil {
		return err
	}
	if *quiet {
		return nil
	}
	last := res.Generations[len(res.Generations)-1]
	fmt.Fprintf(stdout, "calibrated %s to %d fit targets (%s): %d generations, %d runs in %s; final ε = %.3g\n",
		plan.Base.Name, len(plan.Fit), plan.Targets.Roles(), len(res.Generations), res.Runs(), time.Since(began).Round(time.Second), last.Epsilon)
	fmt.Fprintf(stdout, "  posterior (%s, %d%% interval):\n", plan.File.Estimate, int(calibrate.Level*100))
	for i, s := range res.Summaries {
		fmt.Fprintf(stdout, "    %-40s %-10.4g [%.4g, %.4g]\n", s.Name, res.Estimate[i], s.Lo, s.Hi)
	}
	cal := *calibrated
	if cal == "" {
		cal = filepath.Join(dir, calibrate.CalibratedFile)
	}
	fmt.Fprintf(stdout, "  outputs   %s/ (%s, %s, %s, %s); calibrated scenario %s\n", dir, calibrate.ParticlesFile, calibrate.PosteriorFile, calibrate.PairsPNG, calibrate.ReportFile, cal)
	return nil
}
