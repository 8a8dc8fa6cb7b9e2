package bench

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/collsim/collsim/sim/sweep"
)

var (
	sweepHouseholds = flag.Int("sweep.households", 100000, "households of each run of BenchmarkSweep (classroom scale)")
	sweepBatch      = flag.Int("sweep.batch", 4, "runs of BenchmarkSweep per iteration")
)

// sweepRuns is the size of the sweep BenchmarkSweep draws its runs from:
// 10 points × 20 replicates.
const sweepRuns = 200

// benchSweep writes and loads a 200-run sweep over the historical scenario.
func benchSweep(b *testing.B) *sweep.Sweep {
	b.Helper()
	base, err := filepath.Abs(historical)
	if err != nil {
		b.Fatal(err)
	}
	src := fmt.Sprintf(`name = "bench"
base = %s
seed = 1
replicates = 20
set = ["population.households=%d"]

[[parameters]]
key = "phases.halt.start"
values = ["1930-01-15", "1930-02-01", "1930-02-15", "1930-03-02", "1930-03-10"]

[[parameters]]
key = "phases.dekulakization.punishment"
values = [0.4, 0.8]

[[outputs]]
summary = "peak_share"

[[outputs]]
timeseries = "collective_share"
date = "1930-08-01"
`, strconv.Quote(base), *sweepHouseholds)
	path := filepath.Join(b.TempDir(), "bench.toml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		b.Fatal(err)
	}
	sw, err := sweep.Load(path)
	if err != nil {
		b.Fatal(err)
	}
	if n := len(sw.Runs()); n != sweepRuns {
		b.Fatalf("the sweep has %d runs, want %d", n, sweepRuns)
	}
	return sw
}

// BenchmarkSweep measures runs per second of a 200-run sweep at classroom
// scale (100,000 households a run) on 1 and 2 workers, through sweep.Execute
// with its journal. Each iteration runs the next shard of sweep.batch runs
// (shard i of 200/batch), so that -benchtime=50x runs the whole sweep and
// the default runs one shard. After workers=2 it reports the speed-up over
// workers=1 (ideally 2 on an idle machine with two cores).
//
//	go test ./bench -run XXX -bench Sweep -benchtime 3x
func BenchmarkSweep(b *testing.B) {
	sw := benchSweep(b)
	shards := sweepRuns / *sweepBatch
	rates := map[int]float64{}
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			runs, i := 0, 0
			for b.Loop() {
				sh := sweep.Shard{Index: i % shards, Count: shards}
				rep, err := sweep.Execute(context.Background(), sw, sweep.Options{
					Dir: sh.Dir(b.TempDir()), Workers: workers, Shard: sh, Version: "bench"})
				if err != nil {
					b.Fatal(err)
				}
				runs += rep.Ran
				i++
			}
			rate := float64(runs) / b.Elapsed().Seconds()
			rates[workers] = rate
			b.ReportMetric(rate, "runs/s")
			b.ReportMetric(0, "ns/op")
			if workers == 2 && rates[1] > 0 {
				b.ReportMetric(rate/rates[1], "speedup")
			}
		})
	}
}
