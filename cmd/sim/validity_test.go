package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/collsim/collsim/internal/testenv"
)

const (
	historicalScenario = "../../scenarios/historical-1929.toml"
	seedTargets        = "../../data/targets/seed.toml"
	recordTargets      = "../../data/targets/record.toml"
)

// TestCalibrateCommand runs a tiny calibration from the command line.
func TestCalibrateCommand(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "cal")
	cal := filepath.Join(dir, "scen", "calibrated.toml")
	args := []string{"calibrate", historicalScenario, "--targets", seedTargets, "--targets", recordTargets,
		"--params", "../../sim/calibrate/testdata/tiny.toml", "--out", out, "--calibrated", cal, "--workers", "2"}
	code, stdout, stderr := sim(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, want := range []string{"calibrated historical-1929 to 24 fit targets", "cadre.targeting_rate", "household.exit_cost", cal} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	data, err := os.ReadFile(cal)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), "extends = \"") || strings.Contains(string(data), "extends = \"/") {
		t.Errorf("the calibrated scenario does not extend the scenario by a relative path:\n%s", data)
	}
	if code, _, stderr := sim(t, "validate", cal); code != 0 {
		t.Errorf("the calibrated scenario does not validate: %s", stderr)
	}
	// Again without --resume: refused; with it: nothing to run, the same result.
	if code, _, stderr := sim(t, args...); code != 1 || !strings.Contains(stderr, "--resume") {
		t.Errorf("a second calibration: exit %d, %s", code, stderr)
	}
	if code, again, stderr := sim(t, append(args, "--resume")...); code != 0 || !strings.Contains(again, "cadre.targeting_rate") {
		t.Errorf("resumed: exit %d, %s", code, stderr)
	}
	for _, bad := range [][]string{
		{"calibrate", historicalScenario},
		{"calibrate", historicalScenario, "--targets", seedTargets},
		{"calibrate", historicalScenario, "--targets", seedTargets, "--params", "p.toml", "--shard", "3/2"},
	} {
		if code, _, _ := sim(t, bad...); code != 2 {
			t.Errorf("sim %q exits %d, want 2", bad, code)
		}
	}
}

// TestReportCommands runs validate-history, ablate and sensitivity small.
func TestReportCommands(t *testing.T) {
	dir := t.TempDir()
	code, stdout, stderr := sim(t, "validate-history", historicalScenario, "--targets", seedTargets, "--targets", recordTargets,
		"--households", "1000", "--replicates", "2", "--out", filepath.Join(dir, "h"))
	if code != 0 || !strings.Contains(stdout, "fitted") || !strings.Contains(stdout, "held out") {
		t.Errorf("validate-history: exit %d\n%s\n%s", code, stdout, stderr)
	}
	code, stdout, stderr = sim(t, "ablate", historicalScenario, "--mechanisms", "halt_lag, weather", "--households", "1000", "--replicates", "2", "--out", filepath.Join(dir, "a"))
	if code != 0 || !strings.Contains(stdout, "2 mechanisms switched off") {
		t.Errorf("ablate: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if code, _, stderr := sim(t, "ablate", historicalScenario, "--mechanisms", "telepathy", "--households", "1000", "--out", filepath.Join(dir, "b")); code != 1 || !strings.Contains(stderr, `no mechanism "telepathy"`) {
		t.Errorf("ablate telepathy: exit %d %s", code, stderr)
	}
	abs, _ := filepath.Abs(historicalScenario)
	sweepFile := filepath.Join(dir, "m.toml")
	os.WriteFile(sweepFile, []byte("base = \""+abs+"\"\ndesign = \"morris\"\ntrajectories = 2\nset = [\"population.households=1000\"]\n"+
		"\n[[parameters]]\nkey = \"cadre.arrest_share\"\ndistribution = \"uniform\"\nmin = 0.05\nmax = 0.3\n"+
		"\n[[outputs]]\nsummary = \"arrested\"\n"), 0o644)
	code, stdout, stderr = sim(t, "sensitivity", sweepFile, "--out", filepath.Join(dir, "s"), "--bootstrap", "20")
	if code != 0 || !strings.Contains(stdout, "**arrested**: `cadre.arrest_share`") {
		t.Errorf("sensitivity: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if code, _, stderr := sim(t, "sensitivity", "../../scenarios/sweeps/quick.toml", "--out", filepath.Join(dir, "q")); code != 1 || !strings.Contains(stderr, `needs design = "morris" or "sobol"`) {
		t.Errorf("sensitivity of a grid: exit %d %s", code, stderr)
	}
	for _, bad := range [][]string{{"validate-history", historicalScenario}, {"ablate"}, {"sensitivity"}, {"validate-history", historicalScenario, "--targets", seedTargets, "--replicates", "0"}} {
		if code, _, _ := sim(t, bad...); code != 2 {
			t.Errorf("sim %q exits %d, want 2", bad, code)
		}
	}
}

// TestCalibrateSlurm runs the tiny calibration on Slurm with
// deploy/slurm/calibrate.sh (job arrays of two tasks, submitted until it is
// done) and compares its posterior with that of a calibration in one
// process.
func TestCalibrateSlurm(t *testing.T) {
	testenv.Slurm(t)
	testenv.Long(t)
	bin := sweepBinary(t)
	params := "../../sim/calibrate/testdata/tiny.toml"
	whole := filepath.Join(t.TempDir(), "whole")
	if code, _, e := sim(t, "calibrate", historicalScenario, "--targets", seedTargets, "--params", params, "--out", whole, "--quiet"); code != 0 {
		t.Fatal(e)
	}
	out := filepath.Join(t.TempDir(), "slurm")
	msg := runSlurmScript(t, 10*time.Minute, bin, nil, []string{"collsim-calibrate"},
		out, "calibrate.sh", historicalScenario, params, out, "2", seedTargets)
	t.Logf("%s", msg)
	for _, f := range []string{"posterior.csv", "particles.csv", "generations.csv"} {
		a, errA := os.ReadFile(filepath.Join(whole, f))
		b, errB := os.ReadFile(filepath.Join(out, f))
		if errA != nil || errB != nil || !bytes.Equal(a, b) {
			t.Errorf("%s differs between one process and Slurm (%v, %v)", f, errA, errB)
		}
	}
}
