package calibrate_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/collsim/collsim/internal/testenv"
	"github.com/collsim/collsim/sim/calibrate"
	"github.com/collsim/collsim/sim/targets"
	"github.com/collsim/collsim/sim/validity"
)

// historical is the scenario the calibration recovers a parameter of. The
// test is external (package calibrate_test) since validity imports calibrate.
const historical = "../../scenarios/historical-1929.toml"

// TestRecoversPerturbedParameter is the real model's check of the
// calibration: synthetic targets are made by running the historical
// scenario with cadre.targeting_rate moved from 0.06 to 0.09 (four seeds,
// 10,000 households); ABC-SMC from a log-uniform prior on [0.03, 0.15],
// with other seeds, must put 0.09 inside its 90% interval and not 0.06.
func TestRecoversPerturbedParameter(t *testing.T) {
	testenv.Long(t)
	const truth, households = 0.09, 10000
	dir := t.TempDir()
	sets := []string{fmt.Sprintf("population.households=%d", households)}
	specs := []struct {
		name, measure, tol string
	}{
		{"disenfranchised", `summary = "disenfranchised"`, "relative_tolerance = 0.05"},
		{"arrested", `summary = "arrested"`, "relative_tolerance = 0.1"},
		{"peak", `summary = "peak_share"`, "tolerance = 0.02"},
	}
	// Measure the targets with the perturbed parameter.
	var probe string
	for _, s := range specs {
		probe += fmt.Sprintf("\n[[targets]]\nname = %q\n%s\nvalue = 0\ntolerance = 1\nrole = \"fit\"\nsource = \"probe\"\n", s.name, s.measure)
	}
	probePath := filepath.Join(dir, "probe.toml")
	os.WriteFile(probePath, []byte(probe), 0o644)
	ts, err := targets.Load(probePath)
	if err != nil {
		t.Fatal(err)
	}
	runs := validity.Runs{Scenario: historical, Set: append(sets, fmt.Sprintf("cadre.targeting_rate=%g", truth)), Replicates: 4, Seed: 99}
	h, err := validity.RunHistory(context.Background(), runs, ts, filepath.Join(dir, "truth"), validity.Options{Workers: 2, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	var src string
	for i, s := range specs {
		src += fmt.Sprintf("\n[[targets]]\nname = %q\n%s\nvalue = %g\n%s\nrole = \"fit\"\nsource = \"synthetic: the historical scenario with cadre.targeting_rate = %g\"\n",
			s.name, s.measure, h.Fits[i].Model.Mean, s.tol, truth)
	}
	targetPath := filepath.Join(dir, "synthetic.toml")
	os.WriteFile(targetPath, []byte(src), 0o644)
	params := fmt.Sprintf("seed = 8\nparticles = 30\ngenerations = 3\nprior_runs = 90\nmax_runs = 300\nset = [\"population.households=%d\"]\n"+
		"\n[[parameters]]\nkey = \"cadre.targeting_rate\"\nprior = \"loguniform\"\nmin = 0.03\nmax = 0.15\n", households)
	paramsPath := filepath.Join(dir, "params.toml")
	os.WriteFile(paramsPath, []byte(params), 0o644)
	p, err := calibrate.NewPlan(historical, []string{targetPath}, paramsPath)
	if err != nil {
		t.Fatal(err)
	}
	res, err := calibrate.Run(context.Background(), p, calibrate.Options{Dir: filepath.Join(dir, "cal"), Workers: 2, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	s := res.Summaries[0]
	t.Logf("targeting_rate: posterior median %.4f, 90%% interval [%.4f, %.4f]; truth %g", s.Median, s.Lo, s.Hi, truth)
	if !(s.Lo <= truth && truth <= s.Hi) {
		t.Errorf("the truth %g is outside the 90%% interval [%.4f, %.4f]", truth, s.Lo, s.Hi)
	}
	if s.Lo <= 0.06 && 0.06 <= s.Hi {
		t.Errorf("the unperturbed value 0.06 is inside the 90%% interval [%.4f, %.4f]: the targets do not identify the parameter", s.Lo, s.Hi)
	}
}
