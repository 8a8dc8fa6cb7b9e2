package abc

import (
	"context"
	"math"
	"testing"

	"github.com/collsim/collsim/sim/rng"
)

// normalMean is a simulator with a known posterior: n observations of
// Normal(θ, 1), summarised by their mean. With a flat prior much wider than
// 1/√n, the posterior of θ given an observed mean ȳ is close to
// Normal(ȳ, 1/n). Each proposal gets its own stream, derived from
// (generation, batch, index), as a sweep derives its runs' seeds.
func normalMean(ybar float64, n int) Simulator {
	return func(_ context.Context, g, b int, thetas [][]float64) ([]float64, error) {
		d := make([]float64, len(thetas))
		for i, th := range thetas {
			src := rng.New(99, uint64(g), uint64(b), uint64(i))
			s := 0.0
			for range n {
				s += th[0] + src.Normal()
			}
			d[i] = math.Abs(s/float64(n) - ybar)
		}
		return d, nil
	}
}

// TestRecoversNormalMean: data generated with θ = 2.3 are summarised by
// their mean; ABC-SMC from a flat prior on [−10, 10] must put θ inside its
// 90% interval, and its posterior must match the exact one, Normal(ȳ, 1/n),
// in mean and spread.
func TestRecoversNormalMean(t *testing.T) {
	const theta, n = 2.3, 25
	src := rng.New(1, 1)
	ybar := 0.0
	for range n {
		ybar += theta + src.Normal()
	}
	ybar /= n
	cfg := Config{
		Priors:      []Prior{{Name: "theta", Min: -10, Max: 10}},
		Particles:   400,
		Generations: 6,
		PriorRuns:   2000,
		Quantile:    0.5,
		Seed:        7,
	}
	gens, err := Run(context.Background(), cfg, normalMean(ybar, n), nil)
	if err != nil {
		t.Fatal(err)
	}
	if len(gens) != cfg.Generations {
		t.Fatalf("%d generations", len(gens))
	}
	for i := 1; i < len(gens); i++ {
		if !(gens[i].Epsilon < gens[i-1].Epsilon) {
			t.Errorf("tolerance did not fall: ε%d = %g, ε%d = %g", i-1, gens[i-1].Epsilon, i, gens[i].Epsilon)
		}
		for _, p := range gens[i].Particles {
			if p.Distance > gens[i].Epsilon {
				t.Fatalf("generation %d accepted a distance %g above ε = %g", i, p.Distance, gens[i].Epsilon)
			}
		}
	}
	last := gens[len(gens)-1]
	s := last.Summarize(cfg.Priors, 0.9)[0]
	if !(s.Lo <= theta && theta <= s.Hi) {
		t.Errorf("θ = %g outside the 90%% interval [%.3f, %.3f]", theta, s.Lo, s.Hi)
	}
	exactSD := 1 / math.Sqrt(n)
	if math.Abs(s.Mean-ybar) > 0.25*exactSD {
		t.Errorf("posterior mean %.4f, exact %.4f", s.Mean, ybar)
	}
	// ABC with ε > 0 widens the posterior a little: allow a quarter.
	if s.SD < 0.8*exactSD || s.SD > 1.25*exactSD {
		t.Errorf("posterior sd %.4f, exact %.4f", s.SD, exactSD)
	}
	if ess := last.ESS(); ess < 100 {
		t.Errorf("effective sample size %.0f of %d particles", ess, cfg.Particles)
	}
}

// TestTwoParametersLogPrior recovers (a, b) from y = a + b·x observed at
// x = 0 and x = 1 with noise, b under a log-uniform prior.
func TestTwoParametersLogPrior(t *testing.T) {
	const a, b = 1.5, 0.2
	sim := func(_ context.Context, g, batch int, thetas [][]float64) ([]float64, error) {
		d := make([]float64, len(thetas))
		for i, th := range thetas {
			src := rng.New(5, uint64(g), uint64(batch), uint64(i))
			y0 := th[0] + 0.01*src.Normal()
			y1 := th[0] + 10*th[1] + 0.01*src.Normal()
			d[i] = math.Hypot(y0-a, y1-(a+10*b))
		}
		return d, nil
	}
	cfg := Config{
		Priors:      []Prior{{Name: "a", Min: 0, Max: 5}, {Name: "b", Min: 0.01, Max: 10, Log: true}},
		Particles:   200,
		Generations: 10,
		PriorRuns:   1000,
		Quantile:    0.5,
		Seed:        3,
	}
	gens, err := Run(context.Background(), cfg, sim, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range gens[len(gens)-1].Summarize(cfg.Priors, 0.9) {
		want := []float64{a, b}[i]
		if !(s.Lo <= want && want <= s.Hi) || s.Hi-s.Lo > 0.2*max(want, 0.5) {
			t.Errorf("%s: 90%% interval [%.4f, %.4f] for %g", s.Name, s.Lo, s.Hi, want)
		}
		for _, p := range gens[len(gens)-1].Particles {
			if p.Theta[i] < cfg.Priors[i].Min || p.Theta[i] > cfg.Priors[i].Max {
				t.Fatalf("%s = %g outside its prior", s.Name, p.Theta[i])
			}
		}
	}
}

// TestDeterministic: the same seed gives the same particles; another seed
// others.
func TestDeterministic(t *testing.T) {
	cfg := Config{Priors: []Prior{{Name: "theta", Min: -5, Max: 5}}, Particles: 20, Generations: 3, PriorRuns: 60, Quantile: 0.5, Seed: 1}
	run := func(seed uint64) []Particle {
		cfg.Seed = seed
		gens, err := Run(context.Background(), cfg, normalMean(1, 10), nil)
		if err != nil {
			t.Fatal(err)
		}
		return gens[2].Particles
	}
	a, b, c := run(1), run(1), run(2)
	same := func(x, y []Particle) bool {
		for i := range x {
			if x[i].Theta[0] != y[i].Theta[0] || x[i].Weight != y[i].Weight {
				return false
			}
		}
		return true
	}
	if !same(a, b) || same(a, c) {
		t.Error("the particles are not a function of the seed")
	}
}

// TestFallback: a simulator whose distances never fall below the tolerance
// makes each generation stop at MaxRuns and keep its best proposals.
func TestFallback(t *testing.T) {
	calls := 0
	sim := func(_ context.Context, g, b int, thetas [][]float64) ([]float64, error) {
		calls++
		d := make([]float64, len(thetas))
		for i := range d {
			d[i] = 10 - float64(g) + float64(i%7)
			if g > 0 {
				d[i] += 100
			}
		}
		return d, nil
	}
	cfg := Config{Priors: []Prior{{Name: "x", Min: 0, Max: 1}}, Particles: 10, Generations: 2, PriorRuns: 20, Quantile: 0.5, MaxRuns: 30, Seed: 1}
	gens, err := Run(context.Background(), cfg, sim, nil)
	if err != nil {
		t.Fatal(err)
	}
	g := gens[1]
	if !g.Fallback || g.Runs != 30 || len(g.Particles) != 10 || g.Epsilon < 100 {
		t.Errorf("fallback %v, %d runs, %d particles, ε = %g", g.Fallback, g.Runs, len(g.Particles), g.Epsilon)
	}
}

func TestConfigCheck(t *testing.T) {
	bad := []Config{
		{},
		{Priors: []Prior{{Name: "x", Min: 1, Max: 0}}, Particles: 10, Generations: 1, PriorRuns: 10, Quantile: 0.5},
		{Priors: []Prior{{Name: "x", Min: 0, Max: 1, Log: true}}, Particles: 10, Generations: 1, PriorRuns: 10, Quantile: 0.5},
		{Priors: []Prior{{Name: "x", Min: 0, Max: 1}}, Particles: 10, Generations: 1, PriorRuns: 5, Quantile: 0.5},
		{Priors: []Prior{{Name: "x", Min: 0, Max: 1}}, Particles: 10, Generations: 1, PriorRuns: 10, Quantile: 1},
	}
	for i, c := range bad {
		if c.Check() == nil {
			t.Errorf("config %d: no error", i)
		}
	}
}
