// Package qmc generates quasi-random (low-discrepancy) points in the unit
// cube: the Sobol sequence with the direction numbers of Joe and Kuo (2008).
package qmc

import "fmt"

// bits is the precision of the points: each coordinate is a multiple of 2⁻³².
const bits = 32

// joeKuo are the primitive polynomials and initial direction numbers of
// dimensions 2 to 32 from S. Joe and F. Y. Kuo, "Constructing Sobol
// sequences with better two-dimensional projections", SIAM J. Sci. Comput.
// 30 (2008) 2635–2654, file new-joe-kuo-6.21201: for each dimension, the
// degree s of the polynomial, its coefficients a (the inner bits) and the
// initial direction numbers m₁…mₛ. Dimension 1 is the van der Corput
// sequence and needs none.
var joeKuo = []struct {
	s, a int
	m    []uint32
}{
	{1, 0, []uint32{1}},
	{2, 1, []uint32{1, 3}},
	{3, 1, []uint32{1, 3, 1}},
	{3, 2, []uint32{1, 1, 1}},
	{4, 1, []uint32{1, 1, 3, 3}},
	{4, 4, []uint32{1, 3, 5, 13}},
	{5, 2, []uint32{1, 1, 5, 5, 17}},
	{5, 4, []uint32{1, 1, 5, 5, 5}},
	{5, 7, []uint32{1, 1, 7, 11, 19}},
	{5, 11, []uint32{1, 1, 5, 1, 1}},
	{5, 13, []uint32{1, 1, 1, 3, 11}},
	{5, 14, []uint32{1, 3, 5, 5, 31}},
	{6, 1, []uint32{1, 3, 3, 9, 7, 49}},
	{6, 13, []uint32{1, 1, 1, 15, 21, 21}},
	{6, 16, []uint32{1, 3, 1, 13, 27, 49}},
	{6, 19, []uint32{1, 1, 1, 15, 7, 5}},
	{6, 22, []uint32{1, 3, 1, 15, 13, 25}},
	{6, 25, []uint32{1, 1, 5, 5, 19, 61}},
	{7, 1, []uint32{1, 3, 7, 11, 23, 15, 103}},
	{7, 4, []uint32{1, 3, 7, 13, 13, 15, 69}},
	{7, 7, []uint32{1, 1, 3, 13, 7, 35, 63}},
	{7, 8, []uint32{1, 3, 5, 9, 1, 25, 53}},
	{7, 14, []uint32{1, 3, 1, 13, 9, 35, 107}},
	{7, 19, []uint32{1, 3, 1, 5, 27, 61, 31}},
	{7, 21, []uint32{1, 1, 5, 11, 19, 41, 61}},
	{7, 28, []uint32{1, 3, 5, 3, 3, 13, 69}},
	{7, 31, []uint32{1, 1, 7, 13, 1, 19, 1}},
	{7, 32, []uint32{1, 3, 7, 5, 13, 19, 59}},
	{7, 37, []uint32{1, 1, 3, 9, 25, 29, 41}},
	{7, 41, []uint32{1, 3, 5, 13, 23, 1, 55}},
	{7, 42, []uint32{1, 3, 7, 3, 13, 59, 17}},
}

// MaxDim is the largest dimension Sobol supports.
const MaxDim = 1 + 31

// Sobol generates the points of the Sobol sequence in [0, 1)^d in order,
// by Gray code (Antonov and Saleev 1979): point n+1 is point n with each
// coordinate XORed with the direction number of the lowest zero bit of n.
// Point 0 is the origin. The first 2^m points of each coordinate are a
// (0, m, 1)-net: exactly one in each interval [i/2^m, (i+1)/2^m).
type Sobol struct {
	dim int
	v   [][bits]uint32 // direction numbers, left-aligned
	x   []uint32       // the current point, as integers
	n   uint64         // points returned so far
}

// NewSobol returns the sequence in dimension d, 1 ≤ d ≤ MaxDim.
func NewSobol(d int) (*Sobol, error) {
	if d < 1 || d > MaxDim {
		return nil, fmt.Errorf("qmc: Sobol dimension %d is out of range [1, %d]", d, MaxDim)
	}
	s := &Sobol{dim: d, v: make([][bits]uint32, d), x: make([]uint32, d)}
	for i := range bits {
		s.v[0][i] = 1 << (bits - 1 - i)
	}
	for j := 1; j < d; j++ {
		jk := joeKuo[j-1]
		v := &s.v[j]
		for i := 0; i < jk.s; i++ {
			v[i] = jk.m[i] << (bits - 1 - i)
		}
		// v_i = a₁v_{i−1} ⊕ a₂v_{i−2} ⊕ … ⊕ a_{s−1}v_{i−s+1} ⊕ v_{i−s} ⊕ (v_{i−s} >> s).
		for i := jk.s; i < bits; i++ {
			w := v[i-jk.s] ^ (v[i-jk.s] >> jk.s)
			for k := 1; k < jk.s; k++ {
				if (jk.a>>(jk.s-1-k))&1 == 1 {
					w ^= v[i-k]
				}
			}
			v[i] = w
		}
	}
	return s, nil
}

// Next writes the next point into p (of length the dimension) and returns
// it; a nil p gets a new slice. It panics after 2³² − 1 points.
func (s *Sobol) Next(p []float64) []float64 {
	if p == nil {
		p = make([]float64, s.dim)
	}
	if s.n > 0 {
		c := 0 // the lowest zero bit of n−1
		for m := s.n - 1; m&1 == 1; m >>= 1 {
			c++
		}
		if c >= bits {
			panic("qmc: the Sobol sequence is exhausted")
		}
		for j := range s.x {
			s.x[j] ^= s.v[j][c]
		}
	}
	s.n++
	for j, x := range s.x {
		p[j] = float64(x) / (1 << bits)
	}
	return p
}
