package calibrate

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/collsim/collsim/sim/abc"
)

// twoGenerations is a particles.csv of two generations; the second, the
// posterior, has a particle of weight 0.
const twoGenerations = `generation,particle,batch,index,distance,weight,cadre.arrest_share,regions.Moscow.readiness
0,0,0,1,1.5,0.5,0.2,0.1
0,1,0,2,1.4,0.5,0.25,0.12
1,0,0,3,0.9,0.2,0.1,0.05
1,1,0,7,0.8,0.6,0.15,0.08
1,2,1,0,0.85,0,0.3,0.3
`

func TestReadPosterior(t *testing.T) {
	p, err := ParsePosterior("particles.csv", []byte(twoGenerations))
	if err != nil {
		t.Fatal(err)
	}
	if p.Generation != 1 || !slices.Equal(p.Keys, []string{"cadre.arrest_share", "regions.Moscow.readiness"}) || len(p.Particles) != 3 {
		t.Fatalf("read %+v", p)
	}
	if !slices.Equal(p.Particles[1], []float64{0.15, 0.08}) || math.Abs(p.Weights[0]-0.25) > 1e-12 || math.Abs(p.Weights[1]-0.75) > 1e-12 || p.Weights[2] != 0 {
		t.Errorf("final generation %v, weights %v; want weights normalised to 0.25, 0.75, 0", p.Particles, p.Weights)
	}
	if len(p.Hash) != 64 || p.Path != "particles.csv" {
		t.Errorf("provenance: %q, %q", p.Path, p.Hash)
	}
	// The calibration of the historical campaign that the docs show.
	doc, err := ReadPosterior("../../docs/validity/calibration/particles.csv")
	if err != nil {
		t.Fatal(err)
	}
	if doc.Generation != 5 || len(doc.Particles) != 100 || len(doc.Keys) != 10 {
		t.Errorf("docs/validity/calibration/particles.csv: generation %d, %d particles, %d parameters", doc.Generation, len(doc.Particles), len(doc.Keys))
	}
}

// TestReadPosteriorWritten: ReadPosterior reads back what writeParticles
// writes.
func TestReadPosteriorWritten(t *testing.T) {
	res := &Result{
		Plan: &Plan{Priors: []abc.Prior{{Name: "household.join_rate"}, {Name: `regions."North Caucasus".zeal`}}},
		Generations: []*abc.Generation{
			{Index: 0, Particles: []abc.Particle{{Theta: []float64{0.1, 0.5}, Distance: 2, Weight: 1}}},
			{Index: 1, Particles: []abc.Particle{{Theta: []float64{0.2, 0.6}, Distance: 1, Weight: 0.3}, {Theta: []float64{0.3, 0.7}, Distance: 1.1, Weight: 0.7}}},
		},
	}
	var b bytes.Buffer
	if err := res.writeParticles(&b); err != nil {
		t.Fatal(err)
	}
	p, err := ParsePosterior("particles.csv", b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if p.Generation != 1 || !slices.Equal(p.Keys, []string{"household.join_rate", `regions."North Caucasus".zeal`}) ||
		!slices.Equal(p.Particles[1], []float64{0.3, 0.7}) || math.Abs(p.Weights[1]-0.7) > 1e-12 {
		t.Errorf("read back %+v", p)
	}
}

// brokenPosteriors are malformed files and the start of their errors: the
// file and the line.
var brokenPosteriors = []struct{ src, want string }{
	{"", "p.csv:1: empty"},
	{"generation,particle,batch,index,distance\n", "p.csv:1: the header is not that of particles.csv"},
	{"generation,particle,batch,index,distance,weight\n0,0,0,0,1,1\n", "p.csv:1: the header is not"},
	{"generation,particle,batch,index,distance,weight,a..b\n", `p.csv:1: column 7: "a..b" is not a parameter key`},
	{"generation,particle,batch,index,distance,weight,x,x\n", "p.csv:1: column 8: x is there twice"},
	{"generation,particle,batch,index,distance,weight,x\n", "p.csv:1: no particles"},
	{"generation,particle,batch,index,distance,weight,x\n0,0,0,0,1,1,0.5\n0,1,0,1,1,1\n", "p.csv:3: 6 fields, want 7"},
	{"generation,particle,batch,index,distance,weight,x\n0,0,0,0,1,1,0.5\none,1,0,1,1,1,2\n", `p.csv:3: generation "one"`},
	{"generation,particle,batch,index,distance,weight,x\n0,0,0,0,1,-1,0.5\n", "p.csv:2: weight -1 is below 0"},
	{"generation,particle,batch,index,distance,weight,x\n0,0,0,0,1,1,NaN\n", `p.csv:2: x "NaN": want a finite number`},
	{"generation,particle,batch,index,distance,weight,x\n0,0,0,0,1,0,0.5\n", "p.csv:1: the weights of generation 0 do not sum"},
	{"generation,particle,batch,index,distance,weight,x\n0,0,0,0,1,1,\"0.5\n", "p.csv:2: extraneous or missing"},
}

func TestReadPosteriorErrors(t *testing.T) {
	for _, tt := range brokenPosteriors {
		_, err := ParsePosterior("p.csv", []byte(tt.src))
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("%q: error %v, want %q…", tt.src, err, tt.want)
		}
	}
	if _, err := ReadPosterior("testdata/no-such.csv"); err == nil || !strings.Contains(err.Error(), "testdata/no-such.csv") {
		t.Errorf("a missing file: %v", err)
	}
}

// TestSample: draws are by weight, never of a particle of weight 0, and
// depend on the seed only.
func TestSample(t *testing.T) {
	p, err := ParsePosterior("particles.csv", []byte(twoGenerations))
	if err != nil {
		t.Fatal(err)
	}
	sets := p.Sample(4000, 7)
	count := map[string]int{}
	for _, s := range sets {
		count[strings.Join(s, " ")]++
	}
	low := count["cadre.arrest_share=0.1 regions.Moscow.readiness=0.05"]
	high := count["cadre.arrest_share=0.15 regions.Moscow.readiness=0.08"]
	if low+high != 4000 || math.Abs(float64(high)/4000-0.75) > 0.03 {
		t.Errorf("drawn %v; want 3/4 of the draws of the particle of weight 0.75 and none of weight 0", count)
	}
	if again := p.Sample(4000, 7); !slices.EqualFunc(sets, again, slices.Equal) {
		t.Error("the same seed drew other sets")
	}
	if other := p.Sample(4000, 8); slices.EqualFunc(sets, other, slices.Equal) {
		t.Error("another seed drew the same sets")
	}
	if first := p.Sample(10, 7); !slices.EqualFunc(first, sets[:10], slices.Equal) {
		t.Error("the first draws depend on how many are drawn")
	}
}

// FuzzReadPosterior: ParsePosterior never panics; its errors name the file
// and a line; what it accepts has keys, particles of their length and
// weights summing to 1, and can be sampled.
func FuzzReadPosterior(f *testing.F) {
	for _, tt := range brokenPosteriors {
		f.Add([]byte(tt.src))
	}
	f.Add([]byte(twoGenerations))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePosterior("p.csv", data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "p.csv:") {
				t.Fatalf("error %q does not name the file and line", err)
			}
			return
		}
		total := 0.0
		for i, x := range p.Particles {
			if len(x) != len(p.Keys) || !(p.Weights[i] >= 0) {
				t.Fatalf("particle %d: %v, weight %v, keys %v", i, x, p.Weights[i], p.Keys)
			}
			total += p.Weights[i]
		}
		if len(p.Keys) == 0 || len(p.Particles) == 0 || math.Abs(total-1) > 1e-9 {
			t.Fatalf("accepted %+v", p)
		}
		for _, s := range p.Sample(3, 1) {
			if len(s) != len(p.Keys) {
				t.Fatalf("sampled %v", s)
			}
		}
	})
}
