package chart

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// PairsVariable is one variable of a pairs chart: its name, its values (one
// per sample), the range to draw (its prior's bounds) and whether to draw
// it on a log scale.
type PairsVariable struct {
	Name     string
	Values   []float64
	Min, Max float64
	Log      bool
}

// Pairs returns a scatter matrix of weighted samples (the particles of a
// posterior): below the diagonal each pair of variables as points whose
// area grows with the weight, on the diagonal each variable's weighted
// histogram (bins bins) over its range, and a marked value (the point
// estimate; NaN for none) as a line on the diagonal and a cross below it.
// Above the diagonal is empty.
func Pairs(vars []PairsVariable, weights []float64, marks []float64, bins int) *Grid {
	k := len(vars)
	grid := make([][]*plot.Plot, k)
	wmax := 0.0
	for _, w := range weights {
		wmax = math.Max(wmax, w)
	}
	axis := func(a *plot.Axis, v PairsVariable, label bool) {
		a.Min, a.Max = v.Min, v.Max
		if v.Log {
			a.Scale = plot.LogScale{}
			a.Tick.Marker = plot.LogTicks{Prec: -1}
		}
		if label {
			a.Label.Text = v.Name
		}
	}
	for i := range k {
		grid[i] = make([]*plot.Plot, k)
		for j := 0; j <= i; j++ {
			p := plot.New()
			p.Add(plotter.NewGrid())
			axis(&p.X, vars[j], i == k-1)
			if i == j {
				h := weightedHistogram(vars[i], weights, bins)
				p.Add(&plotter.Histogram{Bins: h, Width: h[0].Max - h[0].Min, FillColor: color.NRGBA{0, 114, 178, 160},
					LineStyle: draw.LineStyle{Color: color.Black, Width: vg.Points(0.5)}})
				if len(marks) > i && !math.IsNaN(marks[i]) {
					top := histMax(h)
					l, err := plotter.NewLine(plotter.XYs{{X: marks[i], Y: 0}, {X: marks[i], Y: top * 1.05}})
					if err == nil {
						l.Color = Palette[1]
						l.Width = vg.Points(1.5)
						p.Add(l)
					}
				}
				p.Y.Tick.Marker = plot.ConstantTicks{}
				if j == 0 {
					p.Y.Label.Text = vars[i].Name
				}
			} else {
				axis(&p.Y, vars[i], j == 0)
				pts := make(plotter.XYZs, len(weights))
				for n := range weights {
					pts[n] = plotter.XYZ{X: vars[j].Values[n], Y: vars[i].Values[n], Z: weights[n]}
				}
				sc, err := plotter.NewScatter(pts)
				if err == nil {
					sc.GlyphStyleFunc = func(n int) draw.GlyphStyle {
						r := vg.Points(0.8 + 2.2*math.Sqrt(pts[n].Z/math.Max(wmax, 1e-300)))
						return draw.GlyphStyle{Color: color.NRGBA{0, 114, 178, 140}, Radius: r, Shape: draw.CircleGlyph{}}
					}
					p.Add(sc)
				}
				if len(marks) > max(i, j) && !math.IsNaN(marks[i]) && !math.IsNaN(marks[j]) {
					m, err := plotter.NewScatter(plotter.XYs{{X: marks[j], Y: marks[i]}})
					if err == nil {
						m.GlyphStyle = draw.GlyphStyle{Color: Palette[1], Radius: vg.Points(4), Shape: draw.CrossGlyph{}}
						p.Add(m)
					}
				}
			}
			if i != k-1 {
				p.X.Tick.Label.Color = color.Transparent
			}
			if j != 0 && i != j {
				p.Y.Tick.Label.Color = color.Transparent
			}
			p.X.Tick.Label.Font.Size = vg.Points(7)
			p.Y.Tick.Label.Font.Size = vg.Points(7)
			p.X.Label.TextStyle.Font.Size = vg.Points(8)
			p.Y.Label.TextStyle.Font.Size = vg.Points(8)
			grid[i][j] = p
		}
	}
	size := vg.Length(math.Max(6, math.Min(12, 1.8*float64(k)))) * vg.Inch
	return &Grid{Plots: grid, Width: size, Height: size}
}

// weightedHistogram returns the bins of v's values weighted by w over
// [v.Min, v.Max] (in log scale for a log variable), each bin's height its
// share of the weight.
func weightedHistogram(v PairsVariable, w []float64, bins int) []plotter.HistogramBin {
	bins = max(bins, 1)
	f, inv := func(x float64) float64 { return x }, func(x float64) float64 { return x }
	if v.Log {
		f, inv = math.Log, math.Exp
	}
	lo, hi := f(v.Min), f(v.Max)
	h := make([]plotter.HistogramBin, bins)
	for b := range h {
		h[b].Min = inv(lo + (hi-lo)*float64(b)/float64(bins))
		h[b].Max = inv(lo + (hi-lo)*float64(b+1)/float64(bins))
	}
	total := 0.0
	for n, x := range v.Values {
		b := int((f(x) - lo) / (hi - lo) * float64(bins))
		b = min(max(b, 0), bins-1)
		h[b].Weight += w[n]
		total += w[n]
	}
	if total > 0 {
		for b := range h {
			h[b].Weight /= total
		}
	}
	return h
}

// histMax returns the largest weight of a bin.
func histMax(h []plotter.HistogramBin) float64 {
	m := 0.0
	for _, x := range h {
		if x.Weight > m {
			m = x.Weight
		}
	}
	return m
}
