package scenario

import (
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/collsim/collsim/internal/strict"
	"github.com/collsim/collsim/sim/calendar"
)

// MaxYears is the longest run, from start to end, that a scenario may ask
// for. The campaign took under two years; every week's outputs are kept in
// memory until the run ends, so memory and timeseries.csv grow with the
// length (end = "9999-12-31" took 4 GB and wrote 500 MB).
const MaxYears = 20

// tolerance is how far shares may sum from 1.
const tolerance = 1e-6

// Validate checks every parameter against its range (the min and max tags)
// and the rules that tie parameters together. Its error is an ErrorList;
// called directly, its errors carry keys but no files or lines.
func (s *Scenario) Validate() error {
	if errs := validate(s, nil); len(errs) > 0 {
		return errs
	}
	return nil
}

// checker collects the problems of a scenario; pos gives where each path
// was set, if known.
type checker struct {
	errs ErrorList
	pos  strict.Positions
}

// fail records a problem at key, placed at key or its nearest ancestor
// that has a position.
func (c *checker) fail(key, msg, hint string) {
	c.errs = append(c.errs, c.pos.Error(key, msg, hint))
}

// validate returns every problem of s.
func validate(s *Scenario, pos strict.Positions) ErrorList {
	c := &checker{pos: pos}
	schema.Ranges(reflect.ValueOf(s).Elem(), func(key, msg string) { c.fail(key, msg, "") })
	if msg, hint := CheckName(s.Name); msg != "" {
		c.fail("name", msg, hint)
	}
	c.dates(s)
	c.shares(s)
	c.regions(s)
	c.phases(s)
	if s.Authority.HaltRule.Enabled && s.Phases.HaltIndex() < 0 {
		c.fail("authority.halt_rule.enabled", "the halt rule needs a phase to call", "add a phase with halt = true")
	}
	if sum := s.Cadre.ArrestShare + s.Cadre.DeportShare; sum > 1+tolerance {
		c.fail("cadre.deport_share", "arrest_share + deport_share is more than 1", "they sum to "+fmtSum(sum))
	}
	return c.errs
}

// CheckName checks that name, of a scenario or a sweep, can name its
// default output folder, results/<name>: one folder name, not "." or "..",
// not hidden, without a slash, a backslash or a control character, at most
// 100 bytes. It returns a message and a hint, or "" if the name is fine.
func CheckName(name string) (msg, hint string) {
	hint = "the name is the folder of the outputs under results/: use letters, digits, spaces, - and _"
	switch {
	case name == "":
		return "the name is empty", hint
	case name == "." || name == "..":
		return fmt.Sprintf("%q is not a name", name), hint
	case strings.ContainsAny(name, `/\`):
		return fmt.Sprintf("%q holds a slash: a name is not a path", name), hint + "; choose the folder with --out"
	case strings.HasPrefix(name, "."):
		return fmt.Sprintf("%q starts with a dot", name), hint
	case strings.IndexFunc(name, func(r rune) bool { return r < 0x20 || r == 0x7f || r == utf8.RuneError }) >= 0:
		return fmt.Sprintf("%q holds a control character", name), hint
	case len(name) > 100:
		return fmt.Sprintf("the name is %d bytes long, more than 100", len(name)), hint
	}
	return "", ""
}

// dates checks the run's dates and the agricultural calendar.
func (c *checker) dates(s *Scenario) {
	switch {
	case s.Start.IsZero():
		c.fail("start", "the start date is not set", `set start = "YYYY-MM-DD"`)
	case !s.End.After(s.Start):
		c.fail("end", fmt.Sprintf("end %s is not after the start", s.End), "the scenario starts on "+s.Start.String())
	case s.End.After(s.Start.AddYears(MaxYears)):
		c.fail("end", fmt.Sprintf("the run from %s to %s is longer than %d years, the most collsim runs", s.Start, s.End, MaxYears),
			"end on or before "+s.Start.AddYears(MaxYears).String())
	}
	if u := s.UrbanArrival; !u.IsZero() && (u.Before(s.Start) || u.After(s.End)) {
		c.fail("urban_arrival", fmt.Sprintf("%s is outside the run", u), fmt.Sprintf("set a date from %s to %s, or \"\" for never", s.Start, s.End))
	}
	for _, d := range []struct {
		key string
		day calendar.DayOfYear
	}{{"calendar.sowing_start", s.Calendar.SowingStart}, {"calendar.harvest_start", s.Calendar.HarvestStart}} {
		if _, err := calendar.ParseDayOfYear(d.day.String()); err != nil {
			c.fail(d.key, fmt.Sprintf("%s is not a day of the year", d.day), "")
		}
	}
}

// shares checks that the class shares sum to 1.
func (c *checker) shares(s *Scenario) {
	if sum := s.Population.Classes.Sum(); math.Abs(sum-1) > tolerance {
		c.fail("population.classes", "class shares do not sum to 1", "shares must sum to 1; they sum to "+fmtSum(sum))
	}
}

// regions checks the regions: at least one, unique names, shares summing
// to 1, and no more than there are households.
func (c *checker) regions(s *Scenario) {
	if len(s.Regions) == 0 {
		c.fail("regions", "no regions", "add a [[regions]] table with a name and a share")
		return
	}
	seen := map[string]int{}
	sum := 0.0
	for i, r := range s.Regions {
		key := strict.IndexKey("regions", i)
		if r.Name == "" {
			c.fail(key+".name", "the region has no name", "")
		} else if j, ok := seen[r.Name]; ok {
			c.fail(key+".name", fmt.Sprintf("region %q is named twice", r.Name), fmt.Sprintf("regions[%d] has the same name", j))
		} else {
			seen[r.Name] = i
		}
		sum += r.Share
	}
	if math.Abs(sum-1) > tolerance {
		c.fail("regions", "region shares do not sum to 1", "shares must sum to 1; they sum to "+fmtSum(sum))
	}
	if h := s.Population.Households; h >= 1 && h < len(s.Regions) {
		c.fail("population.households", fmt.Sprintf("%d households are too few for %d regions", s.Population.Households, len(s.Regions)), "give each region at least one household")
	}
}

// phases checks the timeline: unique names, in order within the run,
// deadlines after the start of a phase with a target, targets and deadlines
// by region for known regions.
func (c *checker) phases(s *Scenario) {
	regions := map[string]bool{}
	var quoted []string
	for _, r := range s.Regions {
		regions[r.Name] = true
		quoted = append(quoted, strconv.Quote(r.Name))
	}
	known := "there are no regions"
	if len(quoted) > 0 {
		known = "regions are " + strings.Join(quoted, ", ")
	}
	seen := map[string]int{}
	for i, p := range s.Phases {
		key := strict.IndexKey("phases", i)
		if p.Name == "" {
			c.fail(key+".name", "the phase has no name", "")
		} else if j, ok := seen[p.Name]; ok {
			c.fail(key+".name", fmt.Sprintf("phase %q is named twice", p.Name), fmt.Sprintf("phases[%d] has the same name", j))
		} else {
			seen[p.Name] = i
		}
		switch {
		case p.Start.Before(s.Start):
			c.fail(key+".start", "phase dated before the start", "the scenario starts on "+s.Start.String())
		case p.Start.After(s.End):
			c.fail(key+".start", "phase dated after the end", "the scenario ends on "+s.End.String())
		case i > 0 && p.Start.Before(s.Phases[i-1].Start):
			c.fail(key+".start", "phase starts before the phase above it", fmt.Sprintf("list phases in order of their start; phases[%d] starts on %s", i-1, s.Phases[i-1].Start))
		}
		if p.Target > 0 {
			switch {
			case p.Deadline.IsZero():
				c.fail(key+".deadline", "a phase with a target needs a deadline", "")
			case !p.Deadline.After(p.Start):
				c.fail(key+".deadline", fmt.Sprintf("deadline %s is not after the phase's start %s", p.Deadline, p.Start), "")
			}
		}
		for _, r := range slices.Sorted(maps.Keys(p.Targets)) {
			tkey := strict.JoinKey(key+".targets", r)
			switch v := p.Targets[r]; {
			case !regions[r]:
				c.fail(tkey, fmt.Sprintf("no region named %q", r), known)
			case math.IsNaN(v) || v < 0 || v > 1:
				c.fail(tkey, fmt.Sprintf("%v is out of range [0, 1]", v), "a target is a share of households")
			case v > 0 && p.Deadline.IsZero() && p.Deadlines[r].IsZero():
				c.fail(tkey, "a region with a target needs a deadline", "set deadline (or deadlines) for the phase")
			}
		}
		for _, r := range slices.Sorted(maps.Keys(p.Deadlines)) {
			dkey := strict.JoinKey(key+".deadlines", r)
			d := p.Deadlines[r]
			switch {
			case !regions[r]:
				c.fail(dkey, fmt.Sprintf("no region named %q", r), known)
			case p.Target > 0 && !d.After(p.Start):
				c.fail(dkey, fmt.Sprintf("deadline %s is not after the phase's start %s", d, p.Start), "")
			}
		}
	}
}

// fmtSum formats a sum of shares for a message.
func fmtSum(x float64) string { return strconv.FormatFloat(x, 'g', 6, 64) }
