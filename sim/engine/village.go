package engine

import (
	"sort"

	"github.com/collsim/collsim/sim/agents"
	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/policy"
	"github.com/collsim/collsim/sim/rng"
)

// Village is a village soviet: households First..End-1 of the world, one
// cadre and one collective farm, and its own random stream. Only the worker
// stepping its shard touches it during a week.
type Village struct {
	ID, Region, District int
	First, End           int // its households in World.households
	Cadre                agents.Cadre
	Collective           agents.Collective

	// The village at the end of last week, as its households see it.
	Share       float64
	Repression  float64
	CollectiveP float64
	IndividualP float64
	Weather     float64
	weatherYear int

	stream   rng.Stream
	report   float64 // what its cadre reported this week
	punished bool    // whether its cadre was punished this week
	rose     bool    // whether it had a disturbance this week
	urbanAt  int8    // week of the arrival window its urban cadre comes in, or -1
}

// District is a group of villages of one region whose cadres compare
// themselves with one another. What they see of each other is last week's:
// it is updated at the step boundary by review.
type District struct {
	region, first, end int // villages [first, end)

	peerReport    float64 // mean report of its cadres last week
	peersPunished float64 // share of its cadres punished last week
	peersRose     float64 // share of its villages that had a disturbance last week
	peersTakenUp  float64 // share of its cadres acting on phase takenUpOf last week
	takenUpOf     int     // the phase in force last week
}

// review takes in the week's reports, punishments and disturbances of the
// district's villages, and how many of its cadres act on dir's phase.
func (d *District) review(villages []Village, dir *policy.Directive) {
	var sum float64
	punished, rose, takenUp := 0, 0, 0
	for v := d.first; v < d.end; v++ {
		vil := &villages[v]
		sum += vil.report
		if vil.punished {
			punished++
		}
		if vil.rose {
			rose++
		}
		if vil.Cadre.ActsOn(dir.Phase) {
			takenUp++
		}
	}
	n := float64(d.end - d.first)
	d.peerReport = sum / n
	d.peersPunished = float64(punished) / n
	d.peersRose = float64(rose) / n
	d.peersTakenUp = float64(takenUp) / n
	d.takenUpOf = dir.Phase
}

// takenUp returns the share of the district's cadres who acted last week on
// phase: none if the phase has just begun.
func (d *District) takenUp(phase int) float64 {
	if d.takenUpOf != phase {
		return 0
	}
	return d.peersTakenUp
}

// shard is the unit of parallel work: a run of villages of one region.
type shard struct {
	region, first, end int // villages [first, end)
	week               WeekTally
	crowd              agents.Crowd // scratch for the village being stepped
}

func (sh *shard) step(w *World) {
	sh.week = WeekTally{}
	for v := sh.first; v < sh.end; v++ {
		w.villages[v].step(w, &sh.week, &sh.crowd)
	}
}

// populate draws the village's households and cadre from its own stream.
// order is scratch space, reused from village to village.
func (vil *Village) populate(w *World, order *[]int) {
	s := w.s
	vil.stream = rng.New(w.seed, keyVillage, uint64(vil.ID))
	r := &vil.stream
	reg := &w.regions[vil.Region].spec
	hp := &s.Household
	cl := &s.Population.Classes
	// Initial members come from the poor twice as often as from the middle
	// peasants, never from kulaks (assumed; kolkhozes of 1929 were poor
	// peasants' collectives).
	denom := 2*cl.Poor + cl.Middle
	pJoin := [agents.NumClasses]float64{}
	if denom > 0 {
		pJoin[agents.Poor] = min(1, reg.InitialShare*2/denom)
		pJoin[agents.Middle] = min(1, reg.InitialShare/denom)
	}
	vil.Cadre = agents.NewCadre(false, reg.CadreZeal, &s.Cadre, r)
	vil.CollectiveP, vil.IndividualP = 1, 1
	hs := w.households[vil.First:vil.End]
	var quota [agents.NumClasses]int
	total := cl.Sum()
	for i := range hs {
		x := r.Float64() * total
		c := agents.Kulak
		switch {
		case x < cl.Poor:
			c = agents.Poor
		case x < cl.Poor+cl.Middle:
			c = agents.Middle
		}
		hs[i] = agents.NewHousehold(c, reg.Readiness, reg.Trust, hp, r)
		if s.Mechanisms.Resistance {
			hs[i].Boldness = agents.DrawBoldness(r)
		}
		if r.Bernoulli(pJoin[c]) {
			quota[c]++
		}
	}
	// The first collectives were formed by those of each class who best
	// understood what they were joining.
	members := 0
	for c := agents.Class(0); c < agents.NumClasses; c++ {
		o := (*order)[:0]
		for i := range hs {
			if hs[i].Class == c {
				o = append(o, i)
			}
		}
		*order = o
		sort.SliceStable(o, func(a, b int) bool { return hs[o[a]].Understanding > hs[o[b]].Understanding })
		for _, i := range o[:quota[c]] {
			hs[i].Status = agents.Voluntary
			members++
		}
	}
	if len(hs) > 0 {
		vil.Share = float64(members) / float64(len(hs))
	}
	// At rest: before any policy, nobody would join or leave of its own
	// accord (otherwise it would have).
	if s.Mechanisms.RestStart {
		env := agents.Env{Share: vil.Share, YieldCV: reg.YieldCV, Trust0: reg.Trust, CollectiveP: 1, IndividualP: 1, ExitAllowed: true, Draft: w.draft}
		env.Prepare(hp, &s.Cadre, &s.Resistance, &s.Mechanisms)
		for i := range hs {
			hs[i].Settle(&env, hp)
		}
	}
	vil.Cadre.Report = float32(vil.Share)
	vil.report = vil.Share
	vil.urbanAt = -1
}

// step advances the village one week and adds its tally to out. crowd is
// scratch space for the resistance submodel.
func (vil *Village) step(w *World, out *WeekTally, crowd *agents.Crowd) {
	s := w.s
	in := &w.week
	reg := &w.regions[vil.Region]
	dir := &w.dirs[vil.Region]
	dist := &w.districts[vil.District]
	r := &vil.stream

	// Step 1. Urban cadre.
	// In the first week of their arrival the village learns
	// whether one is sent to it and, if they arrive over several weeks, in
	// which week.
	if in.urbanWeek == 0 && r.Bernoulli(reg.spec.UrbanCadres) {
		vil.urbanAt = 0
		if s.UrbanWeeks > 1 {
			vil.urbanAt = int8(r.Float64() * float64(s.UrbanWeeks))
		}
	}
	if in.urbanWeek >= 0 && int(vil.urbanAt) == in.urbanWeek {
		vil.urbanAt = -1
		vil.Cadre = agents.NewCadre(true, reg.spec.CadreZeal, &s.Cadre, r)
		vil.Cadre.Report = float32(vil.Share)
		vil.Cadre.TakenUp = int16(dir.Phase)
	}
	// Step 2. Harvest and weather.
	harvest := 0.0
	if in.season == calendar.Harvest {
		harvest = s.Household.BaseYield * reg.weather / float64(s.Calendar.HarvestWeeks)
		if vil.weatherYear != in.weekStart.Year() {
			vil.weatherYear = in.weekStart.Year()
			vil.Weather = 1
			if s.Mechanisms.Weather {
				st := rng.New(w.seed, keyVillageWeather, uint64(vil.ID), uint64(vil.weatherYear))
				vil.Weather = st.LogNormal(0.1)
			}
		}
	}
	// Step 3. Cadre decides.
	c := &vil.Cadre
	c.Decide(dir, w.earlier[vil.Region], agents.CadreView{Share: vil.Share, PeerReport: dist.peerReport, PeersPunished: dist.peersPunished, PeersTakenUp: dist.takenUp(dir.Phase)}, &s.Cadre, &s.Mechanisms, r)

	// Step 4. Households' view.
	// The village as it was last week, the cadre's action and the policy.
	gpl := 0.0
	if vil.Collective.Labour > 0 {
		gpl = vil.Collective.Grain / vil.Collective.Labour
	}
	env := agents.Env{
		Season:         in.season,
		Coercion:       float64(c.Coercion),
		MaxRung:        c.MaxRung,
		Persuasion:     float64(c.Persuasion),
		Urban:          c.Urban,
		ExitAllowed:    dir.ExitAllowed,
		PrivatePlots:   dir.PrivatePlots,
		Share:          vil.Share,
		Repression:     vil.Repression,
		CollectiveP:    vil.CollectiveP,
		IndividualP:    vil.IndividualP,
		GrainPerLabour: gpl,
		YieldCV:        reg.spec.YieldCV,
		Trust0:         reg.spec.Trust,
		HarvestTH:      harvest * vil.Weather,
		Draft:          w.draft,
		SignalNow:      in.signal == 0,
		Signal:         in.signalStrength,
	}
	if s.Mechanisms.Resistance {
		crowd.Reset()
		env.Crowd = crowd
	}
	env.Prepare(&s.Household, &s.Cadre, &s.Resistance, &s.Mechanisms)
	// Step 5. Households step.
	var t agents.Tally
	hs := w.households[vil.First:vil.End]
	for i := range hs {
		hs[i].Step(&env, &s.Household, &s.Cadre, &s.Mechanisms, r, &t)
	}
	// Step 6. Rise.
	// The resistance submodel (mechanism resistance).
	vil.rose = false
	if s.Mechanisms.Resistance && t.Households > 0 {
		vil.rise(w, &env, dir, crowd, dist, &t, hs)
	}

	// Step 7. Collective.
	effort := 1.0
	if t.MemberLabour > 0 {
		effort = t.MemberEffort / t.MemberLabour
	}
	vil.Collective.Week(effort, float64(c.Coercion), &t, &s.Household, &s.Collective)
	vil.CollectiveP = vil.Collective.Productivity(&s.Collective, w.draft, &s.Mechanisms)
	vil.IndividualP = 1
	if il := t.Labour - t.MemberLabour; il > 0 {
		vil.IndividualP = (t.LabourP - t.MemberLabourP) / il
	}
	// Step 8. Village state.
	// Share and repression for next week; the old unrest rule when
	// resistance is off.
	vil.Share, vil.Repression = 0, 0
	if t.Households > 0 {
		vil.Share = float64(t.Members) / float64(t.Households)
		vil.Repression = float64(t.Targeted) / float64(t.Households)
		if !s.Mechanisms.Resistance && vil.Collective.Unrest(t.Grievance/float64(t.Households), t.Fear/float64(t.Households), &s.Collective, r) {
			vil.rose = true
		}
	}
	if vil.rose {
		out.Unrest++
	}
	// Step 9. Report.
	report := c.Reported(vil.Share, dist.peerReport, &s.Cadre, &s.Mechanisms)
	c.Report = float32(report)
	vil.report = report
	out.Reported += report * float64(t.Households)
	if c.Objecting {
		out.Objectors++
	}
	if c.Coercion > 0 {
		out.Coercing++
	}
	// Step 10. Judgement.
	vil.punished = false
	if p, removed := c.Judged(dir, &s.Cadre, r); p {
		vil.punished = true
		out.CadresPunished++
		if removed {
			urban := w.urbanDone && s.Mechanisms.UrbanCadres && r.Bernoulli(reg.spec.UrbanCadres)
			*c = agents.NewCadre(urban, reg.spec.CadreZeal, &s.Cadre, r)
			c.Report = float32(report)
			c.TakenUp = int16(dir.Phase)
		}
	}
	// Step 11. Tally.
	out.Herd += vil.Collective.Herd
	out.Villages++
	if t.Members > 0 {
		kind := &out.VoluntaryCollectives
		if t.Coerced > t.Voluntary {
			kind = &out.CoercedCollectives
		}
		kind.add(LabourSum{t.MemberLabour, t.MemberLabourP})
	}
	out.Tally.Add(&t)
}

// rise decides whether the village rises in a disturbance this week
// (docs/MODEL.md §5.4): every household's threshold, counted in crowd while
// it stepped, is lowered by the village's outrage at what was taken this
// week, by its district's disturbances last week and by its mood; if the
// cascade draws in a crowd, the participants are counted, its cadre holds
// back, and each participant is marked for the reprisals of next week —
// unless the policy in force is voluntary (no coercion allowed and no halt
// of a coercive drive): a voluntary policy does not answer a disturbance
// with arrests.
func (vil *Village) rise(w *World, env *agents.Env, dir *policy.Directive, crowd *agents.Crowd, dist *District, t *agents.Tally, hs []agents.Household) {
	s := w.s
	rp := &s.Resistance
	shift := rp.OutrageWeight*float64(t.Targeted+t.Taken)/float64(crowd.Households()) + rp.ContagionWeight*dist.peersRose
	if rp.MoodSD > 0 {
		shift += rp.MoodSD * vil.stream.Normal()
	}
	n := crowd.Rise(shift, rp.Crowd)
	if n == 0 {
		return
	}
	vil.rose = true
	t.Participants += int64(n)
	if s.Mechanisms.UnrestRetreat {
		vil.Cadre.Shaken = 1
	}
	if s.Mechanisms.Reprisals && (dir.MaxRung > policy.NoCoercion || dir.Halt) {
		for i := range hs {
			h := &hs[i]
			if !h.Removed() && crowd.TakesPart(h.Threshold(env)) {
				h.Flags |= agents.Rioted
			}
		}
	}
}
