package stats

import (
	"fmt"
	"math"
	"testing"
)

func TestSummarizeByHand(t *testing.T) {
	// Five values: mean 3, sample sd sqrt(2.5); t(0.975, 4) = 2.776445.
	s := Summarize([]float64{1, 2, 3, 4, 5}, 0.95)
	half := 2.7764451051977987 * math.Sqrt(2.5) / math.Sqrt(5)
	if s.N != 5 || s.Mean != 3 || math.Abs(s.SD-math.Sqrt(2.5)) > 1e-12 ||
		math.Abs(s.Lo-(3-half)) > 1e-9 || math.Abs(s.Hi-(3+half)) > 1e-9 || s.Min != 1 || s.Max != 5 {
		t.Errorf("Summarize = %+v, want mean 3 ± %.6f", s, half)
	}
}

func TestSummarizeEdges(t *testing.T) {
	if s := Summarize(nil, 0.95); s.N != 0 || !math.IsNaN(s.Mean) {
		t.Errorf("empty: %+v", s)
	}
	if s := Summarize([]float64{7}, 0.95); s.Mean != 7 || s.Lo != 7 || s.Hi != 7 || s.SD != 0 {
		t.Errorf("one value: %+v", s)
	}
	if s := Summarize([]float64{1, math.NaN(), 3}, 0.95); s.N != 2 || s.Mean != 2 {
		t.Errorf("NaN not left out: %+v", s)
	}
}

func ExampleSummarize() {
	s := Summarize([]float64{0.55, 0.58, 0.61, 0.57, 0.59}, 0.95)
	fmt.Printf("%.3f [%.3f, %.3f]\n", s.Mean, s.Lo, s.Hi)
	// Output: 0.580 [0.552, 0.608]
}

// TestBandByHand: R's quantile(1:41, c(0.025, 0.975)) is 2 and 40; of
// 1:5, 1.1 and 4.9.
func TestBandByHand(t *testing.T) {
	var xs []float64
	for i := 41; i >= 1; i-- {
		xs = append(xs, float64(i))
	}
	if lo, hi := Band(xs, 0.95); math.Abs(lo-2) > 1e-12 || math.Abs(hi-40) > 1e-12 {
		t.Errorf("Band(1..41) = %v, %v; want 2, 40", lo, hi)
	}
	if lo, hi := Band([]float64{5, 1, math.NaN(), 3, 2, 4}, 0.95); math.Abs(lo-1.1) > 1e-12 || math.Abs(hi-4.9) > 1e-12 {
		t.Errorf("Band(1..5) = %v, %v; want 1.1, 4.9", lo, hi)
	}
	if lo, hi := Band([]float64{7}, 0.95); lo != 7 || hi != 7 {
		t.Errorf("one value: %v, %v", lo, hi)
	}
	if lo, hi := Band([]float64{math.NaN()}, 0.95); !math.IsNaN(lo) || !math.IsNaN(hi) {
		t.Errorf("no values: %v, %v", lo, hi)
	}
}
