package validity

import (
	"bytes"
	"context"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/collsim/collsim/sim/scenario"
	"github.com/collsim/collsim/sim/sweep"
	"github.com/collsim/collsim/sim/targets"
)

const historical = "../../scenarios/historical-1929.toml"

// small are runs of the historical scenario at 2,000 households.
func small(replicates int) Runs {
	return Runs{Scenario: historical, Set: []string{"population.households=2000"}, Replicates: replicates, Seed: 11}
}

func TestHistory(t *testing.T) {
	ts, err := targets.Load("../../data/targets/seed.toml", "../../data/targets/record.toml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	h, err := RunHistory(context.Background(), small(3), ts, filepath.Join(dir, "runs"), Options{Workers: 2, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Fits) != len(ts) {
		t.Fatalf("%d fits of %d targets", len(h.Fits), len(ts))
	}
	for _, f := range h.Fits {
		if f.Model.N != 3 || math.IsNaN(f.Model.Mean) || f.Hit != (math.Abs(f.Z) <= 1+1e-9) {
			t.Errorf("%s: %+v", f.Target.Name, f)
		}
	}
	fh, fn := h.Hits(targets.Fit)
	hh, hn := h.Hits(targets.Holdout)
	if fn+hn != len(ts) || fh > fn || hh > hn {
		t.Errorf("hits %d/%d, %d/%d", fh, fn, hh, hn)
	}
	if got := len(h.Series["ALL/collective_share"]); got != len(h.Dates) {
		t.Errorf("national series of %d steps, want %d", got, len(h.Dates))
	}
	if _, ok := h.Series["Moscow/collective_share"]; !ok {
		t.Error("no series for Moscow, which targets name")
	}
	if err := h.WriteReport(dir, Options{Command: "sim validate-history …", Version: "test"}); err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(filepath.Join(dir, HistoryReport))
	for _, want := range []string{"Fitted targets:", "Held-out targets:", "## seed", "## record", "`seed_peak` | fit | `peak_share`", "history.png"} {
		if !bytes.Contains(md, []byte(want)) {
			t.Errorf("history.md lacks %q", want)
		}
	}
	for _, f := range []string{HistoryCSV, HistoryChart + ".png", HistoryChart + ".svg", TargetsChart + ".png"} {
		if _, err := os.Stat(filepath.Join(dir, f)); err != nil {
			t.Error(err)
		}
	}
	// The same runs with one worker, resumed from the journal: the same report.
	again, err := RunHistory(context.Background(), small(3), ts, filepath.Join(dir, "runs"), Options{Workers: 1, Resume: true, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	for i := range h.Fits {
		if h.Fits[i].Model != again.Fits[i].Model {
			t.Errorf("%s: %+v, then %+v", h.Fits[i].Target.Name, h.Fits[i].Model, again.Fits[i].Model)
		}
	}
}

func TestAblation(t *testing.T) {
	s, err := scenario.Load(historical)
	if err != nil {
		t.Fatal(err)
	}
	if got := Mechanisms(s); len(got) != 21 || got[0] != "inflated_reports" {
		t.Errorf("mechanisms %q", got)
	}
	dir := t.TempDir()
	if _, err := RunAblation(context.Background(), small(2), []string{"cadre_feer"}, dir, Options{Workers: 2, Version: "test"}); err == nil || !strings.Contains(err.Error(), `no mechanism "cadre_feer"`) {
		t.Errorf("unknown mechanism: %v", err)
	}
	a, err := RunAblation(context.Background(), small(2), []string{"cadre_fear", "weather"}, filepath.Join(dir, "runs"), Options{Workers: 2, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Effects) != 2 || len(a.Effects[0]) != len(Patterns) {
		t.Fatalf("effects %d × %d", len(a.Effects), len(a.Effects[0]))
	}
	// Without fear of punishment cadres press less: a lower peak.
	if c := a.Effects[0][0].Change; !(c.Mean < 0) {
		t.Errorf("cadre_fear off: peak share changes by %+.1f pt, want a fall", c.Mean)
	}
	// Weather moves yields, not who joins: the peak share does not move.
	if c := a.Effects[1][0].Change; math.Abs(c.Mean) > 1 {
		t.Errorf("weather off: peak share changes by %+.1f pt", c.Mean)
	}
	if err := a.WriteReport(dir, Options{}); err != nil {
		t.Fatal(err)
	}
	md, _ := os.ReadFile(filepath.Join(dir, AblationReport))
	for _, want := range []string{"| `cadre_fear` |", "*baseline (all on)*", "Mechanisms whose removal"} {
		if !bytes.Contains(md, []byte(want)) {
			t.Errorf("ablation.md lacks %q:\n%s", want, md)
		}
	}
}

// TestSensitivity runs small Morris and Sobol sweeps of the historical
// scenario and checks the analysis: an output's own driver ranks first.
func TestSensitivity(t *testing.T) {
	params := "\n[[parameters]]\nkey = \"cadre.arrest_share\"\ndistribution = \"uniform\"\nmin = 0.05\nmax = 0.3\n" +
		"\n[[parameters]]\nkey = \"calendar.harvest_weeks\"\nvalues = [6, 8]\n" +
		"\n[[parameters]]\nkey = \"household.theft_loss\"\ndistribution = \"uniform\"\nmin = 0.1\nmax = 1\n" +
		"\n[[outputs]]\nsummary = \"arrested\"\n\n[[outputs]]\nsummary = \"peak_share\"\n"
	abs, _ := filepath.Abs(historical)
	head := "base = " + `"` + abs + `"` + "\nset = [\"population.households=1000\"]\n"
	for _, design := range []string{"design = \"morris\"\ntrajectories = 4\n", "design = \"sobol\"\nsamples = 8\n"} {
		dir := t.TempDir()
		path := filepath.Join(dir, "s.toml")
		os.WriteFile(path, []byte(head+design+params), 0o644)
		sw, err := sweep.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := sweep.Execute(context.Background(), sw, sweep.Options{Dir: filepath.Join(dir, "out"), Workers: 2, Version: "test"})
		if err != nil {
			t.Fatal(err)
		}
		s, err := AnalyzeSensitivity(sw, rep.Table, 50)
		if err != nil {
			t.Fatal(err)
		}
		if r := s.Ranking(0); r[0] != 0 {
			t.Errorf("%s: arrested ranked by %v, want arrest_share first", sw.Design, r)
		}
		if err := s.WriteReport(filepath.Join(dir, "out"), Options{}); err != nil {
			t.Fatal(err)
		}
		csv, _ := os.ReadFile(filepath.Join(dir, "out", SensitivityCSV))
		if lines := strings.Count(string(csv), "\n"); lines != 1+2*3 {
			t.Errorf("%s: sensitivity.csv has %d lines", sw.Design, lines)
		}
		if !slices.Contains(strings.Split(string(csv), "\n"), "") {
			t.Error("no trailing newline")
		}
	}
	sw, _ := sweep.Parse("x.toml", []byte("base = "+`"`+historical+`"`+"\n[[parameters]]\nkey = \"cadre.courage\"\nvalues = [0.1]\n[[outputs]]\nsummary = \"peak_share\"\n"))
	if _, err := AnalyzeSensitivity(sw, &sweep.Table{}, 0); err == nil {
		t.Error("a grid sweep analysed")
	}
}
