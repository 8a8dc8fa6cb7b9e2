package chart

import (
	"bytes"
	"io"
	"math"
	"strings"
	"testing"

	"gonum.org/v1/plot"
)

func TestPairs(t *testing.T) {
	vars := []PairsVariable{
		{Name: "a", Values: []float64{0.1, 0.2, 0.3, 0.25}, Min: 0, Max: 0.5},
		{Name: "b", Values: []float64{1, 10, 3, 5}, Min: 0.5, Max: 20, Log: true},
		{Name: "c", Values: []float64{2, 3, 4, 3.5}, Min: 1, Max: 5},
	}
	g := Pairs(vars, []float64{0.1, 0.2, 0.3, 0.4}, []float64{0.22, 4, math.NaN()}, 5)
	if len(g.Plots) != 3 || g.Plots[0][1] != nil || g.Plots[2][0] == nil {
		t.Fatalf("grid %v", g.Plots)
	}
	checkFormats(t, g.Write)
	h := weightedHistogram(vars[1], []float64{1, 1, 1, 1}, 4)
	total := 0.0
	for _, b := range h {
		total += b.Weight
	}
	if math.Abs(total-1) > 1e-12 || math.Abs(h[0].Min-0.5) > 1e-12 || math.Abs(h[3].Max-20) > 1e-9 {
		t.Errorf("histogram %+v", h)
	}
}

func TestDotPlot(t *testing.T) {
	nan := math.NaN()
	p := DotPlot("t", "z", []string{"first", "second", "third"}, []DotSeries{
		{Name: "fit", X: []float64{0.5, nan, -2}, Lo: []float64{0.4, nan, -2.5}, Hi: []float64{0.6, nan, -1.5}},
		{Name: "held out", X: []float64{nan, 1.2, 0.1}, Lo: []float64{nan, nan, 0}, Hi: []float64{nan, nan, 0.2}},
	}, -1, 1)
	if p.X.Min > -2.5 || p.X.Max < 1.2 {
		t.Errorf("x range [%g, %g] does not hold the data", p.X.Min, p.X.Max)
	}
	ticks := p.Y.Tick.Marker.Ticks(p.Y.Min, p.Y.Max)
	if len(ticks) != 3 || ticks[0].Label != "first" || ticks[0].Value != 2 {
		t.Errorf("row ticks %+v: want the first label on top", ticks)
	}
	f := &Figure{Plots: []*plot.Plot{p}, Width: 300, Height: 200}
	checkFormats(t, f.Write)
}

// checkFormats writes a figure as PNG twice, byte for byte the same, and
// as SVG.
func checkFormats(t *testing.T, write func(w io.Writer, format string) error) {
	t.Helper()
	var a, b, svg bytes.Buffer
	if err := write(&a, "png"); err != nil {
		t.Fatal(err)
	}
	write(&b, "png")
	if !bytes.HasPrefix(a.Bytes(), []byte("\x89PNG")) || !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("PNG is not a PNG, or not the same twice")
	}
	if err := write(&svg, "svg"); err != nil || !strings.Contains(svg.String(), "<svg") {
		t.Errorf("SVG: %v", err)
	}
	if err := write(&svg, "gif"); err == nil {
		t.Error("an unknown format was accepted")
	}
}
