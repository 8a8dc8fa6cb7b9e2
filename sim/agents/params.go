package agents

// Class is a peasant household's class.
type Class uint8

// The three classes of the late-1920s village (BRIEF §1: about 35% poor,
// 60% middle, 4–5% rich).
const (
	Poor Class = iota
	Middle
	Kulak
	NumClasses
)

var classNames = [...]string{"poor", "middle", "kulak"}

// String returns the class's name.
func (c Class) String() string {
	if c < NumClasses {
		return classNames[c]
	}
	return "class?"
}

// ClassValues holds one number for each class.
type ClassValues struct {
	Poor   float64 `toml:"poor"`
	Middle float64 `toml:"middle"`
	Kulak  float64 `toml:"kulak"`
}

// Of returns the value for class c.
func (v *ClassValues) Of(c Class) float64 {
	switch c {
	case Poor:
		return v.Poor
	case Middle:
		return v.Middle
	}
	return v.Kulak
}

// Sum returns Poor + Middle + Kulak.
func (v *ClassValues) Sum() float64 { return v.Poor + v.Middle + v.Kulak }

// HouseholdParams are the parameters of the household rules. The struct
// tags give each one's TOML key, range, unit and a one-line description;
// docs/MODEL.md gives its source.
type HouseholdParams struct {
	Land      ClassValues `toml:"land" min:"0" max:"1000" unit:"ha" doc:"sown land of a household, by class" src:"assumed (sown area about 4.5 ha a household in the late 1920s; kulak farms two to three times the mean)" role:"country"`
	Livestock ClassValues `toml:"livestock" min:"0" max:"1000" unit:"livestock units" doc:"livestock of a household, by class (a horse or a cow is one unit)" src:"assumed" role:"country"`
	Labour    ClassValues `toml:"labour" min:"0.5" max:"20" unit:"working adults" doc:"mean working adults of a household, by class" src:"assumed" role:"country"`
	Threshold ClassValues `toml:"threshold" min:"0" max:"3" unit:"understanding" doc:"understanding a household of the class needs before it wishes to join, other things equal" src:"assumed; order from the seed (poor and middle peasants more inclined than rich)"`

	UnderstandingSD float64 `toml:"understanding_sd" min:"0" max:"0.5" unit:"understanding" doc:"spread of initial understanding around the region's readiness" src:"assumed"`

	NeighbourWeight  float64 `toml:"neighbour_weight" min:"0" max:"5" unit:"wish per share" doc:"pull of the village's collective share on the wish to join (conformity)" src:"fitted"`
	RiskWeight       float64 `toml:"risk_weight" min:"0" max:"5" unit:"wish per CV" doc:"value of pooled yield risk, per unit of the region's yield coefficient of variation" src:"fitted"`
	GrievanceWeight  float64 `toml:"grievance_weight" min:"0" max:"5" unit:"wish" doc:"how much grievance against the authorities lowers the wish to join" src:"fitted"`
	TrustWeight      float64 `toml:"trust_weight" min:"0" max:"5" unit:"wish" doc:"how much trust in the authorities (above one half) raises the wish to join" src:"assumed"`
	PlotBonus        float64 `toml:"plot_bonus" min:"0" max:"2" unit:"wish" doc:"raise in the wish to belong when members may keep a private plot and a cow" src:"assumed"`
	ExperienceWeight float64 `toml:"experience_weight" min:"0" max:"5" unit:"wish per productivity" doc:"how much their collective out- or under-performing individual farms moves members' wish to stay" src:"assumed"`
	FearWeight       float64 `toml:"fear_weight" min:"0" max:"5" unit:"wish per fear" doc:"how much fear of the consequences of refusing weighs against the private wish" src:"assumed"`
	ExitCost         float64 `toml:"exit_cost" min:"0" max:"2" unit:"wish" doc:"what a member loses by leaving (land, livestock and seed kept by the collective)" src:"fitted"`
	DecisionScale    float64 `toml:"decision_scale" min:"0.001" max:"2" unit:"wish" doc:"margin of wish over which a decision reaches its full weekly rate" src:"assumed"`

	JoinRate        float64 `toml:"join_rate" min:"0" max:"1" unit:"1/week" doc:"weekly chance that a household that wishes to join does so" src:"assumed"`
	CoercedJoinRate float64 `toml:"coerced_join_rate" min:"0" max:"1" unit:"1/week" doc:"weekly chance of yielding to full coercion once fear outweighs the wish" src:"assumed"`
	ExitRate        float64 `toml:"exit_rate" min:"0" max:"1" unit:"1/week" doc:"weekly chance that a member who wants out leaves" src:"fitted"`

	PersuasionGain    float64 `toml:"persuasion_gain" min:"0" max:"1" unit:"1/week" doc:"rise of understanding per week of full-time mass work" src:"assumed"`
	DemonstrationGain float64 `toml:"demonstration_gain" min:"0" max:"1" unit:"1/week" doc:"rise of understanding from seeing the village collective out-produce individual farms" src:"assumed"`
	ExperienceGain    float64 `toml:"experience_gain" min:"0" max:"1" unit:"1/week" doc:"change of a member's understanding from its own collective's performance" src:"assumed"`

	FearGain         float64 `toml:"fear_gain" min:"0" max:"1" unit:"1/week" doc:"rise of fear per week under full coercion in the village" src:"assumed"`
	NeighbourFear    float64 `toml:"neighbour_fear" min:"0" max:"20" unit:"fear per share" doc:"rise of fear per share of the village repressed in the week" src:"assumed"`
	FearPerRung      float64 `toml:"fear_per_rung" min:"0" max:"1" unit:"fear" doc:"rise of fear each time the household itself is pushed a rung up the ladder" src:"assumed"`
	FearDecay        float64 `toml:"fear_decay" min:"0" max:"1" unit:"1/week" doc:"weekly decay of fear" src:"assumed"`
	GrievanceGain    float64 `toml:"grievance_gain" min:"0" max:"1" unit:"1/week" doc:"rise of grievance per week under full coercion" src:"assumed"`
	GrievancePerRung float64 `toml:"grievance_per_rung" min:"0" max:"1" unit:"grievance" doc:"rise of grievance each time the household is pushed a rung up the ladder" src:"assumed"`
	CoercedGrievance float64 `toml:"coerced_grievance" min:"0" max:"1" unit:"1/week" doc:"weekly rise of grievance of a member held against its wish" src:"assumed"`
	HungerGrievance  float64 `toml:"hunger_grievance" min:"0" max:"1" unit:"1/week" doc:"weekly rise of grievance of a household without grain" src:"assumed"`
	GrievanceDecay   float64 `toml:"grievance_decay" min:"0" max:"1" unit:"1/week" doc:"weekly decay of grievance" src:"assumed"`
	TrustLoss        float64 `toml:"trust_loss" min:"0" max:"1" unit:"1/week" doc:"weekly loss of trust under full coercion, and per rung suffered" src:"assumed"`
	TrustRecovery    float64 `toml:"trust_recovery" min:"0" max:"1" unit:"1/week" doc:"weekly return of trust toward the region's baseline" src:"assumed"`

	AnticipatorySlaughter float64 `toml:"anticipatory_slaughter" min:"0" max:"1" unit:"1/week" doc:"weekly chance, under full coercion, that an unwilling household slaughters or sells its livestock" src:"assumed"`
	SlaughterAtJoin       float64 `toml:"slaughter_at_join" min:"0" max:"1" unit:"probability" doc:"chance that a household forced to join slaughters its livestock first" src:"assumed"`
	SlaughterFraction     float64 `toml:"slaughter_fraction" min:"0" max:"1" unit:"share" doc:"share of its livestock a slaughtering household kills or sells" src:"assumed"`
	SlaughterMemory       float64 `toml:"slaughter_memory" min:"0" max:"1" unit:"1/week" doc:"weekly chance that a household that slaughtered would do so again (herd rebuilt)" src:"assumed"`

	EffortMin      float64 `toml:"effort_min" min:"0" max:"1" unit:"effort" doc:"effort of a member held in a collective wholly against its wish" src:"assumed"`
	EffortScale    float64 `toml:"effort_scale" min:"0.01" max:"5" unit:"wish" doc:"negative wish at which a coerced member's effort falls to its minimum" src:"assumed"`
	TheftThreshold float64 `toml:"theft_threshold" min:"0" max:"1" unit:"grievance" doc:"grievance above which a coerced member steals or damages collective property" src:"assumed"`
	TheftRate      float64 `toml:"theft_rate" min:"0" max:"1" unit:"1/week" doc:"weekly chance of theft or damage at full grievance" src:"assumed"`
	TheftLoss      float64 `toml:"theft_loss" min:"0" max:"10" unit:"livestock units" doc:"livestock killed or lost in one act of theft or damage" src:"assumed"`
	NeglectRate    float64 `toml:"neglect_rate" min:"0" max:"1" unit:"1/week" doc:"weekly loss of collectivised livestock at zero effort (neglect, lack of fodder)" src:"assumed"`
	Regrowth       float64 `toml:"regrowth" min:"0" max:"1" unit:"1/week" doc:"weekly regrowth of a herd toward its class's usual size" src:"assumed"`

	DraftElasticity float64 `toml:"draft_elasticity" min:"0" max:"1" unit:"elasticity" doc:"elasticity of output with respect to livestock (draft power, manure)" src:"assumed"`
	StrippedPenalty float64 `toml:"stripped_penalty" min:"0" max:"1" unit:"share" doc:"output lost by a household stripped of seed and implements" src:"assumed"`
	MovedPenalty    float64 `toml:"moved_penalty" min:"0" max:"1" unit:"share" doc:"output lost on poor land far from the village" src:"assumed"`
	FineShare       float64 `toml:"fine_share" min:"0" max:"1" unit:"share of grain" doc:"share of its grain a fined household pays" src:"assumed" role:"policy"`

	BaseYield float64 `toml:"base_yield" min:"0" max:"10" unit:"t/ha" doc:"grain yield of a hectare in an average year" src:"approximate (late-1920s Soviet grain yields, 7–8 centners a hectare)" role:"country"`
	GrainNeed float64 `toml:"grain_need" min:"0" max:"10" unit:"t per adult per year" doc:"grain a working adult's family eats and sows in a year" src:"assumed" role:"country"`
}

// CadreParams are the parameters of the cadre rules.
type CadreParams struct {
	CoercionGain       float64     `toml:"coercion_gain" min:"0" max:"100" unit:"coercion per share" doc:"coercion a cadre of zeal 1 applies per share of households it is behind its target path" src:"fitted"`
	ZealSD             float64     `toml:"zeal_sd" min:"0" max:"2" unit:"log units" doc:"spread of zeal between cadres (lognormal)" src:"assumed"`
	UrbanZeal          float64     `toml:"urban_zeal" min:"0" max:"10" unit:"multiplier" doc:"zeal of an urban cadre relative to a local one" src:"assumed"`
	FearGain           float64     `toml:"fear_gain" min:"0" max:"1" unit:"1/week" doc:"weekly rise of a cadre's fear while behind its target under a punishing policy" src:"assumed"`
	PeerFear           float64     `toml:"peer_fear" min:"0" max:"20" unit:"fear per share" doc:"rise of fear per share of the district's cadres punished in the week" src:"assumed"`
	FearDecay          float64     `toml:"fear_decay" min:"0" max:"1" unit:"1/week" doc:"weekly decay of a cadre's fear" src:"assumed"`
	FearPressure       float64     `toml:"fear_pressure" min:"0" max:"20" unit:"pressure per fear" doc:"how much fear multiplies the pressure of a gap to the target" src:"assumed"`
	CompetitionWeight  float64     `toml:"competition_weight" min:"0" max:"20" unit:"pressure per share" doc:"pressure from reporting less than the district's other cadres" src:"assumed"`
	Inflation          float64     `toml:"inflation" min:"0" max:"1" unit:"share of the remainder" doc:"share of the not-yet-collectivised households a frightened, competing cadre adds to its report" src:"assumed"`
	UrbanSkill         float64     `toml:"urban_skill" min:"0" max:"1" unit:"share" doc:"persuasion skill of an urban cadre relative to a local one who knows the village" src:"assumed"`
	Courage            float64     `toml:"courage" min:"0" max:"1" unit:"share of cadres" doc:"share of local cadres with the courage to object to coercion" src:"assumed"`
	ObjectAbove        float64     `toml:"object_above" min:"0" max:"1" unit:"coercion" doc:"coercion a courageous cadre is asked for before it objects" src:"assumed"`
	PunishRate         float64     `toml:"punish_rate" min:"0" max:"1" unit:"1/week" doc:"weekly chance that a cadre reporting behind its target is punished at full severity" src:"assumed"`
	RemoveShare        float64     `toml:"remove_share" min:"0" max:"1" unit:"share" doc:"share of punishments that remove the cadre (the rest are fines and reprimands)" src:"assumed"`
	ObjectorPunishRate float64     `toml:"objector_punish_rate" min:"0" max:"1" unit:"1/week" doc:"weekly chance that an objecting cadre is punished and removed" src:"assumed"`
	BlameRate          float64     `toml:"blame_rate" min:"0" max:"1" unit:"1/week" doc:"weekly chance that a cadre still coercing after a halt is blamed and punished" src:"assumed"`
	PunishedFear       float64     `toml:"punished_fear" min:"0" max:"1" unit:"fear" doc:"rise of fear of a cadre who is punished and stays" src:"assumed"`
	HaltAcceptLocal    float64     `toml:"halt_accept_local" min:"0" max:"1" unit:"1/week" doc:"weekly chance that a local cadre believes and obeys a halt" src:"assumed (seed: coercion 'did not stop immediately')"`
	HaltPersistence    float64     `toml:"halt_persistence" min:"0" max:"1" unit:"share per week" doc:"share of its coercion a cadre who doubts a halt keeps up from one week to the next" src:"assumed"`
	HaltAcceptUrban    float64     `toml:"halt_accept_urban" min:"0" max:"1" unit:"1/week" doc:"weekly chance that an urban cadre believes and obeys a halt" src:"assumed"`
	OvershootAbove     float64     `toml:"overshoot_above" min:"0" max:"10" unit:"pressure" doc:"fear times pressure above which a cadre goes beyond the measures permitted" src:"assumed"`
	OvershootRungs     int         `toml:"overshoot_rungs" min:"0" max:"8" unit:"rungs" doc:"how many rungs beyond the permitted ones an overshooting cadre goes" src:"assumed"`
	TargetingRate      float64     `toml:"targeting_rate" min:"0" max:"1" unit:"1/week" doc:"weekly chance, at full coercion, that a refusing household is pushed a rung up the ladder" src:"assumed"`
	TargetLocal        ClassValues `toml:"target_local" min:"0" max:"20" unit:"weight" doc:"relative chance that a local cadre targets a household of each class" src:"assumed"`
	TargetUrban        ClassValues `toml:"target_urban" min:"0" max:"20" unit:"weight" doc:"relative chance that an urban cadre targets a household of each class (knows less who is who)" src:"assumed"`
	LabelLocal         ClassValues `toml:"label_local" min:"0" max:"1" unit:"probability" doc:"chance that a local cadre labels a targeted household of each class 'kulak' when dekulakization is permitted" src:"assumed"`
	LabelUrban         ClassValues `toml:"label_urban" min:"0" max:"1" unit:"probability" doc:"the same for an urban cadre, who decides who is a kulak without finding out" src:"assumed"`
	ArrestShare        float64     `toml:"arrest_share" min:"0" max:"1" unit:"share" doc:"share of labelled households arrested (category 1)" src:"assumed from the 1930 quotas (category 1: 60,000; category 2: 129,000–154,000 families; BRIEF §2)" role:"policy"`
	DeportShare        float64     `toml:"deport_share" min:"0" max:"1" unit:"share" doc:"share of labelled households deported (category 2); the rest are resettled locally (category 3)" src:"assumed from the 1930 quotas (BRIEF §2)" role:"policy"`
	ReportTolerance    float64     `toml:"report_tolerance" min:"0" max:"1" unit:"share" doc:"shortfall of a report below the target path that goes unpunished" src:"assumed"`

	ExposureMax   float64 `toml:"exposure_max" min:"1" max:"100" unit:"multiplier" doc:"largest factor by which a cadre's coercion concentrates on the households still refusing as its village fills (safety in numbers)" src:"assumed (Kuran 1991; Davies 1980 ch. 6: the last individual farmers of a village were singled out)"`
	UptakeRate    float64 `toml:"uptake_rate" min:"0" max:"1" unit:"1/week" doc:"weekly chance that a cadre takes up a more demanding directive on its own (the decree, the newspaper)" src:"assumed (Davies 1980 ch. 6: decrees reached districts through regional conferences and plenipotentiaries over weeks)"`
	UptakePeer    float64 `toml:"uptake_peer" min:"0" max:"5" unit:"1/week per share" doc:"rise of that chance per share of the district's cadres who acted on it last week (district conferences, socialist competition)" src:"assumed (Viola 1996 ch. 1; Davies 1980 ch. 6)"`
	UnrestRetreat float64 `toml:"unrest_retreat" min:"0" max:"1" unit:"share" doc:"share of its coercion a cadre gives up right after a disturbance in its village" src:"assumed (Viola 1996 ch. 5: officials fled or gave way before riots)"`
	RetreatDecay  float64 `toml:"retreat_decay" min:"0" max:"1" unit:"1/week" doc:"weekly fading of a cadre's retreat after a disturbance" src:"assumed"`
}

// CollectiveParams are the parameters of a village's collective farm.
type CollectiveParams struct {
	DisruptionGain    float64 `toml:"disruption_gain" min:"0" max:"10" unit:"disruption per inflow" doc:"disorganisation caused by new members, per member added relative to the collective's size" src:"assumed"`
	WillingDisruption float64 `toml:"willing_disruption" min:"0" max:"1" unit:"share" doc:"disorganisation a willing new member causes, relative to one brought in by force" src:"assumed"`
	DisruptionDecay   float64 `toml:"disruption_decay" min:"0" max:"1" unit:"1/week" doc:"weekly decay of disorganisation" src:"assumed"`
	MaxDisruption     float64 `toml:"max_disruption" min:"0" max:"1" unit:"share" doc:"largest share of output disorganisation can cost" src:"assumed"`
	ProgrammeGain     float64 `toml:"programme_gain" min:"0" max:"2" unit:"share" doc:"productivity a settled collective gains from programmes no household can undertake (irrigation, storage, crop planning)" src:"assumed"`
	ProgrammeWeeks    float64 `toml:"programme_weeks" min:"1" max:"1000" unit:"weeks" doc:"weeks of settled, willing work for the programmes to reach their full gain" src:"assumed"`
	UnrestRate        float64 `toml:"unrest_rate" min:"0" max:"10" unit:"1/week" doc:"weekly chance of a disturbance in a village whose grievance exceeds its fear by one, under full coercion" src:"assumed"`
	TensionDecay      float64 `toml:"tension_decay" min:"0" max:"1" unit:"1/week" doc:"weekly fading of a village's memory of coercion" src:"assumed"`
}

// ResistanceParams are the parameters of the resistance submodel: who in a
// village is ready to take part in a disturbance (a threshold, Granovetter
// 1978), what lowers the threshold (grievance, what was taken this week, a
// public signal from the centre, the village's outrage, neighbouring
// villages' disturbances), what raises it (fear), and what follows.
type ResistanceParams struct {
	Threshold       float64 `toml:"threshold" min:"0" max:"5" unit:"share of the village" doc:"share of its village already taking part that a household with no grievance, fear or loss needs to see before it joins a disturbance" src:"assumed (Granovetter 1978)"`
	GrievanceWeight float64 `toml:"grievance_weight" min:"0" max:"5" unit:"threshold per grievance" doc:"how much grievance lowers a household's threshold" src:"assumed (Viola 1996)"`
	FearWeight      float64 `toml:"fear_weight" min:"0" max:"5" unit:"threshold per fear" doc:"how much fear raises a household's threshold" src:"assumed (Viola 1996)"`
	TakenWeight     float64 `toml:"taken_weight" min:"0" max:"5" unit:"threshold" doc:"how much having its property taken this week (a measure of rung 5 or above, or a coerced join) lowers a household's threshold" src:"assumed (Viola 1996 ch. 5: riots over seed, livestock and confiscated property)"`
	BoldnessSD      float64 `toml:"boldness_sd" min:"0" max:"5" unit:"threshold" doc:"standard deviation of households' thresholds around their village's, from how ready each is to defy (a trait, normal)" src:"assumed (Granovetter 1978: thresholds spread across a crowd)"`
	HeldWeight      float64 `toml:"held_weight" min:"0" max:"5" unit:"threshold" doc:"how much being held in a collective it would leave lowers a member's threshold" src:"assumed (Viola 1996 ch. 5: riots to leave the kolkhoz and take back seed and livestock)"`
	OutrageWeight   float64 `toml:"outrage_weight" min:"0" max:"50" unit:"threshold per share" doc:"how much the village's count of measures this week (households targeted by any rung, plus those whose property was taken) as a share of its households lowers every household's threshold" src:"assumed (Viola 1996 ch. 5: deportations and confiscations set off riots)"`
	ContagionWeight float64 `toml:"contagion_weight" min:"0" max:"5" unit:"threshold per share" doc:"how much the share of the district's villages that rose last week lowers every household's threshold" src:"assumed (Viola 1996: disturbances spread from village to village)"`
	SignalWeight    float64 `toml:"signal_weight" min:"0" max:"5" unit:"threshold" doc:"how much a fresh public signal from the centre (a halt, a published letter) lowers every household's threshold" src:"assumed (Viola 1996 ch. 5: peasants read Dizzy with Success aloud at meetings and took back their property)"`
	SignalDecay     float64 `toml:"signal_decay" min:"0" max:"1" unit:"1/week" doc:"weekly fading of a signal's emboldening" src:"assumed"`
	SignalFearDrop  float64 `toml:"signal_fear_drop" min:"0" max:"1" unit:"share of fear" doc:"share of its fear a household drops in the week a public signal from the centre arrives" src:"assumed (Davies 1980 ch. 7; Viola 1996 ch. 5)"`
	MoodSD          float64 `toml:"mood_sd" min:"0" max:"2" unit:"threshold" doc:"standard deviation of a village's mood in a week (a rumour, a meeting, a sermon), shifting every threshold in it" src:"assumed"`
	Crowd           float64 `toml:"crowd" min:"0" max:"1" unit:"share of the village" doc:"least share of a village that makes a disturbance: fewer taking part is a quarrel, not a riot" src:"assumed"`
	ReprisalArrest  float64 `toml:"reprisal_arrest" min:"0" max:"1" unit:"probability" doc:"chance that a household that took part in a disturbance is arrested afterwards" src:"assumed (Viola 1996 ch. 6: the OGPU arrested the ringleaders)" role:"policy"`
}
