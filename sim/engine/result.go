package engine

import (
	"math"

	"github.com/collsim/collsim/sim/agents"
	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/policy"
)

// WeekTally is a region's (or district's) week: the households' tally plus
// what happened at village level.
type WeekTally struct {
	agents.Tally
	Reported       float64 // Σ over villages of report × households
	Unrest         int64   // villages with a disturbance
	CadresPunished int64
	Objectors      int64
	Coercing       int64 // cadres coercing this week
	Villages       int64
	Herd           float64 // livestock in collectives' common herds

	VoluntaryCollectives, CoercedCollectives LabourSum
}

// LabourSum is a sum of adults and of adults × productivity.
type LabourSum struct{ Labour, LabourP float64 }

func (a *LabourSum) add(b LabourSum) { a.Labour += b.Labour; a.LabourP += b.LabourP }

func (t *WeekTally) add(u *WeekTally) {
	t.Tally.Add(&u.Tally)
	t.Reported += u.Reported
	t.Unrest += u.Unrest
	t.CadresPunished += u.CadresPunished
	t.Objectors += u.Objectors
	t.Coercing += u.Coercing
	t.Villages += u.Villages
	t.Herd += u.Herd
	t.VoluntaryCollectives.add(u.VoluntaryCollectives)
	t.CoercedCollectives.add(u.CoercedCollectives)
}

// perAdult returns output per adult, or 1 with no labour.
func (t *WeekTally) perAdult() float64 {
	if t.Labour > 0 {
		return t.LabourP / t.Labour
	}
	return 1
}

// report is what the authority hears of the region.
func (t *WeekTally) report() agents.RegionReport {
	r := agents.RegionReport{Unrest: float64(t.Unrest), Households: float64(t.Households), Livestock: t.Livestock + t.Herd}
	if t.Households > 0 {
		r.Reported = t.Reported / float64(t.Households)
	}
	return r
}

// cumulative holds a region's running totals.
type cumulative struct {
	Rungs                         [policy.MaxRung + 1]int64
	Arrested, Deported, Resettled int64
	CadresPunished                int64
	Joins, Exits, Unrest          int64
	Participants, ReprisalArrests int64
	Slaughters, Thefts            int64
	GrainOutput                   float64
	VoluntaryCollectives          LabourSum
	CoercedCollectives            LabourSum
}

func (c *cumulative) add(t *WeekTally) {
	for i := range c.Rungs {
		c.Rungs[i] += t.Rungs[i]
	}
	c.Arrested += t.Arrested
	c.Deported += t.Deported
	c.Resettled += t.Resettled
	c.CadresPunished += t.CadresPunished
	c.Joins += t.Joins
	c.Exits += t.Exits
	c.Unrest += t.Unrest
	c.Participants += t.Participants
	c.ReprisalArrests += t.ReprisalArrests
	c.Slaughters += t.Slaughters
	c.Thefts += t.Thefts
	c.GrainOutput += t.GrainOutput
	c.VoluntaryCollectives.add(t.VoluntaryCollectives)
	c.CoercedCollectives.add(t.CoercedCollectives)
}

// Row is one region's state after one step, at simulated scale. The output
// package scales counts to the real population and writes the columns.
type Row struct {
	Step   int
	Date   calendar.Date
	Region string

	Households, CollectiveHouseholds int64
	CollectiveShare, LandShare       float64
	ReportedShare                    float64
	Joins, Exits                     int64 // this week
	VoluntaryMembers, CoercedMembers int64
	// Cumulative counts of households that have suffered each measure.
	Fined, Disenfranchised, Arrested, Deported, Resettled int64
	Threatened, Boycotted, Stripped, Moved, Seized        int64
	Livestock                                             float64 // units, households' and common herds
	GrainOutput                                           float64 // t harvested this week
	ProductivityIndex                                     float64 // output per adult / step 0
	UnrestEvents                                          int64   // this week
	UnrestParticipants                                    int64   // households taking part in them
	ReprisalArrests                                       int64   // cumulative: arrested after a disturbance (not in Arrested)
	CadresPunished                                        int64   // cumulative
	Coercing                                              int64   // cadres coercing this week
	Villages                                              int64
}

func makeRow(step int, d calendar.Date, name string, t *WeekTally, c *cumulative, base float64) Row {
	r := Row{
		Step: step, Date: d, Region: name,
		Households:           t.Households,
		CollectiveHouseholds: t.Members,
		Joins:                t.Joins,
		Exits:                t.Exits,
		VoluntaryMembers:     t.Voluntary,
		CoercedMembers:       t.Coerced,
		Fined:                c.Rungs[policy.Fined],
		Disenfranchised:      c.Rungs[policy.Disenfranchised],
		Threatened:           c.Rungs[policy.Threatened],
		Boycotted:            c.Rungs[policy.Boycotted],
		Stripped:             c.Rungs[policy.Stripped],
		Moved:                c.Rungs[policy.Moved],
		Seized:               c.Rungs[policy.Seized],
		Arrested:             c.Arrested,
		Deported:             c.Deported,
		Resettled:            c.Resettled,
		Livestock:            t.Livestock + t.Herd,
		GrainOutput:          t.GrainOutput,
		UnrestEvents:         t.Unrest,
		UnrestParticipants:   t.Participants,
		ReprisalArrests:      c.ReprisalArrests,
		CadresPunished:       c.CadresPunished,
		Coercing:             t.Coercing,
		Villages:             t.Villages,
		ProductivityIndex:    1,
	}
	if t.Households > 0 {
		r.CollectiveShare = float64(t.Members) / float64(t.Households)
		r.ReportedShare = t.Reported / float64(t.Households)
	}
	if t.Land > 0 {
		r.LandShare = t.LandCollective / t.Land
	}
	if t.Labour > 0 && base > 0 {
		r.ProductivityIndex = t.LabourP / t.Labour / base
	}
	return r
}

// Result is a finished run: a row per region per step (with the whole
// country, region "ALL", last in each step) and the totals behind the summary.
type Result struct {
	Dates   []calendar.Date
	Regions []string // region names, then "ALL"
	Rows    [][]Row  // Rows[step][region]

	// Totals over the run, per region then ALL, at simulated scale.
	Totals []Totals

	HaltedOn     calendar.Date
	HaltedByRule bool

	cum  []cumulative // per region, then ALL
	base []float64    // output per adult at step 0, per region, then ALL
}

// Totals are a region's totals over the whole run.
type Totals struct {
	Joins, Exits, Unrest, Slaughters, Thefts int64
	Participants, ReprisalArrests            int64 // in disturbances; arrested after them
	GrainOutput                              float64
	// Output per adult of members of collectives formed mostly by coercion
	// and mostly by choice, averaged over every member-week, relative to step 0.
	ProductivityCoercedCollectives   float64
	ProductivityVoluntaryCollectives float64
}

// All is the name of the whole-country rows.
const All = "ALL"

func newResult(w *World) *Result {
	res := &Result{Dates: w.dates, cum: make([]cumulative, len(w.regions)+1), base: make([]float64, len(w.regions)+1)}
	for _, r := range w.regions {
		res.Regions = append(res.Regions, r.spec.Name)
	}
	res.Regions = append(res.Regions, All)
	return res
}

// record adds the rows of the step just taken.
func (res *Result) record(w *World, tallies []WeekTally) {
	step := len(res.Rows)
	rows := make([]Row, 0, len(tallies)+1)
	var all WeekTally
	for r := range tallies {
		t := &tallies[r]
		if step == 0 {
			res.base[r] = t.perAdult()
		} else {
			res.cum[r].add(t)
		}
		rows = append(rows, makeRow(step, w.dates[step], w.regions[r].spec.Name, t, &res.cum[r], res.base[r]))
		all.add(t)
	}
	n := len(tallies)
	if step == 0 {
		res.base[n] = all.perAdult()
	} else {
		res.cum[n].add(&all)
	}
	rows = append(rows, makeRow(step, w.dates[step], All, &all, &res.cum[n], res.base[n]))
	res.Rows = append(res.Rows, rows)
}

// finish computes the run's totals.
func (res *Result) finish(w *World) {
	res.HaltedOn = w.authority.HaltedOn()
	res.HaltedByRule = w.authority.HaltedByRule()
	res.Totals = make([]Totals, len(res.cum))
	for i, c := range res.cum {
		base := res.base[i]
		res.Totals[i] = Totals{
			Joins: c.Joins, Exits: c.Exits, Unrest: c.Unrest, Slaughters: c.Slaughters, Thefts: c.Thefts,
			Participants: c.Participants, ReprisalArrests: c.ReprisalArrests,
			GrainOutput:                      c.GrainOutput,
			ProductivityCoercedCollectives:   ratio(c.CoercedCollectives, base),
			ProductivityVoluntaryCollectives: ratio(c.VoluntaryCollectives, base),
		}
	}
}

// ratio returns output per adult relative to base, or NaN if there were none.
func ratio(s LabourSum, base float64) float64 {
	if s.Labour == 0 || base == 0 {
		return math.NaN()
	}
	return s.LabourP / s.Labour / base
}
