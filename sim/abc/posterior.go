package abc

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
)

// Summary describes a parameter's weighted sample.
type Summary struct {
	Name     string
	Mean, SD float64 // weighted
	Median   float64
	Lo, Hi   float64 // the (1−level)/2 and (1+level)/2 weighted quantiles
}

// Summarize returns each parameter's weighted mean, standard deviation,
// median and central interval at level (e.g. 0.9: the 5% and 95% weighted
// quantiles, gonum's stat.Quantile with the empirical CDF) over the
// generation's particles.
func (g *Generation) Summarize(priors []Prior, level float64) []Summary {
	out := make([]Summary, len(priors))
	for j, p := range priors {
		n := len(g.Particles)
		x, w := make([]float64, n), make([]float64, n)
		for i, q := range g.Particles {
			x[i], w[i] = q.Theta[j], q.Weight
		}
		s := Summary{Name: p.Name}
		s.Mean = stat.Mean(x, w)
		s.SD = math.Sqrt(stat.PopVariance(x, w))
		idx := make([]int, n)
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int {
			switch {
			case x[a] < x[b]:
				return -1
			case x[a] > x[b]:
				return 1
			}
			return 0
		})
		xs, ws := make([]float64, n), make([]float64, n)
		for i, k := range idx {
			xs[i], ws[i] = x[k], w[k]
		}
		s.Median = stat.Quantile(0.5, stat.Empirical, xs, ws)
		s.Lo = stat.Quantile((1-level)/2, stat.Empirical, xs, ws)
		s.Hi = stat.Quantile((1+level)/2, stat.Empirical, xs, ws)
		out[j] = s
	}
	return out
}
