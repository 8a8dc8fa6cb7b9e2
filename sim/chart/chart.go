// Package chart draws the figures of a run, a sweep or a comparison with
// gonum.org/v1/plot, as PNG or SVG. Drawing is deterministic: the same data
// give byte-identical files.
package chart

import (
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"

	"github.com/collsim/collsim/sim/calendar"
)

// Figure is one or more plots stacked vertically.
type Figure struct {
	Plots         []*plot.Plot
	Width, Height vg.Length
}

// Write draws the figure in format "png" or "svg" to w.
func (f *Figure) Write(w io.Writer, format string) error {
	rows := make([][]*plot.Plot, len(f.Plots))
	for i, p := range f.Plots {
		rows[i] = []*plot.Plot{p}
	}
	return (&Grid{Plots: rows, Width: f.Width, Height: f.Height}).Write(w, format)
}

// Series is a named line over dates.
type Series struct {
	Name   string
	Values []float64
	Dashes []vg.Length // nil: solid
	Color  color.Color // nil: from the palette
	Width  vg.Length   // 0: default
}

// Band is a shaded interval around a line (a confidence band).
type Band struct {
	Lo, Hi []float64
	Color  color.Color
}

// Palette is the colours of successive series: colour-blind-safe (Okabe–Ito).
var Palette = []color.Color{
	color.RGBA{0, 114, 178, 255},   // blue
	color.RGBA{213, 94, 0, 255},    // vermillion
	color.RGBA{0, 158, 115, 255},   // green
	color.RGBA{204, 121, 167, 255}, // purple
	color.RGBA{230, 159, 0, 255},   // orange
	color.RGBA{86, 180, 233, 255},  // sky blue
	color.RGBA{0, 0, 0, 255},       // black
	color.RGBA{240, 228, 66, 255},  // yellow
	color.RGBA{120, 120, 120, 255}, // grey
}

// TimePlot returns a plot of series over dates with a legend.
func TimePlot(title, ylabel string, dates []calendar.Date, series []Series, bands []Band) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Y.Label.Text = ylabel
	p.X.Tick.Marker = plot.TimeTicks{Format: "Jan\n2006"}
	p.Legend.Top = true
	p.Legend.Left = true
	p.Add(plotter.NewGrid())
	xs := make([]float64, len(dates))
	for i, d := range dates {
		xs[i] = float64(d.Unix())
	}
	for _, b := range bands {
		if pg, err := fill(len(xs), func(i int) (x, lo, hi float64) { return xs[i], b.Lo[i], b.Hi[i] }, b.Color); err == nil {
			p.Add(pg)
		}
	}
	for i, s := range series {
		pts := make(plotter.XYs, len(xs))
		for k := range xs {
			pts[k] = plotter.XY{X: xs[k], Y: s.Values[k]}
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			continue
		}
		l.Color = s.Color
		if l.Color == nil {
			l.Color = Palette[i%len(Palette)]
		}
		l.Dashes = s.Dashes
		l.Width = vg.Points(1.5)
		if s.Width > 0 {
			l.Width = s.Width
		}
		p.Add(l)
		p.Legend.Add(s.Name, l)
	}
	return p
}

// Dashed and Dotted are dash patterns for Series.
var (
	Dashed = []vg.Length{vg.Points(6), vg.Points(3)}
	Dotted = []vg.Length{vg.Points(1.5), vg.Points(2.5)}
)

// fill returns the area between two curves of n points, point i at x with
// the curves at lo and hi, filled with c and with no outline.
func fill(n int, at func(i int) (x, lo, hi float64), c color.Color) (*plotter.Polygon, error) {
	poly := make(plotter.XYs, 0, 2*n)
	for i := range n {
		x, lo, _ := at(i)
		poly = append(poly, plotter.XY{X: x, Y: lo})
	}
	for i := n - 1; i >= 0; i-- {
		x, _, hi := at(i)
		poly = append(poly, plotter.XY{X: x, Y: hi})
	}
	pg, err := plotter.NewPolygon(poly)
	if err != nil {
		return nil, err
	}
	pg.Color = c
	pg.LineStyle.Width = 0
	return pg, nil
}

// Translucent returns c with opacity alpha (0 transparent, 255 opaque).
func Translucent(c color.Color, alpha uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), alpha}
}
