// Package stats summarises replicate runs: mean, spread and a confidence
// interval from Student's t distribution (gonum.org/v1/gonum/stat).
package stats

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Summary describes a sample of replicate values.
type Summary struct {
	N        int
	Mean, SD float64 // SD is the sample standard deviation (n-1)
	Lo, Hi   float64 // confidence interval of the mean
	Min, Max float64
}

// Summarize returns the mean, sample standard deviation, min, max and the
// two-sided confidence interval of the mean at level (e.g. 0.95):
// mean ± t(1-(1-level)/2, n-1) · sd/√n. With one value the interval is that
// value; with none every field but N is NaN. NaN values are left out.
func Summarize(xs []float64, level float64) Summary {
	var v []float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	s := Summary{N: len(v)}
	if s.N == 0 {
		nan := math.NaN()
		return Summary{Mean: nan, SD: nan, Lo: nan, Hi: nan, Min: nan, Max: nan}
	}
	s.Min, s.Max = v[0], v[0]
	for _, x := range v {
		s.Min = math.Min(s.Min, x)
		s.Max = math.Max(s.Max, x)
	}
	if s.N == 1 {
		s.Mean, s.Lo, s.Hi = v[0], v[0], v[0]
		return s
	}
	s.Mean, s.SD = stat.MeanStdDev(v, nil)
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(s.N - 1)}.Quantile(1 - (1-level)/2)
	half := t * s.SD / math.Sqrt(float64(s.N))
	s.Lo, s.Hi = s.Mean-half, s.Mean+half
	return s
}

// Band returns the central band of the values of xs that hold level of
// them: the (1-level)/2 and 1-(1-level)/2 quantiles (for level 0.95, the
// 2.5th and 97.5th percentiles), each interpolated linearly between order
// statistics (the sample quantile of type 7 in Hyndman and Fan 1996, R's
// default). Unlike the interval of Summarize, it is where the values
// themselves lie, not their mean: a prediction band. NaN values are left
// out; with none, both are NaN.
func Band(xs []float64, level float64) (lo, hi float64) {
	var v []float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		return math.NaN(), math.NaN()
	}
	slices.Sort(v)
	return quantile(v, (1-level)/2), quantile(v, 1-(1-level)/2)
}

// quantile returns the p-quantile of sorted values by linear
// interpolation: h = (n-1)p, between v[⌊h⌋] and v[⌊h⌋+1].
func quantile(v []float64, p float64) float64 {
	h := float64(len(v)-1) * p
	i := int(math.Floor(h))
	if i >= len(v)-1 {
		return v[len(v)-1]
	}
	return v[i] + (h-float64(i))*(v[i+1]-v[i])
}
