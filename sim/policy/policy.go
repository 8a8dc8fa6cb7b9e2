// Package policy describes what the central authority wants: a timeline of
// phases (voluntary persuasion, targets with deadlines, a halt, permission to
// leave, private plots) and the Directive each region's cadres receive in a
// week.
package policy

import (
	"sort"

	"github.com/collsim/collsim/sim/calendar"
)

// Rung is a step on the coercion ladder, from persuasion only (0) to labelling
// a household "kulak" for arrest, deportation or resettlement (8). A household
// that has been pushed to rung r has suffered every measure below r as well.
type Rung uint8

// The coercion ladder (seed: "beginning with simple threats ... arrested and
// their lands confiscated").
const (
	NoCoercion      Rung = iota // persuasion only
	Threatened                  // "we are giving you a week's time, think about it"
	Fined                       // huge fines
	Disenfranchised             // voting rights withdrawn
	Boycotted                   // shops refuse to sell, children removed from school
	Stripped                    // seed and implements taken away
	Moved                       // land merged, useless land far from the village given instead
	Seized                      // assets and home taken for nothing or a nominal price
	Labelled                    // labelled kulak: arrested, deported or resettled
)

// MaxRung is the top of the ladder.
const MaxRung = Labelled

var rungNames = [...]string{"none", "threatened", "fined", "disenfranchised", "boycotted", "stripped", "moved", "seized", "labelled"}

// String returns the rung's name.
func (r Rung) String() string {
	if int(r) < len(rungNames) {
		return rungNames[r]
	}
	return "rung?"
}

// Phase is one period of the central authority's policy, in force from its
// Start until the next phase starts.
type Phase struct {
	Name  string        `toml:"name" doc:"name of the phase, unique in the timeline" src:"policy input of the scenario"`
	Start calendar.Date `toml:"start" doc:"first day the phase is in force" src:"policy input of the scenario"`
	// Persuasion is the share of cadres' effort the policy asks for mass work.
	Persuasion float64 `toml:"persuasion" min:"0" max:"1" unit:"share of effort" doc:"effort the policy asks cadres to put into persuasion (mass work)" src:"policy input of the scenario"`
	// MaxRung is the highest coercive measure the policy permits.
	MaxRung int `toml:"max_rung" min:"0" max:"8" unit:"rung" doc:"highest rung of the coercion ladder permitted (0 persuasion only ... 8 labelling kulaks)" src:"policy input of the scenario"`
	// Punishment is how hard cadres who miss their targets are punished.
	Punishment float64 `toml:"punishment" min:"0" max:"1" unit:"0..1" doc:"severity of punishment of cadres whose reports fall behind the target path" src:"policy input of the scenario"`
	// Target is the share of households to be collectivised by Deadline; 0 means no target.
	Target float64 `toml:"target" min:"0" max:"1" unit:"share of households" doc:"share of households to be in collectives by the deadline (0: no target)" src:"policy input of the scenario"`
	// Targets overrides Target for named regions.
	Targets map[string]float64 `toml:"targets" min:"0" max:"1" unit:"share of households" doc:"per-region targets, by region name" src:"policy input of the scenario"`
	// Deadline is when Target must be met.
	Deadline calendar.Date `toml:"deadline" doc:"date the target must be met" src:"policy input of the scenario"`
	// Deadlines overrides Deadline for named regions.
	Deadlines map[string]calendar.Date `toml:"deadlines" doc:"per-region deadlines, by region name" src:"policy input of the scenario"`
	// ExitAllowed permits members to leave their collective.
	ExitAllowed bool `toml:"exit_allowed" doc:"members may leave collectives without punishment" src:"policy input of the scenario"`
	// PrivatePlots concedes a private plot and a cow to members.
	PrivatePlots bool `toml:"private_plots" doc:"members keep a private plot and a cow" src:"policy input of the scenario"`
	// Escalation lets the authority raise the pace when reports look good.
	Escalation bool `toml:"escalation" doc:"the authority shortens deadlines when reports run ahead of the plan" src:"policy input of the scenario"`
	// Halt is a call to halt: coercion forbidden and cadres blamed for it.
	Halt bool `toml:"halt" doc:"a call to halt: coercion forbidden, cadres blamed for excesses" src:"policy input of the scenario"`
	// Signal marks a public statement from the centre that households read
	// at once as a change of course (a published letter, a plenum). The first
	// phase of a halt is always one.
	Signal bool `toml:"signal" doc:"a public statement from the centre that households read at once as a change of course (the first phase of a halt always is one)" src:"policy input of the scenario"`
}

// TargetFor returns the target that applies to the named region.
func (p *Phase) TargetFor(region string) float64 {
	if t, ok := p.Targets[region]; ok {
		return t
	}
	return p.Target
}

// DeadlineFor returns the deadline that applies to the named region.
func (p *Phase) DeadlineFor(region string) calendar.Date {
	if d, ok := p.Deadlines[region]; ok {
		return d
	}
	return p.Deadline
}

// Timeline is a list of phases in order of their start.
type Timeline []Phase

// Sorted returns a copy of t ordered by start date (stable for equal dates).
func (t Timeline) Sorted() Timeline {
	s := append(Timeline(nil), t...)
	sort.SliceStable(s, func(i, j int) bool { return s[i].Start.Before(s[j].Start) })
	return s
}

// At returns the index of the phase in force on d, or -1 if d precedes every
// phase. t must be sorted.
func (t Timeline) At(d calendar.Date) int {
	i := -1
	for k := range t {
		if t[k].Start.After(d) {
			break
		}
		i = k
	}
	return i
}

// IsSignal reports whether phase i of t is a public signal: it says so, or
// it is a halt that follows no halt.
func (t Timeline) IsSignal(i int) bool {
	return t[i].Signal || t[i].Halt && (i == 0 || !t[i-1].Halt)
}

// HaltIndex returns the index of the first phase that calls a halt, or -1.
func (t Timeline) HaltIndex() int {
	for i := range t {
		if t[i].Halt {
			return i
		}
	}
	return -1
}

// Directive is what a region's cadres are told for one week.
type Directive struct {
	Phase        int     // index of the phase in force
	TargetPath   float64 // share of households expected collectivised by now (0: no target)
	Persuasion   float64 // effort on mass work the policy asks for
	MaxRung      Rung    // highest measure permitted
	Punishment   float64 // severity of punishment for falling behind
	ExitAllowed  bool
	PrivatePlots bool
	Halt         bool // coercion forbidden; cadres who keep coercing are blamed

	// SignalAge is the number of weeks since the last public signal from
	// the centre came (0: this week), or -1 if none has.
	SignalAge int
}

// CoercionAllowed reports whether the directive permits any coercion.
func (d *Directive) CoercionAllowed() bool { return d.MaxRung > NoCoercion && !d.Halt }
