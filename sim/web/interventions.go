package web

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/policy"
	"github.com/collsim/collsim/sim/scenario"
)

// Intervention is a change a student makes to a run at a week: it becomes
// a phase of the run's scenario (or, for urban cadres, its arrival date),
// so the run's scenario.toml repeats it with sim run. The run is made again
// from week 0 with the change in its scenario: the weeks before it are
// those of the run without it, and the whole run is exactly what sim run
// of the scenario gives.
type Intervention struct {
	Kind string `json:"kind"` // halt, leave, plots or cadres
	Week int    `json:"week"` // the change governs the weeks after this one
	Date string `json:"date"` // the day it takes effect: the date of week Week
}

// interventionKinds are the kinds, with what each does in words.
var interventionKinds = map[string]string{
	"halt":   "call the halt",
	"leave":  "allow members to leave",
	"plots":  "concede private plots",
	"cadres": "send urban cadres",
}

// phaseName names the phase an intervention adds.
func (iv Intervention) phaseName() string {
	return fmt.Sprintf("you-%s-week-%d", iv.Kind, iv.Week)
}

// interventionOfPhase says in words what an intervention's phase is.
func interventionOfPhase(name string) (string, bool) {
	rest, ok := strings.CutPrefix(name, "you-")
	if !ok {
		return "", false
	}
	kind, week, ok := strings.Cut(rest, "-week-")
	if words, known := interventionKinds[kind]; ok && known {
		return words + " (week " + week + ")", true
	}
	return "", false
}

// parseInterventions reads the form's "interventions": kind@week, comma
// separated (halt@12,leave@20).
func parseInterventions(raw string, steps int) ([]Intervention, string) {
	var out []Intervention
	for item := range strings.SplitSeq(raw, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		kind, w, ok := strings.Cut(item, "@")
		week, err := strconv.Atoi(w)
		if _, known := interventionKinds[kind]; !ok || !known || err != nil {
			return nil, fmt.Sprintf("%q: want kind@week, kind one of halt, leave, plots, cadres", item)
		}
		if week < 1 || week >= steps {
			return nil, fmt.Sprintf("%q: want a week from 1 to %d", item, steps-1)
		}
		for _, o := range out {
			if o.Kind == kind {
				return nil, fmt.Sprintf("%s is given twice: each change once", kind)
			}
		}
		out = append(out, Intervention{Kind: kind, Week: week})
	}
	if len(out) > len(interventionKinds) {
		return nil, "too many changes"
	}
	slices.SortStableFunc(out, func(a, b Intervention) int { return a.Week - b.Week })
	return out, ""
}

// applyInterventions adds the interventions to s: each a phase starting on
// the date of its week (so that it governs the next week), a copy of the
// phase then in force with one thing changed. The change lasts: every
// later phase of the scenario gets it too (a halt called by a student is
// not undone by a drive the scenario planned for later).
func applyInterventions(s *scenario.Scenario, ivs []Intervention) error {
	dates := calendar.Steps(s.Start, s.End)
	tl := s.Phases.Sorted()
	halt := policy.Phase{Halt: true} // coercion forbidden, no targets, no punishment
	if i := tl.HaltIndex(); i >= 0 {
		halt = tl[i]
	}
	for k := range ivs {
		iv := &ivs[k]
		d := dates[iv.Week]
		iv.Date = d.String()
		if iv.Kind == "cadres" {
			if !s.UrbanArrival.IsZero() && !s.UrbanArrival.After(d) && s.Mechanisms.UrbanCadres {
				return fmt.Errorf("cadres from the towns already arrived on %s in this scenario", s.UrbanArrival)
			}
			s.UrbanArrival = d
			s.Mechanisms.UrbanCadres = true
			any := false
			for _, r := range s.Regions {
				any = any || r.UrbanCadres > 0
			}
			if !any {
				for i := range s.Regions {
					s.Regions[i].UrbanCadres = 0.25
				}
			}
			continue
		}
		change := func(p *policy.Phase) {
			switch iv.Kind {
			case "halt":
				if p.Halt {
					return
				}
				p.Halt, p.MaxRung, p.Punishment, p.Escalation = true, halt.MaxRung, halt.Punishment, false
				p.Target, p.Targets, p.Deadline, p.Deadlines = halt.Target, halt.Targets, halt.Deadline, halt.Deadlines
				if halt.Persuasion > 0 {
					p.Persuasion = halt.Persuasion
				}
			case "leave":
				p.ExitAllowed = true
			case "plots":
				p.PrivatePlots = true
			}
		}
		np := policy.Phase{}
		if i := tl.At(d); i >= 0 {
			np = tl[i]
			np.Targets, np.Deadlines = cloneMap(np.Targets), cloneMap(np.Deadlines)
		}
		np.Name, np.Start = iv.phaseName(), d
		change(&np)
		for i := range tl {
			if tl[i].Start.After(d) {
				change(&tl[i])
			}
		}
		tl = append(tl, np).Sorted()
	}
	s.Phases = tl
	return nil
}

func cloneMap[K comparable, V any](m map[K]V) map[K]V {
	if m == nil {
		return nil
	}
	out := make(map[K]V, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
