package calibrate

import (
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/collsim/collsim/internal/strict"
	"github.com/collsim/collsim/sim/chart"
	"github.com/collsim/collsim/sim/output"
	"github.com/collsim/collsim/sim/sweep"
	"github.com/collsim/collsim/sim/targets"
)

// writeString writes s to path (a temporary file renamed into place).
func writeString(path, s string) error {
	return output.WriteFile(path, func(w io.Writer) error { _, err := io.WriteString(w, s); return err })
}

// WriteOutputs writes the calibration's outputs into dir: particles.csv,
// generations.csv, posterior.csv, the pairs chart, calibration.md and the
// calibrated scenario at calibrated (default dir/calibrated.toml), whose
// extends is the input scenario relative to it.
func (res *Result) WriteOutputs(dir, calibrated string, opt Options) error {
	if calibrated == "" {
		calibrated = filepath.Join(dir, CalibratedFile)
	}
	steps := []struct {
		name  string
		write func(io.Writer) error
	}{
		{ParticlesFile, res.writeParticles},
		{GenerationsFile, res.writeGenerations},
		{PosteriorFile, res.writePosterior},
	}
	for _, s := range steps {
		if err := output.WriteFile(filepath.Join(dir, s.name), s.write); err != nil {
			return err
		}
	}
	fig := res.Pairs()
	for _, f := range []struct{ name, format string }{{PairsPNG, "png"}, {PairsSVG, "svg"}} {
		if err := output.WriteFile(filepath.Join(dir, f.name), func(w io.Writer) error { return fig.Write(w, f.format) }); err != nil {
			return err
		}
	}
	scen, err := res.Scenario(calibrated, opt)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(calibrated), 0o755); err != nil {
		return err
	}
	if err := writeString(calibrated, scen); err != nil {
		return err
	}
	return output.WriteFile(filepath.Join(dir, ReportFile), func(w io.Writer) error { return res.WriteMarkdown(w, calibrated, opt) })
}

// writeParticles writes particles.csv: the accepted particles of every
// generation with their distances and weights.
func (res *Result) writeParticles(w io.Writer) error {
	cw := csv.NewWriter(w)
	head := []string{"generation", "particle", "batch", "index", "distance", "weight"}
	for _, p := range res.Plan.Priors {
		head = append(head, p.Name)
	}
	cw.Write(head)
	for _, g := range res.Generations {
		for i, p := range g.Particles {
			rec := []string{strconv.Itoa(g.Index), strconv.Itoa(i), strconv.Itoa(p.Batch), strconv.Itoa(p.Index), num(p.Distance), num(p.Weight)}
			for _, x := range p.Theta {
				rec = append(rec, num(x))
			}
			cw.Write(rec)
		}
	}
	cw.Flush()
	return cw.Error()
}

// writeGenerations writes generations.csv.
func (res *Result) writeGenerations(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"generation", "epsilon", "runs", "batches", "particles", "ess", "fallback"})
	for _, g := range res.Generations {
		cw.Write([]string{strconv.Itoa(g.Index), num(g.Epsilon), strconv.Itoa(g.Runs), strconv.Itoa(g.Batches),
			strconv.Itoa(len(g.Particles)), num(g.ESS()), strconv.FormatBool(g.Fallback)})
	}
	cw.Flush()
	return cw.Error()
}

// writePosterior writes posterior.csv: each parameter's prior and weighted
// posterior summaries over the last generation.
func (res *Result) writePosterior(w io.Writer) error {
	cw := csv.NewWriter(w)
	cw.Write([]string{"parameter", "before", "prior", "prior_min", "prior_max", "mean", "sd", "median", "q05", "q95", "estimate"})
	for i, s := range res.Summaries {
		pr := res.Plan.Priors[i]
		prior := "uniform"
		if pr.Log {
			prior = "loguniform"
		}
		cw.Write([]string{s.Name, num(res.Plan.Before[i]), prior, num(pr.Min), num(pr.Max), num(s.Mean), num(s.SD), num(s.Median), num(s.Lo), num(s.Hi), formatValue(res.Estimate[i])})
	}
	cw.Flush()
	return cw.Error()
}

// num writes a number to 6 significant digits.
func num(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }

// Pairs returns the pairs chart of the last generation, the estimate marked.
func (res *Result) Pairs() *chart.Grid {
	last := res.Generations[len(res.Generations)-1]
	w := make([]float64, len(last.Particles))
	for i, p := range last.Particles {
		w[i] = p.Weight
	}
	vars := make([]chart.PairsVariable, len(res.Plan.Priors))
	for j, pr := range res.Plan.Priors {
		v := chart.PairsVariable{Name: pr.Name, Min: pr.Min, Max: pr.Max, Log: pr.Log}
		for _, p := range last.Particles {
			v.Values = append(v.Values, p.Theta[j])
		}
		vars[j] = v
	}
	return chart.Pairs(vars, w, res.Estimate, 15)
}

// Scenario returns the calibrated scenario, to be written at path: it
// extends the input scenario (relative to path) and sets each parameter to
// its estimate, with the posterior interval and the prior in comments.
func (res *Result) Scenario(path string, opt Options) (string, error) {
	p := res.Plan
	ext, err := sweep.RelPath(filepath.Dir(path), p.ScenarioPath)
	if err != nil {
		return "", fmt.Errorf("locating %s: %w", path, err)
	}
	last := res.Generations[len(res.Generations)-1]
	var b strings.Builder
	fmt.Fprintf(&b, "# %s, calibrated by Approximate Bayesian Computation (ABC-SMC) to %d fitted\n", p.Base.Name, len(p.Fit))
	fmt.Fprintf(&b, "# targets of %s. Written by collsim %s: do not edit by hand;\n", strings.Join(p.TargetPaths, " and "), opt.Version)
	fmt.Fprintf(&b, "# rerun the calibration instead")
	if opt.Command != "" {
		fmt.Fprintf(&b, ":\n#   %s\n", opt.Command)
	} else {
		b.WriteString(".\n")
	}
	fmt.Fprintf(&b, "# Calibration file %s: %d particles, %d generations (final tolerance ε = %.3g, %d\n",
		p.ParamsPath, p.File.Particles, len(res.Generations), last.Epsilon, res.Runs())
	fmt.Fprintf(&b, "# runs in all). Each parameter is set to its posterior %s; the comment gives\n", p.File.Estimate)
	fmt.Fprintf(&b, "# the %d%% posterior interval and the prior. Everything else is %s's.\n\n", int(Level*100), filepath.Base(p.ScenarioPath))
	fmt.Fprintf(&b, "extends = %s\n", strict.QuoteString(ext))
	fmt.Fprintf(&b, "name = %s\n", strict.QuoteString(p.Base.Name+"-calibrated"))
	fmt.Fprintf(&b, "description = %s\n", strict.QuoteString(p.Base.Description+" (calibrated to "+strings.Join(p.Targets.Sets(), " and ")+")"))
	type entry struct{ key, line string }
	var top []entry
	elems := map[string][]entry{} // "regions\x00Moscow" → keys below it
	var order []string
	for i, s := range res.Summaries {
		pr := p.Priors[i]
		prior := fmt.Sprintf("uniform [%s, %s]", formatValue(pr.Min), formatValue(pr.Max))
		if pr.Log {
			prior = "log-uniform" + prior[len("uniform"):]
		}
		comment := fmt.Sprintf("# posterior %s; %d%% interval [%s, %s]; prior %s", p.File.Estimate, int(Level*100), formatValue(s.Lo), formatValue(s.Hi), prior)
		segs, _ := strict.SplitKey(s.Name)
		if len(segs) >= 3 && (segs[0] == "regions" || segs[0] == "phases") {
			k := segs[0] + "\x00" + segs[1]
			if _, ok := elems[k]; !ok {
				order = append(order, k)
			}
			elems[k] = append(elems[k], entry{joinKey(segs[2:]), formatValue(res.Estimate[i]) + "  " + comment})
			continue
		}
		top = append(top, entry{joinKey(segs), formatValue(res.Estimate[i]) + "  " + comment})
	}
	if len(top) > 0 {
		b.WriteString("\n")
	}
	for _, e := range top {
		fmt.Fprintf(&b, "%s = %s\n", e.key, e.line)
	}
	for _, k := range order {
		table, name, _ := strings.Cut(k, "\x00")
		fmt.Fprintf(&b, "\n[[%s]]\nname = %s\n", table, strict.QuoteString(name))
		for _, e := range elems[k] {
			fmt.Fprintf(&b, "%s = %s\n", e.key, e.line)
		}
	}
	return b.String(), nil
}

// joinKey writes key parts as a dotted TOML key.
func joinKey(segs []string) string {
	k := ""
	for _, s := range segs {
		k = strict.JoinKey(k, s)
	}
	return k
}

// Runs returns the runs of every generation: each proposal's replicates.
func (res *Result) Runs() int {
	n := 0
	for _, g := range res.Generations {
		n += g.Runs * res.Plan.File.Replicates
	}
	return n
}

// WriteMarkdown writes a summary of the calibration: what was fitted to
// what, the generations, the posterior and the calibrated scenario.
func (res *Result) WriteMarkdown(w io.Writer, calibrated string, opt Options) error {
	p := res.Plan
	fmt.Fprintf(w, "# Calibration of %s\n\n", p.Base.Name)
	if opt.Command != "" {
		fmt.Fprintf(w, "Regenerate: `%s` (collsim %s).\n\n", opt.Command, opt.Version)
	}
	fmt.Fprintf(w, "Approximate Bayesian Computation by sequential Monte Carlo (ABC-SMC, `sim/abc`) over %d parameters, fitted to the %d targets of role `fit` in %s (%s). ",
		len(p.Priors), len(p.Fit), strings.Join(p.TargetPaths, " and "), p.Targets.Roles())
	fmt.Fprintf(w, "Each run: %s with %s, %d replicate(s) per parameter set. Distance: the square root of the weighted mean of squared standardized errors, (model − target) / tolerance; a distance of 1 is on average within tolerance.\n\n",
		filepath.Base(p.ScenarioPath), setsText(p.File.Set), p.File.Replicates)
	fmt.Fprintf(w, "## Generations\n\n| generation | tolerance ε | runs | particles | effective sample size |\n|---:|---:|---:|---:|---:|\n")
	for _, g := range res.Generations {
		note := ""
		if g.Fallback {
			note = " (max_runs reached: best kept)"
		}
		fmt.Fprintf(w, "| %d | %.3f%s | %d | %d | %.0f |\n", g.Index, g.Epsilon, note, g.Runs*p.File.Replicates, len(g.Particles), g.ESS())
	}
	fmt.Fprintf(w, "\n## Posterior (generation %d)\n\n| parameter | before | prior | posterior mean | median | %d%% interval | set to |\n|---|---:|---|---:|---:|---|---:|\n", len(res.Generations)-1, int(Level*100))
	for i, s := range res.Summaries {
		pr := p.Priors[i]
		prior := fmt.Sprintf("U[%s, %s]", formatValue(pr.Min), formatValue(pr.Max))
		if pr.Log {
			prior = "log" + prior
		}
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s | [%s, %s] | %s |\n", s.Name, formatValue(p.Before[i]), prior, formatValue(s.Mean), formatValue(s.Median), formatValue(s.Lo), formatValue(s.Hi), formatValue(res.Estimate[i]))
	}
	fmt.Fprintf(w, "\nThe calibrated scenario `%s` sets each parameter to its posterior %s.\n\n", filepath.ToSlash(calibrated), p.File.Estimate)
	fmt.Fprintf(w, "![pairs chart of the posterior](%s)\n\n", PairsPNG)
	fmt.Fprintf(w, "Fitted targets: %s.\n", strings.Join(quoteAll(p.Fit.Names()), ", "))
	if h := p.Targets.Role(targets.Holdout); len(h) > 0 {
		fmt.Fprintf(w, "Held out (measured, not fitted): %s.\n", strings.Join(quoteAll(h.Names()), ", "))
	}
	return nil
}

func setsText(sets []string) string {
	if len(sets) == 0 {
		return "no overrides"
	}
	return "`" + strings.Join(sets, "`, `") + "`"
}

func quoteAll(ss []string) []string {
	q := slices.Clone(ss)
	for i := range q {
		q[i] = "`" + q[i] + "`"
	}
	return q
}
