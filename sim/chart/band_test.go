package chart

import (
	"bytes"
	"math"
	"testing"

	"gonum.org/v1/plot"
)

func TestBandPlot(t *testing.T) {
	nan := math.NaN()
	series := []BandSeries{
		{Name: "a", X: []float64{1, 2, 3}, Y: []float64{1, 2, 3}, Lo: []float64{0.5, 1.5, 2.5}, Hi: []float64{1.5, 2.5, 3.5}},
		{Name: "b", X: []float64{1, 2, 3}, Y: []float64{2, nan, 1}, Lo: []float64{1, 1, 0}, Hi: []float64{3, 3, 2}},
		{Name: "one point", X: []float64{2}, Y: []float64{1}, Lo: []float64{0.5}, Hi: []float64{1.5}},
		{Name: "none", X: []float64{1}, Y: []float64{nan}, Lo: []float64{nan}, Hi: []float64{nan}},
	}
	for _, points := range []bool{false, true} {
		p := BandPlot("t", "x", "y", series, points, plot.ConstantTicks{{Value: 1, Label: "one"}})
		if p.Y.Max <= 3.5 {
			t.Errorf("points %v: no headroom for the legend: y max %g", points, p.Y.Max)
		}
		f := &Figure{Plots: []*plot.Plot{p}, Width: 300, Height: 200}
		var a, b bytes.Buffer
		if err := f.Write(&a, "svg"); err != nil {
			t.Fatal(err)
		}
		f.Write(&b, "svg")
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("points %v: the SVG differs from one drawing to the next", points)
		}
		// Bands are shaded with a translucent fill; error bars are not.
		if bands := bytes.Contains(a.Bytes(), []byte("fill-opacity")); bands == points {
			t.Errorf("points %v: translucent bands drawn: %v", points, bands)
		}
	}
}
