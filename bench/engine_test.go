// Package bench holds collsim's benchmarks: the engine's step loop, one
// household and one cadre update, whole runs at several sizes, and the
// memory-bandwidth floor they are measured against. See bench/README.md for
// the figures and how to reproduce them.
package bench

import (
	"context"
	"fmt"
	"runtime"
	"testing"
	"unsafe"

	"github.com/collsim/collsim/sim/agents"
	"github.com/collsim/collsim/sim/engine"
	"github.com/collsim/collsim/sim/policy"
	"github.com/collsim/collsim/sim/rng"
	"github.com/collsim/collsim/sim/scenario"
)

const historical = "../scenarios/historical-1929.toml"

func load(b *testing.B, households int) *scenario.Scenario {
	b.Helper()
	s, err := scenario.Load(historical, fmt.Sprintf("population.households=%d", households))
	if err != nil {
		b.Fatal(err)
	}
	return s
}

var sizes = []int{1e4, 1e5, 1e6}

// BenchmarkRun runs the whole historical scenario (82 weekly steps), building
// the world included, and reports the cost per household-step.
func BenchmarkRun(b *testing.B) {
	for _, n := range sizes {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("households=%d/workers=%d", n, workers), func(b *testing.B) {
				s := load(b, n)
				steps := 0
				for b.Loop() {
					w, err := engine.New(s, engine.Options{Workers: workers})
					if err != nil {
						b.Fatal(err)
					}
					steps = w.Steps()
					if _, err := w.Run(context.Background(), nil); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n*steps), "ns/household-step")
			})
		}
	}
}

// BenchmarkStep times the weekly step loop alone, on a world advanced to
// the coercive surge, and reports bytes of heap per household.
func BenchmarkStep(b *testing.B) {
	for _, n := range sizes {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("households=%d/workers=%d", n, workers), func(b *testing.B) {
				s := load(b, n)
				var before, after runtime.MemStats
				runtime.GC()
				runtime.ReadMemStats(&before)
				w, err := engine.New(s, engine.Options{Workers: workers})
				if err != nil {
					b.Fatal(err)
				}
				defer w.Close()
				runtime.GC()
				runtime.ReadMemStats(&after)
				for w.StepsDone() < 30 { // into November 1929: coercion under way
					w.Step()
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					if w.StepsDone() == w.Steps() {
						b.StopTimer()
						w.Close()
						w, _ = engine.New(s, engine.Options{Workers: workers})
						for w.StepsDone() < 30 {
							w.Step()
						}
						b.StartTimer()
					}
					w.Step()
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/household-step")
				b.ReportMetric(float64(after.HeapAlloc-before.HeapAlloc)/float64(n), "B/household")
			})
		}
	}
}

// BenchmarkHouseholdStep times one household's weekly update under
// coercion, with the ladder open.
func BenchmarkHouseholdStep(b *testing.B) {
	hp, cp, m := scenario.DefaultHousehold(), scenario.DefaultCadre(), agents.AllMechanisms()
	e := agents.Env{Coercion: 0.5, MaxRung: policy.Seized, Share: 0.4, Repression: 0.02, CollectiveP: 0.8,
		IndividualP: 1, Trust0: 0.5, YieldCV: 0.2, Draft: agents.NewDraftCurve(hp.DraftElasticity)}
	rp := scenario.DefaultResistance()
	e.Prepare(&hp, &cp, &rp, &m)
	r := rng.New(1)
	hs := make([]agents.Household, 1024)
	for i := range hs {
		hs[i] = agents.NewHousehold(agents.Class(i%3), 0.3, 0.5, &hp, &r)
	}
	var t agents.Tally
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		h := &hs[i&1023]
		if h.Removed() || h.Member() {
			*h = agents.NewHousehold(h.Class, 0.3, 0.5, &hp, &r)
		}
		h.Step(&e, &hp, &cp, &m, &r, &t)
	}
}

// BenchmarkCadreDecide times one cadre's weekly decision, report and judgement.
func BenchmarkCadreDecide(b *testing.B) {
	cp, m := scenario.DefaultCadre(), agents.AllMechanisms()
	d := policy.Directive{TargetPath: 0.5, MaxRung: policy.Seized, Punishment: 0.5}
	r := rng.New(1)
	c := agents.NewCadre(false, 1, &cp, &r)
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		share := float64(i%100) / 100
		c.Decide(&d, nil, agents.CadreView{Share: share, PeerReport: 0.4, PeersPunished: 0.01}, &cp, &m, &r)
		c.Report = float32(c.Reported(share, 0.4, &cp, &m))
		c.Judged(&d, &cp, &r)
	}
}

// BenchmarkMemoryFloor streams the households' state through memory once,
// reading and writing every household as a step must, with no model at all:
// the time no implementation of the step can beat.
func BenchmarkMemoryFloor(b *testing.B) {
	for _, n := range []int{1e4, 1e5, 1e6, 1e7} {
		b.Run(fmt.Sprintf("households=%d", n), func(b *testing.B) {
			hs := make([]agents.Household, n)
			b.SetBytes(int64(n) * int64(unsafe.Sizeof(agents.Household{})))
			b.ResetTimer()
			for b.Loop() {
				for i := range hs {
					hs[i].Fear = hs[i].Fear*0.9 + 0.01
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/household-step")
		})
	}
}
