package validity

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"

	"github.com/collsim/collsim/sim/chart"
	"github.com/collsim/collsim/sim/output"
	"github.com/collsim/collsim/sim/rng"
	"github.com/collsim/collsim/sim/sensitivity"
	"github.com/collsim/collsim/sim/sweep"
)

// Sensitivity is the sensitivity analysis of a finished Morris or Sobol
// sweep: for each output, each parameter's Morris statistics or Sobol
// indices, from the mean over replicates at each point.
type Sensitivity struct {
	Sweep  *sweep.Sweep
	Design string                  // morris or sobol
	Morris [][]sensitivity.Effects // [output][parameter]
	Sobol  [][]sensitivity.Indices // [output][parameter]
	Runs   int
	Boot   int
}

// AnalyzeSensitivity computes the indices of every output of a finished
// sweep t of sw (design morris or sobol), with boot bootstrap resamples for
// the intervals (drawn from a stream of the sweep seed).
func AnalyzeSensitivity(sw *sweep.Sweep, t *sweep.Table, boot int) (*Sensitivity, error) {
	if sw.Design != "morris" && sw.Design != "sobol" {
		return nil, fmt.Errorf("%s: design %q: sensitivity analysis needs design = \"morris\" or \"sobol\"", sw.Path, sw.Design)
	}
	k := len(sw.Params)
	s := &Sensitivity{Sweep: sw, Design: sw.Design, Runs: len(t.Rows), Boot: boot}
	src := rng.New(sw.Seed, 7)
	for o := range t.Outputs {
		y := pointMeans(t, o, len(sw.Points))
		if sw.Design == "morris" {
			e, err := sensitivity.Morris(sw.Unit, y, k, boot, &src)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", t.Outputs[o], err)
			}
			s.Morris = append(s.Morris, e)
			continue
		}
		ix, err := sensitivity.Sobol(y, k, boot, &src)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Outputs[o], err)
		}
		s.Sobol = append(s.Sobol, ix)
	}
	return s, nil
}

// pointMeans returns the mean of output o over each point's replicates
// (NaN if any is NaN or the point has no run).
func pointMeans(t *sweep.Table, o, points int) []float64 {
	sum := make([]float64, points)
	n := make([]int, points)
	for _, r := range t.Rows {
		sum[r.Point] += r.Outputs[o]
		n[r.Point]++
	}
	for p := range sum {
		if n[p] == 0 {
			sum[p] = math.NaN()
		} else {
			sum[p] /= float64(n[p])
		}
	}
	return sum
}

// Ranking returns the parameters of output o from the most to the least
// influential: by μ* (Morris) or by the total index (Sobol).
func (s *Sensitivity) Ranking(o int) []int {
	k := len(s.Sweep.Params)
	idx := make([]int, k)
	for i := range idx {
		idx[i] = i
	}
	key := func(i int) float64 {
		if s.Design == "morris" {
			return s.Morris[o][i].MuStar
		}
		return s.Sobol[o][i].ST
	}
	slices.SortStableFunc(idx, func(a, b int) int {
		ka, kb := key(a), key(b)
		switch {
		case ka > kb || !math.IsNaN(ka) && math.IsNaN(kb):
			return -1
		case ka < kb || math.IsNaN(ka) && !math.IsNaN(kb):
			return 1
		}
		return 0
	})
	return idx
}

// Files of a sensitivity report.
const (
	SensitivityReport = "sensitivity.md"
	SensitivityCSV    = "sensitivity.csv"
	SensitivityChart  = "sensitivity" // .png, .svg
)

// WriteReport writes sensitivity.md, sensitivity.csv and the chart into dir.
func (s *Sensitivity) WriteReport(dir string, opt Options) error {
	if err := output.WriteFile(filepath.Join(dir, SensitivityCSV), s.writeCSV); err != nil {
		return err
	}
	if err := writeFigure(filepath.Join(dir, SensitivityChart), s.Chart()); err != nil {
		return err
	}
	return output.WriteFile(filepath.Join(dir, SensitivityReport), func(w io.Writer) error { return s.WriteMarkdown(w, opt) })
}

// writeCSV writes one row per output and parameter.
func (s *Sensitivity) writeCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	outs := s.outputs()
	if s.Design == "morris" {
		cw.Write([]string{"output", "parameter", "rank", "mu_star", "mu_star_ci95_lo", "mu_star_ci95_hi", "mu", "sigma", "effects"})
	} else {
		cw.Write([]string{"output", "parameter", "rank", "s1", "s1_ci95_lo", "s1_ci95_hi", "st", "st_ci95_lo", "st_ci95_hi"})
	}
	for o, name := range outs {
		for r, i := range s.Ranking(o) {
			p := s.Sweep.Params[i].Key
			if s.Design == "morris" {
				e := s.Morris[o][i]
				cw.Write([]string{name, p, fmt.Sprint(r + 1), g6(e.MuStar), g6(e.MuStarLo), g6(e.MuStarHi), g6(e.Mu), g6(e.Sigma), fmt.Sprint(e.N)})
			} else {
				x := s.Sobol[o][i]
				cw.Write([]string{name, p, fmt.Sprint(r + 1), g6(x.S1), g6(x.S1Lo), g6(x.S1Hi), g6(x.ST), g6(x.STLo), g6(x.STHi)})
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// outputs returns the names of the sweep's outputs.
func (s *Sensitivity) outputs() []string {
	var n []string
	for _, o := range s.Sweep.Outputs {
		n = append(n, o.Name)
	}
	return n
}

// Top returns, for each output, its most influential parameters (at most n).
func (s *Sensitivity) Top(n int) string {
	var lines []string
	for o, name := range s.outputs() {
		var ps []string
		for _, i := range s.Ranking(o)[:min(n, len(s.Sweep.Params))] {
			if s.Design == "morris" {
				ps = append(ps, fmt.Sprintf("`%s` (μ* %.3g)", s.Sweep.Params[i].Key, s.Morris[o][i].MuStar))
			} else {
				ps = append(ps, fmt.Sprintf("`%s` (ST %.2f)", s.Sweep.Params[i].Key, s.Sobol[o][i].ST))
			}
		}
		lines = append(lines, fmt.Sprintf("- **%s**: %s", name, strings.Join(ps, ", ")))
	}
	return strings.Join(lines, "\n")
}

// WriteMarkdown writes a table per output, parameters ranked.
func (s *Sensitivity) WriteMarkdown(w io.Writer, opt Options) error {
	sw := s.Sweep
	k := len(sw.Params)
	if s.Design == "morris" {
		fmt.Fprintf(w, "# Morris screening of %s\n\n", sw.Base.Name)
	} else {
		fmt.Fprintf(w, "# Sobol indices of %s\n\n", sw.Base.Name)
	}
	if opt.Command != "" {
		fmt.Fprintf(w, "Regenerate: `%s` (collsim %s).\n\n", opt.Command, opt.Version)
	}
	fmt.Fprintf(w, "Sweep `%s` over %d parameters, %d points × %d replicate(s) = %d runs of %d households (%s). ",
		filepath.ToSlash(sw.Path), k, len(sw.Points), sw.Replicates, s.Runs, sw.Base.Population.Households, setsText(sw.File.Set))
	if s.Design == "morris" {
		d := sensitivity.MorrisDelta(sw.File.Levels)
		fmt.Fprintf(w, "Morris elementary effects (Morris 1991; μ* of Campolongo et al. 2007): %d trajectories on a grid of %d levels, step Δ = %.3g of each parameter's range; "+
			"an effect is the change of the output per whole range of the parameter. μ* (mean |effect|) ranks influence; σ (their spread) large against μ* marks non-linearity or interactions; μ near ±μ* a monotone effect. "+
			"Runs of a trajectory share their seeds; μ* intervals: bootstrap over trajectories (%d resamples).\n\n", sw.File.Trajectories, sw.File.Levels, d, s.Boot)
	} else {
		fmt.Fprintf(w, "Sobol indices from a Saltelli design (%d base samples of a Sobol sequence; first-order index S1 by Saltelli et al. 2010, total index ST by Jansen 1999): "+
			"S1 is the share of the output's variance a parameter explains alone, ST with all its interactions; ST − S1 is the interaction. "+
			"Runs of a row of the design share their seeds, so seed noise enters the indices as a little spurious interaction. 95%% intervals: bootstrap over rows (%d resamples). "+
			"An index whose interval holds 0 is not distinguishable from 0.\n\n", sw.File.Samples, s.Boot)
	}
	fmt.Fprintf(w, "Parameters and ranges:\n\n")
	for _, p := range sw.File.Parameters {
		fmt.Fprintf(w, "- `%s`: %s %s – %s\n", p.Key, p.Distribution, p.Min.String(), p.Max.String())
	}
	fmt.Fprintf(w, "\n**Most influential, by output:**\n\n%s\n\n![ranking](%s.png)\n\n", s.Top(3), SensitivityChart)
	for o, name := range s.outputs() {
		fmt.Fprintf(w, "## %s\n\n", name)
		if s.Design == "morris" {
			fmt.Fprintf(w, "| rank | parameter | μ* [95%% CI] | μ | σ |\n|---:|---|---|---:|---:|\n")
		} else {
			fmt.Fprintf(w, "| rank | parameter | S1 [95%% CI] | ST [95%% CI] |\n|---:|---|---|---|\n")
		}
		for r, i := range s.Ranking(o) {
			p := sw.Params[i].Key
			if s.Design == "morris" {
				e := s.Morris[o][i]
				fmt.Fprintf(w, "| %d | `%s` | %.3g [%.3g, %.3g] | %.3g | %.3g |\n", r+1, p, e.MuStar, e.MuStarLo, e.MuStarHi, e.Mu, e.Sigma)
			} else {
				x := s.Sobol[o][i]
				fmt.Fprintf(w, "| %d | `%s` | %.2f [%.2f, %.2f] | %.2f [%.2f, %.2f] |\n", r+1, p, x.S1, x.S1Lo, x.S1Hi, x.ST, x.STLo, x.STHi)
			}
		}
		fmt.Fprintln(w)
	}
	return nil
}

// Chart returns one panel per output: the parameters ranked, μ* with its
// interval (Morris), or S1 and ST with theirs (Sobol).
func (s *Sensitivity) Chart() *chart.Grid {
	outs := s.outputs()
	cols := min(2, len(outs))
	rows := (len(outs) + cols - 1) / cols
	grid := make([][]*plot.Plot, rows)
	for r := range grid {
		grid[r] = make([]*plot.Plot, cols)
	}
	for o, name := range outs {
		var labels []string
		var series []chart.DotSeries
		if s.Design == "morris" {
			m := chart.DotSeries{}
			for _, i := range s.Ranking(o) {
				labels = append(labels, s.Sweep.Params[i].Key)
				e := s.Morris[o][i]
				m.X, m.Lo, m.Hi = append(m.X, e.MuStar), append(m.Lo, e.MuStarLo), append(m.Hi, e.MuStarHi)
			}
			series = []chart.DotSeries{m}
		} else {
			s1, st := chart.DotSeries{Name: "S1 (alone)"}, chart.DotSeries{Name: "ST (with interactions)"}
			for _, i := range s.Ranking(o) {
				labels = append(labels, s.Sweep.Params[i].Key)
				x := s.Sobol[o][i]
				s1.X, s1.Lo, s1.Hi = append(s1.X, x.S1), append(s1.Lo, x.S1Lo), append(s1.Hi, x.S1Hi)
				st.X, st.Lo, st.Hi = append(st.X, x.ST), append(st.Lo, x.STLo), append(st.Hi, x.STHi)
			}
			series = []chart.DotSeries{st, s1}
		}
		xlabel := "μ* (change per whole range)"
		if s.Design == "sobol" {
			xlabel = "share of variance"
		}
		p := chart.DotPlot(name, xlabel, labels, series, math.NaN(), math.NaN())
		p.Title.TextStyle.Font.Size = vg.Points(10)
		grid[o/cols][o%cols] = p
	}
	k := len(s.Sweep.Params)
	return &chart.Grid{Plots: grid, Width: 12 * vg.Inch, Height: vg.Length(1+float64(rows)*(1+0.3*float64(k))) * vg.Inch}
}
