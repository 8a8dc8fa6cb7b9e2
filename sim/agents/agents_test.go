package agents_test

import (
	"math"
	"testing"

	"github.com/collsim/collsim/sim/agents"
	"github.com/collsim/collsim/sim/policy"
	"github.com/collsim/collsim/sim/rng"
	"github.com/collsim/collsim/sim/scenario"
)

// rp holds the default parameters of the resistance submodel.
var rp = scenario.DefaultResistance()

// params returns the default parameters with every mechanism on.
func params() (agents.HouseholdParams, agents.CadreParams, agents.Mechanisms) {
	return scenario.DefaultHousehold(), scenario.DefaultCadre(), agents.AllMechanisms()
}

// quietEnv is a village with no coercion, no collective and no harvest.
func quietEnv() agents.Env {
	return agents.Env{CollectiveP: 1, IndividualP: 1, Trust0: 0.5, ExitAllowed: true, Draft: agents.NewDraftCurve(0.25)}
}

func household(c agents.Class, understanding float64) agents.Household {
	return agents.Household{Class: c, Understanding: float32(understanding), Trust: 0.5, Labour: 2, Land: 4, Livestock: 4, Grain: 1}
}

// BRIEF §1 (seed: "It is the middle and poor peasants who would be more
// favourably inclined towards collective farming than the rich peasants.
// This is possible only if they understand").
func TestWishFavoursThePoorWhoUnderstand(t *testing.T) {
	hp, cp, m := params()
	e := quietEnv()
	e.Prepare(&hp, &cp, &rp, &m)
	wish := func(c agents.Class, u float64) float64 {
		h := household(c, u)
		return h.Wish(&e, &hp)
	}
	for _, u := range []float64{0, 0.3, 0.6, 0.9} {
		if !(wish(agents.Poor, u) > wish(agents.Middle, u) && wish(agents.Middle, u) > wish(agents.Kulak, u)) {
			t.Errorf("understanding %.1f: wishes poor %.2f, middle %.2f, kulak %.2f not in that order",
				u, wish(agents.Poor, u), wish(agents.Middle, u), wish(agents.Kulak, u))
		}
	}
	if w := wish(agents.Poor, 0); w >= 0 {
		t.Errorf("a poor household that does not understand wishes to join (%.2f)", w)
	}
	if w := wish(agents.Poor, 0.9); w <= 0 {
		t.Errorf("a poor household that understands does not wish to join (%.2f)", w)
	}
	h := household(agents.Middle, 0.6)
	base := h.Wish(&e, &hp)
	h.Grievance = 0.8
	if g := h.Wish(&e, &hp); g >= base {
		t.Errorf("grievance does not lower the wish: %.2f >= %.2f", g, base)
	}
	e.PrivatePlots = true
	e.Prepare(&hp, &cp, &rp, &m)
	h.Grievance = 0
	if p := h.Wish(&e, &hp); p <= base {
		t.Errorf("private plots do not raise the wish: %.2f <= %.2f", p, base)
	}
}

// runWeeks steps one household n weeks in env e under the default
// parameters and returns it and the tally.
func runWeeks(h agents.Household, e agents.Env, n int, seed uint64) (agents.Household, agents.Tally) {
	hp, cp, m := params()
	return stepWeeks(h, e, &hp, &cp, &m, n, seed)
}

// stepWeeks is runWeeks under the given parameters.
func stepWeeks(h agents.Household, e agents.Env, hp *agents.HouseholdParams, cp *agents.CadreParams, m *agents.Mechanisms, n int, seed uint64) (agents.Household, agents.Tally) {
	e.Prepare(hp, cp, &rp, m)
	r := rng.New(seed)
	var t agents.Tally
	for i := 0; i < n; i++ {
		h.Step(&e, hp, cp, m, &r, &t)
	}
	return h, t
}

func TestPublicActFollowsWishWithoutCoercion(t *testing.T) {
	for seed := uint64(0); seed < 50; seed++ {
		h, _ := runWeeks(household(agents.Kulak, 0.1), quietEnv(), 52, seed)
		if h.Member() {
			t.Fatalf("seed %d: an unwilling household joined without coercion", seed)
		}
		h, _ = runWeeks(household(agents.Poor, 0.95), quietEnv(), 52, seed)
		if h.Status != agents.Voluntary {
			t.Fatalf("seed %d: a willing household did not join voluntarily in a year (status %d)", seed, h.Status)
		}
	}
}

// Seed: "we have been forced into the collectives": a coerced household
// joins in public against its private wish, and leaves when leaving is safe.
func TestCoercedMemberLeavesWhenSafe(t *testing.T) {
	e := quietEnv()
	e.Coercion, e.MaxRung, e.ExitAllowed = 1, policy.Stripped, false
	e.Repression = 0.1 // a tenth of the village is pushed up the ladder each week
	joined := 0
	for seed := uint64(0); seed < 50; seed++ {
		h, tally := runWeeks(household(agents.Middle, 0.2), e, 20, seed)
		if !h.Member() {
			continue
		}
		joined++
		if h.Status != agents.Coerced {
			t.Fatalf("seed %d: joined under coercion against its wish but counted %d", seed, h.Status)
		}
		if tally.Exits != 0 {
			t.Fatalf("seed %d: left while exit was forbidden and coercion went on", seed)
		}
		safe := quietEnv()
		h, tally = runWeeks(h, safe, 30, seed+1000)
		if h.Member() || tally.Exits != 1 {
			t.Fatalf("seed %d: still a member after 30 safe weeks", seed)
		}
	}
	if joined < 40 {
		t.Errorf("only %d of 50 unwilling households yielded to 20 weeks of full coercion", joined)
	}
}

func TestCoercedMembersWorkLess(t *testing.T) {
	hp, _, _ := params()
	v := household(agents.Middle, 0.8)
	v.Status = agents.Voluntary
	c := household(agents.Middle, 0.1)
	c.Status = agents.Coerced
	if ev, ec := v.Effort(0.2, &hp), c.Effort(-0.4, &hp); !(ec < ev) || ec < hp.EffortMin {
		t.Errorf("effort voluntary %.2f, coerced %.2f (min %.2f)", ev, ec, hp.EffortMin)
	}
}

// Seed: "Many incidents such as ... killing of cattle occurred"; BRIEF §1:
// before a forced joining a household may slaughter or sell its livestock.
func TestSlaughterBeforeForcedJoining(t *testing.T) {
	e := quietEnv()
	e.Coercion, e.MaxRung = 1, policy.Threatened
	hp, cp, m := params()
	off := m
	off.LivestockSlaughter = false
	var killed, with, without float64
	for seed := uint64(0); seed < 200; seed++ {
		h := household(agents.Middle, 0.2)
		h0 := h.Livestock
		h, _ = runWeeks(h, e, 10, seed)
		killed += float64(h0 - h.Livestock)
		with += float64(h.Livestock)
		h2, _ := stepWeeks(household(agents.Middle, 0.2), e, &hp, &cp, &off, 10, seed)
		without += float64(h2.Livestock)
	}
	if killed <= 0 || with >= without {
		t.Errorf("slaughter on: %.0f units left; off: %.0f", with, without)
	}
}

func TestRepressionClimbsTheLadder(t *testing.T) {
	hp, cp, m := params()
	cp.TargetingRate = 1
	cp.TargetLocal = agents.ClassValues{Poor: 1, Middle: 1, Kulak: 1}
	hp.FearWeight = 0 // refuse forever
	for _, max := range []policy.Rung{policy.Fined, policy.Seized} {
		e := quietEnv()
		e.Coercion, e.MaxRung = 1, max
		h := household(agents.Kulak, 0)
		h.Fear = 0
		h, tally := stepWeeks(h, e, &hp, &cp, &m, 12, 3)
		if h.Rung != max {
			t.Errorf("ceiling %v: household reached %v", max, h.Rung)
		}
		for k := policy.Threatened; k <= policy.MaxRung; k++ {
			want := int64(0)
			if k <= max {
				want = 1
			}
			if tally.Rungs[k] != want {
				t.Errorf("ceiling %v: %d households counted at %v, want %d", max, tally.Rungs[k], k, want)
			}
		}
	}
}

func TestLabelledKulaksAreRemoved(t *testing.T) {
	hp, cp, m := params()
	cp.TargetingRate = 1
	cp.LabelLocal = agents.ClassValues{Kulak: 1}
	cp.ArrestShare, cp.DeportShare = 0.5, 0.5
	hp.FearWeight = 0
	e := quietEnv()
	e.Coercion, e.MaxRung = 1, policy.Labelled
	e.Prepare(&hp, &cp, &rp, &m)
	h := household(agents.Kulak, 0)
	r := rng.New(1)
	var tally agents.Tally
	h.Step(&e, &hp, &cp, &m, &r, &tally)
	if !h.Removed() || tally.Arrested+tally.Deported != 1 || h.Livestock != 0 {
		t.Fatalf("a labelled kulak: status %d, livestock %.1f, tally %+v", h.Status, h.Livestock, tally)
	}
	if tally.ToPool <= 0 || tally.LandCollective != float64(h.Land) {
		t.Errorf("its livestock (%.1f to the common herd) and land (%.1f) were not taken", tally.ToPool, tally.LandCollective)
	}
	var after agents.Tally
	h.Step(&e, &hp, &cp, &m, &r, &after)
	if after.Households != 0 {
		t.Errorf("a removed household is still counted as present")
	}
}

func TestHouseholdStepAllocatesNothing(t *testing.T) {
	hp, cp, m := params()
	e := quietEnv()
	e.Coercion, e.MaxRung, e.HarvestTH = 0.5, policy.Labelled, 0.1
	e.Prepare(&hp, &cp, &rp, &m)
	r := rng.New(1)
	h := household(agents.Middle, 0.3)
	var tally agents.Tally
	if a := testing.AllocsPerRun(1000, func() { h.Step(&e, &hp, &cp, &m, &r, &tally) }); a != 0 {
		t.Errorf("Household.Step allocates %.1f times per call", a)
	}
}

// Seed: "Fearing authorities, fearing punishments, and anxious that they
// were the only ones left behind ... the cadres competed with each other".
func TestCadreCoercionGrowsWithGapFearAndCompetition(t *testing.T) {
	_, cp, m := params()
	d := policy.Directive{TargetPath: 0.6, MaxRung: policy.Seized, Punishment: 1}
	coercion := func(share, peer float64, fear float32, mech agents.Mechanisms) float64 {
		c := agents.Cadre{Zeal: 1, Fear: fear, Report: float32(share)}
		r := rng.New(1)
		c.Decide(&d, nil, agents.CadreView{Share: share, PeerReport: peer}, &cp, &mech, &r)
		return float64(c.Coercion)
	}
	if a, b := coercion(0.55, 0, 0, m), coercion(0.4, 0, 0, m); !(a < b) {
		t.Errorf("coercion behind by 5 points %.2f, by 20 points %.2f", a, b)
	}
	if a, b := coercion(0.55, 0, 0, m), coercion(0.55, 0, 0.9, m); !(a < b) {
		t.Errorf("coercion without fear %.2f, with fear %.2f", a, b)
	}
	if a, b := coercion(0.55, 0, 0, m), coercion(0.55, 0.7, 0, m); !(a < b) {
		t.Errorf("coercion level with peers %.2f, behind them %.2f", a, b)
	}
	off := m
	off.Competition = false
	if a, b := coercion(0.55, 0, 0, off), coercion(0.55, 0.7, 0, off); a != b {
		t.Errorf("competition switched off still changes coercion: %.2f vs %.2f", a, b)
	}
	if c := coercion(0.7, 0, 0, m); c != 0 {
		t.Errorf("a cadre ahead of its target coerces (%.2f)", c)
	}
	d.MaxRung = policy.NoCoercion
	if c := coercion(0.1, 0, 1, m); c != 0 {
		t.Errorf("a cadre coerces (%.2f) under a policy of persuasion only", c)
	}
}

// Seed: "The coercion against the peasants did not stop immediately."
func TestHaltLag(t *testing.T) {
	_, cp, m := params()
	halt := policy.Directive{Halt: true}
	weeksToObey := func(mech agents.Mechanisms, seed uint64) int {
		c := agents.Cadre{Zeal: 1, Coercion: 0.8, MaxRung: policy.Seized}
		r := rng.New(seed)
		for w := 0; w < 100; w++ {
			c.Decide(&halt, nil, agents.CadreView{}, &cp, &mech, &r)
			if c.Coercion == 0 {
				return w
			}
		}
		return 100
	}
	total := 0
	for seed := uint64(0); seed < 200; seed++ {
		total += weeksToObey(m, seed)
	}
	if mean := float64(total) / 200; mean < 0.5 || mean > 10 {
		t.Errorf("mean weeks before a local cadre obeys a halt = %.1f", mean)
	}
	off := m
	off.HaltLag = false
	if w := weeksToObey(off, 1); w != 0 {
		t.Errorf("with the halt lag off a cadre kept coercing %d weeks", w)
	}
}

func TestReportsRunAheadOfTheTruth(t *testing.T) {
	_, cp, m := params()
	c := agents.Cadre{Fear: 0.8}
	if r := c.Reported(0.4, 0.5, &cp, &m); !(r > 0.4 && r <= 1) {
		t.Errorf("a frightened cadre reports %.3f for a true 0.4", r)
	}
	honest := m
	honest.InflatedReports = false
	if r := c.Reported(0.4, 0.5, &cp, &honest); r != 0.4 {
		t.Errorf("with inflated reports off the report is %.3f, want the truth 0.4", r)
	}
	calm := agents.Cadre{}
	if r := calm.Reported(0.4, 0.4, &cp, &m); r != 0.4 {
		t.Errorf("a cadre with no fear and no competitor reports %.3f for 0.4", r)
	}
}

// Seed: "Those who had the courage to stand up to the pressure were punished".
func TestObjectorsArePunished(t *testing.T) {
	_, cp, m := params()
	cp.ObjectorPunishRate = 1
	c := agents.Cadre{Zeal: 1, Courage: true}
	d := policy.Directive{TargetPath: 0.9, MaxRung: policy.Seized, Punishment: 1}
	r := rng.New(1)
	c.Decide(&d, nil, agents.CadreView{Share: 0.1}, &cp, &m, &r)
	if !c.Objecting || c.Coercion != 0 {
		t.Fatalf("a courageous cadre far behind its target: objecting %v, coercion %.2f", c.Objecting, c.Coercion)
	}
	if p, removed := c.Judged(&d, &cp, &r); !p || !removed {
		t.Errorf("an objector was not punished and removed")
	}
}

func TestCollectiveSettlesAndIsDisrupted(t *testing.T) {
	hp, _, m := params()
	cp := scenario.DefaultCollective()
	var calm, rushed agents.Collective
	settled := agents.Tally{Members: 100}
	for w := 0; w < 52; w++ {
		calm.Week(1, 0, &settled, &hp, &cp)
	}
	forced := agents.Tally{Members: 400, Joins: 300, CoercedJoins: 300}
	rushed.Week(0.6, 1, &forced, &hp, &cp)
	d := agents.NewDraftCurve(hp.DraftElasticity)
	if pc, pr := calm.Productivity(&cp, d, &m), rushed.Productivity(&cp, d, &m); !(pc > 1 && pr < 1) {
		t.Errorf("a settled collective %.2f, a rushed one %.2f", pc, pr)
	}
	off := m
	off.Programmes = false
	if p := calm.Productivity(&cp, d, &off); math.Abs(p-1) > 1e-9 {
		t.Errorf("with programmes off a settled collective has productivity %.3f", p)
	}
}

func TestDraftCurve(t *testing.T) {
	for _, alpha := range []float64{0, 0.25, 0.7, 1} {
		c := agents.NewDraftCurve(alpha)
		for x := 0.0; x < 2; x += 0.0037 {
			want := math.Pow(math.Max(0.05, math.Min(1.5, x)), alpha)
			if got := c.At(x); math.Abs(got-want) > 2e-5 {
				t.Fatalf("alpha %.2f: D(%.4f) = %.7f, want %.7f", alpha, x, got, want)
			}
		}
		if got := c.At(math.NaN()); got != c.At(0) {
			t.Errorf("D(NaN) = %v", got)
		}
	}
}
