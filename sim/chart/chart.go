// Package chart draws the figures of a run, a sweep or a comparison with
// gonum.org/v1/plot, as PNG or SVG. Drawing is deterministic: the same data
// give byte-identical files.
package chart

import (
	"fmt"
	"image/color"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/collsim/collsim/sim/calendar"
)

// Figure is one or more plots stacked vertically.
type Figure struct {
	Plots         []*plot.Plot
	Width, Height vg.Length
}

// Write draws the figure in format "png" or "svg" to w.
func (f *Figure) Write(w io.Writer, format string) error {
	var out io.WriterTo
	switch format {
	case "png":
		img := vgimg.NewWith(vgimg.UseWH(f.Width, f.Height), vgimg.UseDPI(110))
		f.draw(draw.New(img))
		out = vgimg.PngCanvas{Canvas: img}
	case "svg":
		s := vgsvg.New(f.Width, f.Height)
		f.draw(draw.New(s))
		out = s
	default:
		return fmt.Errorf("chart: unknown format %q (want png or svg)", format)
	}
	_, err := out.WriteTo(w)
	return err
}

func (f *Figure) draw(c draw.Canvas) {
	n := len(f.Plots)
	if n == 1 {
		f.Plots[0].Draw(c)
		return
	}
	tiles := draw.Tiles{Rows: n, Cols: 1, PadY: vg.Millimeter * 4, PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2}
	grid := make([][]*plot.Plot, n)
	for i, p := range f.Plots {
		grid[i] = []*plot.Plot{p}
	}
	canvases := plot.Align(grid, tiles, c)
	for i, p := range f.Plots {
		p.Draw(canvases[i][0])
	}
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
		poly := make(plotter.XYs, 0, 2*len(xs))
		for i := range xs {
			poly = append(poly, plotter.XY{X: xs[i], Y: b.Lo[i]})
		}
		for i := len(xs) - 1; i >= 0; i-- {
			poly = append(poly, plotter.XY{X: xs[i], Y: b.Hi[i]})
		}
		pg, err := plotter.NewPolygon(poly)
		if err == nil {
			pg.Color = b.Color
			pg.LineStyle.Width = 0
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
