package agents

import (
	"math"

	"github.com/collsim/collsim/sim/rng"
)

// Collective is the state of a village's collective farm between weeks.
type Collective struct {
	Disruption float64 // disorganisation from rapid, unwilling growth, 0..MaxDisruption
	Programme  float64 // weeks of settled, willing common work behind it
	Herd       float64 // the common herd: livestock seized, confiscated or left by leavers
	Grain      float64 // grain harvested last week, handed out to members
	Labour     float64 // members' working adults last week
	Draft      float64 // members' and common livestock relative to the usual herds of members' classes
	Tension    float64 // memory of coercion in the village, 0..1
}

// Productivity returns the output per adult of a member at full effort and
// full herd, relative to an individual farm: disorganisation costs, common
// programmes (irrigation, storage, crop planning) gain.
func (c *Collective) Productivity(p *CollectiveParams, d *DraftCurve, m *Mechanisms) float64 {
	pr := 1 - c.Disruption
	if c.Draft > 0 {
		pr *= d.At(c.Draft)
	}
	if m.Programmes {
		pr *= 1 + p.ProgrammeGain*math.Min(1, c.Programme/p.ProgrammeWeeks)
	}
	return pr
}

// Week updates the collective after its members' week (t): new members
// disorganise it (those brought in by force far more than the willing),
// willing work builds its programmes, a neglected common herd shrinks, and
// the village remembers the coercion it saw. effort is the members' mean
// effort (1 if none).
func (c *Collective) Week(effort, coercion float64, t *Tally, hp *HouseholdParams, p *CollectiveParams) {
	members := t.Members
	inflow := 0.0
	if members > 0 {
		willing := float64(t.Joins - t.CoercedJoins)
		inflow = (float64(t.CoercedJoins) + p.WillingDisruption*willing) / float64(members)
	}
	c.Disruption = math.Min(p.MaxDisruption, c.Disruption*(1-p.DisruptionDecay)+p.DisruptionGain*inflow)
	if members > 0 {
		settled := 1 - c.Disruption/math.Max(p.MaxDisruption, 1e-9)
		c.Programme += effort * effort * settled
	}
	c.Herd += t.ToPool
	c.Herd *= 1 - hp.NeglectRate*(1-effort)
	c.Grain = t.CollectiveGrain
	c.Labour = t.MemberLabour
	c.Draft = 0
	if t.MemberHerd0 > 0 {
		c.Draft = (t.MemberLivestock + c.Herd) / t.MemberHerd0
	}
	c.Tension = math.Max(coercion, c.Tension*(1-p.TensionDecay))
}

// Unrest reports whether the village rises in a disturbance this week: the
// likelier the more its grievance exceeds its fear, and only while coercion
// is fresh in its memory.
func (c *Collective) Unrest(meanGrievance, meanFear float64, p *CollectiveParams, r *rng.Stream) bool {
	x := (meanGrievance - meanFear) * c.Tension
	if x <= 0 {
		return false
	}
	return r.Bernoulli(p.UnrestRate * x)
}
