package validity

import (
	"context"
	"encoding/csv"
	"fmt"
	"image/color"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/chart"
	"github.com/collsim/collsim/sim/output"
	"github.com/collsim/collsim/sim/scenario"
	"github.com/collsim/collsim/sim/stats"
	"github.com/collsim/collsim/sim/sweep"
	"github.com/collsim/collsim/sim/targets"
)

// Fit is a target beside the model: the model's outputs over the replicate
// runs, its standardized error and whether it is a hit.
type Fit struct {
	Target *targets.Target
	Model  stats.Summary // over the replicates: mean, sd and 95% confidence interval of the mean
	Z      float64       // (model mean − value) / tolerance
	Hit    bool          // the model mean lies within the target's tolerance of its value
}

// History is a scenario's fit to targets over replicate runs.
type History struct {
	Runs    Runs
	Base    *scenario.Scenario
	Targets targets.List
	Fits    []Fit
	Dates   []calendar.Date
	Series  map[string][]stats.Summary // "REGION/column" → per step, over replicates
}

// seriesKey names a series of the history.
func seriesKey(region, column string) string { return region + "/" + column }

// RunHistory runs the scenario over the replicates in dir (a sweep: resumed
// with opt.Resume) and puts each target next to the model's mean. Besides
// the targets it records, for the charts, the national collective and
// reported shares and the collective share of every region a target names,
// at every weekly step.
func RunHistory(ctx context.Context, runs Runs, ts targets.List, dir string, opt Options) (*History, error) {
	base, err := runs.load()
	if err != nil {
		return nil, err
	}
	if err := ts.Check(base); err != nil {
		return nil, err
	}
	f, err := runs.sweepFile(base.Name+"-history", "the runs of "+base.Name+" behind its validation against history", dir)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		f.Outputs = append(f.Outputs, t.Output())
	}
	h := &History{Runs: runs, Base: base, Targets: ts, Dates: calendar.Steps(base.Start, base.End), Series: map[string][]stats.Summary{}}
	series := h.seriesWanted()
	at := map[string][]int{} // series → its outputs' indices, date by date
	for _, s := range series {
		region, col, _ := strings.Cut(s, "/")
		for _, d := range h.Dates {
			at[s] = append(at[s], len(f.Outputs))
			f.Outputs = append(f.Outputs, sweep.OutputSpec{Timeseries: col, Region: region, Date: sweep.DateValue(d)})
		}
	}
	sw, t, err := execute(ctx, f, dir, opt)
	if err != nil {
		return nil, err
	}
	for _, tg := range ts {
		s := stats.Summarize(column(t, tg.Name, 0), 0.95)
		h.Fits = append(h.Fits, Fit{Target: tg, Model: s, Z: tg.Z(s.Mean), Hit: tg.Hit(s.Mean)})
	}
	for _, s := range series {
		for _, i := range at[s] {
			h.Series[s] = append(h.Series[s], stats.Summarize(column(t, sw.Outputs[i].Name, 0), 0.95))
		}
	}
	return h, nil
}

// seriesWanted returns the series the charts draw: the country's collective
// and reported shares, and the collective share of each region a target
// names, in the scenario's order.
func (h *History) seriesWanted() []string {
	s := []string{seriesKey("ALL", "collective_share"), seriesKey("ALL", "reported_share")}
	for _, r := range h.Base.Regions {
		if slices.ContainsFunc(h.Targets, func(t *targets.Target) bool { return t.Timeseries == "collective_share" && t.Region == r.Name }) {
			s = append(s, seriesKey(r.Name, "collective_share"))
		}
	}
	return s
}

// Hits returns the hits and the number of targets of a role.
func (h *History) Hits(role string) (hits, n int) {
	for _, f := range h.Fits {
		if f.Target.Role == role {
			n++
			if f.Hit {
				hits++
			}
		}
	}
	return hits, n
}

// Files of a history report.
const (
	HistoryReport = "history.md"
	HistoryCSV    = "history.csv"
	HistoryChart  = "history" // .png, .svg: the shares over time with the targets
	TargetsChart  = "targets" // .png, .svg: every target's standardized error
)

// WriteReport writes the history report into dir: history.md, history.csv
// and the charts.
func (h *History) WriteReport(dir string, opt Options) error {
	if err := output.WriteFile(filepath.Join(dir, HistoryCSV), h.writeCSV); err != nil {
		return err
	}
	if err := writeFigure(filepath.Join(dir, HistoryChart), h.Chart()); err != nil {
		return err
	}
	if err := writeFigure(filepath.Join(dir, TargetsChart), h.TargetsChart()); err != nil {
		return err
	}
	return output.WriteFile(filepath.Join(dir, HistoryReport), func(w io.Writer) error { return h.WriteMarkdown(w, opt) })
}

// figure is what can be written as PNG and SVG.
type figure interface {
	Write(w io.Writer, format string) error
}

// writeFigure writes a figure to base.png and base.svg.
func writeFigure(base string, f figure) error {
	for _, format := range []string{"png", "svg"} {
		if err := output.WriteFile(base+"."+format, func(w io.Writer) error { return f.Write(w, format) }); err != nil {
			return err
		}
	}
	return nil
}

// writeCSV writes history.csv: one row per target.
func (h *History) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"target", "set", "role", "measure", "value", "tolerance", "tolerance_kind", "weight", "model_n", "model_mean", "model_sd", "model_ci95_lo", "model_ci95_hi", "z", "hit", "source"})
	for _, f := range h.Fits {
		t := f.Target
		kind := "absolute"
		if t.Relative() {
			kind = "relative"
		}
		cw.Write([]string{t.Name, t.Set, t.Role, t.Measure(), g6(t.Value), g6(t.Tol()), kind, g6(t.Weight), strconv.Itoa(f.Model.N),
			g6(f.Model.Mean), g6(f.Model.SD), g6(f.Model.Lo), g6(f.Model.Hi), g3(f.Z), strconv.FormatBool(f.Hit), t.Source})
	}
	cw.Flush()
	return cw.Error()
}

func g6(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }
func g3(x float64) string { return strconv.FormatFloat(x, 'f', 2, 64) }

// show writes a target's value in its units: a share as a percentage, a
// count with thousands separated.
func show(t *targets.Target, x float64) string {
	if math.IsNaN(x) {
		return "—"
	}
	if t.Relative() || math.Abs(t.Value) > 1 {
		return thousands(x)
	}
	return fmt.Sprintf("%.1f%%", 100*x)
}

// showTol writes a target's tolerance.
func showTol(t *targets.Target) string {
	if t.Relative() {
		return fmt.Sprintf("±%.0f%%", 100*t.RelativeTolerance)
	}
	if math.Abs(t.Value) > 1 {
		return "±" + thousands(t.Tolerance)
	}
	return fmt.Sprintf("±%.1f pt", 100*t.Tolerance)
}

// thousands writes x rounded to a whole number with thin separators.
func thousands(x float64) string {
	s := strconv.FormatFloat(math.Round(math.Abs(x)), 'f', 0, 64)
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if x < 0 {
		return "−" + b.String()
	}
	return b.String()
}

// WriteMarkdown writes the report: the hits of fitted and held-out targets
// and, for each target file, each target beside the model.
func (h *History) WriteMarkdown(w io.Writer, opt Options) error {
	fh, fn := h.Hits(targets.Fit)
	hh, hn := h.Hits(targets.Holdout)
	fmt.Fprintf(w, "# %s against history\n\n", h.Base.Name)
	if opt.Command != "" {
		fmt.Fprintf(w, "Regenerate: `%s` (collsim %s).\n\n", opt.Command, opt.Version)
	}
	fmt.Fprintf(w, "%d replicate runs of `%s` (%d households standing for %s; %s), seeds derived from %d. ",
		h.Runs.Replicates, filepath.ToSlash(h.Runs.Scenario), h.Base.Population.Households, thousands(float64(h.Base.Population.RealHouseholds)), setsText(h.Runs.Set), h.Runs.Seed)
	fmt.Fprintf(w, "A target is a **hit** when the model's mean over the replicates lies within the target's tolerance of its value; *z* = (model mean − value) / tolerance; the model's 95%% interval is the Student-t confidence interval of its mean.\n\n")
	fmt.Fprintf(w, "**Fitted targets: %d of %d hit. Held-out targets: %d of %d hit.**\n\n", fh, fn, hh, hn)
	fmt.Fprintf(w, "![shares over time against the targets](%s.png)\n\n![standardized errors](%s.png)\n\n", HistoryChart, TargetsChart)
	for _, set := range h.Targets.Sets() {
		fmt.Fprintf(w, "## %s\n\n| target | role | measures | observed | tolerance | model mean [95%% CI] | z | |\n|---|---|---|---:|---:|---|---:|---|\n", set)
		for _, f := range h.Fits {
			t := f.Target
			if t.Set != set {
				continue
			}
			mark := "miss"
			if f.Hit {
				mark = "hit"
			}
			fmt.Fprintf(w, "| `%s` | %s | `%s` | %s | %s | %s [%s, %s] | %+.2f | %s |\n", t.Name, t.Role, t.Measure(), show(t, t.Value), showTol(t),
				show(t, f.Model.Mean), show(t, f.Model.Lo), show(t, f.Model.Hi), f.Z, mark)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "Sources of each target: `%s` beside this report, and the target files.\n", HistoryCSV)
	return nil
}

// setsText describes overrides.
func setsText(sets []string) string {
	if len(sets) == 0 {
		return "no overrides"
	}
	return "`" + strings.Join(sets, "`, `") + "`"
}

// Chart returns the shares over time: the country (actual and reported,
// mean and 95% band) and the regions with targets, each with its targets
// as crosses with their tolerances.
func (h *History) Chart() *chart.Figure {
	pct := func(ss []stats.Summary, f func(stats.Summary) float64) []float64 {
		v := make([]float64, len(ss))
		for i, s := range ss {
			v[i] = 100 * f(s)
		}
		return v
	}
	mean := func(s stats.Summary) float64 { return s.Mean }
	lo := func(s stats.Summary) float64 { return s.Lo }
	hi := func(s stats.Summary) float64 { return s.Hi }
	marks := func(p *plot.Plot, region string, c color.Color) {
		var x, y, l, u []float64
		for _, t := range h.Targets {
			if t.Timeseries != "collective_share" || t.Region != region {
				continue
			}
			x = append(x, float64(t.Date.Unix()))
			y = append(y, 100*t.Value)
			l, u = append(l, 100*(t.Value-t.Tol())), append(u, 100*(t.Value+t.Tol()))
		}
		chart.Marks(p, "targets ("+region+")", x, y, l, u, c)
	}
	all := h.Series[seriesKey("ALL", "collective_share")]
	rep := h.Series[seriesKey("ALL", "reported_share")]
	top := chart.TimePlot(h.Base.Name+": the whole country (mean of replicates, 95% band)", "% of households", h.Dates, []chart.Series{
		{Name: "collective share", Values: pct(all, mean), Color: chart.Palette[0], Width: vg.Points(2)},
		{Name: "reported share", Values: pct(rep, mean), Color: chart.Palette[1], Dashes: chart.Dashed},
	}, []chart.Band{{Lo: pct(all, lo), Hi: pct(all, hi), Color: color.NRGBA{0, 114, 178, 60}}})
	marks(top, "ALL", color.Black)
	top.Y.Min, top.Y.Max = 0, 100
	var regions []chart.Series
	var names []string
	for _, r := range h.Base.Regions {
		if s, ok := h.Series[seriesKey(r.Name, "collective_share")]; ok {
			regions = append(regions, chart.Series{Name: r.Name, Values: pct(s, mean), Color: chart.Palette[len(regions)%len(chart.Palette)]})
			names = append(names, r.Name)
		}
	}
	bottom := chart.TimePlot("regions with targets (mean of replicates)", "% of households", h.Dates, regions, nil)
	for i, n := range names {
		marks(bottom, n, chart.Palette[i%len(chart.Palette)])
	}
	bottom.Y.Min, bottom.Y.Max = 0, 100
	bottom.Legend.Left = false
	return &chart.Figure{Plots: []*plot.Plot{top, bottom}, Width: 9 * vg.Inch, Height: 10 * vg.Inch}
}

// TargetsChart returns every target's standardized error z with the 95%
// interval of the model's mean in the same units, fitted and held-out
// targets apart; the band |z| ≤ 1 is within tolerance.
func (h *History) TargetsChart() *chart.Figure {
	var labels []string
	fit := chart.DotSeries{Name: "fitted"}
	hold := chart.DotSeries{Name: "held out"}
	for _, f := range h.Fits {
		t := f.Target
		labels = append(labels, t.Name)
		z, lo, hi := f.Z, t.Z(f.Model.Lo), t.Z(f.Model.Hi)
		nan := math.NaN()
		if t.Role == targets.Fit {
			fit.X, fit.Lo, fit.Hi = append(fit.X, z), append(fit.Lo, lo), append(fit.Hi, hi)
			hold.X, hold.Lo, hold.Hi = append(hold.X, nan), append(hold.Lo, nan), append(hold.Hi, nan)
		} else {
			hold.X, hold.Lo, hold.Hi = append(hold.X, z), append(hold.Lo, lo), append(hold.Hi, hi)
			fit.X, fit.Lo, fit.Hi = append(fit.X, nan), append(fit.Lo, nan), append(fit.Hi, nan)
		}
	}
	p := chart.DotPlot(h.Base.Name+": (model − target) / tolerance; shaded: within tolerance", "z", labels, []chart.DotSeries{fit, hold}, -1, 1)
	return &chart.Figure{Plots: []*plot.Plot{p}, Width: 8 * vg.Inch, Height: vg.Length(1.2+0.22*float64(len(labels))) * vg.Inch}
}
