package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"time"

	"github.com/collsim/collsim/sim/agents"
	"github.com/collsim/collsim/sim/engine"
)

func init() {
	register(command{"bench", "time a scenario: household-steps per second, memory, parallel efficiency", cmdBench})
}

func cmdBench(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("bench", "FILE.toml [flags]", stderr)
	var sf scenarioFlags
	sf.register(fs)
	workers := countFlag(runtime.NumCPU())
	fs.Var(&workers, "workers", "compare 1 worker with `N`")
	repeat := fs.Int("repeat", 3, "runs of each configuration; the median is reported")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *repeat < 1 {
		fmt.Fprintf(stderr, "sim bench: --repeat must be at least 1, got %d\n", *repeat)
		fs.Usage()
		return errUsage
	}
	if err := oneFile(fs, pos, "scenario file"); err != nil {
		return err
	}
	s, err := sf.load(pos[0])
	if err != nil {
		return err
	}
	n := s.Population.Households
	fmt.Fprintf(stdout, "%s: %d households, %d CPUs (GOMAXPROCS %d), %s\n", s.Name, n, runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.Version())
	fmt.Fprintf(stdout, "%-8s %10s %10s %14s %18s %12s\n", "workers", "build s", "run s", "ns/hh-step", "household-steps/s", "peak RSS MB")
	configs := []int{1}
	if int(workers) > 1 {
		configs = append(configs, int(workers))
	}
	runTime := map[int]time.Duration{}
	var steps int
	for _, k := range configs {
		var builds, runs []time.Duration
		for i := 0; i < *repeat; i++ {
			runtime.GC()
			t0 := time.Now()
			w, err := engine.New(s, engine.Options{Workers: k})
			if err != nil {
				return err
			}
			t1 := time.Now()
			if _, err := w.Run(context.Background(), nil); err != nil {
				return err
			}
			builds = append(builds, t1.Sub(t0))
			runs = append(runs, time.Since(t1))
			steps = w.Steps()
		}
		b, r := median(builds), median(runs)
		runTime[k] = r
		hs := float64(n) * float64(steps)
		fmt.Fprintf(stdout, "%-8d %10.3f %10.3f %14.1f %18.3g %12.0f\n", k, b.Seconds(), r.Seconds(),
			float64(r.Nanoseconds())/hs, hs/r.Seconds(), peakRSS())
	}
	if int(workers) > 1 {
		eff := runTime[1].Seconds() / (float64(workers) * runTime[int(workers)].Seconds())
		fmt.Fprintf(stdout, "parallel efficiency 1 → %d workers: %.0f%% (speed-up %.2f×)\n", int(workers), 100*eff, runTime[1].Seconds()/runTime[int(workers)].Seconds())
	}
	floor := memoryFloor(n)
	best := runTime[configs[len(configs)-1]]
	fmt.Fprintf(stdout, "memory floor (stream every household once a step, 1 thread): %.1f ns/household-step; the run is %.1f× the floor\n",
		float64(floor.Nanoseconds())/float64(n), float64(best.Nanoseconds())/float64(steps)/float64(floor.Nanoseconds()))
	return nil
}

// memoryFloor returns the median time to read and write every household's
// state once, as a step must: no implementation can step faster.
func memoryFloor(n int) time.Duration {
	hs := make([]agents.Household, n)
	var ts []time.Duration
	for i := 0; i < 5; i++ {
		t0 := time.Now()
		for j := range hs {
			hs[j].Fear = hs[j].Fear*0.9 + 0.01
		}
		ts = append(ts, time.Since(t0))
	}
	return median(ts)
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}
