package sensitivity

import (
	"fmt"
	"math"
	"slices"

	"gonum.org/v1/gonum/stat"

	"github.com/collsim/collsim/sim/qmc"
	"github.com/collsim/collsim/sim/rng"
)

// SaltelliDesign returns the design of Saltelli et al. (2010) for k factors
// and n base samples: n rows of k+2 points each, row j being
//
//	A_j, B_j, A_B^(1)_j, …, A_B^(k)_j,
//
// where A and B are two independent quasi-random samples (the first k and
// the last k coordinates of the 2k-dimensional Sobol sequence, its first
// point, the origin, skipped) and A_B^(i) is A with column i taken from B.
// It needs 2k ≤ qmc.MaxDim.
func SaltelliDesign(k, n int) ([][]float64, error) {
	if k < 1 || n < 2 {
		return nil, fmt.Errorf("sensitivity: a Saltelli design needs k ≥ 1 factors and n ≥ 2 base samples (got k=%d, n=%d)", k, n)
	}
	seq, err := qmc.NewSobol(2 * k)
	if err != nil {
		return nil, fmt.Errorf("sensitivity: %d factors need %d Sobol dimensions: %w", k, 2*k, err)
	}
	seq.Next(nil) // the origin
	pts := make([][]float64, 0, n*(k+2))
	u := make([]float64, 2*k)
	for range n {
		seq.Next(u)
		a, b := slices.Clone(u[:k]), slices.Clone(u[k:])
		pts = append(pts, a, b)
		for i := range k {
			ab := slices.Clone(a)
			ab[i] = b[i]
			pts = append(pts, ab)
		}
	}
	return pts, nil
}

// Indices are the Sobol indices of one factor for one output, with
// bootstrap 95% intervals (NaN without a bootstrap).
type Indices struct {
	S1, S1Lo, S1Hi float64 // first order: the share of the variance the factor explains alone
	ST, STLo, STHi float64 // total: the share it explains with all its interactions
}

// Sobol returns the first-order and total indices of each of k factors from
// the outputs y of the points of a Saltelli design (n rows of k+2, as
// SaltelliDesign makes them). With f_A, f_B and f_ABi the outputs at A_j,
// B_j and A_B^(i)_j, and V the variance of the 2n outputs at A and B,
//
//	S1_i = (1/n) Σ_j f_B(j) (f_ABi(j) − f_A(j)) / V        (Saltelli et al. 2010)
//	ST_i = (1/2n) Σ_j (f_A(j) − f_ABi(j))² / V              (Jansen 1999).
//
// Rows with a NaN output are left out. With boot > 0 and src not nil, the
// intervals are percentile bootstrap intervals over rows (boot resamples).
func Sobol(y []float64, k int, boot int, src *rng.Stream) ([]Indices, error) {
	if len(y) == 0 || len(y)%(k+2) != 0 {
		return nil, fmt.Errorf("sensitivity: %d outputs are not rows of %d points", len(y), k+2)
	}
	var rows [][]float64
	for j := 0; j < len(y); j += k + 2 {
		row := y[j : j+k+2]
		if !slices.ContainsFunc(row, math.IsNaN) {
			rows = append(rows, row)
		}
	}
	if len(rows) < 2 {
		return nil, fmt.Errorf("sensitivity: %d complete rows: too few for Sobol indices", len(rows))
	}
	est := sobolEstimates(rows, k)
	out := make([]Indices, k)
	for i := range out {
		out[i] = Indices{S1: est[i][0], ST: est[i][1], S1Lo: math.NaN(), S1Hi: math.NaN(), STLo: math.NaN(), STHi: math.NaN()}
	}
	if boot > 0 && src != nil {
		s1 := make([][]float64, k)
		st := make([][]float64, k)
		sample := make([][]float64, len(rows))
		for range boot {
			for j := range sample {
				sample[j] = rows[int(src.Float64()*float64(len(rows)))]
			}
			e := sobolEstimates(sample, k)
			for i := range k {
				s1[i] = append(s1[i], e[i][0])
				st[i] = append(st[i], e[i][1])
			}
		}
		for i := range k {
			out[i].S1Lo, out[i].S1Hi = percentileInterval(s1[i], 0.95)
			out[i].STLo, out[i].STHi = percentileInterval(st[i], 0.95)
		}
	}
	return out, nil
}

// sobolEstimates returns (S1, ST) of each factor from rows of k+2 outputs.
// The outputs are first centred on the mean of those at A and B: the
// estimators' expectations do not change, but the variance of S1's falls
// when the output's mean is large against its spread.
func sobolEstimates(rows [][]float64, k int) [][2]float64 {
	n := float64(len(rows))
	ab := make([]float64, 0, 2*len(rows))
	for _, r := range rows {
		ab = append(ab, r[0], r[1])
	}
	mean, v := stat.Mean(ab, nil), stat.PopVariance(ab, nil)
	est := make([][2]float64, k)
	for i := range k {
		var s1, st float64
		for _, r := range rows {
			fa, fb, fab := r[0]-mean, r[1]-mean, r[2+i]-mean
			s1 += fb * (fab - fa)
			st += (fa - fab) * (fa - fab)
		}
		if v > 0 {
			est[i] = [2]float64{s1 / n / v, st / (2 * n) / v}
		} else {
			est[i] = [2]float64{math.NaN(), math.NaN()}
		}
	}
	return est
}

// percentileInterval returns the (1−level)/2 and (1+level)/2 quantiles of xs
// (NaN values left out).
func percentileInterval(xs []float64, level float64) (float64, float64) {
	v := present(xs)
	if len(v) == 0 {
		return math.NaN(), math.NaN()
	}
	slices.Sort(v)
	return stat.Quantile((1-level)/2, stat.Empirical, v, nil), stat.Quantile((1+level)/2, stat.Empirical, v, nil)
}
