package scenario

import (
	"reflect"
	"strconv"
	"testing"
)

// leafKeys lists the keys of every leaf field of type t, independently of
// Parameters.
func leafKeys(t reflect.Type, prefix string) []string {
	var ks []string
	for i := range t.NumField() {
		f := t.Field(i)
		key := prefix + f.Tag.Get("toml")
		switch ft := f.Type; {
		case ft.Kind() == reflect.Slice:
			ks = append(ks, leafKeys(ft.Elem(), key+"[].")...)
		case ft.Kind() == reflect.Struct && ft != dateType && ft != dayType:
			ks = append(ks, leafKeys(ft, key+".")...)
		default:
			ks = append(ks, key)
		}
	}
	return ks
}

func TestParameters(t *testing.T) {
	ps := Parameters()
	seen := map[string]int{}
	for _, p := range ps {
		seen[p.Key]++
		if p.Doc == "" || p.Type == "" {
			t.Errorf("%s has no doc or type: %+v", p.Key, p)
		}
		if p.Source == "" {
			t.Errorf("%s has no source (src tag)", p.Key)
		}
		if (p.Type == "float" || p.Type == "integer") && (p.Min == "" || p.Max == "") {
			t.Errorf("%s (a number) has no range", p.Key)
		}
	}
	want := leafKeys(reflect.TypeFor[Scenario](), "")
	if len(ps) != len(want) {
		t.Errorf("got %d parameters, want %d", len(ps), len(want))
	}
	for i, k := range want {
		if seen[k] != 1 {
			t.Errorf("%s appears %d times, want once", k, seen[k])
		}
		if i < len(ps) && ps[i].Key != k {
			t.Errorf("parameter %d is %s, want %s (struct order)", i, ps[i].Key, k)
		}
	}

	d, r := Default(), DefaultRegion()
	byKey := map[string]Parameter{}
	for _, p := range ps {
		byKey[p.Key] = p
	}
	tests := []struct{ key, typ, def, min, max string }{
		{"household.fear_gain", "float", strconv.FormatFloat(d.Household.FearGain, 'g', -1, 64), "0", "1"},
		{"household.land.poor", "float", strconv.FormatFloat(d.Household.Land.Poor, 'g', -1, 64), "0", "1000"},
		{"population.households", "integer", strconv.Itoa(d.Population.Households), "1", "200000000"},
		{"start", "date", d.Start.String(), "", ""},
		{"urban_arrival", "date", "", "", ""},
		{"calendar.sowing_start", "day", d.Calendar.SowingStart.String(), "", ""},
		{"mechanisms.theft", "boolean", "true", "", ""},
		{"regions[].zeal", "float", strconv.FormatFloat(r.Zeal, 'g', -1, 64), "0", "20"},
		{"regions[].cadre_zeal", "float", strconv.FormatFloat(r.CadreZeal, 'g', -1, 64), "0", "20"},
		{"phases[].max_rung", "integer", "0", "0", "8"},
		{"phases[].exit_allowed", "boolean", "true", "", ""},
		{"phases[].deadlines", "table of dates", "", "", ""},
	}
	for _, tt := range tests {
		p, ok := byKey[tt.key]
		if !ok {
			t.Errorf("%s is missing", tt.key)
			continue
		}
		if p.Type != tt.typ || p.Default != tt.def || p.Min != tt.min || p.Max != tt.max {
			t.Errorf("%s = %+v, want type %s, default %q, range [%s, %s]", tt.key, p, tt.typ, tt.def, tt.min, tt.max)
		}
	}
}
