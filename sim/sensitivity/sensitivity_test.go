package sensitivity

import (
	"math"
	"slices"
	"testing"

	"github.com/collsim/collsim/sim/rng"
)

// ishigami is the Ishigami–Homma function with a = 7, b = 0.1 on
// [−π, π]³, given unit coordinates.
func ishigami(u []float64) float64 {
	x := make([]float64, 3)
	for i := range x {
		x[i] = -math.Pi + 2*math.Pi*u[i]
	}
	return math.Sin(x[0]) + 7*math.Pow(math.Sin(x[1]), 2) + 0.1*math.Pow(x[2], 4)*math.Sin(x[0])
}

// TestSobolIshigami checks the indices of the Ishigami function against
// their exact values (Ishigami and Homma 1990; Saltelli et al. 2008, §4.5):
// S1 = (0.3139, 0.4424, 0), ST = (0.5576, 0.4424, 0.2437).
func TestSobolIshigami(t *testing.T) {
	const n = 1 << 13
	x, err := SaltelliDesign(3, n)
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, len(x))
	for j, u := range x {
		y[j] = ishigami(u)
	}
	src := rng.New(1, 2)
	got, err := Sobol(y, 3, 200, &src)
	if err != nil {
		t.Fatal(err)
	}
	want := []Indices{{S1: 0.3139, ST: 0.5576}, {S1: 0.4424, ST: 0.4424}, {S1: 0, ST: 0.2437}}
	const tol = 0.01
	for i, w := range want {
		g := got[i]
		if math.Abs(g.S1-w.S1) > tol || math.Abs(g.ST-w.ST) > tol {
			t.Errorf("x%d: S1 = %.4f, ST = %.4f; want %.4f, %.4f (±%g)", i+1, g.S1, g.ST, w.S1, w.ST, tol)
		}
		if !(g.S1Lo <= g.S1 && g.S1 <= g.S1Hi && g.STLo <= g.ST && g.ST <= g.STHi) {
			t.Errorf("x%d: the bootstrap intervals [%.4f, %.4f], [%.4f, %.4f] do not hold the estimates", i+1, g.S1Lo, g.S1Hi, g.STLo, g.STHi)
		}
		if g.S1Hi-g.S1Lo > 0.1 || g.STHi-g.STLo > 0.1 {
			t.Errorf("x%d: bootstrap intervals too wide: [%.4f, %.4f], [%.4f, %.4f]", i+1, g.S1Lo, g.S1Hi, g.STLo, g.STHi)
		}
	}
}

func TestSaltelliDesign(t *testing.T) {
	x, err := SaltelliDesign(2, 4)
	if err != nil {
		t.Fatal(err)
	}
	if len(x) != 4*4 {
		t.Fatalf("%d points, want 16", len(x))
	}
	for j := range 4 {
		a, b := x[4*j], x[4*j+1]
		for i := range 2 {
			ab := x[4*j+2+i]
			for c := range 2 {
				want := a[c]
				if c == i {
					want = b[c]
				}
				if ab[c] != want {
					t.Errorf("row %d: A_B^(%d) = %v from A = %v, B = %v", j, i, ab, a, b)
				}
			}
		}
	}
	// The first row is the Sobol sequence's second point: (½, ½ | ½, ½).
	if !slices.Equal(x[0], []float64{0.5, 0.5}) {
		t.Errorf("A_0 = %v, want [0.5 0.5]", x[0])
	}
	if _, err := SaltelliDesign(17, 4); err == nil {
		t.Error("17 factors (34 dimensions): no error")
	}
}

// TestMorrisRanking checks Morris statistics on a function whose ranking is
// known: f = 8 x1 + 4 x2 + 2 x3² + 0 x4 + x1 x2 (on [0, 1]⁴). Effects of x1
// and x2 vary only through their interaction, x3's through its curvature,
// and x4 has none: μ* ranks x1 > x2 > x3 > x4 = 0, σ(x4) = 0.
func TestMorrisRanking(t *testing.T) {
	f := func(u []float64) float64 { return 8*u[0] + 4*u[1] + 2*u[2]*u[2] + u[0]*u[1] }
	src := rng.New(7, 1)
	x, err := MorrisDesign(4, 50, 4, &src)
	if err != nil {
		t.Fatal(err)
	}
	y := make([]float64, len(x))
	for j, u := range x {
		y[j] = f(u)
	}
	e, err := Morris(x, y, 4, 100, &src)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 3; i++ {
		if !(e[i].MuStar > e[i+1].MuStar) {
			t.Errorf("μ*(x%d) = %.3f not above μ*(x%d) = %.3f", i+1, e[i].MuStar, i+2, e[i+1].MuStar)
		}
	}
	if e[3].MuStar != 0 || e[3].Sigma != 0 {
		t.Errorf("x4: μ* = %v, σ = %v, want 0, 0", e[3].MuStar, e[3].Sigma)
	}
	// x1's effect is 8 + x2, between 8 and 9; x2's is 4 + x1.
	if e[0].MuStar < 8 || e[0].MuStar > 9 || e[1].MuStar < 4 || e[1].MuStar > 5 {
		t.Errorf("μ*(x1) = %.3f (want 8–9), μ*(x2) = %.3f (want 4–5)", e[0].MuStar, e[1].MuStar)
	}
	// x3 is non-linear: its effects spread.
	if !(e[2].Sigma > 0.1) {
		t.Errorf("σ(x3) = %.3f, want above 0.1 (non-linear)", e[2].Sigma)
	}
	for i := range 4 {
		if e[i].N != 50 {
			t.Errorf("x%d: %d effects, want 50", i+1, e[i].N)
		}
		if !(e[i].MuStarLo <= e[i].MuStar && e[i].MuStar <= e[i].MuStarHi) {
			t.Errorf("x%d: interval [%v, %v] does not hold μ* = %v", i+1, e[i].MuStarLo, e[i].MuStarHi, e[i].MuStar)
		}
	}
}

// TestMorrisDesign checks the trajectories: on the grid, one factor at a
// time, each factor moved once by ±Δ.
func TestMorrisDesign(t *testing.T) {
	src := rng.New(3, 3)
	const k, r, p = 5, 20, 4
	x, err := MorrisDesign(k, r, p, &src)
	if err != nil {
		t.Fatal(err)
	}
	if len(x) != r*(k+1) {
		t.Fatalf("%d points, want %d", len(x), r*(k+1))
	}
	delta := MorrisDelta(p)
	for tr := range r {
		moved := map[int]bool{}
		for m := range k {
			a, b := x[tr*(k+1)+m], x[tr*(k+1)+m+1]
			i, step := changed(a, b)
			if i < 0 || moved[i] || math.Abs(math.Abs(step)-delta) > 1e-12 {
				t.Fatalf("trajectory %d, step %d: %v → %v", tr, m, a, b)
			}
			moved[i] = true
			for _, v := range b {
				if v < 0 || v > 1 || math.Abs(v*(p-1)-math.Round(v*(p-1))) > 1e-12 {
					t.Fatalf("trajectory %d: %v is off the grid", tr, b)
				}
			}
		}
	}
	if _, err := MorrisDesign(3, 2, 3, &src); err == nil {
		t.Error("odd levels: no error")
	}
}
