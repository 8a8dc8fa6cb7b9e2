package chart

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// DotSeries is one value per row of a dot plot, with an interval around it
// (Lo, Hi; NaN for none). A NaN value leaves its row empty.
type DotSeries struct {
	Name      string
	X, Lo, Hi []float64
}

// DotPlot returns a horizontal dot plot: one row per label, top to bottom,
// each series a dot with its interval as a horizontal bar, series of one
// row drawn side by side. A band from bandLo to bandHi (NaN: none) is
// shaded behind, as the tolerance of a target (|z| ≤ 1) or zero effect; a
// vertical line marks x = 0 when zero lies in the x range.
func DotPlot(title, xlabel string, labels []string, series []DotSeries, bandLo, bandHi float64) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Add(plotter.NewGrid())
	n := len(labels)
	y := func(row int) float64 { return float64(n - 1 - row) } // the first label on top
	ticks := make(plot.ConstantTicks, n)
	for r, l := range labels {
		ticks[r] = plot.Tick{Value: y(r), Label: l}
	}
	p.Y.Tick.Marker = ticks
	p.Y.Min, p.Y.Max = -0.7, float64(n)-0.3
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for r := range s.X {
			for _, v := range []float64{s.X[r], s.Lo[r], s.Hi[r]} {
				if !math.IsNaN(v) && !math.IsInf(v, 0) {
					lo, hi = math.Min(lo, v), math.Max(hi, v)
				}
			}
		}
	}
	if !math.IsNaN(bandLo) && !math.IsNaN(bandHi) {
		lo, hi = math.Min(lo, bandLo), math.Max(hi, bandHi)
		band, err := plotter.NewPolygon(plotter.XYs{{X: bandLo, Y: -0.7}, {X: bandHi, Y: -0.7}, {X: bandHi, Y: float64(n) - 0.3}, {X: bandLo, Y: float64(n) - 0.3}})
		if err == nil {
			band.Color = color.NRGBA{0, 158, 115, 40}
			band.LineStyle.Width = 0
			p.Add(band)
		}
	}
	if lo <= 0 && hi >= 0 {
		if l, err := plotter.NewLine(plotter.XYs{{X: 0, Y: -0.7}, {X: 0, Y: float64(n) - 0.3}}); err == nil {
			l.Color = color.Gray{120}
			l.Dashes = Dashed
			p.Add(l)
		}
	}
	// The series present in a row are drawn side by side, centred on it.
	const width = 0.5
	present := make([]int, n)
	for _, s := range series {
		for r := range min(n, len(s.X)) {
			if !math.IsNaN(s.X[r]) {
				present[r]++
			}
		}
	}
	rank := make([]int, n)
	for i, s := range series {
		c := Palette[i%len(Palette)]
		var pts dotPoints
		for r := range min(n, len(s.X)) {
			if math.IsNaN(s.X[r]) {
				continue
			}
			off := 0.0
			if present[r] > 1 {
				off = width * (0.5 - float64(rank[r])/float64(present[r]-1))
			}
			rank[r]++
			pts = append(pts, dotPoint{s.X[r], y(r) + off, s.Lo[r], s.Hi[r]})
		}
		if len(pts) == 0 {
			continue
		}
		if eb, err := plotter.NewXErrorBars(pts); err == nil {
			eb.LineStyle.Color = c
			eb.LineStyle.Width = vg.Points(1.2)
			eb.CapWidth = vg.Points(4)
			p.Add(eb)
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			continue
		}
		sc.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(3), Shape: draw.CircleGlyph{}}
		p.Add(sc)
		if s.Name != "" {
			p.Legend.Add(s.Name, sc)
		}
	}
	p.Legend.Top = false // rows are often ranked: the bottom right is emptiest
	if !math.IsInf(lo, 0) {
		pad := 0.05 * math.Max(hi-lo, 1e-9)
		p.X.Min, p.X.Max = lo-pad, hi+pad
	}
	return p
}

// dotPoint is a dot of a DotSeries: x, its row's y, and its interval.
type dotPoint struct{ x, y, lo, hi float64 }

// dotPoints are the dots of a series, as plotter.XYer and plotter.XErrorer;
// a missing interval is drawn as none.
type dotPoints []dotPoint

func (d dotPoints) Len() int                    { return len(d) }
func (d dotPoints) XY(i int) (float64, float64) { return d[i].x, d[i].y }
func (d dotPoints) XError(i int) (float64, float64) {
	lo, hi := d[i].x-d[i].lo, d[i].hi-d[i].x
	if math.IsNaN(lo) || math.IsNaN(hi) {
		return 0, 0
	}
	return lo, hi
}

// Marks adds points with vertical error bars to p: observed values (such as
// targets with their tolerances) at x (such as dates as Unix seconds),
// drawn as crosses in colour c, with a legend entry name.
func Marks(p *plot.Plot, name string, x, y, lo, hi []float64, c color.Color) {
	pts := make(bandPoints, 0, len(x))
	for i := range x {
		pts = append(pts, bandPoint{x[i], y[i], lo[i], hi[i]})
	}
	if len(pts) == 0 {
		return
	}
	if eb, err := plotter.NewYErrorBars(pts); err == nil {
		eb.LineStyle.Color = c
		eb.LineStyle.Width = vg.Points(1.2)
		eb.CapWidth = vg.Points(5)
		p.Add(eb)
	}
	if sc, err := plotter.NewScatter(pts); err == nil {
		sc.GlyphStyle = draw.GlyphStyle{Color: c, Radius: vg.Points(4), Shape: draw.CrossGlyph{}}
		p.Add(sc)
		p.Legend.Add(name, sc)
	}
}
