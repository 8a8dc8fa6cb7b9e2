package web

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/compare"
	"github.com/collsim/collsim/sim/scenario"
)

// Control is a form field of the page: a labelled slider, switch or number
// that changes one thing about the chosen scenario.
type Control struct {
	Field    string `json:"field"`
	Label    string `json:"label"`
	Unit     string `json:"unit"`
	Doc      string `json:"doc"`                 // one line: what it is and what it changes
	Kind     string `json:"kind"`                // "range", "date-range", "checkbox" or "number"
	Min      string `json:"min,omitempty"`       // a number, or a date for a date-range
	Max      string `json:"max,omitempty"`       //
	Step     string `json:"step,omitempty"`      //
	Value    string `json:"value"`               // the scenario's own value
	MinLabel string `json:"min_label,omitempty"` // what the slider's ends mean, in words
	MaxLabel string `json:"max_label,omitempty"`
	Disabled string `json:"disabled,omitempty"`
}

// A field is a control and how its value becomes overrides of the scenario.
type field struct {
	name  string
	param string // the key in scenario.Parameters() its unit and doc come from
	label string
	kind  string
	doc   string // added to (or, without param, replacing) the parameter's doc
	// control fills in the control's value, range and whether it applies.
	control func(s *scenario.Scenario, lim Limits, c *Control)
	// apply returns the overrides that set the field to the raw value, or a
	// message saying what is wrong with it.
	apply func(s *scenario.Scenario, lim Limits, raw string) ([]string, string)
}

// Limits bound what the form may ask for.
type Limits struct {
	MinHouseholds, MaxHouseholds int
	Households                   int // the form's default
}

// fields are the form's controls, in the order the page shows them.
var fields = []field{
	{
		name: "households", param: "population.households", label: "households simulated", kind: "range",
		doc: "How many peasant households the computer follows. More are slower but smoother; every count is scaled up to the USSR's 25 million households.",
		control: func(s *scenario.Scenario, lim Limits, c *Control) {
			c.Min, c.Max, c.Step = itoa(lim.MinHouseholds), itoa(lim.MaxHouseholds), "1000"
			c.Unit = "households"
			c.MinLabel, c.MaxLabel = compare.Thousands(int64(lim.MinHouseholds))+" (fast)", compare.Thousands(int64(lim.MaxHouseholds))+" (slow)"
			c.Value = itoa(min(max(lim.Households, lim.MinHouseholds), lim.MaxHouseholds))
		},
		apply: func(s *scenario.Scenario, lim Limits, raw string) ([]string, string) {
			n, err := strconv.Atoi(raw)
			if err != nil || n < lim.MinHouseholds || n > lim.MaxHouseholds {
				msg := fmt.Sprintf("want a whole number from %s to %s", compare.Thousands(int64(lim.MinHouseholds)), compare.Thousands(int64(lim.MaxHouseholds)))
				if err == nil && n > lim.MaxHouseholds {
					msg += "; this server keeps runs classroom-sized (use sim run for more)"
				}
				return nil, msg
			}
			return []string{"population.households=" + raw}, ""
		},
	},
	{
		name: "seed", param: "seed", label: "run number (seed)", kind: "number",
		doc: "Chance decides which household joins first and which village rebels; this number picks one such run. The same number and settings always give the same run; another number gives another, equally likely one.",
		control: func(s *scenario.Scenario, lim Limits, c *Control) {
			c.Min, c.Max, c.Step, c.Value = "0", itoa(maxSeed), "1", strconv.FormatInt(s.Seed, 10)
			c.Unit = "any whole number from 0 to " + compare.Thousands(maxSeed)
		},
		apply: func(s *scenario.Scenario, lim Limits, raw string) ([]string, string) {
			n, err := strconv.ParseInt(raw, 10, 64)
			if err != nil || n < 0 || n > maxSeed {
				return nil, "want a whole number from 0 to " + itoa(maxSeed)
			}
			return []string{"seed=" + raw}, ""
		},
	},
	{
		name: "halt_date", param: "phases[].halt", label: "date of the halt", kind: "date-range",
		doc: "The day the centre calls a halt to forced collectivization (in history 2 March 1930, Stalin's article \"Dizzy with Success\"). The permission to leave, which followed, moves with it.",
		control: func(s *scenario.Scenario, lim Limits, c *Control) {
			c.Unit, c.Step = "date", "1"
			h, ok := haltPeriod(s)
			if !ok {
				c.Disabled = "this scenario calls no halt"
				return
			}
			c.Min, c.Max, c.Value = h.min.String(), h.max.String(), s.Phases[h.first].Start.String()
		},
		apply: func(s *scenario.Scenario, lim Limits, raw string) ([]string, string) {
			h, _ := haltPeriod(s)
			d, err := calendar.ParseDate(raw)
			if err != nil {
				return nil, "want a date as YYYY-MM-DD"
			}
			if d.Before(h.min) || d.After(h.max) {
				return nil, fmt.Sprintf("want a date from %s to %s (after the phase before the halt starts, and early enough for the halt phases that follow it)", h.min, h.max)
			}
			shift := d.DaysSince(s.Phases[h.first].Start)
			var o []string
			for i := h.first; i < h.end; i++ {
				o = append(o, fmt.Sprintf("phases.%d.start=%q", i, s.Phases[i].Start.AddDays(shift).String()))
			}
			return o, ""
		},
	},
	{
		name: "punishment", param: "phases[].punishment", label: "punishment of cadres who fall behind", kind: "range",
		doc: "How often the centre punishes a village cadre whose reports fall behind the target: 0 never, 1 as often as the model allows (a punished cadre may lose the post). This sets the harshest phase; the others change in proportion.",
		control: func(s *scenario.Scenario, lim Limits, c *Control) {
			c.Unit, c.Min, c.Max, c.Step = "0 none to 1 harshest", "0", "1", "0.05"
			c.MinLabel, c.MaxLabel = "0: never", "1: harshest"
			top, phases := punishments(s)
			if len(phases) == 0 {
				c.Disabled = "this scenario sets no targets, so no cadre is punished for missing one"
				return
			}
			c.Value = ftoa(top)
		},
		apply: func(s *scenario.Scenario, lim Limits, raw string) ([]string, string) {
			x, msg := unit(raw)
			if msg != "" {
				return nil, msg
			}
			top, phases := punishments(s)
			var o []string
			for _, i := range phases {
				p := x
				if top > 0 {
					p = math.Min(1, s.Phases[i].Punishment*x/top)
				}
				o = append(o, fmt.Sprintf("phases.%d.punishment=%s", i, ftoa(p)))
			}
			return o, ""
		},
	},
	{
		name: "honest_reporting", param: "mechanisms.inflated_reports", label: "honest reporting", kind: "checkbox",
		doc: "On: village cadres report the true share of households in collectives. Off: they report more than the truth when they fear punishment or trail their neighbours, as in history.",
		control: func(s *scenario.Scenario, lim Limits, c *Control) {
			c.Value = strconv.FormatBool(!s.Mechanisms.InflatedReports)
		},
		apply: func(s *scenario.Scenario, lim Limits, raw string) ([]string, string) {
			b, err := strconv.ParseBool(raw)
			if err != nil {
				return nil, "want true or false"
			}
			return []string{"mechanisms.inflated_reports=" + strconv.FormatBool(!b)}, ""
		},
	},
	{
		name: "urban_cadres", param: "regions[].urban_cadres", label: "villages taken over by cadres from the towns", kind: "range",
		doc: "The share of villages whose cadre is replaced by a worker sent from the towns (the \"twenty-five-thousanders\" of early 1930), who presses harder and knows the village less. 0: local cadres only.",
		control: func(s *scenario.Scenario, lim Limits, c *Control) {
			c.Min, c.Max, c.Step = "0", "1", "0.01"
			c.Unit = "share of villages"
			c.MinLabel, c.MaxLabel = "0: none", "1: every village"
			if s.UrbanArrival.IsZero() {
				c.Disabled = "no cadres come from the towns in this scenario"
				return
			}
			share := 0.0
			if s.Mechanisms.UrbanCadres {
				for _, r := range s.Regions {
					share += r.Share * r.UrbanCadres
				}
			}
			c.Value = strconv.FormatFloat(share, 'f', 2, 64)
		},
		apply: func(s *scenario.Scenario, lim Limits, raw string) ([]string, string) {
			x, msg := unit(raw)
			if msg != "" {
				return nil, msg
			}
			o := []string{"mechanisms.urban_cadres=" + strconv.FormatBool(x > 0)}
			if x > 0 {
				for i := range s.Regions {
					o = append(o, fmt.Sprintf("regions.%d.urban_cadres=%s", i, ftoa(x)))
				}
			}
			return o, ""
		},
	},
	{
		name: "private_plots", param: "phases[].private_plots", label: "private plots from the start", kind: "checkbox",
		doc: "On: members of a collective keep a garden plot and a cow from the first week (in history only from spring 1930). Off: never, where the scenario had them from the start.",
		control: func(s *scenario.Scenario, lim Limits, c *Control) {
			c.Value = strconv.FormatBool(s.Phases[0].PrivatePlots)
		},
		apply: func(s *scenario.Scenario, lim Limits, raw string) ([]string, string) {
			b, err := strconv.ParseBool(raw)
			if err != nil {
				return nil, "want true or false"
			}
			var o []string
			for i := range s.Phases {
				o = append(o, fmt.Sprintf("phases.%d.private_plots=%t", i, b))
			}
			return o, ""
		},
	},
	{
		name: "cadre_zeal", param: "regions[].cadre_zeal", label: "zeal of village cadres", kind: "range",
		doc: "How hard village cadres push, as a multiple of each region's (1: as in the scenario; 0: they do not push at all; 3: three times as hard).",
		control: func(s *scenario.Scenario, lim Limits, c *Control) {
			c.Unit, c.Min, c.Max, c.Step, c.Value = "× the scenario's", "0", "3", "0.05", "1"
			c.MinLabel, c.MaxLabel = "0: no push", "3: three times"
		},
		apply: func(s *scenario.Scenario, lim Limits, raw string) ([]string, string) {
			x, err := strconv.ParseFloat(raw, 64)
			if err != nil || math.IsNaN(x) || x < 0 || x > 3 {
				return nil, "want a number from 0 to 3"
			}
			var o []string
			for i, r := range s.Regions {
				o = append(o, fmt.Sprintf("regions.%d.cadre_zeal=%s", i, ftoa(r.CadreZeal*x)))
			}
			return o, ""
		},
	},
	{
		name: "escalation", param: "mechanisms.escalation", label: "the centre raises the pace", kind: "checkbox",
		doc: "On: when reports run ahead of the plan, the centre brings the deadlines forward (as after Stalin's article of November 1929). Off: the plan stays as it was set.",
		control: func(s *scenario.Scenario, lim Limits, c *Control) {
			c.Value = strconv.FormatBool(s.Mechanisms.Escalation)
		},
		apply: func(s *scenario.Scenario, lim Limits, raw string) ([]string, string) {
			b, err := strconv.ParseBool(raw)
			if err != nil {
				return nil, "want true or false"
			}
			return []string{"mechanisms.escalation=" + strconv.FormatBool(b)}, ""
		},
	},
}

// maxSeed is the largest seed the form takes: enough runs for any class,
// and short enough to type (sim run takes any seed).
const maxSeed = 999_999

// Controls returns the form's controls for scenario s, with its values.
func Controls(s *scenario.Scenario, lim Limits) []Control {
	params := map[string]scenario.Parameter{}
	for _, p := range scenario.Parameters() {
		params[p.Key] = p
	}
	cs := make([]Control, len(fields))
	for i, f := range fields {
		p := params[f.param]
		// Plain words written for the page; the parameter's unit unless the
		// control says otherwise.
		c := Control{Field: f.name, Label: f.label, Kind: f.kind, Unit: p.Unit, Doc: f.doc}
		f.control(s, lim, &c)
		cs[i] = c
	}
	return cs
}

// overrides turns a submitted form into overrides of scenario s. A field
// that is absent, or whose value is the scenario's own (the control's
// value), changes nothing; so an untouched form runs the scenario as it is
// (apart from the households, which the form always sets). It returns the
// overrides, the field each override came from, what the form changed in
// words (e.g. "halt date 1930-01-15": each field given with a value not the
// control's, households included) and a message per bad field.
func overrides(s *scenario.Scenario, lim Limits, form map[string]string) (o, from []string, changes string, bad map[string]string) {
	bad = map[string]string{}
	var changed []string
	cs := Controls(s, lim)
	for i, f := range fields {
		raw, given := form[f.name]
		if !given {
			if f.name != "households" {
				continue
			}
			raw = cs[i].Value
		}
		raw = strings.TrimSpace(raw)
		switch {
		case raw == "":
			bad[f.name] = "empty: " + describe(&cs[i])
			continue
		case cs[i].Disabled != "":
			bad[f.name] = "does not apply: " + cs[i].Disabled
			continue
		case f.name != "households" && same(raw, cs[i].Value):
			continue
		}
		more, msg := f.apply(s, lim, raw)
		if msg != "" {
			bad[f.name] = msg
			continue
		}
		for range more {
			from = append(from, f.name)
		}
		o = append(o, more...)
		if given && !same(raw, cs[i].Value) {
			changed = append(changed, f.label+" "+raw)
		}
	}
	return o, from, strings.Join(changed, ", "), bad
}

// describe says what a control wants.
func describe(c *Control) string {
	switch c.Kind {
	case "checkbox":
		return "want true or false"
	case "date-range":
		return "want a date from " + c.Min + " to " + c.Max
	}
	return "want a number from " + c.Min + " to " + c.Max
}

// same reports whether a submitted value is the control's own value.
func same(raw, value string) bool {
	if raw == value {
		return true
	}
	x, err1 := strconv.ParseFloat(raw, 64)
	y, err2 := strconv.ParseFloat(value, 64)
	if err1 == nil && err2 == nil {
		return x == y
	}
	a, err1 := strconv.ParseBool(raw)
	b, err2 := strconv.ParseBool(value)
	return err1 == nil && err2 == nil && a == b
}

// halt is the period of a scenario's halt: the first phase that calls a
// halt and the halt phases right after it, and the dates it may start on.
type halt struct {
	first, end int // phases[first:end]
	min, max   calendar.Date
}

// haltPeriod finds the halt of s.
func haltPeriod(s *scenario.Scenario) (halt, bool) {
	h := halt{first: -1}
	for i, p := range s.Phases {
		if p.Halt {
			h.first = i
			break
		}
	}
	if h.first < 0 {
		return h, false
	}
	h.end = h.first + 1
	for h.end < len(s.Phases) && s.Phases[h.end].Halt {
		h.end++
	}
	span := s.Phases[h.end-1].Start.DaysSince(s.Phases[h.first].Start)
	h.min = s.Start.AddDays(1)
	if h.first > 0 {
		h.min = s.Phases[h.first-1].Start.AddDays(1)
	}
	h.max = s.End.AddDays(-span)
	if h.end < len(s.Phases) {
		h.max = s.Phases[h.end].Start.AddDays(-span - 1)
	}
	if h.max.Before(h.min) {
		return h, false
	}
	return h, true
}

// punishments returns the harshest punishment of cadres in s and the phases
// the punishment control changes: those that punish, or, where none does,
// those with a target.
func punishments(s *scenario.Scenario) (top float64, phases []int) {
	for i, p := range s.Phases {
		if p.Punishment > 0 {
			top = math.Max(top, p.Punishment)
			phases = append(phases, i)
		}
	}
	if len(phases) > 0 {
		return top, phases
	}
	for i, p := range s.Phases {
		hasTarget := p.Target > 0
		for _, t := range p.Targets {
			hasTarget = hasTarget || t > 0
		}
		if hasTarget {
			phases = append(phases, i)
		}
	}
	return 0, phases
}

// unit parses a number from 0 to 1.
func unit(raw string) (float64, string) {
	x, err := strconv.ParseFloat(raw, 64)
	if err != nil || math.IsNaN(x) || x < 0 || x > 1 {
		return 0, "want a number from 0 to 1"
	}
	return x, ""
}

func itoa(n int) string { return strconv.Itoa(n) }

// ftoa writes x with at most 6 decimals, as short as it goes.
func ftoa(x float64) string {
	return strconv.FormatFloat(math.Round(x*1e6)/1e6, 'g', -1, 64)
}
