// Package abc is Approximate Bayesian Computation by sequential Monte Carlo
// (ABC-SMC; Toni et al. 2009, with the adaptive kernel of Beaumont et al.
// 2009): it finds the parameters of a stochastic simulator whose outputs
// lie near observed targets, without a likelihood, by simulating.
//
// Generation 0 is rejection sampling from the priors: draw PriorRuns
// parameter sets, simulate each, and keep the Particles with the smallest
// distances (the tolerance ε₀ is the largest kept). Generation t ≥ 1 has the
// tolerance ε_t = the Quantile of generation t−1's distances; it proposes a
// parameter set by drawing a particle of generation t−1 by its weight and
// moving it by a Gaussian kernel whose covariance is twice the weighted
// sample covariance of generation t−1 (a proposal outside the priors is
// drawn again, unsimulated), simulates it, and accepts it if its distance is
// at most ε_t, until Particles are accepted. Its importance weights are
//
//	w_i ∝ π(θ_i) / Σ_j W_j K(θ_i | θ_j),
//
// W the weights of generation t−1 and K the kernel. Proposals are simulated
// in batches (a batch is one parallel sweep); their number is chosen from
// the acceptance rate seen so far, and accepted ones are taken in proposal
// order, so the result depends only on the seed and the simulator.
//
// Parameters are moved in the scale of their prior: as they are for a
// uniform prior and as logarithms for a log-uniform one, where both priors
// are flat, so π(θ_i) is a constant inside the bounds.
package abc

import (
	"context"
	"errors"
	"fmt"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"

	"github.com/collsim/collsim/sim/rng"
)

// Prior is a parameter's prior: uniform on [Min, Max], or log-uniform (Log)
// with 0 < Min.
type Prior struct {
	Name     string
	Min, Max float64
	Log      bool
}

// z returns x in the prior's flat scale: log x for a log-uniform prior.
func (p Prior) z(x float64) float64 {
	if p.Log {
		return math.Log(x)
	}
	return x
}

// x returns the parameter value of z in the prior's flat scale.
func (p Prior) x(z float64) float64 {
	if p.Log {
		return math.Exp(z)
	}
	return z
}

// Config sets an ABC-SMC run.
type Config struct {
	Priors      []Prior
	Particles   int     // N: particles accepted in each generation
	Generations int     // generations, counting generation 0 (rejection from the priors)
	PriorRuns   int     // proposals simulated in generation 0 (≥ Particles)
	Quantile    float64 // α in (0, 1): ε_t is this quantile of generation t−1's distances
	MaxRuns     int     // most proposals simulated in a generation t ≥ 1 (0: 50 N)
	Seed        uint64
}

// Check returns what is wrong with the configuration, or nil.
func (c *Config) Check() error {
	var errs []error
	if len(c.Priors) == 0 {
		errs = append(errs, errors.New("no parameters"))
	}
	for _, p := range c.Priors {
		switch {
		case !(p.Min < p.Max) || math.IsInf(p.Min, 0) || math.IsInf(p.Max, 0):
			errs = append(errs, fmt.Errorf("%s: the prior needs finite min < max, got [%g, %g]", p.Name, p.Min, p.Max))
		case p.Log && p.Min <= 0:
			errs = append(errs, fmt.Errorf("%s: a log-uniform prior needs min above 0", p.Name))
		}
	}
	if c.Particles < 2 {
		errs = append(errs, fmt.Errorf("particles %d: want at least 2", c.Particles))
	}
	if c.Generations < 1 {
		errs = append(errs, fmt.Errorf("generations %d: want at least 1", c.Generations))
	}
	if c.PriorRuns < c.Particles {
		errs = append(errs, fmt.Errorf("prior runs %d: want at least the %d particles", c.PriorRuns, c.Particles))
	}
	if !(c.Quantile > 0 && c.Quantile < 1) {
		errs = append(errs, fmt.Errorf("quantile %g: want it in (0, 1)", c.Quantile))
	}
	if c.MaxRuns != 0 && c.MaxRuns < c.Particles {
		errs = append(errs, fmt.Errorf("max runs %d: want at least the %d particles", c.MaxRuns, c.Particles))
	}
	return errors.Join(errs...)
}

// Simulator returns the distance of each parameter set thetas[i] (values in
// the priors' order) proposed in batch b of generation g: +Inf or NaN for
// a run that cannot be compared with the targets. It is called once per
// batch, generation by generation, so it may run a batch in parallel and
// keep (or find again) its results on disk.
type Simulator func(ctx context.Context, g, b int, thetas [][]float64) ([]float64, error)

// Particle is a simulated parameter set.
type Particle struct {
	Theta    []float64
	Distance float64
	Weight   float64 // normalised over the generation's accepted particles
	Batch    int     // the batch of its generation that simulated it
	Index    int     // its place in the batch
}

// Generation is the accepted particles of one generation.
type Generation struct {
	Index     int
	Epsilon   float64 // the tolerance: every accepted distance is at most it
	Particles []Particle
	Runs      int  // proposals simulated
	Batches   int  // batches simulated
	Fallback  bool // the generation hit MaxRuns and kept its Particles best proposals, raising Epsilon
}

// ESS returns the effective sample size of the generation's weights: 1 / Σ w².
func (g *Generation) ESS() float64 {
	s := 0.0
	for _, p := range g.Particles {
		s += p.Weight * p.Weight
	}
	return 1 / s
}

// Stream keys under the seed.
const (
	keyPropose = iota + 1 // (keyPropose, generation, batch)
)

// Run runs ABC-SMC with sim and returns every generation; the last is the
// posterior sample. Progress, if not nil, is told of each generation done.
func Run(ctx context.Context, cfg Config, sim Simulator, progress func(*Generation)) ([]*Generation, error) {
	if err := cfg.Check(); err != nil {
		return nil, err
	}
	if cfg.MaxRuns == 0 {
		cfg.MaxRuns = 50 * cfg.Particles
	}
	var gens []*Generation
	for t := range cfg.Generations {
		var g *Generation
		var err error
		if t == 0 {
			g, err = cfg.first(ctx, sim)
		} else {
			g, err = cfg.next(ctx, sim, gens[t-1])
		}
		if err != nil {
			return gens, err
		}
		gens = append(gens, g)
		if progress != nil {
			progress(g)
		}
	}
	return gens, nil
}

// first is generation 0: rejection sampling from the priors.
func (cfg *Config) first(ctx context.Context, sim Simulator) (*Generation, error) {
	src := rng.New(cfg.Seed, keyPropose, 0, 0)
	thetas := make([][]float64, cfg.PriorRuns)
	for i := range thetas {
		thetas[i] = make([]float64, len(cfg.Priors))
		for j, p := range cfg.Priors {
			lo, hi := p.z(p.Min), p.z(p.Max)
			thetas[i][j] = cfg.clamp(j, round(p.x(lo+src.Float64()*(hi-lo))))
		}
	}
	d, err := simulate(ctx, sim, 0, 0, thetas)
	if err != nil {
		return nil, err
	}
	var all []Particle
	for i := range thetas {
		all = append(all, Particle{Theta: thetas[i], Distance: d[i], Batch: 0, Index: i})
	}
	g := &Generation{Index: 0, Runs: len(thetas), Batches: 1}
	g.Particles, g.Epsilon = best(all, cfg.Particles)
	if math.IsInf(g.Epsilon, 1) {
		return nil, fmt.Errorf("generation 0: fewer than %d of %d runs are comparable with the targets", cfg.Particles, len(thetas))
	}
	for i := range g.Particles {
		g.Particles[i].Weight = 1 / float64(len(g.Particles))
	}
	return g, nil
}

// best returns the n particles of smallest distance (ties in proposal
// order) and the largest of their distances.
func best(all []Particle, n int) ([]Particle, float64) {
	s := slices.Clone(all)
	slices.SortStableFunc(s, func(a, b Particle) int {
		switch {
		case a.Distance < b.Distance:
			return -1
		case a.Distance > b.Distance:
			return 1
		}
		return 0
	})
	s = s[:n]
	eps := s[n-1].Distance
	// Back in proposal order.
	slices.SortFunc(s, func(a, b Particle) int {
		if a.Batch != b.Batch {
			return a.Batch - b.Batch
		}
		return a.Index - b.Index
	})
	return s, eps
}

// next is generation t ≥ 1 from generation prev.
func (cfg *Config) next(ctx context.Context, sim Simulator, prev *Generation) (*Generation, error) {
	t := prev.Index + 1
	ds := make([]float64, len(prev.Particles))
	for i, p := range prev.Particles {
		ds[i] = p.Distance
	}
	slices.Sort(ds)
	eps := stat.Quantile(cfg.Quantile, stat.Empirical, ds, nil)
	k, err := newKernel(cfg.Priors, prev)
	if err != nil {
		return nil, fmt.Errorf("generation %d: %w", t, err)
	}
	g := &Generation{Index: t, Epsilon: eps}
	var all []Particle
	size := int(math.Ceil(float64(cfg.Particles) / cfg.Quantile))
	for b := 0; len(g.Particles) < cfg.Particles; b++ {
		if g.Runs >= cfg.MaxRuns {
			// Keep the best proposals: the tolerance rises to the largest kept.
			g.Particles, g.Epsilon = best(all, cfg.Particles)
			g.Fallback = true
			break
		}
		size = min(size, cfg.MaxRuns-g.Runs)
		src := rng.New(cfg.Seed, keyPropose, uint64(t), uint64(b))
		thetas := make([][]float64, size)
		for i := range thetas {
			if thetas[i], err = k.propose(cfg, &src); err != nil {
				return nil, fmt.Errorf("generation %d: %w", t, err)
			}
		}
		d, err := simulate(ctx, sim, t, b, thetas)
		if err != nil {
			return nil, err
		}
		g.Runs += size
		g.Batches++
		for i := range thetas {
			p := Particle{Theta: thetas[i], Distance: d[i], Batch: b, Index: i}
			all = append(all, p)
			if d[i] <= eps && len(g.Particles) < cfg.Particles {
				g.Particles = append(g.Particles, p)
			}
		}
		// The next batch: enough for the particles still wanted at the
		// acceptance rate seen so far, with a margin of a fifth.
		rate := float64(len(g.Particles)) / float64(g.Runs)
		want := cfg.Particles - len(g.Particles)
		if rate > 0 {
			size = int(math.Ceil(1.2 * float64(want) / rate))
		} else {
			size = 2 * g.Runs
		}
		size = max(size, 2)
	}
	// Importance weights: π(θ_i) / Σ_j W_j K(θ_i | θ_j); π is constant.
	sum := 0.0
	for i := range g.Particles {
		z := k.zOf(g.Particles[i].Theta)
		den := 0.0
		for j, q := range prev.Particles {
			den += q.Weight * k.density(z, k.z[j])
		}
		g.Particles[i].Weight = 1 / den
		sum += g.Particles[i].Weight
	}
	for i := range g.Particles {
		g.Particles[i].Weight /= sum
	}
	return g, nil
}

// simulate calls sim and checks its answer.
func simulate(ctx context.Context, sim Simulator, g, b int, thetas [][]float64) ([]float64, error) {
	d, err := sim(ctx, g, b, thetas)
	if err != nil {
		return nil, err
	}
	if len(d) != len(thetas) {
		return nil, fmt.Errorf("generation %d, batch %d: the simulator returned %d distances for %d parameter sets", g, b, len(d), len(thetas))
	}
	for i := range d {
		if math.IsNaN(d[i]) {
			d[i] = math.Inf(1)
		}
	}
	return d, nil
}

// kernel is the perturbation kernel of a generation: a Gaussian centred on a
// particle of the previous one, with covariance twice their weighted sample
// covariance, in the priors' flat scales.
type kernel struct {
	priors []Prior
	z      [][]float64   // the previous particles, in flat scale
	w      []float64     // their weights
	l      *mat.TriDense // the Cholesky factor L of the covariance: S = L Lᵀ
}

// newKernel returns the kernel of the generation after prev.
func newKernel(priors []Prior, prev *Generation) (*kernel, error) {
	k := &kernel{priors: priors}
	n, d := len(prev.Particles), len(priors)
	x := mat.NewDense(n, d, nil)
	for i, p := range prev.Particles {
		zi := k.zOf(p.Theta)
		k.z = append(k.z, zi)
		k.w = append(k.w, p.Weight)
		x.SetRow(i, zi)
	}
	// Weighted covariance with normalised weights (reliability weights):
	// Σ = Σ_i w_i (z_i − z̄)(z_i − z̄)ᵀ / (1 − Σ w_i²).
	mean := make([]float64, d)
	for j := range d {
		mean[j] = stat.Mean(mat.Col(nil, j, x), k.w)
	}
	sw2 := 0.0
	for _, w := range k.w {
		sw2 += w * w
	}
	cov := mat.NewSymDense(d, nil)
	for a := range d {
		for b := a; b < d; b++ {
			s := 0.0
			for i := range n {
				s += k.w[i] * (k.z[i][a] - mean[a]) * (k.z[i][b] - mean[b])
			}
			if sw2 < 1 {
				s /= 1 - sw2
			}
			cov.SetSym(a, b, 2*s)
		}
	}
	// A degenerate covariance (particles on a line) gets a small jitter of
	// each prior's width.
	var chol mat.Cholesky
	for jitter := 0.0; ; {
		c := mat.NewSymDense(d, nil)
		c.CopySym(cov)
		for j, p := range priors {
			w := p.z(p.Max) - p.z(p.Min)
			c.SetSym(j, j, c.At(j, j)+jitter*w*w)
		}
		if chol.Factorize(c) {
			break
		}
		if jitter == 0 {
			jitter = 1e-8
		} else if jitter *= 10; jitter > 1e-2 {
			return nil, errors.New("the particles' covariance is not positive definite")
		}
	}
	k.l = mat.NewTriDense(d, mat.Lower, nil)
	chol.LTo(k.l)
	return k, nil
}

// zOf returns theta in the priors' flat scales.
func (k *kernel) zOf(theta []float64) []float64 {
	z := make([]float64, len(theta))
	for j, p := range k.priors {
		z[j] = p.z(theta[j])
	}
	return z
}

// density returns the kernel's density at z around c, up to a constant:
// exp(−½ (z − c)ᵀ S⁻¹ (z − c)).
func (k *kernel) density(z, c []float64) float64 {
	d := len(z)
	diff := mat.NewVecDense(d, nil)
	for j := range d {
		diff.SetVec(j, z[j]-c[j])
	}
	var y mat.VecDense
	if err := y.SolveVec(k.l, diff); err != nil {
		return 0
	}
	q := mat.Dot(&y, &y)
	return math.Exp(-q / 2)
}

// propose draws a particle of the previous generation by weight and moves it
// by the kernel until it lies within the priors' bounds; the values are
// rounded to six significant digits (what is run is what is recorded).
func (k *kernel) propose(cfg *Config, src *rng.Stream) ([]float64, error) {
	d := len(k.priors)
	n := mat.NewVecDense(d, nil)
	var step mat.VecDense
	for try := 0; try < 10000; try++ {
		u, j := src.Float64(), 0
		for acc := k.w[0]; acc < u && j < len(k.w)-1; acc += k.w[j] {
			j++
		}
		for i := range d {
			n.SetVec(i, src.Normal())
		}
		step.MulVec(k.l, n)
		theta := make([]float64, d)
		inside := true
		for i, p := range k.priors {
			z := k.z[j][i] + step.AtVec(i)
			if z < p.z(p.Min) || z > p.z(p.Max) {
				inside = false
				break
			}
			theta[i] = cfg.clamp(i, round(p.x(z)))
		}
		if inside {
			return theta, nil
		}
	}
	return nil, errors.New("10,000 proposals in a row fell outside the priors")
}

// clamp keeps a rounded value of parameter i within its prior's bounds.
func (cfg *Config) clamp(i int, x float64) float64 {
	return math.Min(cfg.Priors[i].Max, math.Max(cfg.Priors[i].Min, x))
}

// round returns x rounded to six significant digits.
func round(x float64) float64 {
	y, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 6, 64), 64)
	return y
}
