// Package calibrated_test checks the calibrated historical campaign, which
// sim calibrate writes (scripts/validity.sh): over 10 seeds, the mean of
// every figure of the seed text (data/targets/seed.toml) lies within two
// tolerances of it (|z| ≤ 2), and the calibration's own measure of fit, the
// distance D over those targets, is at most 1.5. Since the campaign is
// fitted from 1927 (docs/MODEL.md §7) the fit is not within one tolerance
// everywhere: docs/validity/ says which targets it misses and why. A long
// test (about half a minute); go test -short skips it.
package calibrated_test

import (
	"context"
	"math"
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
	runs := validity.Runs{Scenario: "historical-1927.toml", Replicates: 10, Seed: 1}
	h, err := validity.RunHistory(context.Background(), runs, ts, t.TempDir(), validity.Options{Workers: runtime.NumCPU(), Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range h.Fits {
		tg := f.Target
		t.Logf("%-22s target %-10.4g model %-10.4g (95%% CI %.4g–%.4g) z = %+.2f", tg.Name, tg.Value, f.Model.Mean, f.Model.Lo, f.Model.Hi, f.Z)
		if math.Abs(f.Z) > 2 {
			t.Errorf("%s (%s): model mean %.4g over 10 seeds, target %.4g ± %.4g (z = %+.2f, want |z| ≤ 2)", tg.Name, tg.Measure(), f.Model.Mean, tg.Value, tg.Tol(), f.Z)
		}
	}
	means := make([]float64, len(h.Fits))
	for i, f := range h.Fits {
		means[i] = f.Model.Mean
	}
	if d := ts.Distance(means); d > 1.5 {
		t.Errorf("distance to the seed targets D = %.3f, want at most 1.5", d)
	}
}
