package scenarios_test

import (
	"context"
	"math"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/collsim/collsim/internal/testenv"
	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/engine"
	"github.com/collsim/collsim/sim/scenario"
)

// readyScenarios lists every ready scenario file under this folder (not the
// base files, which have no timeline and are not run on their own).
func readyScenarios(t *testing.T) []string {
	t.Helper()
	var paths []string
	for _, glob := range []string{"*.toml", "whatif/*.toml", "calibrated/*.toml", "campaigns/*.toml"} {
		m, err := filepath.Glob(glob)
		if err != nil {
			t.Fatal(err)
		}
		paths = append(paths, m...)
	}
	if len(paths) < 5 {
		t.Fatalf("only %d ready scenarios found", len(paths))
	}
	return paths
}

// TestInitialStateAtRest: however a scenario starts, its population is
// drawn at rest. With no policy at all (no phase: no persuasion, no
// coercion), the national share moves by less than half a point in the
// first 26 weeks — no burst of joining that only reflects how the
// population was built (docs/MODEL.md §3).
func TestInitialStateAtRest(t *testing.T) {
	testenv.Long(t)
	for _, path := range readyScenarios(t) {
		s, err := scenario.Load(path, "population.households=20000")
		if err != nil {
			t.Fatal(err)
		}
		s.Phases = nil
		s.UrbanArrival = calendar.Date{} // no cadres from the towns either
		s.End = s.Start.AddDays(26 * 7)
		w, err := engine.New(s, engine.Options{Workers: runtime.NumCPU()})
		if err != nil {
			t.Fatal(err)
		}
		r, err := w.Run(context.Background(), nil)
		w.Close()
		if err != nil {
			t.Fatal(err)
		}
		all := len(r.Regions) - 1
		res := []float64{r.Rows[0][all].CollectiveShare, r.Rows[len(r.Rows)-1][all].CollectiveShare}
		if d := math.Abs(res[len(res)-1] - res[0]); d >= 0.005 {
			t.Errorf("%s with no policy: the share moved from %.2f%% to %.2f%% in 26 weeks, want less than 0.5 points", path, 100*res[0], 100*res[len(res)-1])
		} else {
			t.Logf("%s with no policy: %.2f%% → %.2f%% in 26 weeks", path, 100*res[0], 100*res[len(res)-1])
		}
	}
}
