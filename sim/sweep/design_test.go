package sweep

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/collsim/collsim/internal/testenv"
)

// screeningBroken are sweep files with problems of the list, Morris and
// Sobol designs; each want is a part of one line of the error, in order.
var screeningBroken = []struct {
	name string
	src  string
	want []string
}{
	{
		name: "keys of another design",
		src:  head + "trajectories = 3\nsamples = 8\n" + param + out,
		want: []string{`bad.toml:4: trajectories: trajectories are for design = "morris"`, `bad.toml:5: samples: samples are for design = "sobol"`},
	},
	{
		name: "Morris without trajectories, odd levels",
		src:  "base = \"base.toml\"\ndesign = \"morris\"\nlevels = 3\n\n[[parameters]]\nkey = \"household.fear_decay\"\ndistribution = \"uniform\"\nmin = 0\nmax = 1\n" + out,
		want: []string{`bad.toml:2: design: a Morris design needs trajectories = R`, `bad.toml:3: levels: 3 levels: want an even number from 2 to 100`},
	},
	{
		name: "Sobol of an unbounded normal",
		src:  "base = \"base.toml\"\ndesign = \"sobol\"\nsamples = 4\n\n[[parameters]]\nkey = \"household.fear_decay\"\ndistribution = \"normal\"\nmean = 0.1\nsd = 0.01\n" + out,
		want: []string{`bad.toml:5: parameters[0]: a sobol design covers a bounded range: give the normal distribution min and max`},
	},
	{
		name: "list of unequal lengths, and a range",
		src: "base = \"base.toml\"\ndesign = \"list\"\n" + param +
			"\n[[parameters]]\nkey = \"household.fear_gain\"\nvalues = [0.1, 0.2, 0.3]\n" +
			"\n[[parameters]]\nkey = \"cadre.courage\"\nfrom = 0.1\nto = 0.2\nstep = 0.1\n" + out,
		want: []string{`bad.toml:10: parameters[1].values: 3 values, but parameters[0] has 2`, `bad.toml:12: parameters[2]: a list design takes values only`},
	},
}

func TestScreeningParseErrors(t *testing.T) {
	for _, tt := range screeningBroken {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse("testdata/bad.toml", []byte(tt.src))
			testenv.ErrorLines(t, err, tt.want...)
		})
	}
}

// TestListDesign: point k takes the k-th value of every parameter; with no
// parameter, one point, the base scenario; common_seeds shares the seeds.
func TestListDesign(t *testing.T) {
	src := "base = \"base.toml\"\ndesign = \"list\"\nreplicates = 2\ncommon_seeds = true\n" + param +
		"\n[[parameters]]\nkey = \"household.fear_gain\"\nvalues = [0.3, 0.4]\n" + out
	sw, err := Parse("testdata/list.toml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	got := []string{strings.Join(sw.Sets(0), " "), strings.Join(sw.Sets(1), " ")}
	want := []string{"household.fear_decay=0.1 household.fear_gain=0.3", "household.fear_decay=0.2 household.fear_gain=0.4"}
	if !slices.Equal(got, want) {
		t.Errorf("points %q, want %q", got, want)
	}
	if a, b := sw.Run(0), sw.Run(2); a.Seed != b.Seed || a.Seed == sw.Run(1).Seed {
		t.Errorf("common seeds: runs 0, 1, 2 have seeds %d, %d, %d", a.Seed, sw.Run(1).Seed, b.Seed)
	}
	none, err := Parse("testdata/list.toml", []byte("base = \"base.toml\"\ndesign = \"list\"\nreplicates = 3\n"+out))
	if err != nil {
		t.Fatal(err)
	}
	if len(none.Points) != 1 || len(none.Runs()) != 3 || len(none.Sets(0)) != 0 {
		t.Errorf("no parameters: %d points, %d runs", len(none.Points), len(none.Runs()))
	}
}

// TestScreeningDesigns: a Morris design has r trajectories of k+1 points
// sharing their seeds, a Sobol design n rows of k+2; each point's values
// are the parameters' quantiles at its unit coordinates.
func TestScreeningDesigns(t *testing.T) {
	params := "\n[[parameters]]\nkey = \"household.fear_decay\"\ndistribution = \"uniform\"\nmin = 0.1\nmax = 0.3\n" +
		"\n[[parameters]]\nkey = \"cadre.courage\"\ndistribution = \"loguniform\"\nmin = 0.01\nmax = 1\n" +
		"\n[[parameters]]\nkey = \"regions.Moscow.zeal\"\nvalues = [0, 1]\n"
	morris, err := Parse("testdata/m.toml", []byte("base = \"base.toml\"\ndesign = \"morris\"\ntrajectories = 5\n"+params+out))
	if err != nil {
		t.Fatal(err)
	}
	sobol, err := Parse("testdata/s.toml", []byte("base = \"base.toml\"\ndesign = \"sobol\"\nsamples = 8\nreplicates = 2\n"+params+out))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		sw           *Sweep
		points, blok int
	}{{morris, 5 * 4, 4}, {sobol, 8 * 5, 5}} {
		sw := c.sw
		if len(sw.Points) != c.points || len(sw.Unit) != c.points || sw.SeedBlock != c.blok {
			t.Fatalf("%s: %d points, %d in the unit cube, seed block %d; want %d, %d, %d", sw.Design, len(sw.Points), len(sw.Unit), sw.SeedBlock, c.points, c.points, c.blok)
		}
		for k, u := range sw.Unit {
			x, _ := sw.Points[k][0].number()
			if want := round(0.1+0.2*u[0], 6); x != want {
				t.Errorf("%s point %d: fear_decay %g at u = %g, want %g", sw.Design, k, x, u[0], want)
			}
			c, _ := sw.Points[k][1].number()
			if want := round(math.Exp(math.Log(0.01)+u[1]*math.Log(100)), 6); math.Abs(c-want) > 1e-12 {
				t.Errorf("%s point %d: courage %g at u = %g, want %g", sw.Design, k, c, u[1], want)
			}
			// Points of one block share seeds; blocks differ.
			for r := range sw.Replicates {
				run := sw.Run(k*sw.Replicates + r)
				first := sw.Run((k/sw.SeedBlock*sw.SeedBlock)*sw.Replicates + r)
				if run.Seed != first.Seed {
					t.Fatalf("%s: point %d replicate %d has seed %d, its block's first point %d", sw.Design, k, r, run.Seed, first.Seed)
				}
			}
		}
		if sw.Run(0).Seed == sw.Run(sw.SeedBlock*sw.Replicates).Seed {
			t.Errorf("%s: two blocks share seeds", sw.Design)
		}
	}
}

// TestEncode: a sweep file encoded and parsed again gives the same sweep.
func TestEncode(t *testing.T) {
	files := []string{"testdata/grid.toml"}
	srcs := map[string]string{
		"lhs":    "base = \"base.toml\"\nseed = 3\ndesign = \"lhs\"\npoints = 4\nset = [\"population.households=700\"]\n\n[[parameters]]\nkey = \"household.fear_gain\"\ndistribution = \"normal\"\nmean = 0.2\nsd = 0.1\nmin = 0.05\nmax = 0.5\n" + out,
		"sobol":  "base = \"base.toml\"\ndesign = \"sobol\"\nsamples = 4\n\n[[parameters]]\nkey = \"phases.halt.start\"\ndistribution = \"uniform\"\nmin = 1930-01-10\nmax = 1930-03-10\n" + out,
		"morris": "base = \"base.toml\"\ndesign = \"morris\"\ntrajectories = 2\nlevels = 6\n\n[[parameters]]\nkey = \"household.fear_decay\"\nfrom = 0.1\nto = 0.3\nstep = 0.1\n" + out,
		"list":   "name = \"l\"\ndescription = \"a \\\"list\\\"\"\nbase = \"base.toml\"\ndesign = \"list\"\ncommon_seeds = true\n" + param + "\n[[outputs]]\nname = \"m\"\ntimeseries = \"collective_share\"\nregion = \"Moscow\"\ndate = 1930-05-01\n",
	}
	var sweeps []*Sweep
	for _, f := range files {
		sw, err := Load(f)
		if err != nil {
			t.Fatal(err)
		}
		sweeps = append(sweeps, sw)
	}
	for _, name := range []string{"lhs", "sobol", "morris", "list"} {
		sw, err := Parse("testdata/"+name+".toml", []byte(srcs[name]))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sweeps = append(sweeps, sw)
	}
	for _, sw := range sweeps {
		data := sw.File.Encode()
		again, err := Parse(sw.Path, data)
		if err != nil {
			t.Fatalf("%s encoded:\n%s\n%v", sw.Path, data, err)
		}
		if !slices.EqualFunc(sw.Points, again.Points, slices.Equal) || sw.Name != again.Name || sw.SeedBlock != again.SeedBlock ||
			!slices.EqualFunc(sw.Outputs, again.Outputs, func(a, b Output) bool { return equal(a, b) }) || !slices.Equal(sw.Runs(), again.Runs()) {
			t.Errorf("%s: encoded and parsed again, the sweep differs:\n%s", sw.Path, data)
		}
		if !slices.Equal(again.File.Encode(), data) {
			t.Errorf("%s: encoding is not stable", sw.Path)
		}
	}
}

// TestSeedBlockJournal: a journal records the seed block, and checks seeds
// by it.
func TestSeedBlockJournal(t *testing.T) {
	sw, err := Parse("testdata/list.toml", []byte("base = \"base.toml\"\ndesign = \"list\"\ncommon_seeds = true\nset = [\"population.households=700\"]\n"+param+out))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	rep, err := Execute(context.Background(), sw, Options{Dir: dir, Workers: 2, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Table.Rows) != 2 || rep.Table.Rows[0].Seed != rep.Table.Rows[1].Seed {
		t.Errorf("rows %+v: want two runs with one seed", rep.Table.Rows)
	}
	jd, err := readJournal(dir + "/" + JournalFile)
	if err != nil {
		t.Fatal(err)
	}
	if jd.SeedBlock != 2 || len(jd.rows) != 2 {
		t.Errorf("journal: seed block %d, %d rows", jd.SeedBlock, len(jd.rows))
	}
	h := sw.header("test", Shard{})
	h.SeedBlock = 1
	if why := jd.sameSweep(&h); why == "" {
		t.Error("a journal of another seed block is the same sweep")
	}
}
