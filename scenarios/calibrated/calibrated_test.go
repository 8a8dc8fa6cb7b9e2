// Package calibrated_test checks the calibrated historical scenario, which
// sim calibrate writes (scripts/validity.sh): over 10 seeds, the mean of
// every figure of the seed text (data/targets/seed.toml) lies within its
// tolerance. A long test (about ten seconds); go test -short skips it.
package calibrated_test

import (
	"context"
	"runtime"
	"testing"

	"github.com/collsim/collsim/internal/testenv"
	"github.com/collsim/collsim/sim/targets"
	"github.com/collsim/collsim/sim/validity"
)

func TestFitsSeedTargets(t *testing.T) {
	testenv.Long(t)
	ts, err := targets.Load("../../data/targets/seed.toml")
	if err != nil {
		t.Fatal(err)
	}
	runs := validity.Runs{Scenario: "historical-1929.toml", Replicates: 10, Seed: 1}
	h, err := validity.RunHistory(context.Background(), runs, ts, t.TempDir(), validity.Options{Workers: runtime.NumCPU(), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range h.Fits {
		tg := f.Target
		t.Logf("%-22s target %-10.4g model %-10.4g (95%% CI %.4g–%.4g) z = %+.2f", tg.Name, tg.Value, f.Model.Mean, f.Model.Lo, f.Model.Hi, f.Z)
		if !f.Hit {
			t.Errorf("%s (%s): model mean %.4g over 10 seeds, target %.4g ± %.4g (z = %+.2f)", tg.Name, tg.Measure(), f.Model.Mean, tg.Value, tg.Tol(), f.Z)
		}
	}
}
