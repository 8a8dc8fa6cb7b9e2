// Package scenario defines a simulation scenario (population, regions,
// agent parameters, mechanisms and the policy timeline), its defaults, and
// the strict loading of scenario files written in TOML.
package scenario

import (
	"time"

	"github.com/collsim/collsim/sim/agents"
	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/policy"
)

// Scenario is a fully described simulation. Zero values are not defaults:
// start from Default and overlay a file with Load.
type Scenario struct {
	Name         string        `toml:"name" doc:"short name; the default output folder is results/<name>" src:"scenario" role:"run"`
	Description  string        `toml:"description" doc:"what the scenario stands for" src:"scenario" role:"run"`
	Seed         int64         `toml:"seed" min:"0" max:"9223372036854775807" unit:"integer" doc:"master seed of every random stream" src:"scenario" role:"run"`
	Start        calendar.Date `toml:"start" doc:"first day (step 0, the initial state)" src:"scenario" role:"policy"`
	End          calendar.Date `toml:"end" doc:"last day simulated (the last weekly step on or before it)" src:"scenario" role:"policy"`
	UrbanArrival calendar.Date `toml:"urban_arrival" doc:"date urban cadres (the twenty-five-thousanders) begin to take over villages; empty: never" src:"scenario" role:"policy"`
	UrbanWeeks   int           `toml:"urban_arrival_weeks" min:"1" max:"52" unit:"weeks" doc:"weeks over which urban cadres arrive, from the first week that starts on or after urban_arrival; each village's week is drawn uniformly" src:"scenario" role:"policy"`

	Population Population              `toml:"population" doc:"households, villages and districts" src:"scenario" role:"country"`
	Calendar   Calendar                `toml:"calendar" doc:"the agricultural year" src:"scenario" role:"country"`
	Household  agents.HouseholdParams  `toml:"household" doc:"household rules" src:"scenario" role:"behaviour"`
	Cadre      agents.CadreParams      `toml:"cadre" doc:"cadre rules" src:"scenario" role:"behaviour"`
	Collective agents.CollectiveParams `toml:"collective" doc:"collective farm rules" src:"scenario" role:"behaviour"`
	Authority  agents.AuthorityParams  `toml:"authority" doc:"central authority rules" src:"scenario" role:"policy"`
	Resistance agents.ResistanceParams `toml:"resistance" doc:"disturbances: who takes part, what follows" src:"scenario" role:"behaviour"`
	Mechanisms agents.Mechanisms       `toml:"mechanisms" doc:"switches for what-if runs and ablation" src:"scenario" role:"behaviour"`

	Regions []Region        `toml:"regions" doc:"the regions, each with its share of households" src:"scenario" role:"country"`
	Phases  policy.Timeline `toml:"phases" doc:"the central authority's policy, phase by phase" src:"scenario" role:"policy"`
}

// Population sizes the simulated country.
type Population struct {
	Households          int                `toml:"households" min:"1" max:"200000000" unit:"households" doc:"households simulated" src:"scenario" role:"run"`
	RealHouseholds      int                `toml:"real_households" min:"0" max:"200000000" unit:"households" doc:"households the run stands for; counts in outputs are scaled by real_households/households (0: no scaling)" src:"BRIEF §2 (about 25 million in 1929)"`
	VillageSize         int                `toml:"village_size" min:"1" max:"100000" unit:"households" doc:"households of a village soviet, each with one cadre" src:"assumed (about 72,000 village soviets)"`
	VillagesPerDistrict int                `toml:"villages_per_district" min:"1" max:"100000" unit:"villages" doc:"villages of a district; a cadre sees the mean report and the share punished among its district's cadres (competition, fear)" src:"assumed"`
	Classes             agents.ClassValues `toml:"classes" min:"0" max:"1" unit:"share of households" doc:"class shares (must sum to 1)" src:"BRIEF §1 (35% poor, 60% middle, 4–5% kulak)"`
}

// Calendar sets the agricultural year.
type Calendar struct {
	SowingStart  calendar.DayOfYear `toml:"sowing_start" doc:"first day of spring sowing (MM-DD); no rule uses the sowing window yet" src:"assumed"`
	SowingWeeks  int                `toml:"sowing_weeks" min:"0" max:"52" unit:"weeks" doc:"length of spring sowing; no rule uses it yet" src:"assumed"`
	HarvestStart calendar.DayOfYear `toml:"harvest_start" doc:"first day of the harvest (MM-DD)" src:"assumed"`
	HarvestWeeks int                `toml:"harvest_weeks" min:"1" max:"52" unit:"weeks" doc:"length of the harvest" src:"assumed"`
}

// Year returns the calendar as a calendar.Year.
func (c *Calendar) Year() calendar.Year {
	return calendar.Year{
		Sowing:  calendar.Window{Start: c.SowingStart, Weeks: c.SowingWeeks},
		Harvest: calendar.Window{Start: c.HarvestStart, Weeks: c.HarvestWeeks},
	}
}

// Region is a region of the country with its own conditions.
type Region struct {
	Name         string  `toml:"name" doc:"the region's name (unique)" src:"assumed"`
	Share        float64 `toml:"share" min:"0" max:"1" unit:"share of households" doc:"the region's share of the country's households (shares must sum to 1)" src:"assumed (1926 census rural population, about five persons a household)"`
	InitialShare float64 `toml:"initial_share" min:"0" max:"1" unit:"share of households" doc:"share of households in collectives at the start" src:"BRIEF §2 (3.9% nationally) and Reconstruction; regional values partly assumed"`
	Readiness    float64 `toml:"readiness" min:"0" max:"1" unit:"understanding" doc:"mean understanding of collective farming at the start" src:"fitted"`
	Trust        float64 `toml:"trust" min:"0" max:"1" unit:"trust" doc:"baseline trust of peasants in the authorities" src:"assumed"`
	Zeal         float64 `toml:"zeal" min:"0" max:"20" unit:"pace multiplier - 1" doc:"how far the regional committee raises the centre's pace (0: follows the centre)" src:"fitted"`
	CadreZeal    float64 `toml:"cadre_zeal" min:"0" max:"20" unit:"multiplier" doc:"mean readiness of the region's cadres to use force" src:"assumed"`
	UrbanCadres  float64 `toml:"urban_cadres" min:"0" max:"1" unit:"share of villages" doc:"share of villages whose cadre is replaced by an urban one, in the urban_arrival_weeks weeks from urban_arrival" src:"BRIEF §2: 27,519 twenty-five-thousanders, one per 900 households, for villages of 350" role:"policy"`
	YieldCV      float64 `toml:"yield_cv" min:"0" max:"2" unit:"coefficient of variation" doc:"year-to-year variation of yields (drought risk)" src:"assumed"`
}

// Default returns a scenario with every parameter at its documented default,
// no regions and no phases. Sources are in docs/MODEL.md.
func Default() Scenario {
	return Scenario{
		Name:       "scenario",
		Seed:       1,
		Start:      calendar.NewDate(1929, time.June, 1),
		End:        calendar.NewDate(1931, time.January, 1),
		UrbanWeeks: 1,
		Population: Population{
			Households:          100000,
			RealHouseholds:      0,
			VillageSize:         350,
			VillagesPerDistrict: 20,
			Classes:             agents.ClassValues{Poor: 0.35, Middle: 0.60, Kulak: 0.05},
		},
		Calendar: Calendar{
			SowingStart:  calendar.DayOfYear{Month: time.April, Day: 15},
			SowingWeeks:  6,
			HarvestStart: calendar.DayOfYear{Month: time.July, Day: 15},
			HarvestWeeks: 8,
		},
		Household:  DefaultHousehold(),
		Cadre:      DefaultCadre(),
		Collective: DefaultCollective(),
		Resistance: DefaultResistance(),
		Authority: agents.AuthorityParams{
			EscalationRate: 2,
			MaxPace:        3,
			HaltRule:       agents.HaltRule{Enabled: false, UnrestPer1000: 5, LivestockLoss: 0.25},
		},
		Mechanisms: agents.AllMechanisms(),
	}
}

// DefaultHousehold returns the default household parameters.
func DefaultHousehold() agents.HouseholdParams {
	return agents.HouseholdParams{
		Land:      agents.ClassValues{Poor: 2, Middle: 4.5, Kulak: 10},
		Livestock: agents.ClassValues{Poor: 1.5, Middle: 4, Kulak: 8},
		Labour:    agents.ClassValues{Poor: 1.5, Middle: 2.5, Kulak: 3.5},
		Threshold: agents.ClassValues{Poor: 0.45, Middle: 0.6, Kulak: 1.0},

		UnderstandingSD: 0.12,

		NeighbourWeight:  0.125,
		RiskWeight:       0.35,
		GrievanceWeight:  0.425,
		TrustWeight:      0.3,
		PlotBonus:        0.1,
		ExperienceWeight: 0.5,
		FearWeight:       1.0,
		ExitCost:         0.15,
		DecisionScale:    0.1,

		JoinRate:        0.1,
		CoercedJoinRate: 0.5,
		ExitRate:        0.235,

		PersuasionGain:    0.01,
		DemonstrationGain: 0.02,
		ExperienceGain:    0.02,

		FearGain:         0.2,
		NeighbourFear:    2,
		FearPerRung:      0.15,
		FearDecay:        0.12,
		GrievanceGain:    0.05,
		GrievancePerRung: 0.15,
		CoercedGrievance: 0.02,
		HungerGrievance:  0.02,
		GrievanceDecay:   0.04,
		TrustLoss:        0.05,
		TrustRecovery:    0.02,

		AnticipatorySlaughter: 0.05,
		SlaughterAtJoin:       0.4,
		SlaughterFraction:     0.4,
		SlaughterMemory:       0.01,

		EffortMin:      0.5,
		EffortScale:    0.5,
		TheftThreshold: 0.5,
		TheftRate:      0.05,
		TheftLoss:      0.5,
		NeglectRate:    0.01,
		Regrowth:       0.002,

		DraftElasticity: 0.25,
		StrippedPenalty: 0.4,
		MovedPenalty:    0.4,
		FineShare:       0.3,

		BaseYield: 0.75,
		GrainNeed: 0.5,
	}
}

// DefaultCadre returns the default cadre parameters.
func DefaultCadre() agents.CadreParams {
	return agents.CadreParams{
		CoercionGain:       3.25,
		ZealSD:             0.3,
		UrbanZeal:          1.5,
		FearGain:           0.2,
		PeerFear:           2,
		FearDecay:          0.05,
		FearPressure:       1,
		CompetitionWeight:  1,
		Inflation:          0.2,
		UrbanSkill:         0.4,
		Courage:            0.1,
		ObjectAbove:        0.5,
		PunishRate:         0.1,
		RemoveShare:        0.3,
		ObjectorPunishRate: 0.3,
		BlameRate:          0.05,
		PunishedFear:       0.3,
		HaltAcceptLocal:    0.35,
		HaltAcceptUrban:    0.2,
		HaltPersistence:    0.7,
		OvershootAbove:     0.1,
		OvershootRungs:     2,
		TargetingRate:      0.06,
		TargetLocal:        agents.ClassValues{Poor: 0.3, Middle: 1, Kulak: 4},
		TargetUrban:        agents.ClassValues{Poor: 1, Middle: 1, Kulak: 2},
		LabelLocal:         agents.ClassValues{Poor: 0, Middle: 0.02, Kulak: 0.5},
		LabelUrban:         agents.ClassValues{Poor: 0.02, Middle: 0.1, Kulak: 0.5},
		ArrestShare:        0.1,
		DeportShare:        0.3,
		ReportTolerance:    0.02,
		ExposureMax:        4,
		UptakeRate:         0.1,
		UptakePeer:         0.5,
		UnrestRetreat:      0.5,
		RetreatDecay:       0.3,
	}
}

// DefaultCollective returns the default collective farm parameters.
func DefaultCollective() agents.CollectiveParams {
	return agents.CollectiveParams{
		DisruptionGain:    1,
		WillingDisruption: 0.1,
		DisruptionDecay:   0.05,
		MaxDisruption:     0.4,
		ProgrammeGain:     0.25,
		ProgrammeWeeks:    52,
		UnrestRate:        1,
		TensionDecay:      0.15,
	}
}

// DefaultResistance returns the default parameters of the resistance
// submodel.
func DefaultResistance() agents.ResistanceParams {
	return agents.ResistanceParams{
		Threshold:       1.75,
		GrievanceWeight: 1,
		FearWeight:      0.5,
		TakenWeight:     0.4,
		HeldWeight:      0.3,
		BoldnessSD:      0.5,
		OutrageWeight:   3,
		ContagionWeight: 0.1,
		SignalWeight:    0.5,
		SignalDecay:     0.3,
		SignalFearDrop:  0.3,
		MoodSD:          0.2,
		Crowd:           0.05,
		ReprisalArrest:  0.02,
	}
}

// DefaultRegion returns a region's defaults; a region in a file is laid over it.
func DefaultRegion() Region {
	return Region{
		InitialShare: 0.04,
		Readiness:    0.3,
		Trust:        0.5,
		Zeal:         0,
		CadreZeal:    1,
		UrbanCadres:  0.39,
		YieldCV:      0.2,
	}
}

// DefaultPhase returns a phase's defaults; a phase in a file is laid over it.
func DefaultPhase() policy.Phase {
	return policy.Phase{ExitAllowed: true}
}

// Scale returns the factor by which simulated counts are multiplied to give
// real-world counts.
func (s *Scenario) Scale() float64 {
	if s.Population.RealHouseholds <= 0 {
		return 1
	}
	return float64(s.Population.RealHouseholds) / float64(s.Population.Households)
}
