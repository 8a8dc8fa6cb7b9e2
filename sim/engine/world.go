// Package engine runs a scenario: it builds the country (regions, districts,
// villages, households, cadres), then advances it week by week. Each week the
// central authority turns last week's reports into directives, the villages
// step in parallel on a pool of workers, and their tallies are merged, in a
// fixed order, into per-region rows and next week's reports.
//
// Every village owns its random stream, derived from (seed, village id), and
// reads only last week's state of anything outside itself, so results are the
// same for any number of workers. The unit of parallel work is a shard: a
// run of villages of one region with about shardHouseholds households, laid
// out from the scenario alone.
package engine

import (
	"context"
	"fmt"
	"math"

	"github.com/collsim/collsim/sim/agents"
	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/policy"
	"github.com/collsim/collsim/sim/rng"
	"github.com/collsim/collsim/sim/scenario"
)

// Stream keys: the first key of every stream derived from the seed says what
// the stream is for, so streams of different kinds never coincide.
const (
	keyVillage = iota + 1
	keyRegionWeather
	keyVillageWeather
)

// shardHouseholds is the size a shard aims at: large enough that a worker's
// turn costs far more than handing it out, small enough that 16 or more
// workers stay busy at classroom scale.
const shardHouseholds = 2048

// Options control how (not what) a scenario is run.
type Options struct {
	Workers int // goroutines stepping villages; <= 1 runs them in the caller
}

// World is a scenario in progress.
type World struct {
	s          *scenario.Scenario
	year       calendar.Year
	dates      []calendar.Date
	step       int
	seed       uint64
	regions    []regionState
	households []agents.Household // every household, village by village
	villages   []Village
	districts  []District
	shards     []shard
	authority  *agents.Authority
	dirs       []policy.Directive
	earlier    [][]policy.Directive // per region, the directives of earlier phases (see Authority.Earlier)
	reports    []agents.RegionReport
	pool       *workers
	stepFn     func(int)
	draft      *agents.DraftCurve
	tallies    []WeekTally // the regions' tallies of the last step, reused
	urbanDone  bool
	urbanStart int // the step in which urban cadres began to arrive

	// This week's shared inputs to villages (read-only while they step).
	week weekInput
}

type regionState struct {
	spec    scenario.Region
	weather float64 // this year's regional yield shock
	year    int
}

// weekInput is what every village reads, and none writes, during a week.
type weekInput struct {
	weekStart calendar.Date
	season    calendar.Season
	urbanWeek int // week of the urban cadres' arrival window, or -1

	signal         int     // weeks since the last public signal, or -1
	signalStrength float64 // its emboldening this week (mechanism signal)
}

// New builds the world of scenario s, which must be valid (see
// scenario.Load and Scenario.Validate).
func New(s *scenario.Scenario, opt Options) (*World, error) {
	w := &World{
		s:     s,
		year:  s.Calendar.Year(),
		dates: calendar.Steps(s.Start, s.End),
		seed:  uint64(s.Seed),
		draft: agents.NewDraftCurve(s.Household.DraftElasticity),
	}
	if len(w.dates) < 2 {
		return nil, fmt.Errorf("scenario %s: the run from %s to %s is shorter than a week", s.Name, s.Start, s.End)
	}
	w.layout()
	w.pool = newWorkers(opt.Workers)
	w.pool.do(len(w.shards), func(i int) {
		sh := &w.shards[i]
		var order []int
		for v := sh.first; v < sh.end; v++ {
			w.villages[v].populate(w, &order)
		}
	})
	for d := range w.districts {
		w.districts[d].peerReport = w.regions[w.districts[d].region].spec.InitialShare
	}
	w.stepFn = func(i int) { w.shards[i].step(w) }

	plans := make([]agents.RegionPlan, len(s.Regions))
	for r, reg := range s.Regions {
		plans[r] = agents.RegionPlan{Name: reg.Name, Weight: reg.Share, Zeal: reg.Zeal}
	}
	w.authority = agents.NewAuthority(s.Phases.Sorted(), plans, s.Authority, &s.Mechanisms)
	w.dirs = make([]policy.Directive, len(s.Regions))
	w.earlier = make([][]policy.Directive, len(s.Regions))
	for r := range w.earlier {
		w.earlier[r] = make([]policy.Directive, w.authority.Phases())
	}
	w.tallies = make([]WeekTally, len(s.Regions))
	w.reports = make([]agents.RegionReport, len(s.Regions))
	return w, nil
}

// layout divides households among regions (largest remainder), regions into
// villages of about VillageSize households, villages into districts of
// VillagesPerDistrict, and the villages of each region into shards.
func (w *World) layout() {
	s := w.s
	counts := apportion(s.Population.Households, s.Regions)
	w.regions = make([]regionState, len(s.Regions))
	off := 0
	for r := range s.Regions {
		w.regions[r].spec = s.Regions[r]
		hh := counts[r]
		if hh == 0 {
			continue
		}
		nv := max(1, int(math.Round(float64(hh)/float64(s.Population.VillageSize))))
		firstVillage := len(w.villages)
		for v := 0; v < nv; v++ {
			if v%s.Population.VillagesPerDistrict == 0 {
				w.districts = append(w.districts, District{region: r, first: len(w.villages)})
			}
			d := len(w.districts) - 1
			lo, hi := off+hh*v/nv, off+hh*(v+1)/nv
			w.villages = append(w.villages, Village{ID: len(w.villages), Region: r, District: d, First: lo, End: hi})
			w.districts[d].end = len(w.villages)
		}
		off += hh
		// Shards: consecutive villages of the region, about shardHouseholds each.
		sh := shard{region: r, first: firstVillage}
		size := 0
		for v := firstVillage; v < len(w.villages); v++ {
			size += w.villages[v].End - w.villages[v].First
			if size >= shardHouseholds || v == len(w.villages)-1 {
				sh.end = v + 1
				w.shards = append(w.shards, sh)
				sh = shard{region: r, first: v + 1}
				size = 0
			}
		}
	}
	w.households = make([]agents.Household, off)
}

// apportion splits n among regions in proportion to their shares by the
// largest-remainder method, so the counts sum to n exactly.
func apportion(n int, regions []scenario.Region) []int {
	counts := make([]int, len(regions))
	rem := make([]float64, len(regions))
	sum, given := 0.0, 0
	for _, r := range regions {
		sum += r.Share
	}
	for i, r := range regions {
		x := float64(n) * r.Share / sum
		counts[i] = int(x)
		rem[i] = x - float64(counts[i])
		given += counts[i]
	}
	for ; given < n; given++ {
		best := 0
		for i := range rem {
			if rem[i] > rem[best] {
				best = i
			}
		}
		counts[best]++
		rem[best] = -1
	}
	return counts
}

// StepsDone returns the number of weekly steps taken so far.
func (w *World) StepsDone() int { return w.step }

// Steps returns the number of weekly steps after the initial state.
func (w *World) Steps() int { return len(w.dates) - 1 }

// Close stops the world's workers.
func (w *World) Close() { w.pool.close() }

// Run runs the scenario to its end and returns the result. progress, if not
// nil, is called after each step. Run stops early, returning ctx's error, if
// ctx is cancelled.
func (w *World) Run(ctx context.Context, progress func(step, steps int)) (*Result, error) {
	defer w.Close()
	res := newResult(w)
	res.record(w, w.census())
	for w.step < w.Steps() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		res.record(w, w.Step())
		if progress != nil {
			progress(w.step, w.Steps())
		}
	}
	res.finish(w)
	return res, nil
}

// census tallies the initial state (step 0) without changing it.
func (w *World) census() []WeekTally {
	env := agents.Env{CollectiveP: 1, IndividualP: 1, Draft: w.draft}
	env.Prepare(&w.s.Household, &w.s.Cadre, &w.s.Resistance, &w.s.Mechanisms)
	out := make([]WeekTally, len(w.regions))
	for v := range w.villages {
		vil := &w.villages[v]
		var t agents.Tally
		hs := w.households[vil.First:vil.End]
		for h := range hs {
			hs[h].Census(&env, &w.s.Household, &t)
		}
		out[vil.Region].Tally.Add(&t)
		out[vil.Region].Reported += vil.Share * float64(len(hs))
	}
	for r := range out {
		w.reports[r] = out[r].report()
	}
	return out
}

// Step advances the world one week and returns each region's tally of it,
// valid until the next call. It allocates nothing.
func (w *World) Step() []WeekTally {
	k := w.step + 1
	start := w.dates[k-1]
	// Step 1. Directives.
	// A phase that begins during the week governs it: directives are for the
	// week ending on its last day.
	end := w.dates[k].AddDays(-1)
	w.authority.Directives(end, w.reports, w.dirs)
	// Step 2. Earlier directives.
	if w.s.Mechanisms.DirectiveUptake {
		for r := range w.earlier {
			w.authority.Earlier(r, end, w.earlier[r])
		}
	}
	// Step 3. Season.
	w.week = weekInput{weekStart: start, season: w.year.SeasonOf(start), urbanWeek: -1, signal: -1}
	// Step 4. Urban arrival window.
	if !w.s.UrbanArrival.IsZero() && !start.Before(w.s.UrbanArrival) && w.s.Mechanisms.UrbanCadres {
		if !w.urbanDone {
			w.urbanDone = true
			w.urbanStart = k
		}
		if i := k - w.urbanStart; i < w.s.UrbanWeeks {
			w.week.urbanWeek = i
		}
	}
	// Step 5. Signal.
	if w.s.Mechanisms.Signal && len(w.dirs) > 0 && w.dirs[0].SignalAge >= 0 {
		w.week.signal = w.dirs[0].SignalAge
		w.week.signalStrength = math.Pow(1-w.s.Resistance.SignalDecay, float64(w.week.signal))
	}
	// Step 6. Weather.
	w.updateWeather(start)

	// Step 7. Villages.
	w.pool.do(len(w.shards), w.stepFn)

	// Step 8. Districts.
	// The step boundary: districts learn their cadres' reports and
	// punishments, shards' tallies add up to regions, regions report.
	for d := range w.districts {
		dist := &w.districts[d]
		dist.review(w.villages, &w.dirs[dist.region])
	}

	// Step 9. Reports.
	out := w.tallies
	clear(out)
	for i := range w.shards {
		sh := &w.shards[i]
		out[sh.region].add(&sh.week)
	}
	for r := range out {
		w.reports[r] = out[r].report()
	}
	w.step = k
	return out
}

// updateWeather draws each region's yield shock for a new calendar year.
func (w *World) updateWeather(d calendar.Date) {
	y := d.Year()
	for r := range w.regions {
		reg := &w.regions[r]
		if reg.year == y {
			continue
		}
		reg.year = y
		reg.weather = 1
		if w.s.Mechanisms.Weather {
			st := rng.New(w.seed, keyRegionWeather, uint64(r), uint64(y))
			reg.weather = st.LogNormal(reg.spec.YieldCV)
		}
	}
}
