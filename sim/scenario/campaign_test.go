package scenario

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/collsim/collsim/internal/strict"
	"github.com/collsim/collsim/internal/testenv"
)

const behaviourFile = "../../scenarios/base/behaviour.toml"

// TestRoles: every key has a role, and the classification of docs/MODEL.md
// §8.1 holds where it is least obvious.
func TestRoles(t *testing.T) {
	roles := map[string]Role{}
	for _, p := range Parameters() {
		if !slices.Contains(Roles, p.Role) {
			t.Errorf("%s: role %q, want one of %v", p.Key, p.Role, Roles)
		}
		roles[p.Key] = p.Role
	}
	for key, want := range map[string]Role{
		"seed":                        Run,
		"population.households":       Run,
		"population.real_households":  Country,
		"population.classes.kulak":    Country,
		"start":                       Policy,
		"urban_arrival":               Policy,
		"household.land.middle":       Country,
		"household.livestock.poor":    Country,
		"household.base_yield":        Country,
		"household.grain_need":        Country,
		"household.threshold.poor":    Behaviour,
		"household.exit_cost":         Behaviour,
		"household.draft_elasticity":  Behaviour,
		"household.fine_share":        Policy,
		"cadre.coercion_gain":         Behaviour,
		"cadre.courage":               Behaviour,
		"cadre.arrest_share":          Policy,
		"cadre.deport_share":          Policy,
		"collective.programme_gain":   Behaviour,
		"resistance.threshold":        Behaviour,
		"resistance.reprisal_arrest":  Policy,
		"authority.escalation_rate":   Policy,
		"authority.halt_rule.enabled": Policy,
		"mechanisms.theft":            Behaviour,
		"calendar.harvest_start":      Country,
		"regions[].readiness":         Country,
		"regions[].zeal":              Country,
		"regions[].cadre_zeal":        Country,
		"regions[].urban_cadres":      Policy,
		"phases[].targets":            Policy,
	} {
		if got, ok := roles[key]; !ok || got != want {
			t.Errorf("%s: role %q, want %q", key, got, want)
		}
	}
}

// TestBehaviourFile: the shared behaviour file sets every behaviour key and
// nothing else, to the values of Default (what every ready USSR scenario
// ran with before the file existed). A change to a default must be made
// here too, or the ready scenarios would not see it.
func TestBehaviourFile(t *testing.T) {
	data, err := os.ReadFile(behaviourFile)
	if err != nil {
		t.Fatal(err)
	}
	root, errs := strict.Decode(behaviourFile, data)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	s := Default()
	pos, errs := schema.Bind(reflect.ValueOf(&s).Elem(), root)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	roles := map[string]Role{}
	for _, p := range Parameters() {
		roles[p.Key] = p.Role
	}
	for key := range pos {
		if r, ok := roles[key]; ok && r != Behaviour || strings.Contains(key, "[") {
			t.Errorf("%s sets %s, a %s key", behaviourFile, key, r)
		}
	}
	for _, k := range behaviourKeys() {
		if !pos.Has(k) {
			t.Errorf("%s does not set the behaviour key %s", behaviourFile, k)
		}
	}
	var got []Parameter
	parameters(&got, "", reflect.ValueOf(s), Parameter{})
	for i, p := range Parameters() {
		if g := got[i]; p.Role == Behaviour && g.Default != p.Default {
			t.Errorf("%s: %s = %s, but its default is %s", behaviourFile, p.Key, g.Default, p.Default)
		}
	}
	if !reflect.DeepEqual(s, Default()) {
		t.Errorf("%s sets something to other than its default", behaviourFile)
	}
}

// TestCampaignRule: Check refuses a campaign that sets a behaviour key
// anywhere but in the shared behaviour file, naming the file, line and key;
// Load does not apply the rule.
func TestCampaignRule(t *testing.T) {
	dir := t.TempDir()
	behaviour, err := filepath.Abs(behaviourFile)
	if err != nil {
		t.Fatal(err)
	}
	ext := "extends = " + strict.QuoteString(behaviour) + "\n"
	const body = "name = \"c\"\nstart = \"1929-06-01\"\n\n[population]\nhouseholds = 1000\n" + regionsOK +
		"\n[[phases]]\nname = \"p\"\nstart = \"1929-06-01\"\n"
	write := func(name, src string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	write("campaign.toml", "campaign = true\n"+ext+body)
	write("middle.toml", ext+"[household]\nexit_rate = 0.3\n")
	write("country.toml", body)
	tests := []struct {
		name, src string
		set       []string
		want      []string // lines of Check's error; none: Check accepts it
	}{
		{name: "campaign", src: "campaign = true\n" + ext + body},
		{name: "country and policy by --set", src: "campaign = true\n" + ext + body, set: []string{"regions.A.readiness=0.2", "phases.p.max_rung=2"}},
		{name: "not a campaign", src: ext + body + "\n[household]\njoin_rate = 0.2\n"},
		{
			name: "behaviour key",
			src:  "campaign = true\n" + ext + body + "\n[household]\njoin_rate = 0.2\nthreshold = { poor = 0.5 }\n",
			want: []string{
				`c.toml:22: household.join_rate: a campaign may not set a behaviour key (hint: every campaign shares the behaviour of ` + behaviour,
				`c.toml:23: household.threshold.poor: a campaign may not set a behaviour key`,
			},
		},
		{
			name: "dotted behaviour key",
			src:  "campaign = true\n" + ext + "mechanisms.theft = false\n" + body,
			want: []string{`c.toml:3: mechanisms.theft: a campaign may not set a behaviour key`},
		},
		{
			name: "behaviour key by --set",
			src:  "campaign = true\n" + ext + body,
			set:  []string{"cadre.coercion_gain=4"},
			want: []string{`--set cadre.coercion_gain=4: cadre.coercion_gain: a campaign may not set a behaviour key`},
		},
		{
			name: "behaviour key in a file between",
			src:  "campaign = true\nextends = \"middle.toml\"\n" + body,
			want: []string{filepath.Join(dir, "middle.toml") + `:3: household.exit_rate: a campaign may not set a behaviour key`},
		},
		{
			name: "inherited declaration",
			src:  "extends = \"campaign.toml\"\n[cadre]\ncourage = 0.2\n",
			want: []string{`c.toml:3: cadre.courage: a campaign may not set a behaviour key`},
		},
		{name: "declaration withdrawn", src: "extends = \"campaign.toml\"\ncampaign = false\n[cadre]\ncourage = 0.2\n"},
		{
			name: "no extends",
			src:  "campaign = true\n" + body,
			want: []string{`c.toml:1: campaign: a campaign must extend the shared behaviour file, which sets every behaviour key; it extends no file (hint: extends = "../base/behaviour.toml"`},
		},
		{
			name: "root without behaviour",
			src:  "campaign = true\nextends = \"country.toml\"\n",
			want: []string{`c.toml:1: campaign: a campaign must extend the shared behaviour file, which sets every behaviour key; its chain of extends ends at ` + filepath.Join(dir, "country.toml") + `, which does not set`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := write("c.toml", tt.src)
			if _, err := Load(path, tt.set...); err != nil {
				t.Fatalf("Load: %v", err)
			}
			_, err := Check(path, tt.set...)
			if len(tt.want) == 0 {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				return
			}
			if err == nil {
				t.Fatal("Check accepts it")
			}
			testenv.ErrorLines(t, err, tt.want...)
		})
	}
	t.Run("declaration not a boolean", func(t *testing.T) {
		path := write("c.toml", "campaign = \"yes\"\n"+ext+body)
		for _, load := range []func(string, ...string) (*Scenario, error){Load, Check} {
			_, err := load(path)
			testenv.ErrorLines(t, err, `c.toml:1: campaign: want true or false, got string "yes"`)
		}
	})
}
