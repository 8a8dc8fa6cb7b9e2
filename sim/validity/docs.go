package validity

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/collsim/collsim/sim/calibrate"
	"github.com/collsim/collsim/sim/output"
)

// The folders of a validity report (scripts/validity.sh) and the files
// WriteDocs writes into it.
const (
	DocsCalibration = "calibration"         // sim calibrate
	DocsHistory     = "history"             // sim validate-history of the calibrated scenario from 1929
	DocsHistory1927 = "history-1927"        // and of the calibrated campaign from 1927 (optional)
	DocsHistoryHand = "history-hand"        // and of the hand-calibrated one
	DocsMorris      = "morris"              // sim sensitivity, Morris
	DocsSobol       = "sobol"               // sim sensitivity, Sobol
	DocsAblation    = "ablation"            // sim ablate
	DocsVoluntary   = "voluntary-posterior" // sim compare --posterior of the voluntary paths (optional)

	DocsIndex      = "README.md"
	DocsModelCalib = "model-calibration.md" // the generated part of docs/MODEL.md §7
	DocsModelValid = "model-validity.md"    // the generated part of docs/MODEL.md §10
)

// DocsInfo says how a validity report was made.
type DocsInfo struct {
	Command string // the command that regenerates it
	Version string
	Seconds int // how long it took
	CPUs    int
}

// records reads a CSV file into rows keyed by the header's names.
func records(path string) ([]map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	all, err := csv.NewReader(f).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(all) == 0 {
		return nil, fmt.Errorf("%s: empty", path)
	}
	var rows []map[string]string
	for _, rec := range all[1:] {
		m := map[string]string{}
		for i, h := range all[0] {
			if i < len(rec) {
				m[h] = rec[i]
			}
		}
		rows = append(rows, m)
	}
	return rows, nil
}

// num reads a number of a record (NaN if it is not one).
func num(m map[string]string, k string) float64 {
	x, err := strconv.ParseFloat(m[k], 64)
	if err != nil {
		return math.NaN()
	}
	return x
}

// WriteDocs writes the index of a validity report folder (README.md) and
// the generated parts of docs/MODEL.md §7 and §10, from the CSV files of
// its reports.
func WriteDocs(dir string, info DocsInfo) error {
	d, err := readDocs(dir)
	if err != nil {
		return err
	}
	for _, f := range []struct {
		name  string
		write func(io.Writer, DocsInfo)
	}{{DocsIndex, d.index}, {DocsModelCalib, d.calibration}, {DocsModelValid, d.validity}} {
		err := output.WriteFile(filepath.Join(dir, f.name), func(w io.Writer) error { f.write(w, info); return nil })
		if err != nil {
			return err
		}
	}
	return nil
}

// docs is what the reports' CSV files hold.
type docs struct {
	posterior, generations, history, hand, morris, sobol, ablation []map[string]string
	history1927                                                    []map[string]string // nil if the report has none
	households                                                     string              // of a calibration run, from its calibrate.toml
	voluntary                                                      []string            // the reports in DocsVoluntary
}

func readDocs(dir string) (*docs, error) {
	d := &docs{}
	for _, f := range []struct {
		dst  *[]map[string]string
		path string
	}{
		{&d.posterior, filepath.Join(DocsCalibration, calibrate.PosteriorFile)},
		{&d.generations, filepath.Join(DocsCalibration, calibrate.GenerationsFile)},
		{&d.history, filepath.Join(DocsHistory, HistoryCSV)},
		{&d.hand, filepath.Join(DocsHistoryHand, HistoryCSV)},
		{&d.morris, filepath.Join(DocsMorris, SensitivityCSV)},
		{&d.sobol, filepath.Join(DocsSobol, SensitivityCSV)},
		{&d.ablation, filepath.Join(DocsAblation, AblationCSV)},
	} {
		rows, err := records(filepath.Join(dir, f.path))
		if err != nil {
			return nil, err
		}
		*f.dst = rows
	}
	if p := filepath.Join(dir, DocsHistory1927, HistoryCSV); fileExists(p) {
		rows, err := records(p)
		if err != nil {
			return nil, err
		}
		d.history1927 = rows
	}
	d.voluntary, _ = filepath.Glob(filepath.Join(dir, DocsVoluntary, "*.md"))
	d.households = "50,000"
	if n, ok := calibrationHouseholds(filepath.Join(dir, DocsCalibration, "calibrate.toml")); ok {
		d.households = thousands(n)
	}
	return d, nil
}

// calibrationHouseholds returns the households of a calibration's runs: the
// population.households its calibration file sets for every run.
func calibrationHouseholds(path string) (float64, bool) {
	b, err := os.ReadFile(path)
	if err != nil {
		return 0, false
	}
	f, _, err := calibrate.ParseFile(path, b)
	if err != nil {
		return 0, false
	}
	for _, kv := range f.Set {
		if v, ok := strings.CutPrefix(kv, "population.households="); ok {
			n, err := strconv.ParseFloat(v, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// fileExists reports whether path names a file.
func fileExists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && !st.IsDir()
}

// fitted returns the history the calibration was fitted to: that of the
// campaign from 1927 when the report has one.
func (d *docs) fitted() []map[string]string {
	if d.history1927 != nil {
		return d.history1927
	}
	return d.history
}

// hits counts the hits of a role in a history.csv.
func hits(rows []map[string]string, role string) (int, int) {
	h, n := 0, 0
	for _, r := range rows {
		if r["role"] == role {
			n++
			if r["hit"] == "true" {
				h++
			}
		}
	}
	return h, n
}

// runs returns the runs of a calibration and its final tolerance.
func (d *docs) runs() (int, string) {
	n := 0
	for _, g := range d.generations {
		x, _ := strconv.Atoi(g["runs"])
		n += x
	}
	return n, fmt.Sprintf("%.3g", num(d.generations[len(d.generations)-1], "epsilon"))
}

func (d *docs) index(w io.Writer, info DocsInfo) {
	fmt.Fprintf(w, "# Validity of the historical scenario\n\n")
	fmt.Fprintf(w, "Generated by `%s` (collsim %s) in %d min %d s on %d CPUs; do not edit by hand, run it again. It also writes the calibrated scenarios in `scenarios/calibrated/` and the generated parts of `docs/MODEL.md` §7 and §10 (`%s`, `%s` here).\n\n",
		info.Command, info.Version, info.Seconds/60, info.Seconds%60, info.CPUs, DocsModelCalib, DocsModelValid)
	runs, eps := d.runs()
	fh, fn := hits(d.history, "fit")
	hh, hn := hits(d.history, "holdout")
	gh, gn := hits(d.hand, "fit")
	kh, kn := hits(d.hand, "holdout")
	fmt.Fprintf(w, "| report | what | runs |\n|---|---|---|\n")
	fmt.Fprintf(w, "| [calibration](%s/%s) | ABC-SMC of %d parameters on the fitted targets; posterior, pairs chart, calibrated scenario | %d runs of %s households; final ε = %s |\n", DocsCalibration, calibrate.ReportFile, len(d.posterior), runs, d.households, eps)
	if d.history1927 != nil {
		h, n := hits(d.history1927, "fit")
		k, m := hits(d.history1927, "holdout")
		fmt.Fprintf(w, "| [history-1927](%s/%s) | the calibrated campaign from 1 June 1927 against every target, the voluntary years included: fitted %d of %d hit, held out %d of %d | 10 × 250,000 households |\n", DocsHistory1927, HistoryReport, h, n, k, m)
	}
	fmt.Fprintf(w, "| [history](%s/%s) | the calibrated scenario from 1929 against every target: fitted %d of %d hit, held out %d of %d | 10 × 250,000 households |\n", DocsHistory, HistoryReport, fh, fn, hh, hn)
	fmt.Fprintf(w, "| [history-hand](%s/%s) | the hand-calibrated scenario, for comparison: fitted %d of %d hit, held out %d of %d | 10 × 250,000 households |\n", DocsHistoryHand, HistoryReport, gh, gn, kh, kn)
	fmt.Fprintf(w, "| [morris](%s/%s) | Morris screening of %d parameters | 20,000 households |\n", DocsMorris, SensitivityReport, len(d.morris)/max(1, len(distinct(d.morris, "output"))))
	fmt.Fprintf(w, "| [sobol](%s/%s) | Sobol indices of %d parameters | 20,000 households |\n", DocsSobol, SensitivityReport, len(d.sobol)/max(1, len(distinct(d.sobol, "output"))))
	fmt.Fprintf(w, "| [ablation](%s/%s) | each of %d mechanisms switched off | 10 × 50,000 households per variant |\n", DocsAblation, AblationReport, len(d.ablation)/len(Patterns))
	for _, v := range d.voluntary {
		name := filepath.Base(v)
		fmt.Fprintf(w, "| [%s](%s/%s) | the voluntary path against the calibrated campaign over the posterior: 95%% posterior bands to the end of 1932 | 50 parameter sets × 25,000 households |\n", strings.TrimSuffix(name, ".md"), DocsVoluntary, name)
	}
	fmt.Fprintln(w)
	fmt.Fprint(w, reducedSizes)
}

// reducedSizes says what the reduced sizes of the report cost.
const reducedSizes = `## Reduced sizes, and what they cost

- **Population.** The calibration runs the campaign from 1927 at 25,000
  households (1:1000; its runs are 187 weeks long, 2.3 times the 1929
  scenario's), the ablation 50,000 (1:500; a region of 1.5 million
  households is then about 9 villages), the sensitivity sweeps 20,000
  (1:1250). A village is always 350 households, so
  the smaller runs are fewer villages, not smaller ones: national shares
  change by well under a point, but a region's share varies from seed to
  seed by a few points, and counts of rare events (arrests) by several per
  cent. The calibration absorbs this noise as a wider posterior; the
  validation and the long test run the calibrated scenario at its own
  250,000 households over 10 seeds.
- **Calibration.** 100 particles per generation and six generations: the
  posterior intervals are rough (an effective sample size near 90). Seed
  noise of the regional targets at the calibration's size puts a floor under the
  distance (about 0.7 for the best parameters), which the last generation's
  tolerance nears; more generations would mostly reject proposals on noise. Only the parameters of the calibration file
  are fitted; the other regions' readiness and zeal keep their hand-fitted
  values.
- **Sensitivity.** Morris with 20 trajectories ranks parameters reliably
  but its μ* intervals are wide; Sobol with 256 base samples over 11
  parameters gives 95% intervals of about ±0.1 on S1 and ±0.05–0.1 on ST,
  so small indices are not distinguishable from zero, and seed noise (runs
  of one row of the design share a seed, runs of different rows do not)
  shows as a little spurious interaction (ST − S1).
- **Ablation.** 10 paired replicates per variant resolve changes of about
  a point in the shares; smaller changes are reported but not called
  material.
`

// calibration writes the generated part of docs/MODEL.md §7.
func (d *docs) calibration(w io.Writer, info DocsInfo) {
	runs, eps := d.runs()
	fmt.Fprintf(w, "Generated by `%s` from `docs/validity/%s/` (%d generations, %d runs of %s households, final tolerance ε = %s):\n\n",
		info.Command, DocsCalibration, len(d.generations), runs, d.households, eps)
	fmt.Fprintf(w, "| parameter | hand-calibrated | prior | posterior median | 90%% interval |\n|---|---:|---|---:|---|\n")
	for _, p := range d.posterior {
		prior := fmt.Sprintf("U[%s, %s]", p["prior_min"], p["prior_max"])
		if p["prior"] == "loguniform" {
			prior = "log" + prior
		}
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | [%.4g, %.4g] |\n", p["parameter"], p["before"], prior, p["estimate"], num(p, "q05"), num(p, "q95"))
	}
	var sets []string
	counts := map[string]int{}
	for _, h := range d.fitted() {
		if h["role"] == "fit" {
			if counts[h["set"]] == 0 {
				sets = append(sets, h["set"])
			}
			counts[h["set"]]++
		}
	}
	var parts []string
	for _, s := range sets {
		parts = append(parts, fmt.Sprintf("%d of `data/targets/%s.toml`", counts[s], s))
	}
	fmt.Fprintf(w, "\nFitted to the targets of role `fit`: %s.\n", strings.Join(parts, ", "))
}

// validity writes the generated part of docs/MODEL.md §10.
func (d *docs) validity(w io.Writer, info DocsInfo) {
	fh, fn := hits(d.history, "fit")
	hh, hn := hits(d.history, "holdout")
	gh, gn := hits(d.hand, "fit")
	kh, kn := hits(d.hand, "holdout")
	fmt.Fprintf(w, "Generated by `%s` from `docs/validity/` (do not edit by hand).\n\n", info.Command)
	fmt.Fprintf(w, "**Fit.** The calibrated scenario (10 seeds at 250,000 households) hits %d of %d fitted targets and %d of %d held-out ones; the hand-calibrated scenario hit %d of %d and %d of %d. Misses and held-out targets (a hit: the model mean within the tolerance):\n\n", fh, fn, hh, hn, gh, gn, kh, kn)
	if d.history1927 != nil {
		h, n := hits(d.history1927, "fit")
		k, m := hits(d.history1927, "holdout")
		fmt.Fprintf(w, "The calibrated campaign from 1 June 1927 (10 seeds at 250,000 households) hits %d of %d fitted targets and %d of %d held-out ones. Its targets of the voluntary years and its misses:\n\n", h, n, k, m)
		fmt.Fprintf(w, "| target | role | observed | tolerance | model | z |\n|---|---|---:|---:|---:|---:|\n")
		for _, r := range d.history1927 {
			if r["set"] != "voluntary-years" && r["hit"] == "true" && r["role"] == "fit" {
				continue
			}
			mark := "hit"
			if r["hit"] != "true" {
				mark = "**miss**"
			}
			fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s (%s) | %s |\n", r["target"], r["role"], value(r, "value"), tolerance(r), value(r, "model_mean"), mark, r["z"])
		}
		fmt.Fprintf(w, "\nThe scenario from 1929 with the same fitted values, and the hand-calibrated one:\n\n")
	}
	fmt.Fprintf(w, "| target | role | observed | tolerance | calibrated model | z | hand-calibrated | z |\n|---|---|---:|---:|---:|---:|---:|---:|\n")
	hand := map[string]map[string]string{}
	for _, h := range d.hand {
		hand[h["target"]] = h
	}
	for _, h := range d.history {
		if h["role"] == "fit" && h["hit"] == "true" && hand[h["target"]]["hit"] == "true" {
			continue
		}
		o := hand[h["target"]]
		mark := func(r map[string]string) string {
			if r["hit"] == "true" {
				return "hit"
			}
			return "**miss**"
		}
		fmt.Fprintf(w, "| `%s` | %s | %s | %s | %s (%s) | %s | %s (%s) | %s |\n", h["target"], h["role"], value(h, "value"), tolerance(h),
			value(h, "model_mean"), mark(h), h["z"], value(o, "model_mean"), mark(o), o["z"])
	}
	fmt.Fprintf(w, "\n**Sensitivity** (the three most influential parameters of each output; Morris μ* over %d parameters, Sobol total index ST over %d):\n\n",
		len(d.morris)/max(1, len(distinct(d.morris, "output"))), len(d.sobol)/max(1, len(distinct(d.sobol, "output"))))
	fmt.Fprintf(w, "| output | Morris | Sobol |\n|---|---|---|\n")
	for _, out := range distinct(d.morris, "output") {
		fmt.Fprintf(w, "| `%s` | %s | %s |\n", out, top(d.morris, out, "mu_star", "μ* %.3g"), top(d.sobol, out, "st", "ST %.2f"))
	}
	fmt.Fprintf(w, "\n**Ablation** (change when the mechanism alone is switched off; 10 paired replicates at 50,000 households; bold: beyond the threshold and its 95%% interval clear of zero):\n\n")
	fmt.Fprintf(w, "| mechanism off |")
	for _, p := range Patterns {
		fmt.Fprintf(w, " %s (%s) |", p.Name, p.Unit)
	}
	fmt.Fprintf(w, "\n|---|%s\n", strings.Repeat("---:|", len(Patterns)))
	for _, m := range distinct(d.ablation, "mechanism_off") {
		fmt.Fprintf(w, "| `%s` |", m)
		for _, p := range Patterns {
			for _, r := range d.ablation {
				if r["mechanism_off"] == m && r["pattern"] == p.Name {
					s := fmt.Sprintf("%+.1f", num(r, "change_mean"))
					if r["material"] == "true" {
						s = "**" + s + "**"
					}
					fmt.Fprintf(w, " %s |", s)
				}
			}
		}
		fmt.Fprintln(w)
	}
}

// value writes a number of a history.csv row as the report does.
func value(r map[string]string, k string) string {
	x := num(r, k)
	if r["tolerance_kind"] == "relative" || num(r, "value") > 1 {
		return thousands(x)
	}
	return fmt.Sprintf("%.1f%%", 100*x)
}

// tolerance writes the tolerance of a history.csv row.
func tolerance(r map[string]string) string {
	if r["tolerance_kind"] == "relative" {
		return fmt.Sprintf("±%.0f%%", 100*num(r, "tolerance")/num(r, "value"))
	}
	return fmt.Sprintf("±%.0f pt", 100*num(r, "tolerance"))
}

// distinct returns the values of the column col of rows, each once, in the
// order they first appear.
func distinct(rows []map[string]string, col string) []string {
	var vs []string
	for _, r := range rows {
		if !slices.Contains(vs, r[col]) {
			vs = append(vs, r[col])
		}
	}
	return vs
}

// top returns the three highest-ranked parameters of an output.
func top(rows []map[string]string, out, stat, format string) string {
	var s []string
	for _, r := range rows {
		if r["output"] == out && len(s) < 3 {
			s = append(s, fmt.Sprintf("`%s` ("+format+")", r["parameter"], num(r, stat)))
		}
	}
	if len(s) == 0 {
		return "—"
	}
	return strings.Join(s, ", ")
}
