package sweep

import (
	"fmt"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distmv"
	"gonum.org/v1/gonum/stat/samplemv"

	"github.com/collsim/collsim/sim/qmc"
	"github.com/collsim/collsim/sim/rng"
	"github.com/collsim/collsim/sim/sensitivity"
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
// seed), each coordinate mapped to a value by Param.sample, and the points
// in the unit cube.
func lhs(params []Param, n int, seed uint64) ([][]Value, [][]float64) {
	src := rng.New(seed, keyDesign)
	u := mat.NewDense(n, len(params), nil)
	samplemv.LatinHypercube{Q: distmv.NewUnitUniform(len(params), &src), Src: &src}.Sample(u)
	unit := make([][]float64, n)
	for k := range unit {
		unit[k] = mat.Row(nil, k, u)
	}
	return values(params, unit), unit
}

// values maps points of the unit cube to the parameters' values.
func values(params []Param, unit [][]float64) [][]Value {
	points := make([][]Value, len(unit))
	for k, u := range unit {
		points[k] = make([]Value, len(params))
		for i := range params {
			points[k][i] = params[i].sample(u[i])
		}
	}
	return points
}

// list returns the points of a list design: point k takes the k-th value
// of every parameter; with no parameters, one point (the base scenario).
func list(params []Param) [][]Value {
	if len(params) == 0 {
		return [][]Value{{}}
	}
	points := make([][]Value, len(params[0].Levels))
	for k := range points {
		points[k] = make([]Value, len(params))
		for i, p := range params {
			points[k][i] = p.Levels[k]
		}
	}
	return points
}

// maxSobolParams is the most parameters a Sobol design takes: its base
// samples are points of a Sobol sequence of twice as many dimensions.
const maxSobolParams = qmc.MaxDim / 2

// screening returns the points of a Morris design (trajectories of the
// sweep file over its levels, drawn from a stream of the sweep seed) or of
// a Saltelli design for Sobol indices (its samples), with the points in the
// unit cube.
func screening(design string, params []Param, f *File, seed uint64) ([][]Value, [][]float64, string) {
	var unit [][]float64
	var err error
	if design == designMorris {
		src := rng.New(seed, keyDesign)
		unit, err = sensitivity.MorrisDesign(len(params), f.Trajectories, f.Levels, &src)
	} else {
		unit, err = sensitivity.SaltelliDesign(len(params), f.Samples)
	}
	if err != nil {
		return nil, nil, err.Error()
	}
	return values(params, unit), unit, ""
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
	return Run{Index: k, Point: p, Replicate: r, Seed: RunSeed(sw.Seed, p/max(1, sw.SeedBlock), r)}
}

// RunSeed returns the scenario seed of replicate r of the points of seed
// block b (the point itself unless points share seeds, see
// Sweep.SeedBlock) of a sweep with the given seed: a stream key of
// rng.Derive, so that results never depend on the order in which runs are
// done, or by how many workers.
func RunSeed(seed uint64, b, r int) int64 {
	return int64(rng.Derive(seed, keyRun, uint64(b), uint64(r)) >> 1)
}
