package sensitivity

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat"

	"github.com/collsim/collsim/sim/rng"
)

// MorrisDesign returns r trajectories of Morris's one-at-a-time design over
// k factors on a grid of p levels {0, 1/(p−1), …, 1} (p even), as r·(k+1)
// points, trajectory t being points t(k+1) … t(k+1)+k. Each trajectory starts
// at a random grid point and moves one factor at a time, in a random order,
// by Δ = p / (2(p − 1)): up if that stays in [0, 1], else down (with p even
// exactly one of the two does). Draws come from src.
func MorrisDesign(k, r, p int, src *rng.Stream) ([][]float64, error) {
	if k < 1 || r < 1 || p < 2 || p%2 != 0 {
		return nil, fmt.Errorf("sensitivity: a Morris design needs k ≥ 1 factors, r ≥ 1 trajectories and an even number of levels p ≥ 2 (got k=%d, r=%d, p=%d)", k, r, p)
	}
	delta := MorrisDelta(p)
	pts := make([][]float64, 0, r*(k+1))
	for range r {
		x := make([]float64, k)
		for i := range x {
			x[i] = float64(int(src.Float64()*float64(p))) / float64(p-1)
		}
		pts = append(pts, append([]float64(nil), x...))
		order := permutation(k, src)
		for _, i := range order {
			if x[i]+delta <= 1+1e-12 {
				x[i] += delta
			} else {
				x[i] -= delta
			}
			x[i] = math.Round(x[i]*float64(p-1)) / float64(p-1) // stay exactly on the grid
			pts = append(pts, append([]float64(nil), x...))
		}
	}
	return pts, nil
}

// MorrisDelta returns the step of a Morris design on p levels: p / (2(p − 1)).
func MorrisDelta(p int) float64 { return float64(p) / (2 * float64(p-1)) }

// permutation returns a random permutation of 0…n−1 (Fisher–Yates).
func permutation(n int, src *rng.Stream) []int {
	q := make([]int, n)
	for i := range q {
		q[i] = i
	}
	for i := n - 1; i > 0; i-- {
		j := int(src.Float64() * float64(i+1))
		q[i], q[j] = q[j], q[i]
	}
	return q
}

// Effects are the Morris statistics of one factor for one output.
type Effects struct {
	N        int     // elementary effects (trajectories where both runs gave a number)
	MuStar   float64 // mean of |EE|: the factor's overall influence
	Mu       float64 // mean of EE: its direction (small against MuStar when effects change sign)
	Sigma    float64 // standard deviation of EE: non-linearity or interactions
	MuStarLo float64 // bootstrap 95% interval of MuStar (NaN without a source)
	MuStarHi float64
}

// Morris returns the elementary-effect statistics of each of the k factors
// from the outputs y of the points of a Morris design x (r(k+1) points,
// trajectory by trajectory, as MorrisDesign makes them). The elementary
// effect of factor i in a trajectory is
//
//	EE_i = (y(x + e_i Δ_i) − y(x)) / Δ_i,
//
// Δ_i the step of coordinate i (±Δ), so effects are per unit of the factor's
// whole range. Steps where either output is NaN are left out. With src not
// nil, MuStarLo and MuStarHi are a percentile bootstrap interval over
// trajectories (boot resamples).
func Morris(x [][]float64, y []float64, k int, boot int, src *rng.Stream) ([]Effects, error) {
	if len(x) != len(y) || len(x)%(k+1) != 0 || len(x) == 0 {
		return nil, fmt.Errorf("sensitivity: %d points and %d outputs are not trajectories of %d factors", len(x), len(y), k)
	}
	r := len(x) / (k + 1)
	ees := make([][]float64, k) // per factor, per trajectory (NaN if missing)
	for i := range ees {
		ees[i] = make([]float64, r)
		for t := range ees[i] {
			ees[i][t] = math.NaN()
		}
	}
	for t := range r {
		for m := range k {
			a, b := t*(k+1)+m, t*(k+1)+m+1
			i, step := changed(x[a], x[b])
			if i < 0 {
				return nil, fmt.Errorf("sensitivity: points %d and %d of trajectory %d differ in other than one factor", a, b, t)
			}
			ees[i][t] = (y[b] - y[a]) / step
		}
	}
	out := make([]Effects, k)
	for i := range k {
		e := present(ees[i])
		out[i] = morrisStats(e)
		out[i].MuStarLo, out[i].MuStarHi = math.NaN(), math.NaN()
		if src != nil && len(e) > 1 && boot > 0 {
			ms := make([]float64, boot)
			s := make([]float64, len(e))
			for b := range ms {
				for j := range s {
					s[j] = e[int(src.Float64()*float64(len(e)))]
				}
				ms[b] = morrisStats(s).MuStar
			}
			out[i].MuStarLo, out[i].MuStarHi = percentileInterval(ms, 0.95)
		}
	}
	return out, nil
}

// morrisStats returns μ*, μ and σ of elementary effects e.
func morrisStats(e []float64) Effects {
	ef := Effects{N: len(e), MuStar: math.NaN(), Mu: math.NaN(), Sigma: math.NaN()}
	if len(e) == 0 {
		return ef
	}
	abs := make([]float64, len(e))
	for j, v := range e {
		abs[j] = math.Abs(v)
	}
	ef.MuStar = stat.Mean(abs, nil)
	ef.Mu = stat.Mean(e, nil)
	if len(e) > 1 {
		ef.Sigma = stat.StdDev(e, nil)
	}
	return ef
}

// changed returns the coordinate in which a and b differ and b − a in it,
// or −1 if they differ in none or in more than one.
func changed(a, b []float64) (int, float64) {
	i := -1
	for j := range a {
		if a[j] != b[j] {
			if i >= 0 {
				return -1, 0
			}
			i = j
		}
	}
	if i < 0 {
		return -1, 0
	}
	return i, b[i] - a[i]
}

// present returns the values of xs that are not NaN.
func present(xs []float64) []float64 {
	var v []float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	return v
}
