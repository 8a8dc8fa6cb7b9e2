package calibrate

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/collsim/collsim/internal/strict"
	"github.com/collsim/collsim/internal/testenv"
	"github.com/collsim/collsim/sim/scenario"
	"github.com/collsim/collsim/sim/sweep"
)

const (
	historical = "../../scenarios/historical-1929.toml"
	seedFile   = "../../data/targets/seed.toml"
	recordFile = "../../data/targets/record.toml"
)

// head is the top of a valid calibration file.
const head = "particles = 4\nprior_runs = 8\n"

// param is a valid parameter.
const param = "\n[[parameters]]\nkey = \"cadre.targeting_rate\"\nmin = 0.03\nmax = 0.15\n"

var brokenTests = []struct {
	name, src string
	want      []string
}{
	{"unknown key", head + "particle = 3\n" + param, []string{`bad.toml:3: particle: unknown key (hint: did you mean "particles"?)`}},
	{"no parameters", head, []string{`bad.toml: parameters: no parameters to fit`}},
	{"bad settings", "particles = 10\nprior_runs = 5\nquantile = 1\nestimate = \"mode\"\n" + param, []string{
		`bad.toml:2: prior_runs: 5 prior runs are fewer than the 10 particles`,
		`bad.toml:4: estimate: unknown estimate "mode" (hint: want "median" or "mean")`,
	}},
	{"bad priors", head +
		"\n[[parameters]]\nkey = \"cadre.targeting_rate\"\nprior = \"normal\"\nmin = 0\nmax = 1\n" +
		"\n[[parameters]]\nkey = \"cadre.courage\"\nprior = \"loguniform\"\nmin = 0\nmax = 1\n" +
		"\n[[parameters]]\nkey = \"household.fear_gain\"\nmin = 0.5\nmax = 0.2\n" +
		"\n[[parameters]]\nkey = \"household.fear_decay\"\nmin = 0.5\n", []string{
		`bad.toml:6: parameters[0].prior: unknown prior "normal" (hint: want "uniform" or "loguniform")`,
		`bad.toml:13: parameters[1].min: the bounds of a loguniform prior are above 0`,
		`bad.toml:19: parameters[2].max: max 0.2 is not above min 0.5`,
		`bad.toml:21: parameters[3]: a prior needs min and max`,
	}},
	{"not a real number, twice", head + "\n[[parameters]]\nkey = \"phases.halt.start\"\nmin = 0\nmax = 1\n" + param + param, []string{
		`bad.toml:5: parameters[0].key: phases.halt.start is a date: only real numbers are calibrated`,
		`bad.toml:15: parameters[2].key: cadre.targeting_rate is fitted twice (hint: parameters[1] fits it too)`,
	}},
}

func TestParseFileErrors(t *testing.T) {
	for _, tt := range brokenTests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ParseFile("bad.toml", []byte(tt.src))
			testenv.ErrorLines(t, err, tt.want...)
		})
	}
}

// TestNewPlanErrors: keys and bounds are checked on the scenario, at the
// calibration file's lines.
func TestNewPlanErrors(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "p.toml")
	src := head + "set = [\"population.households=1000\"]\n" +
		"\n[[parameters]]\nkey = \"household.fear_decya\"\nmin = 0.1\nmax = 0.2\n" +
		"\n[[parameters]]\nkey = \"household.fear_gain\"\nmin = 0.5\nmax = 2\n"
	os.WriteFile(p, []byte(src), 0o644)
	_, err := NewPlan(historical, []string{seedFile}, p)
	want := []string{
		p + `:6: parameters[0].key: household.fear_decya: unknown key (hint: did you mean "fear_decay"?)`,
		p + `:13: parameters[1].max: household.fear_gain: 2 is out of range [0, 1]`,
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Errorf("error:\n%v\nwant:\n%s", err, strings.Join(want, "\n"))
	}
	os.WriteFile(p, []byte(head+param), 0o644)
	holdout := filepath.Join(dir, "h.toml")
	os.WriteFile(holdout, []byte("[[targets]]\nname = \"x\"\nsummary = \"peak_share\"\nvalue = 0.5\ntolerance = 0.1\nrole = \"holdout\"\nsource = \"s\"\n"), 0o644)
	if _, err := NewPlan(historical, []string{holdout}, p); err == nil || !strings.Contains(err.Error(), "no target has role \"fit\"") {
		t.Errorf("no fit targets: %v", err)
	}
}

// calibrateIn runs the tiny calibration into dir.
func calibrateIn(t *testing.T, dir string, opt Options) (*Result, error) {
	t.Helper()
	p, err := NewPlan(historical, []string{seedFile, recordFile}, "testdata/tiny.toml")
	if err != nil {
		t.Fatal(err)
	}
	opt.Dir, opt.Version = dir, "test"
	res, err := Run(context.Background(), p, opt)
	if err == nil {
		err = res.WriteOutputs(dir, "", opt)
	}
	return res, err
}

// outputs are the files that must not depend on how a calibration ran.
var outputs = []string{ParticlesFile, GenerationsFile, PosteriorFile, CalibratedFile}

func sameOutputs(t *testing.T, a, b string) {
	t.Helper()
	for _, f := range outputs {
		x, err1 := os.ReadFile(filepath.Join(a, f))
		y, err2 := os.ReadFile(filepath.Join(b, f))
		if err := errors.Join(err1, err2); err != nil {
			t.Fatal(err)
		}
		if f == CalibratedFile { // its header names the output folder's command
			x, y = dropComments(x), dropComments(y)
		}
		if !bytes.Equal(x, y) {
			t.Errorf("%s differs:\n%s\n----\n%s", f, x, y)
		}
	}
}

func dropComments(b []byte) []byte {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(l, "#") {
			out = append(out, l)
		}
	}
	return []byte(strings.Join(out, "\n"))
}

// TestCalibrate runs the tiny calibration and checks its outputs, that a
// second run refuses the folder without Resume, that resuming after losing
// the last batch gives the same results, and that shards run in turn (as a
// job array run again and again) give them too.
func TestCalibrate(t *testing.T) {
	dir := t.TempDir()
	whole := filepath.Join(dir, "whole")
	res, err := calibrateIn(t, whole, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Generations) != 2 || len(res.Summaries) != 2 || len(res.Generations[1].Particles) != 6 {
		t.Fatalf("%d generations, %d summaries", len(res.Generations), len(res.Summaries))
	}
	for i, s := range res.Summaries {
		pr := res.Plan.Priors[i]
		if !(pr.Min <= s.Lo && s.Lo <= s.Median && s.Median <= s.Hi && s.Hi <= pr.Max) || res.Estimate[i] != s.Median {
			t.Errorf("%s: summary %+v outside its prior or out of order", s.Name, s)
		}
	}
	// The calibrated scenario loads, extends the historical one, and sets the estimates.
	s, err := scenario.Load(filepath.Join(whole, CalibratedFile))
	if err != nil {
		t.Fatal(err)
	}
	if s.Name != "historical-1929-calibrated" || s.Population.Households != 250000 ||
		math.Abs(s.Cadre.TargetingRate-res.Estimate[0]) > 1e-3*res.Estimate[0] || math.Abs(s.Household.ExitCost-res.Estimate[1]) > 1e-3 {
		t.Errorf("calibrated scenario: %s, %d households, targeting %g, exit cost %g; estimates %v", s.Name, s.Population.Households, s.Cadre.TargetingRate, s.Household.ExitCost, res.Estimate)
	}
	for _, f := range []string{PairsPNG, PairsSVG, ReportFile, CopyFile} {
		if fi, err := os.Stat(filepath.Join(whole, f)); err != nil || fi.Size() == 0 {
			t.Errorf("%s: %v", f, err)
		}
	}
	if _, err := calibrateIn(t, whole, Options{Workers: 1}); err == nil || !strings.Contains(err.Error(), "holds a calibration already") {
		t.Errorf("a second calibration in the same folder: %v", err)
	}

	// Resume after losing the last batch (a crash before it ran).
	last := res.Generations[1].Batches - 1
	resumed := filepath.Join(dir, "resumed")
	if err := os.CopyFS(resumed, os.DirFS(whole)); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(filepath.Join(resumed, "gen-1", "batch-"+strconv.Itoa(last)))
	for _, f := range outputs {
		os.Remove(filepath.Join(resumed, f))
	}
	if _, err := calibrateIn(t, resumed, Options{Workers: 1, Resume: true}); err != nil {
		t.Fatal(err)
	}
	sameOutputs(t, whole, resumed)

	// Shards: run the two shards in turn until neither is pending.
	sharded := filepath.Join(dir, "sharded")
	for round := 0; ; round++ {
		if round > 20 {
			t.Fatal("the shards never finished")
		}
		pending := false
		for i := range 2 {
			_, err := calibrateIn(t, sharded, Options{Workers: 1, Shard: sweep.Shard{Index: i, Count: 2}})
			switch {
			case errors.Is(err, ErrPending):
				pending = true
			case err != nil:
				t.Fatal(err)
			}
		}
		if !pending {
			break
		}
	}
	sameOutputs(t, whole, sharded)
	if m, _ := filepath.Glob(filepath.Join(sharded, "gen-0", "batch-0", "shard-*-of-2")); len(m) != 2 {
		t.Errorf("shard folders %q", m)
	}
}

// FuzzParseFile checks that ParseFile never panics, that its errors are a
// strict.ErrorList naming the file, and that a file it accepts has priors
// ABC accepts.
func FuzzParseFile(f *testing.F) {
	for _, tt := range brokenTests {
		f.Add([]byte(tt.src))
	}
	if data, err := os.ReadFile("testdata/tiny.toml"); err == nil {
		f.Add(data)
	}
	if data, err := os.ReadFile("../../data/calibration/historical-1929.toml"); err == nil {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		file, _, err := ParseFile("f.toml", data)
		if err != nil {
			var list strict.ErrorList
			if !errors.As(err, &list) || !strings.HasPrefix(err.Error(), "f.toml") {
				t.Fatalf("error %q is a %T", err, err)
			}
			return
		}
		cfg := (&Plan{File: file, Priors: file.Priors()}).Config()
		if err := cfg.Check(); err != nil {
			t.Fatalf("accepted a file ABC refuses: %v", err)
		}
	})
}
