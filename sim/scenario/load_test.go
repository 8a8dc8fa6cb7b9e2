package scenario

import (
	"errors"
	"strings"
	"testing"

	"github.com/collsim/collsim/internal/testenv"
	"github.com/collsim/collsim/sim/calendar"
)

// regionsOK is a valid tail of regions for the broken scenarios below.
const regionsOK = `
[[regions]]
name = "A"
share = 0.5

[[regions]]
name = "B"
share = 0.5
`

// brokenTests are scenarios with problems; each want is a part of one line
// of the error, in order. They also seed FuzzParse.
var brokenTests = []struct {
	name string
	src  string
	set  []string
	want []string
}{
	{
		name: "unknown top-level key",
		src:  "name = \"x\"\nsede = 3\n" + regionsOK,
		want: []string{`bad.toml:2: sede: unknown key (hint: did you mean "seed"?)`},
	},
	{
		name: "unknown nested key",
		src:  "name = \"x\"\n\n[household]\nfear_gain = 0.1\nfear_gian = 0.1\n" + regionsOK,
		want: []string{`bad.toml:5: household.fear_gian: unknown key (hint: did you mean "fear_gain"?)`},
	},
	{
		name: "unknown key in the second region",
		src:  regionsOK + "zael = 2\n",
		want: []string{`bad.toml:9: regions[1].zael: unknown key (hint: did you mean "zeal"?)`},
	},
	{
		name: "unknown table",
		src:  "[housohold]\nfear_gain = 0.1\n" + regionsOK,
		want: []string{`bad.toml:1: housohold: unknown key (hint: did you mean "household"?)`},
	},
	{
		name: "unknown key far from any",
		src:  "colour = \"red\"\n" + regionsOK,
		want: []string{`bad.toml:1: colour: unknown key`},
	},
	{
		name: "wrong types",
		src: "seed = 2.5\nname = 3\n\n[household]\n# a comment\nfear_gain = \"abc\"\nland = { poor = true }\n\n[mechanisms]\ntheft = 1\n\n[calendar]\nsowing_start = \"April\"\n" +
			regionsOK + "\n[[phases]]\nname = \"p\"\nstart = 1929\n",
		want: []string{
			`bad.toml:1: seed: want an integer, got 2.5`,
			`bad.toml:2: name: want a string, got 3`,
			`bad.toml:6: household.fear_gain: want a number, got string "abc"`,
			`bad.toml:7: household.land.poor: want a number, got true`,
			`bad.toml:10: mechanisms.theft: want true or false, got 1`,
			`bad.toml:13: calendar.sowing_start: "April" is not a day of the form MM-DD`,
			`bad.toml:25: phases[0].start: want a date "YYYY-MM-DD", got 1929`,
		},
	},
	{
		name: "table for a value",
		src:  "[seed]\nx = 1\n" + regionsOK,
		want: []string{`bad.toml:1: seed: want an integer, got a table`},
	},
	{
		name: "table for an array of tables",
		src:  "[regions]\nname = \"A\"\n",
		want: []string{`bad.toml:1: regions: want an array of tables ([[regions]]), got a table`},
	},
	{
		name: "negative households",
		src:  "[population]\nhouseholds = -5\n" + regionsOK,
		want: []string{`bad.toml:2: population.households: -5 is out of range [1, 200000000]`},
	},
	{
		name: "out of range in a dotted key after a multi-line string",
		src:  "description = \"\"\"\nmany\nlines = 3\n\"\"\"\nhousehold.land.kulak = -1\n" + regionsOK,
		want: []string{`bad.toml:5: household.land.kulak: -1 is out of range [0, 1000]`},
	},
	{
		name: "class shares do not sum to 1",
		src:  "[population]\nhouseholds = 10\nclasses = { poor = 0.4, middle = 0.55, kulak = 0.02 }\n" + regionsOK,
		want: []string{`bad.toml:3: population.classes: class shares do not sum to 1 (hint: shares must sum to 1; they sum to 0.97)`},
	},
	{
		name: "region shares do not sum to 1",
		src:  "\n[[regions]]\nname = \"A\"\nshare = 0.5\n\n[[regions]]\nname = \"B\"\nshare = 0.4\n",
		want: []string{`bad.toml:2: regions: region shares do not sum to 1 (hint: shares must sum to 1; they sum to 0.9)`},
	},
	{
		name: "regions without names, twice the same name",
		src:  "[[regions]]\nshare = 0.5\n[[regions]]\nname = \"B\"\nshare = 0.25\n[[regions]]\nname = \"B\"\nshare = 0.25\n",
		want: []string{`bad.toml:1: regions[0].name: the region has no name`, `bad.toml:7: regions[2].name: region "B" is named twice`},
	},
	{
		name: "no regions",
		src:  "name = \"x\"\n",
		want: []string{`bad.toml: regions: no regions`},
	},
	{
		name: "phase dated before the start",
		src: regionsOK + `
[[phases]]
name = "first"
start = "1929-06-01"

[[phases]]
name = "early"
start = "1929-01-01"
`,
		want: []string{`bad.toml:16: phases[1].start: phase dated before the start (hint: the scenario starts on 1929-06-01)`},
	},
	{
		name: "phases out of order, after the end, without deadline",
		src: regionsOK + `
[[phases]]
name = "b"
start = "1930-01-01"
target = 0.5
[[phases]]
name = "a"
start = "1929-07-01"
[[phases]]
name = "late"
start = "1932-01-01"
`,
		want: []string{
			`bad.toml:10: phases[0].deadline: a phase with a target needs a deadline`,
			`bad.toml:16: phases[1].start: phase starts before the phase above it`,
			`bad.toml:19: phases[2].start: phase dated after the end`,
		},
	},
	{
		name: "unknown region in deadlines",
		src: regionsOK + `
[[phases]]
name = "campaign"
start = "1929-11-01"
target = 0.5
deadline = "1930-03-01"
deadlines = { A = "1930-02-01", Atlantis = "1930-02-01" }
`,
		want: []string{`bad.toml:15: phases[0].deadlines.Atlantis: no region named "Atlantis" (hint: regions are "A", "B")`},
	},
	{
		name: "bad regional targets",
		src: regionsOK + `
[[phases]]
name = "campaign"
start = "1929-11-01"
target = 0.5
deadline = "1930-03-01"
targets = { A = 1.5, Atlantis = 0.2 }
`,
		want: []string{
			`bad.toml:15: phases[0].targets.A: 1.5 is out of range [0, 1]`,
			`bad.toml:15: phases[0].targets.Atlantis: no region named "Atlantis" (hint: regions are "A", "B")`,
		},
	},
	{
		name: "unknown region in a deadlines table",
		src: regionsOK + `
[[phases]]
name = "v"
start = "1929-06-01"
[[phases]]
name = "campaign"
start = "1929-11-01"
target = 0.5
deadline = "1930-03-01"
[phases.deadlines]
A = "1930-02-01"
"North Caucasus" = "1930-02-01"
`,
		want: []string{`bad.toml:20: phases[1].deadlines."North Caucasus": no region named "North Caucasus"`},
	},
	{
		name: "cross-field rules",
		src:  "end = \"1929-01-01\"\nurban_arrival = \"1940-01-01\"\n[population]\nhouseholds = 1\n[authority.halt_rule]\nenabled = true\n[cadre]\narrest_share = 0.8\ndeport_share = 0.3\n" + regionsOK,
		want: []string{
			`bad.toml:1: end: end 1929-01-01 is not after the start`,
			`bad.toml:2: urban_arrival: 1940-01-01 is outside the run`,
			`bad.toml:4: population.households: 1 households are too few for 2 regions`,
			`bad.toml:6: authority.halt_rule.enabled: the halt rule needs a phase to call`,
			`bad.toml:9: cadre.deport_share: arrest_share + deport_share is more than 1 (hint: they sum to 1.1)`,
		},
	},
	{
		name: "syntax error",
		src:  "name = \"x\"\n\n[population]\nhouseholds = 10 10\n",
		want: []string{`bad.toml:4:`},
	},
	{
		name: "duplicate key",
		src:  "name = \"x\"\nname = \"y\"\n",
		want: []string{`bad.toml:2:`},
	},
	{
		name: "extends not a string",
		src:  "extends = 3\n",
		want: []string{`bad.toml:1: extends: want the name of a scenario file, got 3`},
	},
	{
		name: "override with a typo",
		src:  regionsOK,
		set:  []string{"household.fear_gian=1"},
		want: []string{`--set household.fear_gian=1: household.fear_gian: unknown key (hint: did you mean "fear_gain"?)`},
	},
	{
		name: "override of an unknown region",
		src:  regionsOK,
		set:  []string{"regions.Atlantis.zeal=1"},
		want: []string{`--set regions.Atlantis.zeal=1: regions: no element named "Atlantis" (hint: names are "A", "B", or an index from 0 to 1)`},
	},
	{
		name: "override with a wrong type",
		src:  regionsOK,
		set:  []string{"household.fear_gain=abc"},
		want: []string{`--set household.fear_gain=abc: household.fear_gain: want a number, got string "abc"`},
	},
	{
		name: "override out of range, without =, bad key, index too large",
		src:  regionsOK,
		set:  []string{"household.fear_gain=5", "seed", `a."b=1`, "regions.2.zeal=1", "seed=[1]", "seed.0=2"},
		want: []string{
			`--set household.fear_gain=5: household.fear_gain: 5 is out of range [0, 1]`,
			`--set seed: want KEY=VALUE`,
			`--set a."b=1: a."b: not a key`,
			`--set regions.2.zeal=1: regions: no element named "2"`,
			`--set seed=[1]: seed: want an integer, got an array`,
		},
	},
	{
		name: "errors in file order, overrides last",
		src:  "[household]\nfear_gain = 7\n[population]\nhouseholds = 0\n" + regionsOK,
		set:  []string{"seed=-1"},
		want: []string{
			`bad.toml:2: household.fear_gain: 7 is out of range [0, 1]`,
			`bad.toml:4: population.households: 0 is out of range [1, 200000000]`,
			`--set seed=-1: seed: -1 is out of range [0, 9223372036854775807]`,
		},
	},
	// A run longer than MaxYears (end = "9999-12-31" took 4 GB).
	{
		name: "a run too long",
		src:  "start = \"1929-06-01\"\nend = \"9999-12-31\"\n" + regionsOK,
		want: []string{`bad.toml:2: end: the run from 1929-06-01 to 9999-12-31 is longer than 20 years, the most collsim runs (hint: end on or before 1949-06-01)`},
	},
	{
		name: "a run a day too long",
		src:  "start = \"1929-06-01\"\nend = \"1949-06-02\"\n" + regionsOK,
		want: []string{`bad.toml:2: end: the run from 1929-06-01 to 1949-06-02 is longer than 20 years`},
	},
	// A name is the folder under results/: it was used as a path.
	{
		name: "names that are not folder names",
		src:  "name = \"../../../../elsewhere/x\"\n" + regionsOK,
		want: []string{`bad.toml:1: name: "../../../../elsewhere/x" holds a slash: a name is not a path (hint: `},
	},
	{name: "name ..", src: "name = \"..\"\n" + regionsOK, want: []string{`bad.toml:1: name: ".." is not a name`}},
	{name: "empty name", src: "name = \"\"\n" + regionsOK, want: []string{`bad.toml:1: name: the name is empty`}},
	{name: "hidden name", src: "name = \".x\"\n" + regionsOK, want: []string{`bad.toml:1: name: ".x" starts with a dot`}},
	{name: "name with a backslash", src: "name = 'a\\b'\n" + regionsOK, want: []string{`holds a slash`}},
	{name: "name with a newline", src: "name = \"a\\nb\"\n" + regionsOK, want: []string{`bad.toml:1: name: "a\nb" holds a control character`}},
	{name: "name set to a path", src: regionsOK, set: []string{"name=/tmp/x"}, want: []string{`--set name=/tmp/x: name: "/tmp/x" holds a slash`}},
	// Nested 30,000 deep in 60 KB: it took 4 s and 1.4 GB (arrays) and 33 GB (a dotted key).
	{
		name: "arrays nested too deep",
		src:  "name = \"x\"\nx = " + strings.Repeat("[", 30000) + strings.Repeat("]", 30000) + "\n",
		want: []string{"bad.toml:2: x" + strings.Repeat("[0]", 19) + "…: nested more than 64 levels deep (hint: "},
	},
	{
		name: "dotted key nested too deep",
		src:  regionsOK + strings.Repeat("a.", 30000) + "b = 1\n",
		want: []string{`bad.toml:9: regions[1].a: nested more than 64 levels deep`},
	},
}

func TestParseErrors(t *testing.T) {
	for _, tt := range brokenTests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := Parse("bad.toml", []byte(tt.src), tt.set...)
			if err == nil {
				t.Fatalf("Parse succeeded: %+v", s)
			}
			checkErrors(t, err, tt.want)
		})
	}
}

func TestLoadErrors(t *testing.T) {
	tests := []struct {
		path string
		want []string
	}{
		{"testdata/no_such_file.toml", []string{`testdata/no_such_file.toml: no such file or directory`}},
		{"testdata", []string{`testdata: not a regular file`}},
		{"testdata/missing_base.toml", []string{`testdata/missing_base.toml:2: extends: cannot read testdata/no_such_base.toml: no such file or directory`}},
		{"testdata/cycle_a.toml", []string{`testdata/cycle_b.toml:2: extends: files extend each other in a cycle: testdata/cycle_a.toml → testdata/cycle_b.toml → testdata/cycle_a.toml`}},
		{"testdata/child_bad.toml", []string{`testdata/child_bad.toml:6: regions[1].zael: unknown key (hint: did you mean "zeal"?)`}},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			s, err := Load(tt.path)
			if err == nil {
				t.Fatalf("Load succeeded: %+v", s)
			}
			checkErrors(t, err, tt.want)
		})
	}
}

// checkErrors checks that err is an ErrorList whose lines contain want, in order.
func checkErrors(t *testing.T, err error, want []string) {
	t.Helper()
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %v is a %T, not an ErrorList", err, err)
	}
	testenv.ErrorLines(t, err, want...)
}

func TestLoadValid(t *testing.T) {
	s, err := Load("testdata/valid.toml")
	if err != nil {
		t.Fatal(err)
	}
	d := Default()
	checks := []struct {
		name      string
		got, want any
	}{
		{"name", s.Name, "small"},
		{"seed", s.Seed, int64(7)},
		{"start (TOML date)", s.Start, calendar.MustParseDate("1929-06-01")},
		{"end", s.End, calendar.MustParseDate("1930-12-31")},
		{"households", s.Population.Households, 2000},
		{"villages_per_district (default)", s.Population.VillagesPerDistrict, d.Population.VillagesPerDistrict},
		{"fear_gain", s.Household.FearGain, 0.3},
		{"land.kulak (dotted key)", s.Household.Land.Kulak, 12.0},
		{"land.poor (default)", s.Household.Land.Poor, d.Household.Land.Poor},
		{"fear_decay (default)", s.Household.FearDecay, d.Household.FearDecay},
		{"regions", len(s.Regions), 2},
		{"regions[1].name", s.Regions[1].Name, "North Caucasus"},
		{"regions[0].zeal", s.Regions[0].Zeal, 0.5},
		{"regions[0].cadre_zeal (default)", s.Regions[0].CadreZeal, DefaultRegion().CadreZeal},
		{"regions[1].readiness (default)", s.Regions[1].Readiness, DefaultRegion().Readiness},
		{"phases", len(s.Phases), 3},
		{"phases[0].exit_allowed (default)", s.Phases[0].ExitAllowed, true},
		{"phases[1].max_rung", s.Phases[1].MaxRung, 8},
		{"phases[1].deadlines", s.Phases[1].DeadlineFor("North Caucasus"), calendar.MustParseDate("1930-03-01")},
		{"phases[1].deadline", s.Phases[1].DeadlineFor("Moscow"), calendar.MustParseDate("1930-05-01")},
		{"phases[2].halt", s.Phases[2].Halt, true},
		{"mechanisms (default)", s.Mechanisms, d.Mechanisms},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}
}

func TestOverrides(t *testing.T) {
	s, err := Load("testdata/valid.toml",
		"regions.Moscow.zeal=2",
		"regions.1.trust=0.7",
		`regions."North Caucasus".yield_cv = 0.5`,
		"phases.halt.start=1930-03-10",
		`phases.campaign.deadlines."North Caucasus"="1930-04-01"`,
		"name=test",
		"seed=1", "seed=2",
		"population.classes.kulak=0.05",
		"authority.halt_rule.enabled=true",
		"urban_arrival=",
	)
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"by name", s.Regions[0].Zeal, 2.0},
		{"by index", s.Regions[1].Trust, 0.7},
		{"quoted", s.Regions[1].YieldCV, 0.5},
		{"date by phase name", s.Phases[2].Start, calendar.MustParseDate("1930-03-10")},
		{"map entry", s.Phases[1].Deadlines["North Caucasus"], calendar.MustParseDate("1930-04-01")},
		{"bare string", s.Name, "test"},
		{"last wins", s.Seed, int64(2)},
		{"nested table", s.Authority.HaltRule.Enabled, true},
		{"empty date", s.UrbanArrival.IsZero(), true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, c.got, c.want)
		}
	}

	// Overrides can add what the file lacks, and replace a whole array.
	src := "name = \"x\"\n"
	s, err = Parse("x.toml", []byte(src), `regions=[{name="A", share=1}]`, "phases.0.name=p")
	if err == nil {
		t.Fatalf("phases.0 on an empty timeline succeeded: %+v", s.Phases)
	}
	checkErrors(t, err, []string{`--set phases.0.name=p: phases: no element named "0" (hint: there are none)`})
	s, err = Parse("x.toml", []byte(src), `regions=[{name="A", share=1}]`, "mechanisms.theft=false")
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Regions) != 1 || s.Regions[0].Name != "A" || s.Regions[0].Trust != DefaultRegion().Trust || s.Mechanisms.Theft {
		t.Errorf("got regions %+v, theft %v", s.Regions, s.Mechanisms.Theft)
	}
}

func TestExtends(t *testing.T) {
	s, err := Load("testdata/child.toml")
	if err != nil {
		t.Fatal(err)
	}
	checks := []struct {
		name      string
		got, want any
	}{
		{"name (child)", s.Name, "child"},
		{"seed (base)", s.Seed, int64(3)},
		{"households (base)", s.Population.Households, 1000},
		{"regions", len(s.Regions), 2},
		{"regions[0] (base)", s.Regions[0].Name + " " + fmtSum(s.Regions[0].Zeal), "Moscow 1"},
		{"regions[1] (merged)", s.Regions[1].Name + " " + fmtSum(s.Regions[1].Zeal) + " " + fmtSum(s.Regions[1].Share), "Ukraine 3 0.5"},
		{"phases", len(s.Phases), 2},
		{"halt start (child)", s.Phases[1].Start, calendar.MustParseDate("1930-04-01")},
		{"halt (base)", s.Phases[1].Halt, true},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("%s = %v, want %v", c.name, c.got, c.want)
		}
	}

	// A child may append a region and replace an array that has no names.
	src := "extends = \"base.toml\"\n[[regions]]\nname = \"Ural\"\nshare = 0\n"
	s, err = Parse("testdata/inline.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Regions) != 3 || s.Regions[2].Name != "Ural" {
		t.Errorf("regions = %+v", s.Regions)
	}
}

func TestValidate(t *testing.T) {
	s := Default()
	checkErrors(t, s.Validate(), []string{"regions: no regions"})
	s.Regions = []Region{DefaultRegion()}
	s.Regions[0].Name, s.Regions[0].Share = "A", 1
	if err := s.Validate(); err != nil {
		t.Fatal(err)
	}
	s.Household.Land.Middle = -1
	s.Regions[0].Zeal = 21
	err := s.Validate()
	checkErrors(t, err, []string{"household.land.middle: -1 is out of range [0, 1000]", "regions[0].zeal: 21 is out of range [0, 20]"})
	if e := err.(ErrorList)[0]; e.File != "" || e.Line != 0 || e.Key != "household.land.middle" {
		t.Errorf("got %+v, want only a key", e)
	}
}

// TestMaxYears: a run of exactly MaxYears is accepted; a day more is not
// (brokenTests).
func TestMaxYears(t *testing.T) {
	src := "start = \"1929-06-01\"\nend = \"1949-06-01\"\n" + regionsOK
	if _, err := Parse("long.toml", []byte(src)); err != nil {
		t.Errorf("a run of %d years: %v", MaxYears, err)
	}
}
