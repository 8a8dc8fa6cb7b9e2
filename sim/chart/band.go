package chart

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// BandSeries is a line of y against x with a band from Lo to Hi around it,
// such as the mean of replicate runs and its 95% confidence interval.
type BandSeries struct {
	Name         string
	X, Y, Lo, Hi []float64 // X ascending
}

// BandPlot returns a plot of series of y against x with a legend. Each series
// is a line with markers over its shaded band; with points true, it is
// markers with error bars from Lo to Hi instead (for x values that do not
// follow each other, such as the points of a Latin hypercube). Points where
// any value is NaN are left out. xticks, if not nil, marks the x axis (dates,
// names of categories).
func BandPlot(title, xlabel, ylabel string, series []BandSeries, points bool, xticks plot.Ticker) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.X.Label.Text = xlabel
	p.Y.Label.Text = ylabel
	if xticks != nil {
		p.X.Tick.Marker = xticks
	}
	p.Legend.Top = true
	p.Add(plotter.NewGrid())
	for i, s := range series {
		c := Palette[i%len(Palette)]
		var pts bandPoints
		for k := range s.X {
			if !math.IsNaN(s.X[k]) && !math.IsNaN(s.Y[k]) && !math.IsNaN(s.Lo[k]) && !math.IsNaN(s.Hi[k]) {
				pts = append(pts, bandPoint{s.X[k], s.Y[k], s.Lo[k], s.Hi[k]})
			}
		}
		if len(pts) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(pts)
		if err != nil {
			continue
		}
		sc.GlyphStyle.Color = c
		sc.GlyphStyle.Radius = vg.Points(2.5)
		sc.GlyphStyle.Shape = draw.CircleGlyph{}
		if points {
			eb, err := plotter.NewYErrorBars(pts)
			if err != nil {
				continue
			}
			eb.LineStyle.Color = c
			p.Add(eb, sc)
			p.Legend.Add(s.Name, sc)
			continue
		}
		if len(pts) > 1 {
			if pg, err := fill(len(pts), func(k int) (x, lo, hi float64) { return pts[k].x, pts[k].lo, pts[k].hi }, Translucent(c, 0x40)); err == nil {
				p.Add(pg)
			}
		} else if eb, err := plotter.NewYErrorBars(pts); err == nil {
			eb.LineStyle.Color = c
			p.Add(eb)
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			continue
		}
		l.Color = c
		l.Width = vg.Points(1.5)
		p.Add(l, sc)
		p.Legend.Add(s.Name, l, sc)
	}
	if n := len(series); n > 1 {
		// Headroom for the legend, a line per series.
		p.Y.Max += 0.06 * float64(n) * (p.Y.Max - p.Y.Min)
	}
	return p
}

// bandPoint is a point of a BandSeries.
type bandPoint struct{ x, y, lo, hi float64 }

// bandPoints are the points of a BandSeries, as plotter.XYer and
// plotter.YErrorer.
type bandPoints []bandPoint

func (b bandPoints) Len() int                        { return len(b) }
func (b bandPoints) XY(i int) (float64, float64)     { return b[i].x, b[i].y }
func (b bandPoints) YError(i int) (float64, float64) { return b[i].y - b[i].lo, b[i].hi - b[i].y }
