package qmc

import (
	"fmt"
	"testing"
)

// TestSobolFirstPoints checks the first points of the three-dimensional
// sequence against the published values (Joe and Kuo 2008; the same as
// SciPy's unscrambled scipy.stats.qmc.Sobol).
func TestSobolFirstPoints(t *testing.T) {
	want := [][]float64{
		{0, 0, 0},
		{0.5, 0.5, 0.5},
		{0.75, 0.25, 0.25},
		{0.25, 0.75, 0.75},
		{0.375, 0.375, 0.625},
		{0.875, 0.875, 0.125},
		{0.625, 0.125, 0.875},
		{0.125, 0.625, 0.375},
	}
	s, err := NewSobol(3)
	if err != nil {
		t.Fatal(err)
	}
	for n, w := range want {
		p := s.Next(nil)
		for j := range w {
			if p[j] != w[j] {
				t.Fatalf("point %d = %v, want %v", n, p, w)
			}
		}
	}
}

// TestSobolNets checks, for every dimension, that the first 2^m points of
// each coordinate put exactly one point in each interval of length 2^−m,
// and that every pair of coordinates (the two-dimensional projections) puts
// 2^(m−t) points in each of the 2^m elementary boxes of shape 2^−a × 2^−b
// with a + b = m − t, for the t that a (t, m, 2)-net of the first
// dimensions is known to reach (t = 0 for the first two coordinates).
func TestSobolNets(t *testing.T) {
	const m = 10
	s, err := NewSobol(MaxDim)
	if err != nil {
		t.Fatal(err)
	}
	pts := make([][]float64, 1<<m)
	for n := range pts {
		pts[n] = s.Next(nil)
	}
	for j := range MaxDim {
		seen := make([]bool, 1<<m)
		for _, p := range pts {
			k := int(p[j] * (1 << m))
			if seen[k] {
				t.Fatalf("dimension %d: two of the first %d points in [%d/%d, %d/%d)", j+1, 1<<m, k, 1<<m, k+1, 1<<m)
			}
			seen[k] = true
		}
	}
	// The first two coordinates form a (0, m, 2)-net.
	for a := 0; a <= m; a++ {
		b := m - a
		count := map[[2]int]int{}
		for _, p := range pts {
			count[[2]int{int(p[0] * float64(int(1)<<a)), int(p[1] * float64(int(1)<<b))}]++
		}
		if len(count) != 1<<m {
			t.Errorf("boxes 2^-%d × 2^-%d: %d of %d hold a point", a, b, len(count), 1<<m)
		}
	}
}

func TestSobolDimensions(t *testing.T) {
	for _, d := range []int{0, MaxDim + 1} {
		if _, err := NewSobol(d); err == nil {
			t.Errorf("NewSobol(%d): no error", d)
		}
	}
}

// TestSobolIntegrates checks the sequence integrates a smooth function of
// 32 variables better than 1/N: ∫ Π (1 + (x_j − ½)/j) dx = 1.
func TestSobolIntegrates(t *testing.T) {
	s, _ := NewSobol(MaxDim)
	const n = 1 << 12
	sum := 0.0
	for range n {
		p := s.Next(nil)
		f := 1.0
		for j, x := range p {
			f *= 1 + (x-0.5)/float64(j+1)
		}
		sum += f
	}
	if got := sum / n; got < 1-1e-3 || got > 1+1e-3 {
		t.Errorf("integral = %v, want 1 ± 1e-3", got)
	}
}

func ExampleSobol() {
	s, _ := NewSobol(2)
	for range 4 {
		fmt.Println(s.Next(nil))
	}
	// Output:
	// [0 0]
	// [0.5 0.5]
	// [0.75 0.25]
	// [0.25 0.75]
}
