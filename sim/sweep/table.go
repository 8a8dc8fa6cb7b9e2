package sweep

import (
	"cmp"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/chart"
	"github.com/collsim/collsim/sim/output"
	"github.com/collsim/collsim/sim/stats"
)

// Files of a sweep's output folder.
const (
	RunsFile     = "runs.csv"    // one row per run
	SummaryFile  = "summary.csv" // one row per point
	ChartPNG     = "sweep.png"   // the main output against the main parameter
	ChartSVG     = "sweep.svg"
	JournalFile  = "journal.csv" // the runs as they finished, for --resume and sim merge
	SweepCopy    = "sweep.toml"  // a copy of the sweep file
	BaseScenario = BaseName      // the base scenario, resolved
)

// Level is the confidence level of the intervals of summary.csv.
const Level = 0.95

// Row is a finished run: where it lies in the sweep, its parameter values
// (as runs.csv writes them) and its outputs.
type Row struct {
	Point, Replicate int
	Seed             int64
	Params           []string
	Outputs          []float64
}

// Table is the finished runs of a sweep, sorted by point then replicate:
// what runs.csv, summary.csv and the chart are made of. They depend on
// nothing else, so a sweep gives the same files however its runs were
// scheduled, interrupted, resumed or sharded.
type Table struct {
	Name    string
	Design  string
	Params  []string // parameter keys
	Outputs []string // output names
	Rows    []Row
}

// sort orders the rows by point, then replicate.
func (t *Table) sort() {
	slices.SortFunc(t.Rows, func(a, b Row) int {
		return cmp.Or(cmp.Compare(a.Point, b.Point), cmp.Compare(a.Replicate, b.Replicate))
	})
}

// columns returns the header of runs.csv (and of a journal).
func (t *Table) columns() []string {
	return slices.Concat([]string{"point", "replicate", "seed"}, t.Params, t.Outputs)
}

// record returns r as a line of runs.csv.
func (r *Row) record() []string {
	rec := make([]string, 0, 3+len(r.Params)+len(r.Outputs))
	rec = append(rec, strconv.Itoa(r.Point), strconv.Itoa(r.Replicate), strconv.FormatInt(r.Seed, 10))
	rec = append(rec, r.Params...)
	for _, x := range r.Outputs {
		rec = append(rec, formatNumber(x))
	}
	return rec
}

// formatNumber writes x so that it reads back exactly: whole numbers without
// a fraction or exponent, others as the shortest decimal that round-trips,
// NaN as "NaN".
func formatNumber(x float64) string {
	switch {
	case math.IsNaN(x):
		return "NaN"
	case x == 0:
		return "0"
	case x == math.Trunc(x) && math.Abs(x) < 1e15:
		return strconv.FormatFloat(x, 'f', 0, 64)
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}

// formatStat writes a statistic to 12 significant digits, free of the
// noise of floating-point sums.
func formatStat(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return formatNumber(x)
	}
	return formatNumber(round(x, 12))
}

// WriteRuns writes runs.csv: a header, then one line per run.
func (t *Table) WriteRuns(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write(t.columns())
	for i := range t.Rows {
		cw.Write(t.Rows[i].record())
	}
	cw.Flush()
	return cw.Error()
}

// Point is the runs of one point of a sweep, summarised.
type Point struct {
	Point   int
	Params  []string
	Runs    int
	Outputs []stats.Summary // per output, over the runs where it is a number
}

// Points summarises the rows point by point with stats.Summarize at Level.
func (t *Table) Points() []Point {
	var ps []Point
	for i := 0; i < len(t.Rows); {
		j := i
		for j < len(t.Rows) && t.Rows[j].Point == t.Rows[i].Point {
			j++
		}
		p := Point{Point: t.Rows[i].Point, Params: t.Rows[i].Params, Runs: j - i}
		for o := range t.Outputs {
			xs := make([]float64, 0, j-i)
			for _, r := range t.Rows[i:j] {
				xs = append(xs, r.Outputs[o])
			}
			p.Outputs = append(p.Outputs, stats.Summarize(xs, Level))
		}
		ps = append(ps, p)
		i = j
	}
	return ps
}

// SummaryStats are the statistics of each output in summary.csv, in order.
var SummaryStats = []string{"n", "mean", "sd", "ci95_lo", "ci95_hi", "min", "max"}

// WriteSummary writes summary.csv: a header, then one line per point with
// its parameter values, its number of runs and, for each output, the number
// of runs where it is a number, its mean, standard deviation, 95%
// confidence interval of the mean (Student's t), minimum and maximum, to 12
// significant digits.
func (t *Table) WriteSummary(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := slices.Concat([]string{"point"}, t.Params, []string{"runs"})
	for _, o := range t.Outputs {
		for _, s := range SummaryStats {
			head = append(head, o+"_"+s)
		}
	}
	cw.Write(head)
	for _, p := range t.Points() {
		rec := slices.Concat([]string{strconv.Itoa(p.Point)}, p.Params, []string{strconv.Itoa(p.Runs)})
		for _, s := range p.Outputs {
			rec = append(rec, strconv.Itoa(s.N), formatStat(s.Mean), formatStat(s.SD),
				formatStat(s.Lo), formatStat(s.Hi), formatStat(s.Min), formatStat(s.Max))
		}
		cw.Write(rec)
	}
	cw.Flush()
	return cw.Error()
}

// maxGroups is the most lines the chart draws; beyond it (and for a Latin
// hypercube) it draws each point with its error bar.
const maxGroups = 8

// Chart returns the figure of the main (first) output against the main
// (first) parameter: the mean of each point with its 95% confidence band,
// one line for each combination of the other parameters' values.
func (t *Table) Chart() *chart.Figure {
	xs, ticks, xlabel := t.axis()
	type group struct {
		name string
		s    chart.BandSeries
	}
	var groups []*group
	byName := map[string]*group{}
	for _, p := range t.Points() {
		var other []string
		for i := 1; i < len(t.Params); i++ {
			other = append(other, t.Params[i]+"="+p.Params[i])
		}
		name := strings.Join(other, ", ")
		if name == "" {
			name = t.Outputs[0]
		}
		main := ""
		if len(p.Params) > 0 {
			main = p.Params[0]
		}
		g, ok := byName[name]
		if !ok {
			g = &group{name: name}
			byName[name] = g
			groups = append(groups, g)
		}
		s := p.Outputs[0]
		g.s.X = append(g.s.X, xs[main])
		g.s.Y, g.s.Lo, g.s.Hi = append(g.s.Y, s.Mean), append(g.s.Lo, s.Lo), append(g.s.Hi, s.Hi)
	}
	points := t.Design != designGrid || len(groups) > maxGroups
	if points {
		all := &group{name: t.Outputs[0]}
		for _, g := range groups {
			all.s.X, all.s.Y = append(all.s.X, g.s.X...), append(all.s.Y, g.s.Y...)
			all.s.Lo, all.s.Hi = append(all.s.Lo, g.s.Lo...), append(all.s.Hi, g.s.Hi...)
		}
		groups = []*group{all}
	}
	series := make([]chart.BandSeries, len(groups))
	for i, g := range groups {
		s := g.s
		idx := make([]int, len(s.X))
		for k := range idx {
			idx[k] = k
		}
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(s.X[a], s.X[b]) })
		series[i] = chart.BandSeries{Name: g.name}
		for _, k := range idx {
			series[i].X = append(series[i].X, s.X[k])
			series[i].Y = append(series[i].Y, s.Y[k])
			series[i].Lo = append(series[i].Lo, s.Lo[k])
			series[i].Hi = append(series[i].Hi, s.Hi[k])
		}
	}
	title := fmt.Sprintf("%s: %s against %s (mean, 95%% CI)", t.Name, t.Outputs[0], xlabel)
	p := chart.BandPlot(title, xlabel, t.Outputs[0], series, points, ticks)
	return &chart.Figure{Plots: []*plot.Plot{p}, Width: 8 * vg.Inch, Height: 5.5 * vg.Inch}
}

// axis returns the x of each value of the main parameter: the number, the
// date (as Unix seconds, with date ticks) or, for anything else, its rank
// among the values (with the values as ticks).
func (t *Table) axis() (map[string]float64, plot.Ticker, string) {
	xs := map[string]float64{}
	if len(t.Params) == 0 {
		return map[string]float64{"": 0}, plot.ConstantTicks{{Value: 0, Label: "base scenario"}}, "point"
	}
	var vals []string
	for _, r := range t.Rows {
		if _, ok := xs[r.Params[0]]; !ok {
			xs[r.Params[0]] = 0
			vals = append(vals, r.Params[0])
		}
	}
	numbers, dates := true, true
	for _, v := range vals {
		if x, err := strconv.ParseFloat(v, 64); err == nil {
			xs[v] = x
		} else {
			numbers = false
		}
		if _, err := calendar.ParseDate(v); err != nil {
			dates = false
		}
	}
	switch {
	case numbers:
		return xs, nil, t.Params[0]
	case dates:
		var ticks plot.ConstantTicks
		for _, v := range vals {
			xs[v] = float64(calendar.MustParseDate(v).Unix())
			ticks = append(ticks, plot.Tick{Value: xs[v], Label: v})
		}
		if len(vals) > 8 {
			return xs, plot.TimeTicks{Format: time.DateOnly}, t.Params[0]
		}
		return xs, ticks, t.Params[0]
	}
	slices.Sort(vals)
	ticks := make(plot.ConstantTicks, len(vals))
	for i, v := range vals {
		xs[v] = float64(i)
		ticks[i] = plot.Tick{Value: float64(i), Label: v}
	}
	return xs, ticks, t.Params[0]
}

// WriteOutputs writes runs.csv, summary.csv and the chart (PNG and SVG)
// into dir, each to a temporary file renamed into place.
func (t *Table) WriteOutputs(dir string) error {
	if err := output.WriteFile(filepath.Join(dir, RunsFile), t.WriteRuns); err != nil {
		return err
	}
	if err := output.WriteFile(filepath.Join(dir, SummaryFile), t.WriteSummary); err != nil {
		return err
	}
	fig := t.Chart()
	for _, f := range []struct{ name, format string }{{ChartPNG, "png"}, {ChartSVG, "svg"}} {
		if err := output.WriteFile(filepath.Join(dir, f.name), func(w io.Writer) error { return fig.Write(w, f.format) }); err != nil {
			return err
		}
	}
	return nil
}
