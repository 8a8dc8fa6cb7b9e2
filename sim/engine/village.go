package engine

import (
	"sort"

	"github.com/collsim/collsim/sim/agents"
	"github.com/collsim/collsim/sim/calendar"
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
}

// District is a group of villages of one region whose cadres compare
// themselves with one another. What they see of each other is last week's:
// it is updated at the step boundary by review.
type District struct {
	region, first, end int // villages [first, end)

	peerReport    float64 // mean report of its cadres last week
	peersPunished float64 // share of its cadres punished last week
}

// review takes in the week's reports and punishments of the district's cadres.
func (d *District) review(villages []Village) {
	var sum float64
	punished := 0
	for v := d.first; v < d.end; v++ {
		sum += villages[v].report
		if villages[v].punished {
			punished++
		}
	}
	n := float64(d.end - d.first)
	d.peerReport = sum / n
	d.peersPunished = float64(punished) / n
}

// shard is the unit of parallel work: a run of villages of one region.
type shard struct {
	region, first, end int // villages [first, end)
	week               WeekTally
}

func (sh *shard) step(w *World) {
	sh.week = WeekTally{}
	for v := sh.first; v < sh.end; v++ {
		w.villages[v].step(w, &sh.week)
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
	vil.Cadre.Report = float32(vil.Share)
	vil.report = vil.Share
}

// step advances the village one week and adds its tally to out.
func (vil *Village) step(w *World, out *WeekTally) {
	s := w.s
	in := &w.week
	reg := &w.regions[vil.Region]
	dir := &w.dirs[vil.Region]
	dist := &w.districts[vil.District]
	r := &vil.stream

	if in.urban && r.Bernoulli(reg.spec.UrbanCadres) {
		vil.Cadre = agents.NewCadre(true, reg.spec.CadreZeal, &s.Cadre, r)
		vil.Cadre.Report = float32(vil.Share)
	}
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
	c := &vil.Cadre
	c.Decide(dir, agents.CadreView{Share: vil.Share, PeerReport: dist.peerReport, PeersPunished: dist.peersPunished}, &s.Cadre, &s.Mechanisms, r)

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
	}
	env.Prepare(&s.Household, &s.Cadre, &s.Mechanisms)
	var t agents.Tally
	hs := w.households[vil.First:vil.End]
	for i := range hs {
		hs[i].Step(&env, &s.Household, &s.Cadre, &s.Mechanisms, r, &t)
	}

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
	vil.Share, vil.Repression = 0, 0
	if t.Households > 0 {
		vil.Share = float64(t.Members) / float64(t.Households)
		vil.Repression = float64(t.Targeted) / float64(t.Households)
		if vil.Collective.Unrest(t.Grievance/float64(t.Households), t.Fear/float64(t.Households), &s.Collective, r) {
			out.Unrest++
		}
	}
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
	vil.punished = false
	if p, removed := c.Judged(dir, &s.Cadre, r); p {
		vil.punished = true
		out.CadresPunished++
		if removed {
			urban := w.urbanDone && s.Mechanisms.UrbanCadres && r.Bernoulli(reg.spec.UrbanCadres)
			*c = agents.NewCadre(urban, reg.spec.CadreZeal, &s.Cadre, r)
			c.Report = float32(report)
		}
	}
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
