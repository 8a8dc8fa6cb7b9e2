package chart

import (
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/collsim/collsim/sim/engine"
)

// RunShares returns the figure of a run: the country's collective share,
// actual against reported (and the share of land), and below it each
// region's actual share.
func RunShares(title string, res *engine.Result) *Figure {
	n := len(res.Regions) - 1
	col := func(r int, f func(engine.Row) float64) []float64 {
		v := make([]float64, len(res.Rows))
		for k := range res.Rows {
			v[k] = 100 * f(res.Rows[k][r])
		}
		return v
	}
	top := TimePlot(title+": the whole country", "% of households", res.Dates, []Series{
		{Name: "collective share (actual)", Values: col(n, func(r engine.Row) float64 { return r.CollectiveShare }), Color: Palette[0], Width: vg.Points(2.2)},
		{Name: "reported share", Values: col(n, func(r engine.Row) float64 { return r.ReportedShare }), Color: Palette[1], Dashes: Dashed, Width: vg.Points(2.2)},
		{Name: "land share", Values: col(n, func(r engine.Row) float64 { return r.LandShare }), Color: Palette[2], Dashes: Dotted},
	}, nil)
	var regions []Series
	for r := 0; r < n; r++ {
		regions = append(regions, Series{Name: res.Regions[r], Values: col(r, func(r engine.Row) float64 { return r.CollectiveShare })})
	}
	bottom := TimePlot("by region (actual)", "% of households", res.Dates, regions, nil)
	top.Y.Min, top.Y.Max = 0, 100
	bottom.Y.Min, bottom.Y.Max = 0, 100
	return &Figure{Plots: []*plot.Plot{top, bottom}, Width: 8 * vg.Inch, Height: 9 * vg.Inch}
}
