package agents

import (
	"math"

	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/policy"
	"github.com/collsim/collsim/sim/rng"
)

// Status is where a household stands toward the collective farm.
type Status uint8

// Household statuses. Arrested and deported households have left the village.
const (
	Individual Status = iota // farms alone
	Voluntary                // joined the collective of its own wish
	Coerced                  // joined against its wish
	Arrested                 // category 1: arrested, its land and livestock taken
	Deported                 // category 2: deported, its land and livestock taken
)

// Household flags.
const (
	Hungry      uint8 = 1 << iota // ran out of grain this year
	Slaughtered                   // slaughtered or sold its herd and has not rebuilt it
	Resettled                     // category 3: labelled kulak and resettled on poor land
	Taken                         // stripped, moved, seized or labelled this week
	Rioted                        // took part in last week's disturbance
	Held                          // a member that would leave if it could, held this week
)

// Household is one peasant family. It is a small value type (36 bytes) so that
// a shard's households sit in one flat slice with no pointers: 25 million fit
// in under a gigabyte.
type Household struct {
	Understanding float32 // of what collective farming offers, 0..1
	Fear          float32 // of the consequences of refusing, 0..1
	Grievance     float32 // against the authorities, 0..1
	Trust         float32 // in the authorities, 0..1
	Land          float32 // sown land, ha
	Livestock     float32 // livestock units it holds (or brought into the collective)
	Grain         float32 // grain stock, tonnes
	Class         Class
	Status        Status
	Rung          policy.Rung // highest coercive measure suffered
	Labour        uint8       // working adults
	Flags         uint8
	Boldness      uint8 // rank of its readiness to defy, 0..255 (resistance; see Boldness)
}

// Member reports whether h is in the collective.
func (h *Household) Member() bool { return h.Status == Voluntary || h.Status == Coerced }

// Removed reports whether h has been taken out of the village.
func (h *Household) Removed() bool { return h.Status >= Arrested }

// LandCollective reports whether h's land is farmed by the collective:
// because h is a member, or because the land was taken from it.
func (h *Household) LandCollective() bool { return h.Member() || h.Removed() || h.Rung >= policy.Moved }

// Mechanisms switches the model's mechanisms on and off for what-if runs
// and ablation. Every field is true in a default scenario.
type Mechanisms struct {
	InflatedReports    bool `toml:"inflated_reports" doc:"cadres report more than the truth under fear and competition" src:"switch (on in every ready scenario)"`
	Escalation         bool `toml:"escalation" doc:"the authority raises the pace when reports look good" src:"switch (on in every ready scenario)"`
	CadreFear          bool `toml:"cadre_fear" doc:"cadres fear punishment and press harder for it" src:"switch (on in every ready scenario)"`
	Competition        bool `toml:"competition" doc:"cadres press harder when they report less than their peers" src:"switch (on in every ready scenario)"`
	Objectors          bool `toml:"objectors" doc:"some local cadres object to coercion and are punished for it" src:"switch (on in every ready scenario)"`
	HaltLag            bool `toml:"halt_lag" doc:"cadres doubt a halt and keep coercing for a while" src:"switch (on in every ready scenario)"`
	UrbanCadres        bool `toml:"urban_cadres" doc:"urban cadres arrive and replace local ones" src:"switch (on in every ready scenario)"`
	LivestockSlaughter bool `toml:"livestock_slaughter" doc:"households slaughter livestock before a forced joining" src:"switch (on in every ready scenario)"`
	NeighbourInfluence bool `toml:"neighbour_influence" doc:"households follow their village: its collective share and the repression they see" src:"switch (on in every ready scenario)"`
	Demonstration      bool `toml:"demonstration" doc:"a collective that does well raises its neighbours' understanding" src:"switch (on in every ready scenario)"`
	RiskPooling        bool `toml:"risk_pooling" doc:"farming alone carries yield risk that a collective pools" src:"switch (on in every ready scenario)"`
	Programmes         bool `toml:"programmes" doc:"a settled collective gains productivity from common programmes" src:"switch (on in every ready scenario)"`
	Theft              bool `toml:"theft" doc:"coerced members steal and damage collective property" src:"switch (on in every ready scenario)"`
	Weather            bool `toml:"weather" doc:"yields vary by region, village and year" src:"switch (on in every ready scenario)"`
	Resistance         bool `toml:"resistance" doc:"disturbances come from a threshold cascade of households (off: the old rule, grievance over fear while coercion is fresh)" src:"switch (on in every ready scenario)"`
	Signal             bool `toml:"signal" doc:"a public signal from the centre cuts households' fear at once and emboldens resistance" src:"switch (on in every ready scenario)"`
	Reprisals          bool `toml:"reprisals" doc:"households that took part in a disturbance may be arrested" src:"switch (on in every ready scenario)"`
	UnrestRetreat      bool `toml:"unrest_retreat" doc:"a cadre gives up part of its coercion after a disturbance in its village" src:"switch (on in every ready scenario)"`
	Exposure           bool `toml:"exposure" doc:"a cadre's coercion concentrates on the households still refusing as its village fills (safety in numbers)" src:"switch (on in every ready scenario)"`
	RestStart          bool `toml:"rest_start" doc:"the initial population is drawn at rest: no individual household wishes to join and no member to leave before any policy acts" src:"switch (on in every ready scenario)"`
	DirectiveUptake    bool `toml:"directive_uptake" doc:"cadres take up a more demanding directive over weeks, faster when their district's cadres have" src:"switch (on in every ready scenario)"`
}

// AllMechanisms returns every mechanism switched on.
func AllMechanisms() Mechanisms {
	return Mechanisms{
		InflatedReports: true, Escalation: true, CadreFear: true, Competition: true,
		Objectors: true, HaltLag: true, UrbanCadres: true, LivestockSlaughter: true,
		NeighbourInfluence: true, Demonstration: true, RiskPooling: true, Programmes: true,
		Theft: true, Weather: true, Resistance: true, Signal: true, Reprisals: true,
		UnrestRetreat: true, Exposure: true, DirectiveUptake: true, RestStart: true,
	}
}

// Env is what a household sees in one week: its cadre's action, its
// village as it was at the end of last week, the policy and the season.
type Env struct {
	Season calendar.Season

	// The cadre's action this week.
	Coercion   float64     // 0 persuasion only .. 1 full coercion
	MaxRung    policy.Rung // highest measure the cadre will take
	Persuasion float64     // effective mass work (effort × skill)
	Urban      bool        // the cadre is an urban outsider

	// The policy in force.
	ExitAllowed  bool
	PrivatePlots bool

	// The village last week.
	Share          float64 // share of its households in the collective
	Repression     float64 // share of its households pushed up the ladder
	CollectiveP    float64 // productivity of a member at full effort and full herd
	IndividualP    float64 // mean productivity of its individual farms
	GrainPerLabour float64 // collective grain handed to each member adult this week

	// A public signal from the centre.
	SignalNow bool    // a signal arrives this week
	Signal    float64 // its emboldening: 1 in its first week, fading (0: none)

	// The region.
	Draft *DraftCurve // draft power of a herd relative to its usual size

	YieldCV   float64 // coefficient of variation of yields (risk of farming alone)
	Trust0    float64 // baseline trust
	HarvestTH float64 // tonnes per hectare harvested this week at productivity 1 (0 outside harvest)

	// Crowd, if not nil, counts each household's threshold for taking part
	// in a disturbance (mechanism resistance).
	Crowd *Crowd

	k weekTerms // set by Prepare
}

// weekTerms are the parts of the household rules that are the same for every
// household of a village in a week, computed once by Env.Prepare.
type weekTerms struct {
	target     [NumClasses]float64 // weekly chance of being pushed a rung, by class
	label      [NumClasses]float64 // chance of being labelled kulak when targeted
	threshold  [NumClasses]float64
	herd       [NumClasses]float64 // usual livestock
	persuasion float64             // persuasion_gain × mass work
	demo       float64             // demonstration_gain × max(0, CP−IP) × share
	hasDemo    bool
	diff       float64 // CP − IP
	fearKeep   float64 // 1 − fear_decay
	fearPress  float64 // min(1, fear_gain·c + neighbour_fear·R)
	griefKeep  float64 // 1 − grievance_decay
	griefPress float64 // grievance_gain·c
	trustLoss  float64 // trust_loss·c
	neighbour  float64 // neighbour_weight·(share − ½), or 0
	risk       float64 // risk_weight·yield_cv, or 0
	plots      float64
	experience float64 // experience_weight·(CP − IP)

	// Resistance: threshold = resistBase − resistGrievance·g + resistFear·f − resistTaken·[taken].
	resistBase, resistGrievance, resistFear, resistTaken, resistHeld float64
	resistBold                                                       float64 // sd of boldness, in threshold
	reprisal                                                         float64 // chance a rioter is arrested
}

// Prepare computes the terms of the week that every household of the
// village shares. Call it after setting e's fields and before Step or Census.
func (e *Env) Prepare(p *HouseholdParams, c *CadreParams, rp *ResistanceParams, m *Mechanisms) {
	k := &e.k
	*k = weekTerms{}
	tw, lw := &c.TargetLocal, &c.LabelLocal
	if e.Urban {
		tw, lw = &c.TargetUrban, &c.LabelUrban
	}
	// Safety in numbers: the cadre's coercion falls on the households still
	// refusing, so each is singled out more often as its village fills.
	exposure := 1.0
	if m.Exposure {
		exposure = 1 / math.Max(1-e.Share, 1/c.ExposureMax)
	}
	tc := c.TargetingRate * e.Coercion * exposure
	for cl := Class(0); cl < NumClasses; cl++ {
		k.target[cl] = tc * tw.Of(cl)
		k.label[cl] = lw.Of(cl)
		k.threshold[cl] = p.Threshold.Of(cl)
		k.herd[cl] = p.Livestock.Of(cl)
	}
	k.persuasion = p.PersuasionGain * e.Persuasion
	k.diff = e.CollectiveP - e.IndividualP
	if m.Demonstration && e.Share > 0 {
		k.hasDemo = true
		k.demo = p.DemonstrationGain * math.Max(0, k.diff) * e.Share
	}
	k.fearKeep = 1 - p.FearDecay
	if m.Signal && e.SignalNow {
		k.fearKeep *= 1 - rp.SignalFearDrop
	}
	press := p.FearGain * e.Coercion * exposure
	if m.NeighbourInfluence {
		press += p.NeighbourFear * e.Repression
	}
	k.fearPress = math.Min(1, press)
	k.griefKeep = 1 - p.GrievanceDecay
	k.griefPress = p.GrievanceGain * e.Coercion
	k.trustLoss = p.TrustLoss * e.Coercion
	if m.NeighbourInfluence {
		k.neighbour = p.NeighbourWeight * (e.Share - 0.5)
	}
	if m.RiskPooling {
		k.risk = p.RiskWeight * e.YieldCV
	}
	if e.PrivatePlots {
		k.plots = p.PlotBonus
	}
	k.experience = p.ExperienceWeight * k.diff
	k.resistBase = rp.Threshold
	if m.Signal {
		k.resistBase -= rp.SignalWeight * e.Signal
	}
	k.resistGrievance, k.resistFear, k.resistTaken, k.resistHeld = rp.GrievanceWeight, rp.FearWeight, rp.TakenWeight, rp.HeldWeight
	k.resistBold = rp.BoldnessSD
	if m.Reprisals {
		k.reprisal = rp.ReprisalArrest
	}
}

// Tally accumulates what households did in a week. Counts of events are for
// the week; stocks are at the end of it.
type Tally struct {
	Households, Members, Voluntary, Coerced int64
	Joins, Exits                            int64
	CoercedJoins                            int64                     // joins against the household\'s wish
	Targeted                                int64                     // pushed up at least one rung this week
	Taken                                   int64                     // stripped, moved, seized or labelled this week
	Rungs                                   [policy.MaxRung + 1]int64 // households reaching each rung this week
	Arrested, Deported, Resettled           int64
	Slaughters, Thefts                      int64
	Participants                            int64 // households taking part in a disturbance
	ReprisalArrests                         int64 // of them, arrested afterwards

	Land, LandCollective float64
	Livestock            float64 // held by households
	ToPool               float64 // livestock passed to the collective's common herd
	Labour, LabourP      float64 // Σ adults, Σ adults × productivity (farming households)
	MemberLabour         float64
	MemberLabourP        float64
	MemberEffort         float64 // Σ adults × effort of members
	MemberLivestock      float64 // livestock members hold (collectivised)
	MemberHerd0          float64 // usual livestock of members' classes
	GrainOutput          float64 // harvested this week, t
	CollectiveGrain      float64 // harvested by members, pooled, t
	Grievance, Fear      float64 // sums over present households
}

// Add adds u to t.
func (t *Tally) Add(u *Tally) {
	t.Households += u.Households
	t.Members += u.Members
	t.Voluntary += u.Voluntary
	t.Coerced += u.Coerced
	t.Joins += u.Joins
	t.CoercedJoins += u.CoercedJoins
	t.Exits += u.Exits
	t.Targeted += u.Targeted
	t.Taken += u.Taken
	for i := range t.Rungs {
		t.Rungs[i] += u.Rungs[i]
	}
	t.Arrested += u.Arrested
	t.Deported += u.Deported
	t.Resettled += u.Resettled
	t.Slaughters += u.Slaughters
	t.Thefts += u.Thefts
	t.Participants += u.Participants
	t.ReprisalArrests += u.ReprisalArrests
	t.Land += u.Land
	t.LandCollective += u.LandCollective
	t.Livestock += u.Livestock
	t.ToPool += u.ToPool
	t.Labour += u.Labour
	t.LabourP += u.LabourP
	t.MemberLabour += u.MemberLabour
	t.MemberLabourP += u.MemberLabourP
	t.MemberEffort += u.MemberEffort
	t.MemberLivestock += u.MemberLivestock
	t.MemberHerd0 += u.MemberHerd0
	t.GrainOutput += u.GrainOutput
	t.CollectiveGrain += u.CollectiveGrain
	t.Grievance += u.Grievance
	t.Fear += u.Fear
}

// NewHousehold returns a household of class c drawn for a region whose
// peasants have the given readiness (mean understanding) and trust.
func NewHousehold(c Class, readiness, trust float64, p *HouseholdParams, r *rng.Stream) Household {
	labour := p.Labour.Of(c) + (r.Float64() - 0.5)
	if labour < 1 {
		labour = 1
	}
	spread := 0.75 + 0.5*r.Float64() // farms of a class differ by ±25%
	u := readiness
	if p.UnderstandingSD > 0 && readiness > 0 && readiness < 1 {
		u = r.Beta(readiness, p.UnderstandingSD)
	}
	h := Household{
		Understanding: float32(u),
		Trust:         float32(clamp01(trust + 0.1*(r.Float64()-0.5))),
		Land:          float32(p.Land.Of(c) * spread),
		Livestock:     float32(p.Livestock.Of(c) * spread),
		Class:         c,
		Labour:        uint8(math.Round(labour)),
	}
	if c == Kulak {
		h.Grievance = 0.2 // the grain crisis of 1928–29 already fell on them (assumed)
	}
	h.Grain = float32(0.5 * p.GrainNeed * float64(h.Labour)) // half a year's need
	return h
}

// Settle puts h at rest in a village where no policy acts (mechanism
// rest_start; docs/MODEL.md §3): an individual household whose wish is
// positive would already have joined, so its understanding is lowered by
// its wish (not below 0); a member whose wish plus the exit cost is negative
// would already have left, so its understanding is raised by the shortfall
// (not above 1). e must be prepared for a week without coercion.
func (h *Household) Settle(e *Env, p *HouseholdParams) {
	w := h.Wish(e, p)
	switch {
	case !h.Member() && w > 0:
		h.Understanding = float32(max(0, float64(h.Understanding)-w))
	case h.Member() && w+p.ExitCost < 0:
		h.Understanding = float32(min(1, float64(h.Understanding)-(w+p.ExitCost)))
	}
}

// Wish returns h's private wish to be in the collective: positive if it
// would join (or stay) of its own accord. It is a plain sum of weighted
// considerations, each documented in docs/MODEL.md §5.3; e must be prepared.
func (h *Household) Wish(e *Env, p *HouseholdParams) float64 {
	k := &e.k
	w := float64(h.Understanding) - k.threshold[h.Class]
	w += k.neighbour // 0 without neighbour influence
	risk := k.risk   // 0 without risk pooling
	if h.Flags&Hungry != 0 {
		risk *= 2
	}
	w += risk
	w -= p.GrievanceWeight * float64(h.Grievance)
	w += p.TrustWeight * (float64(h.Trust) - 0.5)
	w += k.plots
	if h.Member() {
		// Members judge by what they live; others learn of a collective's
		// success through their understanding (demonstration).
		w += k.experience
	}
	return w
}

// Productivity returns h's output per adult relative to an undisturbed
// farm of its class: for a member, its effort times the collective's
// productivity (which pools draft power); for an individual, its own draft
// power and the damage repression has done to its farm.
func (h *Household) Productivity(effort float64, e *Env, p *HouseholdParams) float64 {
	if h.Member() {
		return effort * e.CollectiveP
	}
	pr := 1.0
	if base := e.k.herd[h.Class]; base > 0 {
		pr = e.Draft.At(float64(h.Livestock) / base)
	}
	if h.Rung >= policy.Stripped {
		pr *= 1 - p.StrippedPenalty
	}
	if h.Rung >= policy.Moved || h.Flags&Resettled != 0 {
		pr *= 1 - p.MovedPenalty
	}
	return pr
}

// Effort returns a member's effort: full for those who joined willingly,
// falling toward EffortMin the more a coerced member would rather be out.
func (h *Household) Effort(wish float64, p *HouseholdParams) float64 {
	if h.Status != Coerced {
		return 1
	}
	return max(p.EffortMin, min(1, 1+wish/p.EffortScale))
}

// Step advances h by one week: the cadre's measures fall on it, its beliefs
// change, it decides to join, stay or leave, it works (or shirks, or
// steals), and it harvests and eats. What it did is added to t.
func (h *Household) Step(e *Env, p *HouseholdParams, c *CadreParams, m *Mechanisms, r *rng.Stream, t *Tally) {
	if h.Removed() {
		h.countRemoved(t)
		return
	}
	excluded := h.Flags&Resettled != 0 // labelled kulaks may not join
	h.Flags &^= Taken | Held
	k := &e.k

	// Step 0. Reprisals.
	// An individual household that took part in last week's
	// disturbance may be arrested as a ringleader (Viola 1996: arrests after
	// a disturbance fell on those named kulaks and their "henchmen", not on
	// the collective's members).
	if h.Flags&Rioted != 0 {
		h.Flags &^= Rioted
		if !h.Member() && r.Bernoulli(k.reprisal) {
			h.Status = Arrested
			t.ReprisalArrests++ // not in Arrested: that counts category 1
			t.Targeted++
			t.ToPool += float64(h.Livestock)
			h.Livestock = 0
			h.countRemoved(t)
			return
		}
	}

	// Step 1. Measures.
	// The cadre's measures fall on households that refuse.
	hit := false
	if !h.Member() && e.Coercion > 0 && h.Rung < policy.MaxRung && e.MaxRung > policy.NoCoercion {
		if r.Bernoulli(k.target[h.Class]) {
			hit = h.repress(e, p, c, r, t)
			if h.Removed() {
				h.countRemoved(t)
				return
			}
		}
	}

	// Step 2. Beliefs.
	u := float64(h.Understanding)
	u += k.persuasion * (1 - u)
	if k.hasDemo {
		u += k.demo * (1 - u)
	}
	if h.Member() {
		d := k.diff
		if d > 0 {
			u += p.ExperienceGain * d * (1 - u)
		} else {
			u += p.ExperienceGain * d * u
		}
	}
	h.Understanding = float32(clamp01(u))

	f := float64(h.Fear) * k.fearKeep
	f += k.fearPress * (1 - f)
	h.Fear = float32(clamp01(f))

	g := float64(h.Grievance) * k.griefKeep
	gp := k.griefPress
	if h.Flags&Hungry != 0 {
		gp += p.HungerGrievance
	}
	if h.Status == Coerced {
		gp += p.CoercedGrievance
	}
	g += min(1, gp) * (1 - g)
	h.Grievance = float32(clamp01(g))

	tr := float64(h.Trust)
	tr += p.TrustRecovery*(e.Trust0-tr) - k.trustLoss*tr
	h.Trust = float32(clamp01(tr))

	// Step 3. Private wish.
	w := h.Wish(e, p)

	// Step 4. Public act.
	// Join, stay or leave (and perhaps slaughter).
	switch {
	case h.Status == Individual && !excluded:
		act := w
		if e.Coercion > 0 {
			act += p.FearWeight * float64(h.Fear)
		}
		if act > 0 {
			rate := 0.0
			if w > 0 {
				rate = p.JoinRate * min(1, w/p.DecisionScale)
			}
			if e.Coercion > 0 {
				rate = max(rate, p.CoercedJoinRate*e.Coercion*min(1, act/p.DecisionScale))
			}
			if r.Bernoulli(rate) {
				h.Status = Voluntary
				if w <= 0 {
					h.Status = Coerced
					t.CoercedJoins++
					if h.Flags&Taken == 0 { // its herd and implements are collectivised against its will
						h.Flags |= Taken
						t.Taken++
					}
					if m.LivestockSlaughter && h.Flags&Slaughtered == 0 && r.Bernoulli(p.SlaughterAtJoin) {
						h.slaughter(p, t)
					}
				}
				t.Joins++
			}
		} else if m.LivestockSlaughter && e.Coercion > 0 && w < 0 && h.Flags&Slaughtered == 0 &&
			r.Bernoulli(p.AnticipatorySlaughter*e.Coercion) {
			h.slaughter(p, t)
		}
	case h.Member():
		blocked := 1.0
		if e.ExitAllowed {
			blocked = e.Coercion
		}
		stay := w + p.FearWeight*float64(h.Fear)*blocked + p.ExitCost
		if stay < 0 && r.Bernoulli(p.ExitRate*min(1, -stay/p.DecisionScale)) {
			h.Status = Individual
			t.Exits++
			left := float64(h.Livestock) * 0.5 // the collective keeps half the herd brought in (assumed)
			h.Livestock -= float32(left)
			t.ToPool += left
		} else if w+p.ExitCost < 0 {
			h.Flags |= Held // it would leave, were it free to and unafraid
		}
	}

	// Step 5. Work and livestock.
	effort := 1.0
	if h.Member() {
		effort = h.Effort(w, p)
		if h.Status == Coerced && m.Theft && float64(h.Grievance) > p.TheftThreshold &&
			r.Bernoulli(p.TheftRate*(float64(h.Grievance)-p.TheftThreshold)/(1-p.TheftThreshold)) {
			h.Livestock = float32(math.Max(0, float64(h.Livestock)-p.TheftLoss))
			t.Thefts++
		}
		// Collectivised livestock is neglected in proportion to shirking;
		// with private plots a member keeps one cow of its own.
		herd := float64(h.Livestock)
		if e.PrivatePlots {
			herd = math.Max(0, herd-1)
		}
		h.Livestock -= float32(herd * p.NeglectRate * (1 - effort))
	} else if h.Flags&Slaughtered != 0 && r.Bernoulli(p.SlaughterMemory) {
		h.Flags &^= Slaughtered // the herd is rebuilt: it has something to lose again
	}
	if !h.Member() || h.Status == Voluntary {
		base := k.herd[h.Class]
		if s := float64(h.Livestock); s < base && h.Rung < policy.Seized {
			h.Livestock = float32(s + p.Regrowth*(base-s))
		}
	}

	// Step 6. Grain.
	// Harvest, the collective's hand-out, eating and hunger.
	prod := h.Productivity(effort, e, p)
	lab := float64(h.Labour)
	if e.HarvestTH > 0 {
		out := float64(h.Land) * e.HarvestTH * prod
		t.GrainOutput += out
		if h.Member() {
			t.CollectiveGrain += out
		} else {
			h.Grain += float32(out)
		}
	}
	if h.Member() {
		h.Grain += float32(e.GrainPerLabour * lab)
	}
	g2 := float64(h.Grain) - p.GrainNeed*lab/52
	if g2 < 0 {
		g2 = 0
		h.Flags |= Hungry
	} else if e.Season == calendar.Harvest {
		h.Flags &^= Hungry
	}
	h.Grain = float32(g2)

	// Step 7. Count.
	// Tally the household and, for the resistance submodel, its threshold.
	h.count(t, e, prod, effort, hit)
	if e.Crowd != nil {
		e.Crowd.Add(h.Threshold(e))
	}
}

// Census adds h, as it stands, to t without changing it: the initial state.
func (h *Household) Census(e *Env, p *HouseholdParams, t *Tally) {
	if h.Removed() {
		h.countRemoved(t)
		return
	}
	effort := 1.0
	if h.Member() {
		effort = h.Effort(h.Wish(e, p), p)
	}
	h.count(t, e, h.Productivity(effort, e, p), effort, false)
}

// countRemoved adds the land of a removed household, now the collective's, to t.
func (h *Household) countRemoved(t *Tally) {
	t.Land += float64(h.Land)
	t.LandCollective += float64(h.Land)
}

// count adds a present household's state to t.
func (h *Household) count(t *Tally, e *Env, prod, effort float64, hit bool) {
	lab := float64(h.Labour)
	t.Households++
	if hit {
		t.Targeted++
	}
	t.Land += float64(h.Land)
	if h.LandCollective() {
		t.LandCollective += float64(h.Land)
	}
	t.Livestock += float64(h.Livestock)
	t.Labour += lab
	t.LabourP += lab * prod
	t.Grievance += float64(h.Grievance)
	t.Fear += float64(h.Fear)
	if h.Member() {
		t.Members++
		t.MemberLabour += lab
		t.MemberLabourP += lab * prod
		t.MemberEffort += lab * effort
		t.MemberLivestock += float64(h.Livestock)
		t.MemberHerd0 += e.k.herd[h.Class]
		if h.Status == Voluntary {
			t.Voluntary++
		} else {
			t.Coerced++
		}
	}
}

// repress pushes h up the ladder: one rung, or straight to Labelled when the
// cadre may label kulaks and decides h is one. It reports whether h moved.
func (h *Household) repress(e *Env, p *HouseholdParams, c *CadreParams, r *rng.Stream, t *Tally) bool {
	next := h.Rung + 1
	if e.MaxRung >= policy.Labelled {
		if r.Bernoulli(e.k.label[h.Class]) {
			next = policy.Labelled
		} else if next == policy.Labelled {
			next = policy.Labelled - 1
		}
	}
	if next > e.MaxRung {
		next = e.MaxRung
	}
	if next <= h.Rung {
		return false
	}
	for k := h.Rung + 1; k <= next; k++ {
		t.Rungs[k]++
		h.Fear += float32(p.FearPerRung * (1 - float64(h.Fear)))
		h.Grievance += float32(p.GrievancePerRung * (1 - float64(h.Grievance)))
		h.Trust -= float32(p.TrustLoss * float64(h.Trust))
		if k >= policy.Stripped && h.Flags&Taken == 0 {
			h.Flags |= Taken
			t.Taken++
		}
		switch k {
		case policy.Fined:
			h.Grain *= float32(1 - p.FineShare)
		case policy.Seized:
			t.ToPool += float64(h.Livestock)
			h.Livestock = 0
			h.Grain = 0
		}
	}
	h.Rung = next
	if next == policy.Labelled {
		x := r.Float64()
		switch {
		case x < c.ArrestShare:
			h.Status = Arrested
			t.Arrested++
		case x < c.ArrestShare+c.DeportShare:
			h.Status = Deported
			t.Deported++
		default:
			h.Flags |= Resettled
			t.Resettled++
		}
		if h.Removed() {
			t.ToPool += float64(h.Livestock)
			h.Livestock = 0
		}
	}
	return true
}

// slaughter kills or sells part of h's herd.
func (h *Household) slaughter(p *HouseholdParams, t *Tally) {
	h.Livestock *= float32(1 - p.SlaughterFraction)
	h.Flags |= Slaughtered
	t.Slaughters++
}

func clamp01(x float64) float64 {
	if x < 0 {
		return 0
	}
	if x > 1 {
		return 1
	}
	return x
}
