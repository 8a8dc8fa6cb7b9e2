package compare

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/collsim/collsim/internal/testenv"
	"github.com/collsim/collsim/sim/scenario"
)

// whatIfs are the classroom what-ifs of scenarios/whatif; each changes one
// thing about the historical campaign.
var whatIfs = []string{"historical", "voluntary", "no-halt", "early-halt", "honest-reporting", "local-cadres",
	"private-plots", "no-dekulakization", "no-cadre-punishment"}

func loadWhatIf(t *testing.T, name string, overrides ...string) *scenario.Scenario {
	t.Helper()
	s, err := scenario.Load(filepath.Join("../../scenarios/whatif", name+".toml"), overrides...)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestWhatIfsLoad: every what-if loads, has its own name, and extends a
// ready scenario rather than copying it.
func TestWhatIfsLoad(t *testing.T) {
	names := map[string]string{}
	for _, w := range whatIfs {
		s := loadWhatIf(t, w)
		if prev, ok := names[s.Name]; ok {
			t.Errorf("%s and %s are both named %q", w, prev, s.Name)
		}
		names[s.Name] = w
		b, _ := os.ReadFile(filepath.Join("../../scenarios/whatif", w+".toml"))
		if !strings.Contains(string(b), `extends = "../`) {
			t.Errorf("%s.toml does not extend a ready scenario", w)
		}
		if s.Description == "" {
			t.Errorf("%s has no description", w)
		}
	}
	files, _ := filepath.Glob("../../scenarios/whatif/*.toml")
	if len(files) != len(whatIfs) {
		t.Errorf("%d files in scenarios/whatif, %d listed here: list the new ones", len(files), len(whatIfs))
	}
	// The one-thing what-ifs change exactly what they are about.
	hist := loadWhatIf(t, "historical")
	if s := loadWhatIf(t, "honest-reporting"); s.Mechanisms.InflatedReports || !hist.Mechanisms.InflatedReports {
		t.Error("honest-reporting does not switch off inflated reports")
	}
	if s := loadWhatIf(t, "local-cadres"); s.Mechanisms.UrbanCadres {
		t.Error("local-cadres still sends urban cadres")
	}
	for _, p := range loadWhatIf(t, "no-dekulakization").Phases {
		if p.MaxRung > 7 {
			t.Errorf("no-dekulakization: phase %s permits rung %d", p.Name, p.MaxRung)
		}
	}
	for _, p := range loadWhatIf(t, "no-halt").Phases {
		if p.Halt {
			t.Errorf("no-halt: phase %s calls a halt", p.Name)
		}
	}
	for _, p := range loadWhatIf(t, "private-plots").Phases {
		if !p.PrivatePlots {
			t.Errorf("private-plots: phase %s has no private plots", p.Name)
		}
	}
	for _, p := range loadWhatIf(t, "voluntary").Phases {
		if p.MaxRung > 0 || p.Target > 0 {
			t.Errorf("voluntary: phase %s coerces or sets a target", p.Name)
		}
	}
	early, late := loadWhatIf(t, "early-halt"), hist
	if h, l := early.Phases[early.Phases.HaltIndex()].Start, late.Phases[late.Phases.HaltIndex()].Start; h.Year() != 1930 || h.DayOfYear() > 31 || !h.Before(l) {
		t.Errorf("early-halt halts on %s (historical: %s), want January 1930", h, l)
	}
}

// TestWhatIfDirections checks, over a few seeds, what each what-if must do
// whatever the calibration: only effects that follow from the change itself,
// with wide margins. Numbers are means over the seeds.
func TestWhatIfDirections(t *testing.T) {
	testenv.Long(t)
	var ss []*scenario.Scenario
	names := []string{"historical", "voluntary", "no-halt", "early-halt", "honest-reporting", "no-dekulakization"}
	for _, n := range names {
		ss = append(ss, loadWhatIf(t, n, "population.households=20000"))
	}
	c, err := Simulate(context.Background(), ss, Options{Replicates: 2, Seed: 101, Workers: 2, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	mean := map[string]map[string]float64{}
	for _, row := range c.Table() {
		for i, cell := range row.Cells {
			if mean[names[i]] == nil {
				mean[names[i]] = map[string]float64{}
			}
			mean[names[i]][row.Metric.Key] = cell.Mean
		}
	}
	hist := mean["historical"]
	t.Logf("historical: %v", hist)
	checks := []struct {
		what string
		ok   bool
	}{
		{"historical represses households", hist["repressed"] > 0},
		{"voluntary represses no one", mean["voluntary"]["repressed"] == 0 && mean["voluntary"]["arrested_deported"] == 0},
		{"an early halt lowers the peak by 3 points or more", mean["early-halt"]["peak_share"] < hist["peak_share"]-0.03},
		{"no halt: fewer leave", mean["no-halt"]["total_exits"] < 0.5*hist["total_exits"]},
		{"no halt: more stay in at the end", mean["no-halt"]["final_share"] > hist["final_share"]+0.1},
		{"no dekulakization: fewer arrested or deported", mean["no-dekulakization"]["arrested_deported"] < 0.5*hist["arrested_deported"]},
		{"honest reporting: reports no higher than the truth", mean["honest-reporting"]["peak_reported_share"] <= mean["honest-reporting"]["peak_share"]+1e-9},
		{"historical: reports run ahead of the truth", hist["peak_reported_share"] > hist["peak_share"]},
	}
	for _, ch := range checks {
		if !ch.ok {
			t.Errorf("%s: no\n%v", ch.what, mean)
		}
	}
}
