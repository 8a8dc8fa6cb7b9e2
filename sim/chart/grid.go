package chart

import (
	"fmt"
	"io"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
	"gonum.org/v1/plot/vg/vgsvg"
)

// Grid is plots in rows and columns, their data areas aligned; a nil plot
// leaves its cell empty.
type Grid struct {
	Plots         [][]*plot.Plot // Plots[row][column]
	Width, Height vg.Length
}

// Write draws the grid in format "png" or "svg" to w.
func (g *Grid) Write(w io.Writer, format string) error {
	var out io.WriterTo
	switch format {
	case "png":
		img := vgimg.NewWith(vgimg.UseWH(g.Width, g.Height), vgimg.UseDPI(110))
		g.draw(draw.New(img))
		out = vgimg.PngCanvas{Canvas: img}
	case "svg":
		s := vgsvg.New(g.Width, g.Height)
		g.draw(draw.New(s))
		out = s
	default:
		return fmt.Errorf("chart: unknown format %q (want png or svg)", format)
	}
	_, err := out.WriteTo(w)
	return err
}

func (g *Grid) draw(c draw.Canvas) {
	rows := len(g.Plots)
	if rows == 0 {
		return
	}
	cols := len(g.Plots[0])
	tiles := draw.Tiles{Rows: rows, Cols: cols, PadX: vg.Millimeter * 2, PadY: vg.Millimeter * 2,
		PadTop: vg.Millimeter * 2, PadBottom: vg.Millimeter * 2, PadLeft: vg.Millimeter * 2, PadRight: vg.Millimeter * 2}
	canvases := plot.Align(g.Plots, tiles, c)
	for i, row := range g.Plots {
		for j, p := range row {
			if p != nil {
				p.Draw(canvases[i][j])
			}
		}
	}
}
