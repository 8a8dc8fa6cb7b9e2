package agents_test

import (
	"math"
	"testing"

	"github.com/collsim/collsim/sim/agents"
	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/policy"
)

var date = calendar.MustParseDate

func twoRegions() []agents.RegionPlan {
	return []agents.RegionPlan{{Name: "Grain", Weight: 0.5, Zeal: 1}, {Name: "Other", Weight: 0.5}}
}

func TestTargetPath(t *testing.T) {
	tl := policy.Timeline{{Name: "targets", Start: date("1930-01-01"), Target: 1, Deadline: date("1930-12-31"),
		MaxRung: 5, Deadlines: map[string]calendar.Date{"Other": date("1931-12-31")}}}
	m := agents.AllMechanisms()
	a := agents.NewAuthority(tl, twoRegions(), agents.AuthorityParams{MaxPace: 1}, &m)
	reports := []agents.RegionReport{{Reported: 0.2, Households: 10}, {Reported: 0.2, Households: 10}}
	dirs := make([]policy.Directive, 2)
	a.Directives(date("1930-01-01"), reports, dirs)
	if dirs[0].TargetPath != 0.2 || dirs[1].TargetPath != 0.2 {
		t.Errorf("path on the first day = %v, want the reported 0.2", dirs)
	}
	a.Directives(date("1930-04-01"), reports, dirs)
	// Grain: 90 of 364 days at double pace (zeal 1); Other: 90 of 729 days.
	wantG := 0.2 + 0.8*math.Min(1, 2*90.0/364)
	wantO := 0.2 + 0.8*90.0/729
	if math.Abs(dirs[0].TargetPath-wantG) > 1e-9 || math.Abs(dirs[1].TargetPath-wantO) > 1e-9 {
		t.Errorf("paths %.4f %.4f, want %.4f %.4f", dirs[0].TargetPath, dirs[1].TargetPath, wantG, wantO)
	}
	if dirs[0].MaxRung != 5 || !dirs[0].CoercionAllowed() {
		t.Errorf("directive %+v", dirs[0])
	}
}

// Seed: "in the November essay Stalin gave a new and even higher figure":
// reports that run ahead of the plan raise its pace; honest ones do not.
func TestEscalationOnGoodReports(t *testing.T) {
	tl := policy.Timeline{{Name: "t", Start: date("1930-01-01"), Target: 1, Deadline: date("1931-01-01"), MaxRung: 5, Escalation: true}}
	run := func(reported float64, m agents.Mechanisms) float64 {
		a := agents.NewAuthority(tl, twoRegions(), agents.AuthorityParams{EscalationRate: 2, MaxPace: 3}, &m)
		dirs := make([]policy.Directive, 2)
		d := date("1930-01-01")
		for w := 0; w < 8; w++ {
			rep := 0.1 + reported*float64(w)/8
			a.Directives(d, []agents.RegionReport{{Reported: rep, Households: 1}, {Reported: rep, Households: 1}}, dirs)
			d = d.AddDays(7)
		}
		return a.Pace()
	}
	m := agents.AllMechanisms()
	if p := run(0.8, m); p <= 1 {
		t.Errorf("reports far ahead of the plan left the pace at %.2f", p)
	}
	if p := run(0, m); p != 1 {
		t.Errorf("reports behind the plan changed the pace to %.2f", p)
	}
	m.Escalation = false
	if p := run(0.8, m); p != 1 {
		t.Errorf("with escalation off the pace became %.2f", p)
	}
}

func TestHaltByRuleMovesTheRestOfTheTimeline(t *testing.T) {
	tl := policy.Timeline{
		{Name: "surge", Start: date("1929-11-01"), Target: 1, Deadline: date("1931-01-01"), MaxRung: 8},
		{Name: "halt", Start: date("1930-03-02"), Halt: true},
		{Name: "exit", Start: date("1930-03-16"), Halt: true, ExitAllowed: true},
	}
	m := agents.AllMechanisms()
	p := agents.AuthorityParams{MaxPace: 1, HaltRule: agents.HaltRule{Enabled: true, UnrestPer1000: 5, LivestockLoss: 0.9}}
	a := agents.NewAuthority(tl, twoRegions(), p, &m)
	dirs := make([]policy.Directive, 2)
	calm := []agents.RegionReport{{Households: 1000, Livestock: 100}, {Households: 1000, Livestock: 100}}
	riot := []agents.RegionReport{{Households: 1000, Livestock: 100, Unrest: 20}, {Households: 1000, Livestock: 100}}
	a.Directives(date("1929-12-01"), calm, dirs)
	if dirs[0].Halt {
		t.Fatal("halted while calm")
	}
	a.Directives(date("1930-01-05"), riot, dirs)
	if !dirs[0].Halt || !a.HaltedByRule() || a.HaltedOn() != date("1930-01-05") {
		t.Fatalf("10 disturbances per 1000 households did not halt: %+v", dirs[0])
	}
	a.Directives(date("1930-01-12"), calm, dirs)
	if dirs[0].ExitAllowed {
		t.Error("exit allowed one week after the halt; the timeline gives two")
	}
	a.Directives(date("1930-01-19"), calm, dirs)
	if !dirs[0].ExitAllowed {
		t.Error("exit not allowed two weeks after the halt")
	}
}
