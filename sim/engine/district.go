package engine

import (
	"sort"

	"github.com/collsim/collsim/sim/agents"
	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/rng"
)

// District is a group of villages of one region: the unit of parallel work.
// Only the goroutine stepping it touches it during a week.
type District struct {
	ID         int
	Region     int
	Villages   []Village
	Households []agents.Household // the villages' households, village by village

	size   int
	stream rng.Stream
	week   WeekTally // this week's tally

	peerReport    float64 // mean report of its cadres last week
	peersPunished float64 // share of its cadres punished last week
}

// Village is a village soviet: households First..End-1 of its district, one
// cadre and one collective farm.
type Village struct {
	ID         int // unique in the world
	First, End int32
	Cadre      agents.Cadre
	Collective agents.Collective

	// The village at the end of last week, as its households see it.
	Share       float64
	Repression  float64
	CollectiveP float64
	IndividualP float64
	Weather     float64
	weatherYear int
}

// populate draws the district's households and cadres from its own stream.
func (d *District) populate(w *World) {
	s := w.s
	d.stream = rng.New(w.seed, keyDistrict, uint64(d.ID))
	r := &d.stream
	reg := &w.regions[d.Region].spec
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
	var order []int
	for v := range d.Villages {
		vil := &d.Villages[v]
		vil.Cadre = agents.NewCadre(false, reg.CadreZeal, &s.Cadre, r)
		vil.CollectiveP, vil.IndividualP = 1, 1
		hs := d.Households[vil.First:vil.End]
		var quota [agents.NumClasses]int
		for i := range hs {
			x := r.Float64() * cl.Sum()
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
			order = order[:0]
			for i := range hs {
				if hs[i].Class == c {
					order = append(order, i)
				}
			}
			sort.SliceStable(order, func(a, b int) bool { return hs[order[a]].Understanding > hs[order[b]].Understanding })
			for _, i := range order[:quota[c]] {
				hs[i].Status = agents.Voluntary
				members++
			}
		}
		if len(hs) > 0 {
			vil.Share = float64(members) / float64(len(hs))
		}
		vil.Cadre.Report = float32(vil.Share)
	}
	d.peerReport = reg.InitialShare
}

// step advances the district one week.
func (d *District) step(w *World) {
	s := w.s
	in := &w.week
	reg := &w.regions[d.Region]
	dir := &w.dirs[d.Region]
	r := &d.stream
	d.week = WeekTally{}

	harvest := 0.0
	if in.season == calendar.Harvest {
		harvest = s.Household.BaseYield * reg.weather / float64(s.Calendar.HarvestWeeks)
	}
	var reportSum float64
	var punished int
	for v := range d.Villages {
		vil := &d.Villages[v]
		if in.urban && r.Bernoulli(reg.spec.UrbanCadres) {
			vil.Cadre = agents.NewCadre(true, reg.spec.CadreZeal, &s.Cadre, r)
			vil.Cadre.Report = float32(vil.Share)
		}
		if harvest > 0 && vil.weatherYear != in.weekStart.Year() {
			vil.weatherYear = in.weekStart.Year()
			vil.Weather = 1
			if s.Mechanisms.Weather {
				st := rng.New(w.seed, keyVillageWeather, uint64(vil.ID), uint64(vil.weatherYear))
				vil.Weather = st.LogNormal(0.1)
			}
		}
		c := &vil.Cadre
		c.Decide(dir, agents.CadreView{Share: vil.Share, PeerReport: d.peerReport, PeersPunished: d.peersPunished}, &s.Cadre, &s.Mechanisms, r)

		gpl := 0.0
		if vil.Collective.Labour > 0 {
			gpl = vil.Collective.Grain / vil.Collective.Labour
		}
		env := agents.Env{
			Step:           in.step,
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
		hs := d.Households[vil.First:vil.End]
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
				d.week.Unrest++
			}
		}
		report := c.Reported(vil.Share, d.peerReport, &s.Cadre, &s.Mechanisms)
		c.Report = float32(report)
		reportSum += report
		d.week.Reported += report * float64(t.Households)
		if c.Objecting {
			d.week.Objectors++
		}
		if c.Coercion > 0 {
			d.week.Coercing++
		}
		if p, removed := c.Judged(dir, &s.Cadre, r); p {
			punished++
			d.week.CadresPunished++
			if removed {
				urban := w.urbanDone && s.Mechanisms.UrbanCadres && r.Bernoulli(reg.spec.UrbanCadres)
				*c = agents.NewCadre(urban, reg.spec.CadreZeal, &s.Cadre, r)
				c.Report = float32(report)
			}
		}
		d.week.Herd += vil.Collective.Herd
		d.week.Villages++
		if t.Members > 0 {
			kind := &d.week.VoluntaryCollectives
			if t.Coerced > t.Voluntary {
				kind = &d.week.CoercedCollectives
			}
			kind.Labour += t.MemberLabour
			kind.LabourP += t.MemberLabourP
		}
		d.week.Tally.Add(&t)
	}
	if n := len(d.Villages); n > 0 {
		d.peerReport = reportSum / float64(n)
		d.peersPunished = float64(punished) / float64(n)
	}
}
