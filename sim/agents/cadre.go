package agents

import (
	"math"

	"github.com/collsim/collsim/sim/policy"
	"github.com/collsim/collsim/sim/rng"
)

// Cadre is the party official of one village soviet.
type Cadre struct {
	Zeal       float32 // personal readiness to use force, relative to its region's
	Courage    bool    // would object to coercion it thinks wrong (local cadres only)
	Urban      bool    // sent in from the town; does not know the village
	Fear       float32 // of punishment from above, 0..1
	Coercion   float32 // this week's coercion, 0..1
	Persuasion float32 // this week's effective mass work, 0..1
	MaxRung    policy.Rung
	Objecting  bool    // refused this week to coerce
	Obeys      bool    // has accepted the halt in force
	Report     float32 // share of households it last reported collectivised
	Shaken     float32 // how much a disturbance in its village still holds it back, 0..1
	TakenUp    int16   // index of the phase whose directive it acts on
}

// NewCadre returns a cadre drawn for a region whose cadres have the given
// mean zeal.
func NewCadre(urban bool, zeal float64, p *CadreParams, r *rng.Stream) Cadre {
	z := zeal * r.LogNormal(p.ZealSD)
	if urban {
		z *= p.UrbanZeal
	}
	courage := r.Bernoulli(p.Courage)
	return Cadre{Zeal: float32(z), Urban: urban, Courage: courage && !urban, TakenUp: -1}
}

// CadreView is what a cadre sees when it decides: its village's true state
// last week and its district peers.
type CadreView struct {
	Share         float64 // true collective share of its village last week
	PeerReport    float64 // mean report of the district's cadres last week
	PeersPunished float64 // share of the district's cadres punished last week
	PeersTakenUp  float64 // share of the district's cadres acting on the phase in force last week
}

// Decide sets the cadre's coercion, persuasion and ceiling of measures for
// the week, given the directive in force, the directives of the phases
// before it (earlier[j] for phase j; see Authority.Earlier) and what it
// sees (seed: "fearing authorities, fearing punishments, and anxious that
// they were the only ones left behind ... the cadres competed with each
// other").
func (c *Cadre) Decide(d *policy.Directive, earlier []policy.Directive, v CadreView, p *CadreParams, m *Mechanisms, r *rng.Stream) {
	c.Objecting = false
	act := c.takeUp(d, earlier, v, p, m, r)
	gap := 0.0
	if act.TargetPath > 0 {
		gap = math.Max(0, act.TargetPath-v.Share)
	}
	fear := float64(c.Fear) * (1 - p.FearDecay)
	if m.CadreFear {
		if gap > p.ReportTolerance {
			fear += p.FearGain * act.Punishment * (1 - fear)
		}
		fear += math.Min(1, p.PeerFear*v.PeersPunished) * (1 - fear)
	} else {
		fear = 0
	}
	c.Fear = float32(clamp01(fear))

	if !d.Halt {
		c.Obeys = false
	}
	switch {
	case act.CoercionAllowed():
		pressure := gap * (1 + p.FearPressure*fear)
		if m.Competition {
			pressure += p.CompetitionWeight * math.Max(0, v.PeerReport-float64(c.Report))
		}
		coercion := clamp01(float64(c.Zeal) * p.CoercionGain * pressure)
		c.MaxRung = act.MaxRung
		if fear*pressure > p.OvershootAbove {
			c.MaxRung = min(policy.MaxRung, act.MaxRung+policy.Rung(p.OvershootRungs))
		}
		if m.Objectors && c.Courage && coercion > p.ObjectAbove {
			c.Objecting = true
			coercion = 0
		}
		if m.UnrestRetreat && c.Shaken > 0 {
			// A crowd has just risen against it: it holds back for a while.
			coercion *= 1 - p.UnrestRetreat*float64(c.Shaken)
		}
		c.Coercion = float32(coercion)
	case act.Halt && !c.Obeys:
		// The halt arrives as a newspaper article that contradicts every
		// order before it; a cadre believes it only after a while.
		accept := p.HaltAcceptLocal
		if c.Urban {
			accept = p.HaltAcceptUrban
		}
		if !m.HaltLag || r.Bernoulli(accept) {
			c.Obeys = true
			c.Coercion = 0
		} else {
			c.Coercion *= float32(p.HaltPersistence)
		}
	default:
		c.Coercion = 0
	}
	if c.Coercion == 0 {
		c.MaxRung = policy.NoCoercion
	}
	skill := 1.0
	if c.Urban {
		skill = p.UrbanSkill
	}
	c.Persuasion = float32(act.Persuasion * (1 - float64(c.Coercion)) * skill)
	c.Shaken *= float32(1 - p.RetreatDecay)
}

// takeUp returns the directive the cadre acts on this week (mechanism
// directive_uptake). A directive more demanding than the one the cadre acts
// on (a higher ceiling of measures or a harsher punishment) reaches it only
// when it takes it up: each week with chance uptake_rate + uptake_peer × the
// share of its district's cadres who acted on it last week (decrees arrive
// through conferences and plenipotentiaries; cadres follow their peers).
// Until then it acts on the directive of the phase it last took up: its
// measures, its punishment and its target path carried on. Any other
// directive, and the first it receives, it takes up at once (a halt has its
// own lag, in Decide).
func (c *Cadre) takeUp(d *policy.Directive, earlier []policy.Directive, v CadreView, p *CadreParams, m *Mechanisms, r *rng.Stream) *policy.Directive {
	j := int(c.TakenUp)
	if j == d.Phase {
		return d
	}
	if m.DirectiveUptake && j >= 0 && j < d.Phase && j < len(earlier) && !d.Halt {
		old := &earlier[j]
		harder := d.MaxRung > old.MaxRung || d.Punishment > old.Punishment
		if harder && !r.Bernoulli(math.Min(1, p.UptakeRate+p.UptakePeer*v.PeersTakenUp)) {
			return old
		}
	}
	c.TakenUp = int16(d.Phase)
	return d
}

// ActsOn reports whether the cadre acts on the directive of phase.
func (c *Cadre) ActsOn(phase int) bool { return int(c.TakenUp) == phase }

// Reported returns what the cadre reports upward for a village whose true
// share is share: the truth, plus (when reports are inflated) a part of the
// remainder that grows with its fear and with how far it lags its peers.
func (c *Cadre) Reported(share, peerReport float64, p *CadreParams, m *Mechanisms) float64 {
	if !m.InflatedReports {
		return share
	}
	push := float64(c.Fear)
	if m.Competition {
		push += math.Max(0, peerReport-share)
	}
	return math.Min(1, share+p.Inflation*math.Min(1, push)*(1-share))
}

// Judged reports whether the cadre is punished this week, and whether the
// punishment removes it. Its superiors see only its report: a cadre behind
// its target path is punished, an objector is punished, and after a halt a
// cadre who is still coercing is blamed.
func (c *Cadre) Judged(d *policy.Directive, p *CadreParams, r *rng.Stream) (punished, removed bool) {
	switch {
	case c.Objecting:
		if r.Bernoulli(p.ObjectorPunishRate) {
			return true, true
		}
	case d.Halt:
		if c.Coercion > 0 && r.Bernoulli(p.BlameRate) {
			punished = true
		}
	case d.Punishment > 0 && d.TargetPath > 0 && float64(c.Report) < d.TargetPath-p.ReportTolerance:
		punished = r.Bernoulli(p.PunishRate * d.Punishment)
	}
	if punished {
		removed = r.Bernoulli(p.RemoveShare)
		c.Fear += float32(p.PunishedFear * (1 - float64(c.Fear)))
	}
	return punished, removed
}
