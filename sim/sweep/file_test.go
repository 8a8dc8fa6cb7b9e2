package sweep

import (
	"errors"
	"math"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/collsim/collsim/internal/strict"
	"github.com/collsim/collsim/internal/testenv"
	"github.com/collsim/collsim/sim/calendar"
)

// head is the top of a valid sweep file over testdata/base.toml.
const head = "name = \"t\"\nbase = \"base.toml\"\nreplicates = 2\n"

// param and out are a valid parameter and output.
const (
	param = "\n[[parameters]]\nkey = \"household.fear_decay\"\nvalues = [0.1, 0.2]\n"
	out   = "\n[[outputs]]\nsummary = \"peak_share\"\n"
)

// brokenTests are sweep files with problems; each want is a part of one
// line of the error, in order. They also seed FuzzParse.
var brokenTests = []struct {
	name string
	src  string
	want []string
}{
	{
		name: "unknown key",
		src:  head + "replicats = 3\n" + param + out,
		want: []string{`bad.toml:4: replicats: unknown key (hint: did you mean "replicates"?)`},
	},
	{
		name: "unknown key in a parameter",
		src:  head + param + "vaules = [1]\n" + out,
		want: []string{`bad.toml:8: parameters[0].vaules: unknown key (hint: did you mean "values"?)`},
	},
	{
		name: "wrong types",
		src:  "name = 1\nbase = \"base.toml\"\nreplicates = \"three\"\nset = \"population.households=500\"\n" + param + "\n[[outputs]]\nsummary = [\"peak_share\"]\n",
		want: []string{
			`bad.toml:1: name: want a string, got 1`,
			`bad.toml:3: replicates: want an integer, got string "three"`,
			`bad.toml:4: set: want an array, got string "population.households=500"`,
			`bad.toml:11: outputs[0].summary: want a string, got an array`,
		},
	},
	{
		name: "a table for a value",
		src:  head + "\n[[parameters]]\nkey = \"household.fear_decay\"\nvalues = [{ x = 1 }]\n" + out,
		want: []string{`bad.toml:7: parameters[0].values[0]: want a number, a date, a string or a boolean, got a table`},
	},
	{
		name: "zero replicates",
		src:  "base = \"base.toml\"\nreplicates = 0\n" + param + out,
		want: []string{`bad.toml:2: replicates: 0 is out of range [1, 100000]`},
	},
	{
		name: "unknown parameter path",
		src:  head + "\n[[parameters]]\nkey = \"household.fear_decya\"\nvalues = [0.1, 0.2]\n" + out,
		want: []string{`bad.toml:6: parameters[0].key: household.fear_decya: unknown key (hint: did you mean "fear_decay"?)`},
	},
	{
		name: "unknown region",
		src:  head + "\n[[parameters]]\nkey = \"regions.Atlantis.zeal\"\nvalues = [1]\n" + out,
		want: []string{`bad.toml:6: parameters[0].key: regions: no element named "Atlantis" (hint: names are "Moscow", "North Caucasus", or an index from 0 to 1)`},
	},
	{
		name: "value out of range and of the wrong type",
		src:  head + "\n[[parameters]]\nkey = \"household.fear_decay\"\nvalues = [0.1,\n  5,\n  \"fast\"]\n" + out,
		want: []string{
			`bad.toml:8: parameters[0].values[1]: household.fear_decay: 5 is out of range [0, 1]`,
			`bad.toml:9: parameters[0].values[2]: household.fear_decay: want a number, got string "fast"`,
		},
	},
	{
		name: "a date out of order",
		src:  head + "\n[[parameters]]\nkey = \"phases.halt.start\"\nvalues = [\"1929-10-01\"]\n" + out,
		want: []string{`bad.toml:7: parameters[0].values[0]: phases[2].start: phase starts before the phase above it`},
	},
	{
		name: "empty range",
		src:  head + "\n[[parameters]]\nkey = \"household.fear_decay\"\nfrom = 0.8\nto = 0.2\nstep = 0.1\n" + out,
		want: []string{`bad.toml:8: parameters[0].to: empty range: to 0.2 is below from 0.8`},
	},
	{
		name: "range without a step, and with a zero step",
		src:  head + "\n[[parameters]]\nkey = \"household.fear_decay\"\nfrom = 0.1\nto = 0.2\n\n[[parameters]]\nkey = \"household.fear_gain\"\nfrom = 0.1\nto = 0.2\nstep = 0\n" + out,
		want: []string{
			`bad.toml:5: parameters[0]: a range needs from, to and step; step is missing`,
			`bad.toml:14: parameters[1].step: the step must be above 0`,
		},
	},
	{
		name: "empty range of dates",
		src:  head + "\n[[parameters]]\nkey = \"phases.halt.start\"\nfrom = 1930-03-02\nto = \"1930-01-02\"\nstep = 7\n" + out,
		want: []string{`bad.toml:8: parameters[0].to: empty range: to 1930-01-02 is before from 1930-03-02`},
	},
	{
		name: "empty list, no values, two ways",
		src: head + "\n[[parameters]]\nkey = \"household.fear_decay\"\nvalues = []\n" +
			"\n[[parameters]]\nkey = \"household.fear_gain\"\n" +
			"\n[[parameters]]\nkey = \"cadre.courage\"\nvalues = [0.1]\nfrom = 0.1\n" + out,
		want: []string{
			`bad.toml:7: parameters[0].values: empty list of values`,
			`bad.toml:9: parameters[1]: no values for household.fear_gain`,
			`bad.toml:12: parameters[2]: give one of values, a range (from, to, step) or a distribution`,
		},
	},
	{
		name: "distribution in a grid, unknown distribution, lhs without points",
		src: "base = \"base.toml\"\ndesign = \"lhs\"\n\n[[parameters]]\nkey = \"household.fear_decay\"\ndistribution = \"gaussian\"\n" +
			"\n[[parameters]]\nkey = \"household.fear_gain\"\ndistribution = \"uniform\"\nmin = 0.1\n" + out,
		want: []string{
			`bad.toml:2: design: a Latin hypercube needs points = N (at least 1)`,
			`bad.toml:6: parameters[0].distribution: unknown distribution "gaussian" (hint: want uniform, loguniform or normal)`,
			`bad.toml:8: parameters[1]: a uniform distribution needs min and max (numbers or dates)`,
		},
	},
	{
		name: "distribution in a grid, unknown design",
		src:  head + "\n[[parameters]]\nkey = \"household.fear_decay\"\ndistribution = \"uniform\"\nmin = 0\nmax = 1\n" + out + "\n[[outputs]]\nsummary = \"final_share\"\n",
		want: []string{`bad.toml:7: parameters[0].distribution: a distribution is sampled: it needs design = "lhs"`},
	},
	{
		name: "bounds of distributions",
		src: "base = \"base.toml\"\ndesign = \"lhs\"\npoints = 4\n" +
			"\n[[parameters]]\nkey = \"household.fear_decay\"\ndistribution = \"loguniform\"\nmin = 0\nmax = 1\n" +
			"\n[[parameters]]\nkey = \"household.fear_gain\"\ndistribution = \"uniform\"\nmin = 0.5\nmax = 2\n" + out,
		want: []string{
			`bad.toml:8: parameters[0].min: the bounds of a loguniform distribution are above 0`,
			`bad.toml:15: parameters[1].max: household.fear_gain: 2 is out of range [0, 1]`,
		},
	},
	{
		name: "points that do not fit together",
		src: head + "\n[[parameters]]\nkey = \"cadre.arrest_share\"\nvalues = [0.5, 0.6]\n" +
			"\n[[parameters]]\nkey = \"cadre.deport_share\"\nvalues = [0.45]\n" + out,
		want: []string{`bad.toml:5: parameters: point 1 (cadre.arrest_share=0.6, cadre.deport_share=0.45): cadre.deport_share: arrest_share + deport_share is more than 1`},
	},
	{
		name: "the seed as a parameter, in set, a parameter twice",
		src:  head + "set = [\"population.households=500\", \"seed=3\"]\n\n[[parameters]]\nkey = \"seed\"\nvalues = [1, 2]\n" + param + param + out,
		want: []string{
			`bad.toml:4: set[1]: the seed is set for each run from the sweep seed`,
		},
	},
	{
		name: "the seed as a parameter, a parameter twice",
		src:  head + "\n[[parameters]]\nkey = \"seed\"\nvalues = [1, 2]\n" + param + param + out,
		want: []string{
			`bad.toml:6: parameters[0].key: the seed is not a parameter`,
			`bad.toml:14: parameters[2].key: household.fear_decay is varied twice (hint: parameters[1] varies it too)`,
		},
	},
	{
		name: "a bad override",
		src:  head + "set = [\n  \"population.households=500\",\n  \"population.housholds=500\",\n]\n" + param + out,
		want: []string{`bad.toml:6: set[1]: --set population.housholds=500: population.housholds: unknown key (hint: did you mean "households"?)`},
	},
	{
		name: "no base, no parameters, no outputs",
		src:  "name = \"t\"\n",
		want: []string{`bad.toml: base: no base scenario`, `bad.toml: parameters: no parameters to vary`, `bad.toml: outputs: no outputs to summarise`},
	},
	{
		name: "a missing base",
		src:  "base = \"nowhere.toml\"\n" + param + out,
		want: []string{`bad.toml:1: base: cannot read testdata/nowhere.toml: no such file or directory`},
	},
	{
		name: "bad outputs",
		src: head + param +
			"\n[[outputs]]\nsummary = \"peak_shar\"\n" +
			"\n[[outputs]]\nsummary = \"regions.Moscow\"\n" +
			"\n[[outputs]]\nsummary = \"regions.Atlantis.peak_share\"\n" +
			"\n[[outputs]]\nsummary = \"peak_date\"\n" +
			"\n[[outputs]]\ntimeseries = \"collective_shares\"\ndate = \"1930-01-01\"\n" +
			"\n[[outputs]]\ntimeseries = \"arrested\"\nregion = \"Atlantis\"\ndate = \"1930-01-01\"\n" +
			"\n[[outputs]]\ntimeseries = \"arrested\"\ndate = \"1920-01-01\"\n",
		want: []string{
			`bad.toml:10: outputs[0].summary: summary.json has no key peak_shar (hint: did you mean "peak_share"?)`,
			`bad.toml:13: outputs[1].summary: regions.Moscow is a table of summary.json, not a number (hint: name one of its keys: exits,`,
			`bad.toml:16: outputs[2].summary: summary.json has no key regions.Atlantis (hint: regions are "Moscow", "North Caucasus")`,
			`bad.toml:19: outputs[3].summary: peak_date is a string in summary.json, not a number`,
			`bad.toml:22: outputs[4].timeseries: no column "collective_shares" in timeseries.csv (hint: did you mean "collective_share"?)`,
			`bad.toml:27: outputs[5].region: no region "Atlantis" (hint: regions are "ALL", "Moscow", "North Caucasus")`,
			`bad.toml:32: outputs[6].date: 1920-01-01 is before the start of the base scenario, 1929-06-01`,
		},
	},
	{
		name: "outputs that say too little or too much",
		src: head + param +
			"\n[[outputs]]\ntimeseries = \"arrested\"\n" +
			"\n[[outputs]]\nsummary = \"peak_share\"\nregion = \"Moscow\"\n" +
			"\n[[outputs]]\nname = \"x\"\n" +
			"\n[[outputs]]\nsummary = \"peak_share\"\ntimeseries = \"arrested\"\n",
		want: []string{
			`bad.toml:9: outputs[0]: a timeseries output needs a date`,
			`bad.toml:12: outputs[1]: region and date are for a timeseries output`,
			`bad.toml:16: outputs[2]: no output named`,
			`bad.toml:19: outputs[3]: give one of summary and timeseries`,
		},
	},
	{
		name: "column names twice",
		src:  head + param + out + out + "\n[[outputs]]\nname = \"household.fear_decay\"\nsummary = \"final_share\"\n",
		want: []string{
			`bad.toml:12: outputs[1]: the column "peak_share" is another output already`,
			`bad.toml:15: outputs[2]: the column "household.fear_decay" is a parameter already`,
		},
	},
	{
		name: "syntax error",
		src:  head + "replicates = 3\n",
		want: []string{`bad.toml:4:`},
	},
	// A name is the folder under results/: it was used as a path.
	{
		name: "a name that is a path",
		src:  strings.Replace(head, `"t"`, `"../../../../elsewhere/x"`, 1) + param + out,
		want: []string{`bad.toml:1: name: "../../../../elsewhere/x" holds a slash: a name is not a path (hint: `},
	},
	{
		name: "nested too deep",
		src:  head + "x = " + strings.Repeat("[", 30000) + strings.Repeat("]", 30000) + "\n",
		want: []string{"bad.toml:4: x" + strings.Repeat("[0]", 19) + "…: nested more than 64 levels deep (hint: "},
	},
	{
		name: "a name that is ..",
		src:  strings.Replace(head, `"t"`, `".."`, 1) + param + out,
		want: []string{`bad.toml:1: name: ".." is not a name (hint: the name is the folder of the outputs under results/`},
	},
}

func TestParseErrors(t *testing.T) {
	for _, tt := range brokenTests {
		t.Run(tt.name, func(t *testing.T) {
			sw, err := Parse("testdata/bad.toml", []byte(tt.src))
			if err == nil {
				t.Fatalf("Parse succeeded: %+v", sw.Points)
			}
			var list strict.ErrorList
			if !errors.As(err, &list) {
				t.Fatalf("error %v is a %T, not a strict.ErrorList", err, err)
			}
			testenv.ErrorLines(t, err, tt.want...)
		})
	}
}

func TestLoadGrid(t *testing.T) {
	sw, err := Load("testdata/grid.toml")
	if err != nil {
		t.Fatal(err)
	}
	var points []string
	for k := range sw.Points {
		points = append(points, strings.Join(sw.Sets(k), " "))
	}
	want := []string{
		`phases.halt.start="1930-01-15" regions.Moscow.zeal=0.5`,
		`phases.halt.start="1930-01-15" regions.Moscow.zeal=3`,
		`phases.halt.start="1930-03-02" regions.Moscow.zeal=0.5`,
		`phases.halt.start="1930-03-02" regions.Moscow.zeal=3`,
	}
	if !slices.Equal(points, want) {
		t.Errorf("points:\n%s\nwant\n%s", strings.Join(points, "\n"), strings.Join(want, "\n"))
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"name", sw.Name, "grid"},
		{"seed", sw.Seed, uint64(42)},
		{"runs", len(sw.Runs()), 12},
		{"run 7", sw.Run(7), Run{Index: 7, Point: 2, Replicate: 1, Seed: RunSeed(42, 2, 1)}},
		{"types", sw.Params[0].Type + " " + sw.Params[1].Type, "date float"},
		{"output name (default)", sw.Outputs[0].Name, "peak_share"},
		{"output region (default)", sw.File.Outputs[2].Region, "ALL"},
		{"timeseries output", sw.Outputs[1], Output{Name: "moscow_may", Column: "collective_share", Region: "Moscow", Date: calendar.MustParseDate("1930-05-01")}},
	}
	for _, c := range checks {
		if !equal(c.got, c.want) {
			t.Errorf("%s = %+v, want %+v", c.name, c.got, c.want)
		}
	}
	s, err := sw.Scenario(3, 99)
	if err != nil {
		t.Fatal(err)
	}
	if s.Seed != 99 || s.Regions[0].Zeal != 3 || s.Phases[2].Start != calendar.MustParseDate("1930-03-02") {
		t.Errorf("scenario of point 3: seed %d, zeal %g, halt %s", s.Seed, s.Regions[0].Zeal, s.Phases[2].Start)
	}
	if seeds := []int64{RunSeed(42, 0, 0), RunSeed(42, 0, 1), RunSeed(42, 1, 0), RunSeed(43, 0, 0)}; len(slices.Compact(slices.Sorted(slices.Values(seeds)))) != 4 || slices.ContainsFunc(seeds, func(s int64) bool { return s < 0 }) {
		t.Errorf("run seeds collide or are negative: %v", seeds)
	}
}

// equal compares values that may hold slices.
func equal(a, b any) bool {
	if x, ok := a.(Output); ok {
		y := b.(Output)
		return x.Name == y.Name && slices.Equal(x.Key, y.Key) && x.Column == y.Column && x.Region == y.Region && x.Date == y.Date
	}
	return a == b
}

func TestRanges(t *testing.T) {
	tests := []struct {
		name, spec string
		want       []string
	}{
		{"numbers", "key = \"household.fear_decay\"\nfrom = 0.1\nto = 0.5\nstep = 0.1", []string{"0.1", "0.2", "0.3", "0.4", "0.5"}},
		{"not a whole number of steps", "key = \"household.fear_decay\"\nfrom = 0\nto = 0.25\nstep = 0.1", []string{"0", "0.1", "0.2"}},
		{"integers", "key = \"phases.campaign.max_rung\"\nfrom = 2\nto = 8\nstep = 3", []string{"2", "5", "8"}},
		{"one value", "key = \"household.fear_decay\"\nfrom = 0.3\nto = 0.3\nstep = 1", []string{"0.3"}},
		{"dates", "key = \"phases.halt.start\"\nfrom = 1930-01-01\nto = \"1930-01-31\"\nstep = 14", []string{"1930-01-01", "1930-01-15", "1930-01-29"}},
		{"a date in a table of dates", "key = 'phases.campaign.deadlines.\"North Caucasus\"'\nvalues = [\"1930-02-01\", 1930-04-01]", []string{"1930-02-01", "1930-04-01"}},
		{"booleans", "key = \"mechanisms.theft\"\nvalues = [true, false]", []string{"true", "false"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			sw, err := Parse("testdata/ranges.toml", []byte(head+"\n[[parameters]]\n"+tt.spec+"\n"+out))
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, v := range sw.Params[0].Levels {
				got = append(got, v.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("levels %q, want %q", got, tt.want)
			}
		})
	}
}

func TestLatinHypercube(t *testing.T) {
	const n = 20
	src := "base = \"base.toml\"\nseed = 5\ndesign = \"lhs\"\npoints = 20\n" +
		"\n[[parameters]]\nkey = \"household.fear_decay\"\ndistribution = \"uniform\"\nmin = 0\nmax = 1\n" +
		"\n[[parameters]]\nkey = \"cadre.courage\"\ndistribution = \"loguniform\"\nmin = 0.001\nmax = 0.1\n" +
		"\n[[parameters]]\nkey = \"household.fear_gain\"\ndistribution = \"normal\"\nmean = 0.2\nsd = 0.1\nmin = 0.05\nmax = 0.5\n" +
		"\n[[parameters]]\nkey = \"phases.halt.start\"\ndistribution = \"uniform\"\nmin = 1930-01-10\nmax = 1930-03-10\n" +
		"\n[[parameters]]\nkey = \"phases.campaign.max_rung\"\ndistribution = \"uniform\"\nmin = 2\nmax = 8\n" +
		"\n[[parameters]]\nkey = \"regions.Moscow.zeal\"\nvalues = [0, 1, 2, 3]\n" + out
	sw, err := Parse("testdata/lhs.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(sw.Points) != n {
		t.Fatalf("%d points, want %d", len(sw.Points), n)
	}
	strata := make([]int, n)
	courage := make([]int, n)
	zeal := map[string]int{}
	for _, p := range sw.Points {
		u, _ := p[0].number()
		strata[min(int(u*n), n-1)]++
		c, _ := p[1].number()
		courage[min(int((math.Log(c)-math.Log(0.001))/(math.Log(0.1)-math.Log(0.001))*n), n-1)]++
		if g, _ := p[2].number(); g < 0.05 || g > 0.5 {
			t.Errorf("truncated normal gave %g", g)
		}
		if d, ok := p[3].date(); !ok || d.Before(calendar.MustParseDate("1930-01-10")) || d.After(calendar.MustParseDate("1930-03-10")) {
			t.Errorf("date %v outside its bounds", p[3])
		}
		if _, ok := p[4].x.(int64); !ok {
			t.Errorf("integer parameter sampled as %v (%T)", p[4], p[4].x)
		}
		zeal[p[5].String()]++
	}
	for i := range n {
		if strata[i] != 1 || courage[i] != 1 {
			t.Fatalf("not a Latin hypercube: points per stratum %v and %v, want one each", strata, courage)
		}
	}
	if len(zeal) != 4 || zeal["0"] != 5 {
		t.Errorf("levels sampled unevenly: %v", zeal)
	}
	again, _ := Parse("testdata/lhs.toml", []byte(src))
	other, _ := Parse("testdata/lhs.toml", []byte(strings.Replace(src, "seed = 5", "seed = 6", 1)))
	if !slices.EqualFunc(sw.Points, again.Points, slices.Equal) || slices.EqualFunc(sw.Points, other.Points, slices.Equal) {
		t.Error("the design is not a function of the sweep seed")
	}
}

// TestReadySweeps loads every sweep of scenarios/sweeps.
func TestReadySweeps(t *testing.T) {
	files, _ := filepath.Glob("../../scenarios/sweeps/*.toml")
	if len(files) < 3 {
		t.Fatalf("ready sweeps: %q", files)
	}
	for _, f := range files {
		sw, err := Load(f)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if len(sw.Runs()) == 0 || sw.Base.Population.Households > 20000 {
			t.Errorf("%s: %d runs of %d households", f, len(sw.Runs()), sw.Base.Population.Households)
		}
	}
}
