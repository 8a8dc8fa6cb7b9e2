package scenario

import (
	"reflect"

	"github.com/collsim/collsim/internal/strict"
	"github.com/collsim/collsim/sim/calendar"
)

// Parameter describes one parameter of a scenario file.
type Parameter struct {
	Key     string // dotted path: "household.fear_gain", "household.land.poor", "regions[].zeal"
	Type    string // string, integer, float, boolean, date (YYYY-MM-DD), day (MM-DD) or table of dates
	Default string // from Default, DefaultRegion or DefaultPhase
	Unit    string
	Min     string
	Max     string
	Doc     string
	Source  string // where the default comes from: a source, "fitted" or "assumed"
	Role    Role   // what the key describes: behaviour, country, policy or run
}

// Parameters lists every parameter of a scenario file in the order of the
// struct fields. The fields of a table without tags of their own (the
// classes of agents.ClassValues) take the table's unit, range and doc; a
// field without a role tag takes its table's role.
func Parameters() []Parameter {
	var ps []Parameter
	d := Default()
	parameters(&ps, "", reflect.ValueOf(d), Parameter{})
	return ps
}

// parameters appends the parameters of the struct v at key; inherit holds
// the unit, range and doc of the table v.
func parameters(ps *[]Parameter, key string, v reflect.Value, inherit Parameter) {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		p := Parameter{
			Key:    strict.JoinKey(key, f.Tag.Get("toml")),
			Unit:   f.Tag.Get("unit"),
			Min:    f.Tag.Get("min"),
			Max:    f.Tag.Get("max"),
			Doc:    f.Tag.Get("doc"),
			Source: f.Tag.Get("src"),
			Role:   Role(f.Tag.Get("role")),
		}
		if p.Unit == "" && p.Min == "" && p.Max == "" {
			p.Unit, p.Min, p.Max = inherit.Unit, inherit.Min, inherit.Max
		}
		if p.Doc == "" {
			p.Doc = inherit.Doc
		}
		if p.Source == "" {
			p.Source = inherit.Source
		}
		if p.Role == "" {
			p.Role = inherit.Role
		}
		switch {
		case schema.IsTableArray(f.Type):
			parameters(ps, p.Key+"[]", schema.NewElem(f.Type), Parameter{Role: p.Role})
		case schema.IsTable(f.Type):
			parameters(ps, p.Key, v.Field(i), p)
		default:
			p.Type, p.Default = describeParam(v.Field(i))
			*ps = append(*ps, p)
		}
	}
}

// describeParam returns the TOML type and the default of a parameter.
func describeParam(v reflect.Value) (typ, def string) {
	switch x := v.Interface().(type) {
	case calendar.Date:
		if x.IsZero() {
			return "date", ""
		}
		return "date", x.String()
	case calendar.DayOfYear:
		return "day", x.String()
	}
	switch v.Kind() {
	case reflect.String:
		return "string", v.String()
	case reflect.Bool:
		return "boolean", encodeValue(v)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "integer", encodeValue(v)
	case reflect.Float32, reflect.Float64:
		return "float", encodeValue(v)
	case reflect.Map:
		return "table of dates", ""
	}
	return v.Type().String(), ""
}
