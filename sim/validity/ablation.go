package validity

import (
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/collsim/collsim/sim/agents"
	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/chart"
	"github.com/collsim/collsim/sim/output"
	"github.com/collsim/collsim/sim/scenario"
	"github.com/collsim/collsim/sim/stats"
	"github.com/collsim/collsim/sim/sweep"
)

// A Pattern is an outcome of a run that the ablation follows.
type Pattern struct {
	Name      string
	Unit      string  // of its change: "pt" (percentage points), "days" or "%" (relative to the baseline)
	Threshold float64 // a change beyond it (in Unit) is material
	Relative  bool    // its change is reported relative to the baseline mean
	// value computes the pattern of a run from its outputs.
	value func(r runOutputs) float64
}

// runOutputs are the outputs of one run that patterns read.
type runOutputs struct {
	summary  map[string]float64
	share    []float64 // the country's collective share at each step
	reported []float64 // and its reported share
	dates    []calendar.Date
	moscow   [2]float64 // Moscow's share on moscowDates (NaN without a Moscow region)
}

// moscowDates are the dates of Moscow's fall, 1 March and 1 June 1930.
var moscowDates = [2]calendar.Date{calendar.MustParseDate("1930-03-01"), calendar.MustParseDate("1930-06-01")}

// peakStep returns the step of the country's highest share.
func (r runOutputs) peakStep() int {
	k := 0
	for i, v := range r.share {
		if v > r.share[k] {
			k = i
		}
	}
	return k
}

// at returns the country's share at the last step on or before d.
func (r runOutputs) at(d calendar.Date) float64 {
	k := -1
	for i, x := range r.dates {
		if !x.After(d) {
			k = i
		}
	}
	if k < 0 {
		return math.NaN()
	}
	return r.share[k]
}

// Patterns are the patterns of the historical campaign (docs/MODEL.md §1.1)
// that the ablation follows, with the change in each that counts as
// material: about the tolerance of the matching target
// (data/targets/seed.toml).
var Patterns = []Pattern{
	{Name: "peak share", Unit: "pt", Threshold: 3, value: func(r runOutputs) float64 { return 100 * r.summary["peak_share"] }},
	{Name: "date of the peak", Unit: "days", Threshold: 14, value: func(r runOutputs) float64 {
		return float64(r.dates[r.peakStep()].DaysSince(r.dates[0]))
	}},
	{Name: "share on 1 Aug 1930", Unit: "pt", Threshold: 3, value: func(r runOutputs) float64 {
		return 100 * r.at(calendar.MustParseDate("1930-08-01"))
	}},
	{Name: "Moscow's fall, Mar–Jun 1930", Unit: "pt", Threshold: 5, value: func(r runOutputs) float64 { return 100 * (r.moscow[0] - r.moscow[1]) }},
	{Name: "reported − true at the peak", Unit: "pt", Threshold: 2, value: func(r runOutputs) float64 {
		k := r.peakStep()
		return 100 * (r.reported[k] - r.share[k])
	}},
	{Name: "households repressed", Unit: "%", Threshold: 20, Relative: true, value: func(r runOutputs) float64 { return r.summary["repressed"] }},
	{Name: "arrested and deported", Unit: "%", Threshold: 20, Relative: true, value: func(r runOutputs) float64 {
		return r.summary["arrested"] + r.summary["deported"]
	}},
	{Name: "livestock change", Unit: "pt", Threshold: 3, value: func(r runOutputs) float64 { return 100 * r.summary["livestock_change"] }},
	{Name: "productivity change", Unit: "pt", Threshold: 2, value: func(r runOutputs) float64 { return 100 * r.summary["productivity_change"] }},
}

// summaryKeys are the keys of summary.json the patterns read.
var summaryKeys = []string{"peak_share", "repressed", "arrested", "deported", "livestock_change", "productivity_change"}

// Effect is the change in a pattern when a mechanism is switched off: the
// mean over replicates of (pattern off − pattern with every mechanism),
// paired by seed, with its 95% confidence interval, in the pattern's unit.
type Effect struct {
	Change        stats.Summary
	Baseline, Off float64 // the pattern's means
	Material      bool    // |change| beyond the pattern's threshold and its interval clear of zero
}

// Ablation is what switching off each mechanism does to each pattern.
type Ablation struct {
	Runs       Runs
	Base       *scenario.Scenario
	Mechanisms []string        // switched off one at a time
	Baseline   []stats.Summary // each pattern with every mechanism on
	Effects    [][]Effect      // [mechanism][pattern]
}

// Mechanisms returns the names of the mechanisms (the [mechanisms]
// switches) that the scenario has on, in the order of the scenario file.
func Mechanisms(s *scenario.Scenario) []string {
	var names []string
	v := reflect.ValueOf(s.Mechanisms)
	for i := range v.NumField() {
		if v.Field(i).Kind() == reflect.Bool && v.Field(i).Bool() {
			names = append(names, v.Type().Field(i).Tag.Get("toml"))
		}
	}
	return names
}

// RunAblation runs the scenario with every mechanism of mechs on (the
// baseline) and with each switched off in turn, over the replicates, all
// with the same seeds (common random numbers: a change is the mechanism's,
// not the seeds'), in dir (a sweep, resumed with opt.Resume).
func RunAblation(ctx context.Context, runs Runs, mechs []string, dir string, opt Options) (*Ablation, error) {
	base, err := runs.load()
	if err != nil {
		return nil, err
	}
	if len(mechs) == 0 {
		return nil, fmt.Errorf("no mechanisms to switch off")
	}
	f, err := runs.sweepFile(base.Name+"-ablation", "the runs of "+base.Name+" with each mechanism switched off in turn", dir)
	if err != nil {
		return nil, err
	}
	f.CommonSeeds = true
	all, on := Mechanisms(&scenario.Scenario{Mechanisms: agents.AllMechanisms()}), Mechanisms(base)
	for i, m := range mechs {
		switch {
		case !slices.Contains(all, m):
			return nil, fmt.Errorf("no mechanism %q (mechanisms are %s)", m, strings.Join(all, ", "))
		case !slices.Contains(on, m):
			return nil, fmt.Errorf("mechanism %s is off in %s already", m, runs.Scenario)
		}
		spec := sweep.ParamSpec{Key: "mechanisms." + m}
		for p := 0; p <= len(mechs); p++ {
			spec.Values = append(spec.Values, sweep.BoolValue(p != i+1))
		}
		f.Parameters = append(f.Parameters, spec)
	}
	for _, k := range summaryKeys {
		f.Outputs = append(f.Outputs, sweep.OutputSpec{Summary: k})
	}
	// add adds a timeseries output and returns its index, by which the
	// sweep's resolved outputs give its column's name.
	add := func(col, region string, d calendar.Date) int {
		f.Outputs = append(f.Outputs, sweep.OutputSpec{Timeseries: col, Region: region, Date: sweep.DateValue(d)})
		return len(f.Outputs) - 1
	}
	dates := calendar.Steps(base.Start, base.End)
	var shareAt, reportedAt, moscowAt []int
	for _, d := range dates {
		shareAt = append(shareAt, add("collective_share", "ALL", d))
	}
	for _, d := range dates {
		reportedAt = append(reportedAt, add("reported_share", "ALL", d))
	}
	if hasRegion(base, "Moscow") {
		for _, d := range moscowDates {
			moscowAt = append(moscowAt, add("collective_share", "Moscow", d))
		}
	}
	sw, t, err := execute(ctx, f, dir, opt)
	if err != nil {
		return nil, err
	}
	// values[point][pattern][replicate]
	values := make([][][]float64, len(mechs)+1)
	for p := range values {
		outs := make([]runOutputs, runs.Replicates)
		for r := range outs {
			outs[r] = runOutputs{summary: map[string]float64{}, dates: dates, moscow: [2]float64{math.NaN(), math.NaN()}}
		}
		for _, k := range summaryKeys {
			for r, x := range column(t, k, p) {
				outs[r].summary[k] = x
			}
		}
		for k := range dates {
			for r, x := range column(t, sw.Outputs[shareAt[k]].Name, p) {
				outs[r].share = append(outs[r].share, x)
			}
			for r, x := range column(t, sw.Outputs[reportedAt[k]].Name, p) {
				outs[r].reported = append(outs[r].reported, x)
			}
		}
		for i, o := range moscowAt {
			for r, x := range column(t, sw.Outputs[o].Name, p) {
				outs[r].moscow[i] = x
			}
		}
		values[p] = make([][]float64, len(Patterns))
		for i, pat := range Patterns {
			for _, o := range outs {
				values[p][i] = append(values[p][i], pat.value(o))
			}
		}
	}
	a := &Ablation{Runs: runs, Base: base, Mechanisms: mechs}
	for i := range Patterns {
		a.Baseline = append(a.Baseline, stats.Summarize(values[0][i], 0.95))
	}
	for m := range mechs {
		row := make([]Effect, len(Patterns))
		for i, pat := range Patterns {
			b, o := values[0][i], values[m+1][i]
			diff := make([]float64, len(b))
			scale := 1.0
			if pat.Relative {
				scale = 100 / a.Baseline[i].Mean
			}
			for r := range b {
				diff[r] = (o[r] - b[r]) * scale
			}
			e := Effect{Change: stats.Summarize(diff, 0.95), Baseline: a.Baseline[i].Mean, Off: stats.Summarize(o, 0.95).Mean}
			c := e.Change
			e.Material = math.Abs(c.Mean) > pat.Threshold && (c.Lo > 0 || c.Hi < 0 || c.N == 1)
			row[i] = e
		}
		a.Effects = append(a.Effects, row)
	}
	return a, nil
}

// hasRegion reports whether the scenario has a region of that name.
func hasRegion(s *scenario.Scenario, name string) bool {
	for _, r := range s.Regions {
		if r.Name == name {
			return true
		}
	}
	return false
}

// Files of an ablation report.
const (
	AblationReport = "ablation.md"
	AblationCSV    = "ablation.csv"
	AblationChart  = "ablation" // .png, .svg
)

// WriteReport writes ablation.md, ablation.csv and the chart into dir.
func (a *Ablation) WriteReport(dir string, opt Options) error {
	if err := output.WriteFile(filepath.Join(dir, AblationCSV), a.writeCSV); err != nil {
		return err
	}
	if err := writeFigure(filepath.Join(dir, AblationChart), a.Chart()); err != nil {
		return err
	}
	return output.WriteFile(filepath.Join(dir, AblationReport), func(w io.Writer) error { return a.WriteMarkdown(w, opt) })
}

// writeCSV writes one row per mechanism and pattern.
func (a *Ablation) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"mechanism_off", "pattern", "unit", "baseline_mean", "off_mean", "change_mean", "change_ci95_lo", "change_ci95_hi", "threshold", "material"})
	for m, name := range a.Mechanisms {
		for i, pat := range Patterns {
			e := a.Effects[m][i]
			cw.Write([]string{name, pat.Name, pat.Unit, g6(e.Baseline), g6(e.Off), g6(e.Change.Mean), g6(e.Change.Lo), g6(e.Change.Hi), g6(pat.Threshold), fmt.Sprint(e.Material)})
		}
	}
	cw.Flush()
	return cw.Error()
}

// baselineText writes a pattern's baseline mean; a day is counted from start.
func baselineText(pat Pattern, s stats.Summary, start calendar.Date) string {
	switch pat.Unit {
	case "days":
		return start.AddDays(int(math.Round(s.Mean))).String()
	case "%":
		return thousands(s.Mean)
	}
	return fmt.Sprintf("%.1f", s.Mean)
}

// WriteMarkdown writes the ablation table: the baseline, then for each
// mechanism switched off the change in each pattern; material changes in
// bold.
func (a *Ablation) WriteMarkdown(w io.Writer, opt Options) error {
	fmt.Fprintf(w, "# Mechanism ablation of %s\n\n", a.Base.Name)
	if opt.Command != "" {
		fmt.Fprintf(w, "Regenerate: `%s` (collsim %s).\n\n", opt.Command, opt.Version)
	}
	fmt.Fprintf(w, "Each mechanism (a `[mechanisms]` switch) is switched off alone; %d replicate runs of each variant and of the baseline (every mechanism on) share their seeds, so each change is the mean of paired differences, with its 95%% confidence interval. Runs: `%s` with %s (%d households), seeds derived from %d. ",
		a.Runs.Replicates, filepath.ToSlash(a.Runs.Scenario), setsText(a.Runs.Set), a.Base.Population.Households, a.Runs.Seed)
	fmt.Fprintf(w, "A change is **material** (bold) when it exceeds the threshold in the header (about the tolerance of the matching target) and its interval excludes zero. Changes are in percentage points (pt), days, or per cent of the baseline (%%).\n\n")
	fmt.Fprintf(w, "| mechanism off |")
	for _, p := range Patterns {
		fmt.Fprintf(w, " %s (±%g %s) |", p.Name, p.Threshold, p.Unit)
	}
	fmt.Fprintf(w, "\n|---|%s\n| *baseline (all on)* |", strings.Repeat("---:|", len(Patterns)))
	for i, p := range Patterns {
		fmt.Fprintf(w, " *%s* |", baselineText(p, a.Baseline[i], a.Base.Start))
	}
	fmt.Fprintln(w)
	for m, name := range a.Mechanisms {
		fmt.Fprintf(w, "| `%s` |", name)
		for _, e := range a.Effects[m] {
			c := e.Change
			s := fmt.Sprintf("%+.1f [%+.1f, %+.1f]", c.Mean, c.Lo, c.Hi)
			if e.Material {
				s = "**" + s + "**"
			}
			fmt.Fprintf(w, " %s |", s)
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintf(w, "\n%s\n\n![changes by mechanism](%s.png)\n", a.Headline(), AblationChart)
	return nil
}

// Headline says which mechanisms are necessary for which pattern: those
// whose switching off changes it materially.
func (a *Ablation) Headline() string {
	var parts []string
	for i, p := range Patterns {
		var ms []string
		for m, name := range a.Mechanisms {
			if a.Effects[m][i].Material {
				ms = append(ms, fmt.Sprintf("`%s` (%+.1f %s)", name, a.Effects[m][i].Change.Mean, p.Unit))
			}
		}
		if len(ms) == 0 {
			ms = []string{"none alone"}
		}
		parts = append(parts, fmt.Sprintf("- **%s**: %s", p.Name, strings.Join(ms, ", ")))
	}
	return "Mechanisms whose removal materially changes each pattern:\n\n" + strings.Join(parts, "\n")
}

// Chart returns one panel per pattern: each mechanism's change when
// switched off, with its 95% interval; shaded: within the threshold.
func (a *Ablation) Chart() *chart.Grid {
	const cols = 3
	rows := (len(Patterns) + cols - 1) / cols
	grid := make([][]*plot.Plot, rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, cols)
	}
	for i, pat := range Patterns {
		s := chart.DotSeries{}
		for m := range a.Mechanisms {
			c := a.Effects[m][i].Change
			s.X, s.Lo, s.Hi = append(s.X, c.Mean), append(s.Lo, c.Lo), append(s.Hi, c.Hi)
		}
		p := chart.DotPlot(pat.Name, "change ("+pat.Unit+")", a.Mechanisms, []chart.DotSeries{s}, -pat.Threshold, pat.Threshold)
		p.Title.TextStyle.Font.Size = vg.Points(10)
		if i%cols != 0 {
			p.Y.Tick.Label.Color = nil
			p.Y.Tick.Marker = blankTicks{p.Y.Tick.Marker}
		}
		grid[i/cols][i%cols] = p
	}
	return &chart.Grid{Plots: grid, Width: 13 * vg.Inch, Height: vg.Length(1.5+0.25*float64(len(a.Mechanisms))*float64(rows)) * vg.Inch}
}

// blankTicks keeps a ticker's ticks but drops their labels.
type blankTicks struct{ plot.Ticker }

func (b blankTicks) Ticks(min, max float64) []plot.Tick {
	ts := b.Ticker.Ticks(min, max)
	for i := range ts {
		ts[i].Label = ""
	}
	return ts
}
