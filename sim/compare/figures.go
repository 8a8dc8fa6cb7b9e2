package compare

import (
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/collsim/collsim/sim/chart"
	"github.com/collsim/collsim/sim/engine"
	"github.com/collsim/collsim/sim/stats"
)

// Figure is one chart of a comparison.
type Figure struct {
	Name    string // file-name part: shares, exits, repression, livestock, productivity
	Title   string
	Caption string // what the lines are
	*chart.Figure
}

// figureText is the name, title and caption of each figure Figures
// returns, in order.
var figureText = []struct{ name, title, caption string }{
	{"shares", "Households in collectives", "Solid: the true share of households in collectives; dashed: the share cadres reported."},
	{"exits", "Exits", "Households leaving collectives each week."},
	{"repression", "Repression", "Solid: households fined or worse, cumulative; dashed: households arrested or deported."},
	{"livestock", "Livestock", "Livestock of households and collective herds, as a percentage of the start."},
	{"productivity", "Productivity", "Output per worker relative to before the campaign (100%)."},
}

// FigureNames are the names of the figures Figures returns, in order.
var FigureNames = func() []string {
	var names []string
	for _, f := range figureText {
		names = append(names, f.name)
	}
	return names
}()

// trace is a quantity of the whole country over time.
type trace func(r *Run, k int) float64

func field(f func(engine.Row) float64) trace {
	return func(r *Run, k int) float64 { return f(r.Country[k]) }
}

// relative is a quantity as a percentage of its value at step 0.
func relative(f func(engine.Row) float64) trace {
	return func(r *Run, k int) float64 {
		if b := f(r.Country[0]); b != 0 {
			return 100 * f(r.Country[k]) / b
		}
		return math.NaN()
	}
}

// Figures returns the charts of the comparison: each arm's mean over its
// runs as a line (one colour per arm), with a shaded band where an arm has
// two runs or more: the 95% interval of the mean, or with a posterior the
// central 95% band of the runs.
func (c *Comparison) Figures() []Figure {
	pct := func(f func(engine.Row) float64) trace {
		return func(r *Run, k int) float64 { return 100 * f(r.Country[k]) }
	}
	shares := c.plot("Households in collectives", "% of households", []line{
		{"", pct(func(r engine.Row) float64 { return r.CollectiveShare }), nil, true},
		{"reported", pct(func(r engine.Row) float64 { return r.ReportedShare }), chart.Dashed, false},
	}, 1)
	shares.Y.Min, shares.Y.Max = 0, 100

	exitsUnit, exitsDiv := c.countUnit(func(r *Run, k int) float64 { return float64(r.Country[k].Exits) })
	exits := c.plot("Households leaving collectives", exitsUnit+" a week", []line{
		{"", field(func(r engine.Row) float64 { return float64(r.Exits) }), nil, true},
	}, exitsDiv)

	repUnit, repDiv := c.countUnit(func(r *Run, k int) float64 { return float64(r.Country[k].Fined) })
	repression := c.plot("Repression (cumulative)", repUnit, []line{
		{"fined or worse", field(func(r engine.Row) float64 { return float64(r.Fined) }), nil, true},
		{"arrested or deported", field(func(r engine.Row) float64 { return float64(r.Arrested + r.Deported) }), chart.Dashed, false},
	}, repDiv)

	livestock := c.plot("Livestock", "% of the start", []line{
		{"", relative(func(r engine.Row) float64 { return r.Livestock }), nil, true},
	}, 1)
	productivity := c.plot("Productivity (output per worker)", "% of before the campaign", []line{
		{"", pct(func(r engine.Row) float64 { return r.ProductivityIndex }), nil, true},
	}, 1)
	// These start at the top and mostly fall: keep the legend off the lines.
	livestock.Legend.Top, productivity.Legend.Top = false, false

	var figs []Figure
	for i, p := range []*plot.Plot{shares, exits, repression, livestock, productivity} {
		f := figureText[i]
		figs = append(figs, Figure{Name: f.name, Title: f.title, Caption: f.caption,
			Figure: &chart.Figure{Plots: []*plot.Plot{p}, Width: 8 * vg.Inch, Height: 3.6 * vg.Inch}})
	}
	return figs
}

// line is a quantity drawn for every arm.
type line struct {
	suffix string // added to the arm's name in the legend
	value  trace
	dashes []vg.Length
	band   bool // shade the interval of the mean, or the posterior band
}

// plot draws lines for every arm: the mean over the arm's runs divided by div.
func (c *Comparison) plot(title, ylabel string, lines []line, div float64) *plot.Plot {
	var series []chart.Series
	var bands []chart.Band
	for i, a := range c.Arms {
		col := chart.Palette[i%len(chart.Palette)]
		if a.Colour > 0 {
			col = chart.Palette[(a.Colour-1)%len(chart.Palette)]
		}
		for _, l := range lines {
			mean, lo, hi := c.meanBand(a, l.value, div)
			name := a.Name
			if l.suffix != "" {
				name += " (" + l.suffix + ")"
			}
			series = append(series, chart.Series{Name: name, Values: mean, Dashes: l.dashes, Color: col, Width: vg.Points(2)})
			if l.band && len(a.Runs) > 1 {
				bands = append(bands, chart.Band{Lo: lo, Hi: hi, Color: chart.Translucent(col, 60)})
			}
		}
	}
	return chart.TimePlot(title, ylabel, c.Dates, series, bands)
}

// meanBand returns the mean of v over the arm's runs at each step, and the
// interval of the mean (with a posterior, the band of the runs).
func (c *Comparison) meanBand(a Arm, v trace, div float64) (mean, lo, hi []float64) {
	n := len(c.Dates)
	mean, lo, hi = make([]float64, n), make([]float64, n), make([]float64, n)
	xs := make([]float64, len(a.Runs))
	for k := range n {
		for i, r := range a.Runs {
			xs[i] = v(r, k)
		}
		s := stats.Summarize(xs, Level)
		if c.Posterior > 0 {
			s.Lo, s.Hi = stats.Band(xs, Level)
		}
		// Every quantity drawn is at least 0: so is its band.
		mean[k], lo[k], hi[k] = finite(s.Mean/div), math.Max(0, finite(s.Lo/div)), finite(s.Hi/div)
	}
	return mean, lo, hi
}

// countUnit chooses the unit of a count axis from its largest value.
func (c *Comparison) countUnit(v trace) (string, float64) {
	top := 0.0
	for _, a := range c.Arms {
		for _, r := range a.Runs {
			for k := range r.Country {
				top = math.Max(top, v(r, k))
			}
		}
	}
	switch {
	case top >= 1e6:
		return "millions of households", 1e6
	case top >= 1e4:
		return "thousands of households", 1e3
	}
	return "households", 1
}

// finite replaces NaN (no value: a chart line cannot have gaps) by 0.
func finite(x float64) float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return 0
	}
	return x
}
