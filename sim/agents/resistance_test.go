package agents_test

import (
	"math"
	"testing"

	"github.com/collsim/collsim/sim/agents"
	"github.com/collsim/collsim/sim/policy"
	"github.com/collsim/collsim/sim/rng"
)

// crowdOf counts the thresholds in a crowd.
func crowdOf(thresholds ...float64) *agents.Crowd {
	var c agents.Crowd
	for _, h := range thresholds {
		c.Add(h)
	}
	return &c
}

// TestCrowdRiseGranovetter: Granovetter's (1978) example. A hundred
// households with thresholds 0, 1%, 2%, … 99% all riot, one after the
// other; take away the one at 1% and only the instigator would, which is
// below any crowd.
func TestCrowdRiseGranovetter(t *testing.T) {
	var all, gap []float64
	for i := range 100 {
		h := float64(i) / 100
		all = append(all, h)
		if i != 1 {
			gap = append(gap, h)
		}
	}
	// Thresholds are binned at 1/64 of a village, so the ladder is steeper
	// than the bins: shift by half a bin is enough to keep it climbing.
	tests := []struct {
		name   string
		th     []float64
		shift  float64
		crowd  float64
		rising int
	}{
		{"the whole ladder", all, 0, 0.05, 100},
		{"one rung missing", gap, 0, 0.05, 0},
		{"one rung missing, no least crowd", gap, 0, 0, 1},
		{"nobody at or below zero", []float64{0.1, 0.2, 0.3}, 0, 0, 0},
		{"an outrage of 0.1 starts it", []float64{0.1, 0.2, 0.3}, 0.1, 0, 3},
		{"nobody counted", nil, 1, 0, 0},
		{"never taking part", []float64{-1, 5, math.NaN()}, 0, 0, 1},
	}
	for _, tc := range tests {
		c := crowdOf(tc.th...)
		if got := c.Rise(tc.shift, tc.crowd); got != tc.rising {
			t.Errorf("%s: %d rise, want %d", tc.name, got, tc.rising)
		}
	}
}

// TestCrowdTakesPartAgreesWithRise: the households TakesPart names are as
// many as Rise counted, and none of them has a higher threshold than one
// that stayed home.
func TestCrowdTakesPartAgreesWithRise(t *testing.T) {
	r := rng.New(3)
	th := make([]float64, 300)
	for i := range th {
		th[i] = 0.4 + 0.5*r.Normal()
	}
	c := crowdOf(th...)
	n := c.Rise(0.2, 0.05)
	if n == 0 {
		t.Fatal("nobody rose")
	}
	in, maxIn, minOut := 0, math.Inf(-1), math.Inf(1)
	for _, h := range th {
		if c.TakesPart(h) {
			in++
			maxIn = math.Max(maxIn, h)
		} else {
			minOut = math.Min(minOut, h)
		}
	}
	if in != n || maxIn > minOut {
		t.Errorf("Rise %d, TakesPart %d; highest inside %.3f, lowest outside %.3f", n, in, maxIn, minOut)
	}
}

// FuzzCrowdRise: for any thresholds and shift, Rise counts between none and
// all, never fewer when the shift is larger, and TakesPart agrees.
func FuzzCrowdRise(f *testing.F) {
	f.Add(uint64(1), 0.0, 0.05, 50)
	f.Add(uint64(7), 1.5, 0.0, 400)
	f.Add(uint64(9), -3.0, 1.0, 1)
	f.Fuzz(func(t *testing.T, seed uint64, shift, crowd float64, n int) {
		if n < 0 || n > 2000 || math.IsNaN(shift) || math.IsInf(shift, 0) || math.IsNaN(crowd) {
			t.Skip()
		}
		r := rng.New(seed)
		th := make([]float64, n)
		for i := range th {
			th[i] = 4*r.Float64() - 2.5
		}
		c := crowdOf(th...)
		got := c.Rise(shift, crowd)
		if got < 0 || got > n {
			t.Fatalf("%d of %d rise", got, n)
		}
		in := 0
		for _, h := range th {
			if c.TakesPart(h) {
				in++
			}
		}
		if in != got {
			t.Fatalf("Rise %d, TakesPart %d", got, in)
		}
		if more := crowdOf(th...).Rise(shift+0.25, crowd); more < got {
			t.Fatalf("a larger shift drew in fewer: %d < %d", more, got)
		}
	})
}

// TestThresholdTerms: grievance, what was taken, being held and a fresh
// signal lower a household's threshold; fear raises it; a bolder household
// has a lower one.
func TestThresholdTerms(t *testing.T) {
	hp, cp, m := params()
	threshold := func(h agents.Household, signal float64) float64 {
		e := quietEnv()
		e.Signal = signal
		e.Prepare(&hp, &cp, &rp, &m)
		return h.Threshold(&e)
	}
	base := household(agents.Middle, 0.3)
	base.Boldness = 128
	b := threshold(base, 0)
	with := func(f func(h *agents.Household)) float64 {
		h := base
		f(&h)
		return threshold(h, 0)
	}
	if x := with(func(h *agents.Household) { h.Grievance = 0.8 }); !(x < b) {
		t.Errorf("grievance: %.3f, without %.3f", x, b)
	}
	if x := with(func(h *agents.Household) { h.Fear = 0.8 }); !(x > b) {
		t.Errorf("fear: %.3f, without %.3f", x, b)
	}
	if x := with(func(h *agents.Household) { h.Flags |= agents.Taken }); !(x < b) {
		t.Errorf("taken: %.3f, without %.3f", x, b)
	}
	if x := with(func(h *agents.Household) { h.Flags |= agents.Held }); !(x < b) {
		t.Errorf("held: %.3f, without %.3f", x, b)
	}
	if x := with(func(h *agents.Household) { h.Boldness = 250 }); !(x < b) {
		t.Errorf("bold: %.3f, middling %.3f", x, b)
	}
	if x := threshold(base, 1); !(x < b) {
		t.Errorf("signal: %.3f, without %.3f", x, b)
	}
	m.Signal = false
	if x := threshold(base, 1); x != b {
		t.Errorf("signal switched off still changes the threshold: %.3f vs %.3f", x, b)
	}
}

// TestCadreTakesUpAHarsherDirectiveOverWeeks: a cadre acting on an earlier
// phase takes up a harsher decree after a number of weeks whose mean is
// about 1/uptake_rate alone, at once when all its peers have; a halt it
// takes up at once; with the mechanism off it takes up everything at once.
func TestCadreTakesUpAHarsherDirectiveOverWeeks(t *testing.T) {
	_, cp, m := params()
	earlier := []policy.Directive{{Phase: 0, TargetPath: 0.3, MaxRung: policy.Fined, Punishment: 0.2}}
	now := policy.Directive{Phase: 1, TargetPath: 0.6, MaxRung: policy.Seized, Punishment: 0.8}
	weeks := func(d policy.Directive, peers float64, m agents.Mechanisms, seed uint64) int {
		c := agents.Cadre{Zeal: 1, TakenUp: 0}
		r := rng.New(seed)
		for w := 1; w < 1000; w++ {
			c.Decide(&d, earlier, agents.CadreView{Share: 0.2, PeersTakenUp: peers}, &cp, &m, &r)
			if c.ActsOn(d.Phase) {
				return w
			}
		}
		return 1000
	}
	sum := 0
	const n = 400
	for s := range uint64(n) {
		sum += weeks(now, 0, m, s)
	}
	if mean, want := float64(sum)/n, 1/cp.UptakeRate; math.Abs(mean-want) > 0.2*want {
		t.Errorf("mean weeks to take up the decree alone %.1f, want about %.1f", mean, want)
	}
	if w := weeks(now, 1, m, 1); cp.UptakeRate+cp.UptakePeer >= 1 && w != 1 {
		t.Errorf("with every peer acting on it, taken up after %d weeks", w)
	}
	halt := policy.Directive{Phase: 1, Halt: true}
	if w := weeks(halt, 0, m, 1); w != 1 {
		t.Errorf("a halt taken up after %d weeks", w)
	}
	off := m
	off.DirectiveUptake = false
	if w := weeks(now, 0, off, 1); w != 1 {
		t.Errorf("with directive_uptake off, taken up after %d weeks", w)
	}
	// While it lags, it acts on the earlier ceiling of measures.
	c := agents.Cadre{Zeal: 1, TakenUp: 0}
	r := rng.New(5)
	cp.UptakeRate, cp.UptakePeer = 0, 0
	c.Decide(&now, earlier, agents.CadreView{Share: 0.1}, &cp, &m, &r)
	if c.MaxRung > policy.Fined {
		t.Errorf("a cadre that has not taken up the decree uses rung %d", c.MaxRung)
	}
}

// TestDisturbanceHoldsTheCadreBack: a cadre shaken by a disturbance coerces
// less, and less so as the weeks pass.
func TestDisturbanceHoldsTheCadreBack(t *testing.T) {
	_, cp, m := params()
	d := policy.Directive{Phase: 0, TargetPath: 0.6, MaxRung: policy.Seized, Punishment: 1}
	coercion := func(shaken float32, m agents.Mechanisms) float64 {
		c := agents.Cadre{Zeal: 1, Shaken: shaken, TakenUp: 0}
		r := rng.New(1)
		c.Decide(&d, nil, agents.CadreView{Share: 0.3}, &cp, &m, &r)
		return float64(c.Coercion)
	}
	calm, shaken, fading := coercion(0, m), coercion(1, m), coercion(0.3, m)
	if !(shaken < fading && fading < calm) {
		t.Errorf("coercion calm %.3f, fading %.3f, shaken %.3f", calm, fading, shaken)
	}
	m.UnrestRetreat = false
	if x := coercion(1, m); x != calm {
		t.Errorf("unrest_retreat off: shaken %.3f, calm %.3f", x, calm)
	}
}

// TestSettle: after Settle, an individual household does not wish to join
// and a member would not leave, in a village where no policy acts; a
// household already at rest is left as it was.
func TestSettle(t *testing.T) {
	hp, cp, m := params()
	e := quietEnv()
	e.Share = 0.05
	e.Prepare(&hp, &cp, &rp, &m)
	keen := household(agents.Poor, 0.95)
	keen.Settle(&e, &hp)
	if w := keen.Wish(&e, &hp); w > 1e-6 {
		t.Errorf("an individual household still wishes to join: wish %.4f", w)
	}
	doubter := household(agents.Middle, 0.0)
	doubter.Status = agents.Voluntary
	doubter.Settle(&e, &hp)
	if w := doubter.Wish(&e, &hp); w+hp.ExitCost < -1e-6 {
		t.Errorf("a member still would leave: wish %.4f + exit cost %.2f", w, hp.ExitCost)
	}
	calm := household(agents.Middle, 0.0)
	before := calm
	calm.Settle(&e, &hp)
	if calm != before {
		t.Errorf("a household at rest was changed: %+v → %+v", before, calm)
	}
}
