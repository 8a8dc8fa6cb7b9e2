package targets

import (
	"math"
	"strings"
	"testing"

	"github.com/collsim/collsim/internal/strict"
	"github.com/collsim/collsim/internal/testenv"
	"github.com/collsim/collsim/sim/scenario"
)

// one is a valid target.
const one = "\n[[targets]]\nname = \"peak\"\nsummary = \"peak_share\"\nvalue = 0.57\ntolerance = 0.03\nrole = \"fit\"\nsource = \"Davies\"\n"

// brokenTests are target files with problems; each want is a part of one
// line of the error, in order. They also seed FuzzParse.
var brokenTests = []struct {
	name, src string
	want      []string
}{
	{"unknown key", one + "tolerence = 1\n", []string{`bad.toml:9: targets[0].tolerence: unknown key (hint: did you mean "tolerance"?)`}},
	{"wrong types", "\n[[targets]]\nname = 3\nsummary = \"peak_share\"\nvalue = \"high\"\ntolerance = 0.1\nrole = \"fit\"\nsource = \"x\"\n", []string{
		`bad.toml:3: targets[0].name: want a string, got 3`,
		`bad.toml:5: targets[0].value: want a number, got string "high"`,
	}},
	{"nothing measured, no value, no tolerance, no role, no source", "\n[[targets]]\nname = \"x\"\n", []string{
		`bad.toml:2: targets[0]: the target measures nothing`,
		`bad.toml:2: targets[0]: no value`,
		`bad.toml:2: targets[0]: no tolerance`,
		`bad.toml:2: targets[0]: no role`,
		`bad.toml:2: targets[0]: no source`,
	}},
	{"two tolerances, a bad role", "\n[[targets]]\nname = \"x\"\nsummary = \"arrested\"\nvalue = 5\ntolerance = 1\nrelative_tolerance = 0.1\nrole = \"fitted\"\nsource = \"s\"\n", []string{
		`bad.toml:2: targets[0]: give one of tolerance (absolute) and relative_tolerance`,
		`bad.toml:8: targets[0].role: unknown role "fitted" (hint: want "fit" or "holdout")`,
	}},
	{"a timeseries without a date, a negative tolerance", "\n[[targets]]\nname = \"x\"\ntimeseries = \"collective_share\"\nvalue = 0.1\ntolerance = -1\nrole = \"fit\"\nsource = \"s\"\n", []string{
		`bad.toml:2: targets[0]: a timeseries target needs a date`,
		`bad.toml:6: targets[0].tolerance: -1 is out of range [0, inf]`,
		`bad.toml:6: targets[0].tolerance: the tolerance must be above 0`,
	}},
	{"a name twice, a bad name", one + one + strings.Replace(one, "\"peak\"", "\"a,b\"", 1), []string{
		`bad.toml:11: targets[1].name: target "peak" is named twice (hint: targets[0] has that name too)`,
		`bad.toml:19: targets[2].name: "a,b": a name may not hold commas`,
	}},
	{"a bad date", "\n[[targets]]\nname = \"x\"\ntimeseries = \"collective_share\"\ndate = \"March 1930\"\nvalue = 0.1\ntolerance = 0.1\nrole = \"fit\"\nsource = \"s\"\n", []string{
		`bad.toml:5: targets[0].date:`,
	}},
	{"relative tolerance of zero", "\n[[targets]]\nname = \"x\"\nsummary = \"arrested\"\nvalue = 0\nrelative_tolerance = 0.1\nrole = \"fit\"\nsource = \"s\"\n", []string{
		`bad.toml:6: targets[0].relative_tolerance: a relative tolerance of a value of 0 is 0`,
	}},
	{"no targets", "name = \"empty\"\n", []string{`bad.toml: targets: no targets`}},
	{"syntax error", "name = \n", []string{`bad.toml:1:`}},
}

func TestParseErrors(t *testing.T) {
	for _, tt := range brokenTests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("bad.toml", []byte(tt.src))
			testenv.ErrorLines(t, err, tt.want...)
		})
	}
}

// TestReadyTargets loads data/targets and checks them against the
// historical scenario.
func TestReadyTargets(t *testing.T) {
	l, err := Load("../../data/targets/seed.toml", "../../data/targets/record.toml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := scenario.Load("../../scenarios/historical-1929.toml")
	if err != nil {
		t.Fatal(err)
	}
	if err := l.Check(s); err != nil {
		t.Fatal(err)
	}
	if len(l.Role(Fit)) < 20 || len(l.Role(Holdout)) < 5 {
		t.Errorf("%s", l.Roles())
	}
	for _, tg := range l {
		if tg.Set == "seed" && tg.Role != Fit {
			t.Errorf("%s: every seed figure is fitted", tg.Name)
		}
		if count := math.Abs(tg.Value) > 1; count != tg.Relative() {
			t.Errorf("%s: shares have absolute tolerances, counts relative ones", tg.Name)
		}
	}
	if got := strings.Join(l.Sets(), ","); got != "seed,record" {
		t.Errorf("sets %q", got)
	}
}

func TestLoadTwice(t *testing.T) {
	_, err := Load("../../data/targets/seed.toml", "../../data/targets/seed.toml")
	if err == nil || !strings.Contains(err.Error(), `target "seed_land_1929_10" is in ../../data/targets/seed.toml:`) {
		t.Errorf("error %v", err)
	}
	_, err = Load("nowhere.toml")
	if err == nil || err.Error() != "nowhere.toml: no such file or directory" {
		t.Errorf("error %v", err)
	}
}

func TestCheck(t *testing.T) {
	s, err := scenario.Load("../../scenarios/historical-1929.toml")
	if err != nil {
		t.Fatal(err)
	}
	src := one +
		"\n[[targets]]\nname = \"b\"\ntimeseries = \"collective_share\"\nregion = \"Atlantis\"\ndate = 1930-01-01\nvalue = 0.1\ntolerance = 0.1\nrole = \"fit\"\nsource = \"s\"\n" +
		"\n[[targets]]\nname = \"c\"\ntimeseries = \"collective_share\"\ndate = 1935-01-01\nvalue = 0.1\ntolerance = 0.1\nrole = \"fit\"\nsource = \"s\"\n" +
		"\n[[targets]]\nname = \"d\"\nsummary = \"peak_dat\"\nvalue = 0.1\ntolerance = 0.1\nrole = \"fit\"\nsource = \"s\"\n"
	l, err := Parse("t.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	err = l.Check(s)
	want := []string{
		`t.toml:10: targets[1].region: no region "Atlantis"`,
		`t.toml:20: targets[2].date: 1935-01-01 is after the end of historical-1929`,
		`t.toml:29: targets[3].summary: summary.json has no key peak_dat (hint: did you mean "peak_date"?)`,
	}
	testenv.ErrorLines(t, err, want...)
}

func TestDistance(t *testing.T) {
	l := List{
		{Spec: Spec{Name: "a", Value: 0.5, Tolerance: 0.1, Weight: 1}},
		{Spec: Spec{Name: "b", Value: 1000, RelativeTolerance: 0.2, Weight: 3}},
		{Spec: Spec{Name: "c", Value: 7, Tolerance: 1, Weight: 0}},
	}
	tests := []struct {
		x    []float64
		want float64
	}{
		{[]float64{0.5, 1000, 99}, 0},
		{[]float64{0.6, 1000, 99}, math.Sqrt(1.0 / 4)},  // z = (1, 0)
		{[]float64{0.5, 1400, 99}, math.Sqrt(12.0 / 4)}, // z = (0, 2), weight 3
		{[]float64{0.4, 800, math.NaN()}, 1},            // z = (−1, −1); c has no weight
		{[]float64{math.NaN(), 1000, 7}, math.Inf(1)},
	}
	for _, tt := range tests {
		if got := l.Distance(tt.x); math.Abs(got-tt.want) > 1e-12 && got != tt.want {
			t.Errorf("Distance(%v) = %v, want %v", tt.x, got, tt.want)
		}
	}
	if !l[1].Hit(800) || l[1].Hit(799) || l[0].Hit(0.61) || l[1].Tol() != 200 {
		t.Error("Hit or Tol wrong")
	}
	if got := l[0].Z(0.35); math.Abs(got+1.5) > 1e-12 {
		t.Errorf("Z = %v", got)
	}
}

// FuzzParse checks that Parse never panics, that its errors are a
// strict.ErrorList naming the file, and that every target it accepts has a
// positive tolerance, a role and a measure.
func FuzzParse(f *testing.F) {
	for _, tt := range brokenTests {
		f.Add([]byte(tt.src))
	}
	f.Add([]byte(one))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := Parse("f.toml", data)
		if err != nil {
			list, ok := err.(strict.ErrorList)
			if !ok || len(list) == 0 || !strings.HasPrefix(err.Error(), "f.toml") {
				t.Fatalf("error %q is a %T", err, err)
			}
			return
		}
		for _, tg := range l {
			if !(tg.Tol() > 0) || (tg.Role != Fit && tg.Role != Holdout) || tg.Measure() == "" || tg.Source == "" {
				t.Fatalf("accepted %+v", tg)
			}
		}
	})
}
