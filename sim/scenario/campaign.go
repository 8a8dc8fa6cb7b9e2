package scenario

import (
	"fmt"
	"strings"
	"sync"
)

// Role says what a scenario key describes. Every key has one, given by the
// role tag of its field or, failing that, of the table that holds it.
type Role string

const (
	// Behaviour is how households and cadres decide and how their state
	// changes: rates, weights, thresholds, decays, spreads of traits, the
	// response of output to effort and measures, and the [mechanisms]
	// switches. One set of values, calibrated on the USSR, is shared by
	// every campaign (scenarios/base/behaviour.toml).
	Behaviour Role = "behaviour"
	// Country is what a source on the country gives: its households,
	// classes, land, livestock, labour, yields, calendar, villages and
	// districts, and its regions with their starting collective share,
	// readiness, trust and local apparatus (zeal, cadre_zeal).
	Country Role = "country"
	// Policy is what the regime decides: the span and timeline of the
	// campaign, the urban cadres it sends, the central authority's rules
	// (escalation, the halt rule) and what its measures do (fines, the
	// categories of dekulakization, reprisals after disturbances).
	Policy Role = "policy"
	// Run is how a run is made, not what it stands for: its name, seed and
	// the number of households simulated.
	Run Role = "run"
)

// Roles lists the roles in the order docs/MODEL.md gives them.
var Roles = []Role{Behaviour, Country, Policy, Run}

// behaviourKeys returns the keys of the behaviour parameters, in the order
// of Parameters. None lies under an array or a map.
var behaviourKeys = sync.OnceValue(func() []string {
	var ks []string
	for _, p := range Parameters() {
		if p.Role == Behaviour {
			ks = append(ks, p.Key)
		}
	}
	return ks
})

// checkCampaign applies the rule for a scenario that declares itself a
// campaign (campaign = true in it or in a file it extends, unless a nearer
// file says false): its behaviour comes whole from the shared behaviour
// file, the root of its chain of extends, which must set every behaviour
// key; no other file of the chain, and no --set, may set one.
func (o *origin) checkCampaign() ErrorList {
	if !o.isCampaign() {
		return nil
	}
	var errs ErrorList
	root := o.files[len(o.files)-1]
	var missing []string
	for _, k := range behaviourKeys() {
		if !o.rootPos.Has(k) {
			missing = append(missing, k)
		}
		if p, ok := o.pos[k]; ok && p.File != root {
			errs = append(errs, p.Error(k, "a campaign may not set a behaviour key",
				"every campaign shares the behaviour of "+root+"; set country and policy keys only, or make a what-if with campaign = false"))
		}
	}
	if len(o.files) == 1 || len(missing) > 0 {
		why := "it extends no file"
		if len(o.files) > 1 {
			why = fmt.Sprintf("its chain of extends ends at %s, which does not set %d behaviour keys (%s)", root, len(missing), strings.Join(head(missing, 3), ", "))
		}
		errs = append(errs, o.campaign.Pos().Error("campaign", "a campaign must extend the shared behaviour file, which sets every behaviour key; "+why,
			`extends = "../base/behaviour.toml" (directly or through the country's file)`))
	}
	return errs
}

// head returns the first n of ks, with "..." for the rest.
func head(ks []string, n int) []string {
	if len(ks) <= n {
		return ks
	}
	return append(ks[:n:n], "...")
}
