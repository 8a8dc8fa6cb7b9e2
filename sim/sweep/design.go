package sweep

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
	"gonum.org/v1/gonum/stat/samplemv"

	"github.com/collsim/collsim/sim/rng"
)

// Stream keys under the sweep seed: the first key says what a stream is
// for, so that streams of different kinds never coincide.
const (
	keyRun    = iota + 1 // a run's seed: (keyRun, point, replicate)
	keyDesign            // the Latin hypercube
)

// grid returns every combination of the parameters' levels, the first
// parameter varying slowest.
func grid(params []Param) ([][]Value, string) {
	n := 1
	for _, p := range params {
		n *= len(p.Levels)
		if n > maxPoints {
			return nil, fmt.Sprintf("the grid has more than %d points", maxPoints)
		}
	}
	points := make([][]Value, n)
	for k := range points {
		points[k] = make([]Value, len(params))
		rest := k
		for i := len(params) - 1; i >= 0; i-- {
			l := len(params[i].Levels)
			points[k][i] = params[i].Levels[rest%l]
			rest /= l
		}
	}
	return points, ""
}

// lhs returns n points of a Latin hypercube over the parameters (gonum's
// samplemv.LatinHypercube on the unit cube, from a stream of the sweep
// seed), each coordinate mapped to a value by Param.sample.
func lhs(params []Param, n int, seed uint64) [][]Value {
	src := rng.New(seed, keyDesign)
	u := mat.NewDense(n, len(params), nil)
	samplemv.LatinHypercube{Q: distmv.NewUnitUniform(len(params), &src), Src: &src}.Sample(u)
	points := make([][]Value, n)
	for k := range points {
		points[k] = make([]Value, len(params))
		for i := range params {
			points[k][i] = params[i].sample(u.At(k, i))
		}
	}
	return points
}

// Run is one run of a sweep: a replicate of a point.
type Run struct {
	Index     int   // Point*Replicates + Replicate
	Point     int   // 0-based
	Replicate int   // 0-based
	Seed      int64 // the scenario seed of the run
}

// Run returns run k.
func (sw *Sweep) Run(k int) Run {
	p, r := k/sw.Replicates, k%sw.Replicates
	return Run{Index: k, Point: p, Replicate: r, Seed: RunSeed(sw.Seed, p, r)}
}

// RunSeed returns the scenario seed of replicate r of point p of a sweep
// with the given seed: a stream key of rng.Derive, so that results never
// depend on the order in which runs are done, or by how many workers.
func RunSeed(seed uint64, p, r int) int64 {
	return int64(rng.Derive(seed, keyRun, uint64(p), uint64(r)) >> 1)
}
