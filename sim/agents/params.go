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
	Land      ClassValues `toml:"land" min:"0" max:"1000" unit:"ha" doc:"sown land of a household, by class"`
	Livestock ClassValues `toml:"livestock" min:"0" max:"1000" unit:"livestock units" doc:"livestock of a household, by class (a horse or a cow is one unit)"`
	Labour    ClassValues `toml:"labour" min:"0.5" max:"20" unit:"working adults" doc:"mean working adults of a household, by class"`
	Threshold ClassValues `toml:"threshold" min:"0" max:"3" unit:"understanding" doc:"understanding a household of the class needs before it wishes to join, other things equal"`

	UnderstandingSD float64 `toml:"understanding_sd" min:"0" max:"0.5" unit:"understanding" doc:"spread of initial understanding around the region's readiness"`

	NeighbourWeight  float64 `toml:"neighbour_weight" min:"0" max:"5" unit:"wish per share" doc:"pull of the village's collective share on the wish to join (conformity)"`
	RiskWeight       float64 `toml:"risk_weight" min:"0" max:"5" unit:"wish per CV" doc:"value of pooled yield risk, per unit of the region's yield coefficient of variation"`
	GrievanceWeight  float64 `toml:"grievance_weight" min:"0" max:"5" unit:"wish" doc:"how much grievance against the authorities lowers the wish to join"`
	TrustWeight      float64 `toml:"trust_weight" min:"0" max:"5" unit:"wish" doc:"how much trust in the authorities (above one half) raises the wish to join"`
	PlotBonus        float64 `toml:"plot_bonus" min:"0" max:"2" unit:"wish" doc:"raise in the wish to belong when members may keep a private plot and a cow"`
	ExperienceWeight float64 `toml:"experience_weight" min:"0" max:"5" unit:"wish per productivity" doc:"how much their collective out- or under-performing individual farms moves members' wish to stay"`
	FearWeight       float64 `toml:"fear_weight" min:"0" max:"5" unit:"wish per fear" doc:"how much fear of the consequences of refusing weighs against the private wish"`
	ExitCost         float64 `toml:"exit_cost" min:"0" max:"2" unit:"wish" doc:"what a member loses by leaving (land, livestock and seed kept by the collective)"`
	DecisionScale    float64 `toml:"decision_scale" min:"0.001" max:"2" unit:"wish" doc:"margin of wish over which a decision reaches its full weekly rate"`

	JoinRate        float64 `toml:"join_rate" min:"0" max:"1" unit:"1/week" doc:"weekly chance that a household that wishes to join does so"`
	CoercedJoinRate float64 `toml:"coerced_join_rate" min:"0" max:"1" unit:"1/week" doc:"weekly chance of yielding to full coercion once fear outweighs the wish"`
	ExitRate        float64 `toml:"exit_rate" min:"0" max:"1" unit:"1/week" doc:"weekly chance that a member who wants out leaves"`

	PersuasionGain    float64 `toml:"persuasion_gain" min:"0" max:"1" unit:"1/week" doc:"rise of understanding per week of full-time mass work"`
	DemonstrationGain float64 `toml:"demonstration_gain" min:"0" max:"1" unit:"1/week" doc:"rise of understanding from seeing the village collective out-produce individual farms"`
	ExperienceGain    float64 `toml:"experience_gain" min:"0" max:"1" unit:"1/week" doc:"change of a member's understanding from its own collective's performance"`

	FearGain         float64 `toml:"fear_gain" min:"0" max:"1" unit:"1/week" doc:"rise of fear per week under full coercion in the village"`
	NeighbourFear    float64 `toml:"neighbour_fear" min:"0" max:"20" unit:"fear per share" doc:"rise of fear per share of the village repressed in the week"`
	FearPerRung      float64 `toml:"fear_per_rung" min:"0" max:"1" unit:"fear" doc:"rise of fear each time the household itself is pushed a rung up the ladder"`
	FearDecay        float64 `toml:"fear_decay" min:"0" max:"1" unit:"1/week" doc:"weekly decay of fear"`
	GrievanceGain    float64 `toml:"grievance_gain" min:"0" max:"1" unit:"1/week" doc:"rise of grievance per week under full coercion"`
	GrievancePerRung float64 `toml:"grievance_per_rung" min:"0" max:"1" unit:"grievance" doc:"rise of grievance each time the household is pushed a rung up the ladder"`
	CoercedGrievance float64 `toml:"coerced_grievance" min:"0" max:"1" unit:"1/week" doc:"weekly rise of grievance of a member held against its wish"`
	HungerGrievance  float64 `toml:"hunger_grievance" min:"0" max:"1" unit:"1/week" doc:"weekly rise of grievance of a household without grain"`
	GrievanceDecay   float64 `toml:"grievance_decay" min:"0" max:"1" unit:"1/week" doc:"weekly decay of grievance"`
	TrustLoss        float64 `toml:"trust_loss" min:"0" max:"1" unit:"1/week" doc:"weekly loss of trust under full coercion, and per rung suffered"`
	TrustRecovery    float64 `toml:"trust_recovery" min:"0" max:"1" unit:"1/week" doc:"weekly return of trust toward the region's baseline"`

	AnticipatorySlaughter float64 `toml:"anticipatory_slaughter" min:"0" max:"1" unit:"1/week" doc:"weekly chance, under full coercion, that an unwilling household slaughters or sells its livestock"`
	SlaughterAtJoin       float64 `toml:"slaughter_at_join" min:"0" max:"1" unit:"probability" doc:"chance that a household forced to join slaughters its livestock first"`
	SlaughterFraction     float64 `toml:"slaughter_fraction" min:"0" max:"1" unit:"share" doc:"share of its livestock a slaughtering household kills or sells"`
	SlaughterMemory       float64 `toml:"slaughter_memory" min:"0" max:"1" unit:"1/week" doc:"weekly chance that a household that slaughtered would do so again (herd rebuilt)"`

	EffortMin      float64 `toml:"effort_min" min:"0" max:"1" unit:"effort" doc:"effort of a member held in a collective wholly against its wish"`
	EffortScale    float64 `toml:"effort_scale" min:"0.01" max:"5" unit:"wish" doc:"negative wish at which a coerced member's effort falls to its minimum"`
	TheftThreshold float64 `toml:"theft_threshold" min:"0" max:"1" unit:"grievance" doc:"grievance above which a coerced member steals or damages collective property"`
	TheftRate      float64 `toml:"theft_rate" min:"0" max:"1" unit:"1/week" doc:"weekly chance of theft or damage at full grievance"`
	TheftLoss      float64 `toml:"theft_loss" min:"0" max:"10" unit:"livestock units" doc:"livestock killed or lost in one act of theft or damage"`
	NeglectRate    float64 `toml:"neglect_rate" min:"0" max:"1" unit:"1/week" doc:"weekly loss of collectivised livestock at zero effort (neglect, lack of fodder)"`
	Regrowth       float64 `toml:"regrowth" min:"0" max:"1" unit:"1/week" doc:"weekly regrowth of a herd toward its class's usual size"`

	DraftElasticity float64 `toml:"draft_elasticity" min:"0" max:"1" unit:"elasticity" doc:"elasticity of output with respect to livestock (draft power, manure)"`
	StrippedPenalty float64 `toml:"stripped_penalty" min:"0" max:"1" unit:"share" doc:"output lost by a household stripped of seed and implements"`
	MovedPenalty    float64 `toml:"moved_penalty" min:"0" max:"1" unit:"share" doc:"output lost on poor land far from the village"`
	FineShare       float64 `toml:"fine_share" min:"0" max:"1" unit:"share of grain" doc:"share of its grain a fined household pays"`

	BaseYield float64 `toml:"base_yield" min:"0" max:"10" unit:"t/ha" doc:"grain yield of a hectare in an average year"`
	GrainNeed float64 `toml:"grain_need" min:"0" max:"10" unit:"t per adult per year" doc:"grain a working adult's family eats and sows in a year"`
}

// CadreParams are the parameters of the cadre rules.
type CadreParams struct {
	CoercionGain       float64     `toml:"coercion_gain" min:"0" max:"100" unit:"coercion per share" doc:"coercion a cadre of zeal 1 applies per share of households it is behind its target path"`
	ZealSD             float64     `toml:"zeal_sd" min:"0" max:"2" unit:"log units" doc:"spread of zeal between cadres (lognormal)"`
	UrbanZeal          float64     `toml:"urban_zeal" min:"0" max:"10" unit:"multiplier" doc:"zeal of an urban cadre relative to a local one"`
	FearGain           float64     `toml:"fear_gain" min:"0" max:"1" unit:"1/week" doc:"weekly rise of a cadre's fear while behind its target under a punishing policy"`
	PeerFear           float64     `toml:"peer_fear" min:"0" max:"20" unit:"fear per share" doc:"rise of fear per share of the district's cadres punished in the week"`
	FearDecay          float64     `toml:"fear_decay" min:"0" max:"1" unit:"1/week" doc:"weekly decay of a cadre's fear"`
	FearPressure       float64     `toml:"fear_pressure" min:"0" max:"20" unit:"pressure per fear" doc:"how much fear multiplies the pressure of a gap to the target"`
	CompetitionWeight  float64     `toml:"competition_weight" min:"0" max:"20" unit:"pressure per share" doc:"pressure from reporting less than the district's other cadres"`
	Inflation          float64     `toml:"inflation" min:"0" max:"1" unit:"share of the remainder" doc:"share of the not-yet-collectivised households a frightened, competing cadre adds to its report"`
	UrbanSkill         float64     `toml:"urban_skill" min:"0" max:"1" unit:"share" doc:"persuasion skill of an urban cadre relative to a local one who knows the village"`
	Courage            float64     `toml:"courage" min:"0" max:"1" unit:"share of cadres" doc:"share of local cadres with the courage to object to coercion"`
	ObjectAbove        float64     `toml:"object_above" min:"0" max:"1" unit:"coercion" doc:"coercion a courageous cadre is asked for before it objects"`
	PunishRate         float64     `toml:"punish_rate" min:"0" max:"1" unit:"1/week" doc:"weekly chance that a cadre reporting behind its target is punished at full severity"`
	RemoveShare        float64     `toml:"remove_share" min:"0" max:"1" unit:"share" doc:"share of punishments that remove the cadre (the rest are fines and reprimands)"`
	ObjectorPunishRate float64     `toml:"objector_punish_rate" min:"0" max:"1" unit:"1/week" doc:"weekly chance that an objecting cadre is punished and removed"`
	BlameRate          float64     `toml:"blame_rate" min:"0" max:"1" unit:"1/week" doc:"weekly chance that a cadre still coercing after a halt is blamed and punished"`
	PunishedFear       float64     `toml:"punished_fear" min:"0" max:"1" unit:"fear" doc:"rise of fear of a cadre who is punished and stays"`
	HaltAcceptLocal    float64     `toml:"halt_accept_local" min:"0" max:"1" unit:"1/week" doc:"weekly chance that a local cadre believes and obeys a halt"`
	HaltPersistence    float64     `toml:"halt_persistence" min:"0" max:"1" unit:"share per week" doc:"share of its coercion a cadre who doubts a halt keeps up from one week to the next"`
	HaltAcceptUrban    float64     `toml:"halt_accept_urban" min:"0" max:"1" unit:"1/week" doc:"weekly chance that an urban cadre believes and obeys a halt"`
	OvershootAbove     float64     `toml:"overshoot_above" min:"0" max:"10" unit:"pressure" doc:"fear times pressure above which a cadre goes beyond the measures permitted"`
	OvershootRungs     int         `toml:"overshoot_rungs" min:"0" max:"8" unit:"rungs" doc:"how many rungs beyond the permitted ones an overshooting cadre goes"`
	TargetingRate      float64     `toml:"targeting_rate" min:"0" max:"1" unit:"1/week" doc:"weekly chance, at full coercion, that a refusing household is pushed a rung up the ladder"`
	TargetLocal        ClassValues `toml:"target_local" min:"0" max:"20" unit:"weight" doc:"relative chance that a local cadre targets a household of each class"`
	TargetUrban        ClassValues `toml:"target_urban" min:"0" max:"20" unit:"weight" doc:"relative chance that an urban cadre targets a household of each class (knows less who is who)"`
	LabelLocal         ClassValues `toml:"label_local" min:"0" max:"1" unit:"probability" doc:"chance that a local cadre labels a targeted household of each class 'kulak' when dekulakization is permitted"`
	LabelUrban         ClassValues `toml:"label_urban" min:"0" max:"1" unit:"probability" doc:"the same for an urban cadre, who decides who is a kulak without finding out"`
	ArrestShare        float64     `toml:"arrest_share" min:"0" max:"1" unit:"share" doc:"share of labelled households arrested (category 1)"`
	DeportShare        float64     `toml:"deport_share" min:"0" max:"1" unit:"share" doc:"share of labelled households deported (category 2); the rest are resettled locally (category 3)"`
	ReportTolerance    float64     `toml:"report_tolerance" min:"0" max:"1" unit:"share" doc:"shortfall of a report below the target path that goes unpunished"`
}

// CollectiveParams are the parameters of a village's collective farm.
type CollectiveParams struct {
	DisruptionGain    float64 `toml:"disruption_gain" min:"0" max:"10" unit:"disruption per inflow" doc:"disorganisation caused by new members, per member added relative to the collective's size"`
	WillingDisruption float64 `toml:"willing_disruption" min:"0" max:"1" unit:"share" doc:"disorganisation a willing new member causes, relative to one brought in by force"`
	DisruptionDecay   float64 `toml:"disruption_decay" min:"0" max:"1" unit:"1/week" doc:"weekly decay of disorganisation"`
	MaxDisruption     float64 `toml:"max_disruption" min:"0" max:"1" unit:"share" doc:"largest share of output disorganisation can cost"`
	ProgrammeGain     float64 `toml:"programme_gain" min:"0" max:"2" unit:"share" doc:"productivity a settled collective gains from programmes no household can undertake (irrigation, storage, crop planning)"`
	ProgrammeWeeks    float64 `toml:"programme_weeks" min:"1" max:"1000" unit:"weeks" doc:"weeks of settled, willing work for the programmes to reach their full gain"`
	UnrestRate        float64 `toml:"unrest_rate" min:"0" max:"10" unit:"1/week" doc:"weekly chance of a disturbance in a village whose grievance exceeds its fear by one, under full coercion"`
	TensionDecay      float64 `toml:"tension_decay" min:"0" max:"1" unit:"1/week" doc:"weekly fading of a village's memory of coercion"`
}
