package agents

import (
	"math"

	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/policy"
)

// AuthorityParams are the parameters of the central authority's rules.
type AuthorityParams struct {
	EscalationRate float64  `toml:"escalation_rate" min:"0" max:"100" unit:"pace per share" doc:"weekly rise of the pace of the plan per share by which reports run ahead of it" src:"assumed"`
	MaxPace        float64  `toml:"max_pace" min:"1" max:"100" unit:"multiplier" doc:"largest factor by which escalation may shorten deadlines" src:"assumed"`
	HaltRule       HaltRule `toml:"halt_rule" doc:"a halt called by a rule instead of (or before) a date" src:"assumed"`
}

// HaltRule calls the timeline's halt early when what the authority is told
// of unrest or livestock crosses a threshold.
type HaltRule struct {
	Enabled       bool    `toml:"enabled" doc:"call the halt when a threshold below is crossed" src:"assumed"`
	UnrestPer1000 float64 `toml:"unrest_per_1000" min:"0" max:"1000" unit:"disturbances per 1000 households" doc:"reported disturbances over the last four weeks that call a halt" src:"assumed"`
	LivestockLoss float64 `toml:"livestock_loss" min:"0" max:"1" unit:"share" doc:"share of the starting livestock lost that calls a halt" src:"assumed"`
}

// RegionPlan is what the authority knows of a region when it plans.
type RegionPlan struct {
	Name   string
	Weight float64 // share of the country's households
	Zeal   float64 // how far the regional committee raises the centre's pace (0: not at all)
}

// RegionReport is what reaches the authority from a region after a week:
// cadres' reports, not the truth.
type RegionReport struct {
	Reported   float64 // share of households reported collectivised
	Unrest     float64 // disturbances reported in the week
	Households float64
	Livestock  float64
}

// Authority is the central authority. It sees only reports, follows its
// timeline of phases, raises the pace when reports look good and can call
// a halt by date or by rule.
type Authority struct {
	timeline policy.Timeline
	regions  []RegionPlan
	p        AuthorityParams
	m        *Mechanisms

	halt  int // index of the halt phase in the timeline, or -1
	phase int
	plans []plan // of every phase of the timeline; those begun are set
	pace  float64

	signalAge int // weeks since the last public signal began, or -1

	shift      int // days by which a rule moved the halt and what follows it
	ruleHalt   bool
	unrest     [4]float64
	livestock0 float64
	haltedOn   calendar.Date
}

// plan is what the authority fixed when a phase began: the day its target
// path runs from, the regions' reported shares on that day, and (once it
// has ended) the pace it ended at.
type plan struct {
	begun bool
	start calendar.Date
	base  []float64
	pace  float64
}

// NewAuthority returns an authority for a sorted timeline.
func NewAuthority(t policy.Timeline, regions []RegionPlan, p AuthorityParams, m *Mechanisms) *Authority {
	a := &Authority{timeline: t, regions: regions, p: p, m: m, halt: t.HaltIndex(), phase: -1, pace: 1, signalAge: -1}
	a.plans = make([]plan, len(t))
	for i := range a.plans {
		a.plans[i].base = make([]float64, len(regions))
	}
	return a
}

// HaltedOn returns the date a halt first came into force, or the zero date.
func (a *Authority) HaltedOn() calendar.Date { return a.haltedOn }

// HaltedByRule reports whether the halt was called by the rule.
func (a *Authority) HaltedByRule() bool { return a.ruleHalt }

// Pace returns the current escalation factor of the plan.
func (a *Authority) Pace() float64 { return a.pace }

// Phases returns the number of phases of the timeline.
func (a *Authority) Phases() int { return len(a.timeline) }

// Directives writes into out, one per region, what cadres are told for the
// week that ends on d (the phase in force on d governs the week), given the
// reports of the week before.
func (a *Authority) Directives(d calendar.Date, reports []RegionReport, out []policy.Directive) {
	var hh, lv, un float64
	for _, r := range reports {
		hh += r.Households
		lv += r.Livestock
		un += r.Unrest
	}
	if a.livestock0 == 0 {
		a.livestock0 = lv
	}
	copy(a.unrest[1:], a.unrest[:3])
	a.unrest[0] = un

	hi := a.halt
	if a.p.HaltRule.Enabled && !a.ruleHalt && hi >= 0 && a.phase < hi && hh > 0 {
		recent := a.unrest[0] + a.unrest[1] + a.unrest[2] + a.unrest[3]
		loss := 0.0
		if a.livestock0 > 0 {
			loss = 1 - lv/a.livestock0
		}
		if 1000*recent/hh > a.p.HaltRule.UnrestPer1000 || loss > a.p.HaltRule.LivestockLoss {
			a.ruleHalt = true
			a.shift = d.DaysSince(a.timeline[hi].Start)
		}
	}
	i := a.timeline.At(d.AddDays(-a.shift))
	if a.ruleHalt && i < hi {
		i = hi
	}
	if a.signalAge >= 0 {
		a.signalAge++
	}
	if i != a.phase {
		if a.phase >= 0 {
			a.plans[a.phase].pace = a.pace
		}
		a.phase = i
		a.pace = 1
		if i >= 0 {
			pl := &a.plans[i]
			pl.begun, pl.start = true, d
			for r := range reports {
				pl.base[r] = reports[r].Reported
			}
			if a.timeline.IsSignal(i) {
				a.signalAge = 0
			}
		}
	}
	if i < 0 {
		for r := range out {
			out[r] = policy.Directive{Phase: -1, SignalAge: a.signalAge}
		}
		return
	}
	ph := &a.timeline[i]
	if ph.Halt && a.haltedOn.IsZero() {
		a.haltedOn = ph.Start.AddDays(a.shift)
	}
	if ph.Escalation && a.m.Escalation && hh > 0 {
		var plan, rep float64
		for r := range a.regions {
			plan += a.regions[r].Weight * a.path(i, a.pace, r, d)
			rep += a.regions[r].Weight * reports[r].Reported
		}
		a.pace = math.Min(a.p.MaxPace, a.pace*(1+a.p.EscalationRate*math.Max(0, rep-plan)))
	}
	for r := range out {
		out[r] = a.directive(i, a.pace, r, d)
	}
}

// Earlier writes into out[j], for every phase j before the one in force
// that has begun, the directive region r's cadres would act on this week
// had they not yet taken up any later phase: its measures and punishment,
// and its target path carried on at the pace it ended at. Entries of phases
// that never began are left as they are. Call it after Directives for the
// same week.
func (a *Authority) Earlier(r int, d calendar.Date, out []policy.Directive) {
	for j := 0; j < a.phase; j++ {
		if a.plans[j].begun {
			out[j] = a.directive(j, a.plans[j].pace, r, d)
		}
	}
}

// directive returns phase i's directive to region r for the week ending on
// d, its plan run at pace.
func (a *Authority) directive(i int, pace float64, r int, d calendar.Date) policy.Directive {
	ph := &a.timeline[i]
	dir := policy.Directive{
		Phase:        i,
		TargetPath:   a.path(i, pace, r, d),
		Persuasion:   ph.Persuasion,
		MaxRung:      policy.Rung(ph.MaxRung),
		Punishment:   ph.Punishment,
		ExitAllowed:  ph.ExitAllowed,
		PrivatePlots: ph.PrivatePlots,
		Halt:         ph.Halt,
		SignalAge:    a.signalAge,
	}
	if ph.Halt {
		dir.MaxRung = policy.NoCoercion
	}
	return dir
}

// path returns the share of households region r is expected to have
// collectivised by d under phase i's plan: a straight line from what was
// reported when the phase began to the target at the deadline, run faster
// by the regional committee's zeal and by escalation (pace).
func (a *Authority) path(i int, pace float64, r int, d calendar.Date) float64 {
	ph := &a.timeline[i]
	name := a.regions[r].Name
	target := ph.TargetFor(name)
	if target <= 0 || ph.Halt {
		return 0
	}
	pl := &a.plans[i]
	b := pl.base[r]
	if target <= b {
		return target
	}
	span := float64(ph.DeadlineFor(name).DaysSince(pl.start))
	if span <= 0 {
		return target
	}
	x := float64(d.DaysSince(pl.start)) * pace * (1 + a.regions[r].Zeal) / span
	return b + (target-b)*clamp01(x)
}
