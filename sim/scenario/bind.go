package scenario

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/collsim/collsim/sim/agents"
	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/policy"
)

var (
	dateType   = reflect.TypeFor[calendar.Date]()
	dayType    = reflect.TypeFor[calendar.DayOfYear]()
	classType  = reflect.TypeFor[agents.ClassValues]()
	regionType = reflect.TypeFor[Region]()
	phaseType  = reflect.TypeFor[policy.Phase]()
)

// isTable reports whether values of type t are TOML tables with a key per
// field (dates and days are single values).
func isTable(t reflect.Type) bool {
	return t.Kind() == reflect.Struct && t != dateType && t != dayType
}

// isTableArray reports whether values of type t are arrays of tables.
func isTableArray(t reflect.Type) bool {
	return t.Kind() == reflect.Slice && isTable(t.Elem())
}

// newElem returns a new element of an array of tables of type t at its
// defaults (DefaultRegion, DefaultPhase).
func newElem(t reflect.Type) reflect.Value {
	v := reflect.New(t.Elem()).Elem()
	switch t.Elem() {
	case regionType:
		v.Set(reflect.ValueOf(DefaultRegion()))
	case phaseType:
		v.Set(reflect.ValueOf(DefaultPhase()))
	}
	return v
}

// fieldByKey returns the index of the field of struct type t whose toml tag
// is key, or -1.
func fieldByKey(t reflect.Type, key string) int {
	for i := range t.NumField() {
		if t.Field(i).Tag.Get("toml") == key {
			return i
		}
	}
	return -1
}

// keysOf returns the toml keys of struct type t.
func keysOf(t reflect.Type) []string {
	var ks []string
	for i := range t.NumField() {
		ks = append(ks, t.Field(i).Tag.Get("toml"))
	}
	return ks
}

// binder sets a Scenario from a tree of nodes, collecting every problem
// and the position of every path it sets.
type binder struct {
	errs ErrorList
	pos  map[string]pos
}

func (b *binder) fail(n *node, key, msg, hint string) {
	b.errs = append(b.errs, n.pos.error(key, msg, hint))
}

// bind sets v from n; key is v's path.
func (b *binder) bind(v reflect.Value, n *node, key string) {
	b.pos[key] = n.pos
	t := v.Type()
	switch {
	case t == dateType:
		b.date(v, n, key)
	case t == dayType:
		b.day(v, n, key)
	case isTable(t):
		b.table(v, n, key)
	case isTableArray(t):
		b.tableArray(v, n, key)
	case t.Kind() == reflect.Map:
		b.dict(v, n, key)
	default:
		b.scalar(v, n, key)
	}
}

// table sets the fields of struct v from the keys of n.
func (b *binder) table(v reflect.Value, n *node, key string) {
	if n.kind != tableNode {
		b.fail(n, key, "want a table, got "+describe(n), "")
		return
	}
	t := v.Type()
	for _, k := range sortedKeys(n.kids) {
		kid := n.kids[k]
		i := fieldByKey(t, k)
		if i < 0 || k == "" {
			hint := ""
			if c := closest(k, keysOf(t)); c != "" {
				hint = fmt.Sprintf("did you mean %q?", c)
			}
			b.fail(kid, joinKey(key, k), "unknown key", hint)
			continue
		}
		b.bind(v.Field(i), kid, joinKey(key, k))
	}
}

// tableArray sets the slice v from the array of tables n, each element laid
// over its defaults.
func (b *binder) tableArray(v reflect.Value, n *node, key string) {
	if n.kind != arrayNode {
		b.fail(n, key, "want an array of tables ([["+key+"]]), got "+describe(n), "")
		return
	}
	s := reflect.MakeSlice(v.Type(), 0, len(n.elems))
	for i, e := range n.elems {
		x := newElem(v.Type())
		b.bind(x, e, indexKey(key, i))
		s = reflect.Append(s, x)
	}
	if s.Len() == 0 {
		s = reflect.Zero(v.Type())
	}
	v.Set(s)
}

// dict sets the map v (string keys) from the table n.
func (b *binder) dict(v reflect.Value, n *node, key string) {
	if n.kind != tableNode {
		b.fail(n, key, "want a table, got "+describe(n), "")
		return
	}
	m := reflect.Zero(v.Type())
	if len(n.kids) > 0 {
		m = reflect.MakeMapWithSize(v.Type(), len(n.kids))
	}
	for _, k := range sortedKeys(n.kids) {
		x := reflect.New(v.Type().Elem()).Elem()
		b.bind(x, n.kids[k], joinKey(key, k))
		m.SetMapIndex(reflect.ValueOf(k), x)
	}
	v.Set(m)
}

// date sets a calendar.Date from a TOML date or a "YYYY-MM-DD" string; the
// empty string is the unset date.
func (b *binder) date(v reflect.Value, n *node, key string) {
	var d calendar.Date
	var err error
	switch x := n.val.(type) {
	case string:
		if x != "" {
			d, err = calendar.ParseDate(x)
		}
	case time.Time:
		err = d.UnmarshalTOML(x)
	default:
		err = fmt.Errorf("want a date \"YYYY-MM-DD\", got %s", describe(n))
	}
	if err != nil {
		b.fail(n, key, err.Error(), "")
		return
	}
	v.Set(reflect.ValueOf(d))
}

// day sets a calendar.DayOfYear from a "MM-DD" string.
func (b *binder) day(v reflect.Value, n *node, key string) {
	var d calendar.DayOfYear
	s, ok := n.val.(string)
	if !ok || n.kind != valueNode {
		b.fail(n, key, fmt.Sprintf("want a day \"MM-DD\", got %s", describe(n)), "")
		return
	}
	if err := d.UnmarshalText([]byte(s)); err != nil {
		b.fail(n, key, err.Error(), "")
		return
	}
	v.Set(reflect.ValueOf(d))
}

// scalar sets a string, boolean, integer or float.
func (b *binder) scalar(v reflect.Value, n *node, key string) {
	want := ""
	switch v.Kind() {
	case reflect.String:
		if s, ok := n.val.(string); ok && n.kind == valueNode {
			if !utf8.ValidString(s) {
				b.fail(n, key, "the string is not valid UTF-8", "")
				return
			}
			v.SetString(s)
			return
		}
		want = "a string"
	case reflect.Bool:
		if x, ok := n.val.(bool); ok && n.kind == valueNode {
			v.SetBool(x)
			return
		}
		want = "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		want = "an integer"
		if n.kind != valueNode {
			break
		}
		var i int64
		switch x := n.val.(type) {
		case int64:
			i = x
		case float64:
			if x != math.Trunc(x) || math.Abs(x) >= 1<<63 {
				b.fail(n, key, "want an integer, got "+describe(n), "")
				return
			}
			i = int64(x)
		default:
			b.fail(n, key, "want an integer, got "+describe(n), "")
			return
		}
		if v.OverflowInt(i) {
			b.fail(n, key, fmt.Sprintf("%d is too large", i), "")
			return
		}
		v.SetInt(i)
		return
	case reflect.Float32, reflect.Float64:
		want = "a number"
		if n.kind != valueNode {
			break
		}
		switch x := n.val.(type) {
		case int64:
			v.SetFloat(float64(x))
			return
		case float64:
			v.SetFloat(x)
			return
		}
	default:
		panic("scenario: no binding for " + v.Type().String())
	}
	b.fail(n, key, "want "+want+", got "+describe(n), "")
}

// describe says what a node holds, for messages.
func describe(n *node) string {
	switch n.kind {
	case tableNode:
		return "a table"
	case arrayNode:
		return "an array"
	}
	switch x := n.val.(type) {
	case string:
		return "string " + strconv.Quote(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return formatFloat(x)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		if x.Hour() == 0 && x.Minute() == 0 && x.Second() == 0 && x.Nanosecond() == 0 {
			return "the date " + x.Format(time.DateOnly)
		}
		return "the time " + x.Format(time.RFC3339Nano)
	}
	return fmt.Sprintf("%v", n.val)
}

// formatFloat writes f as a TOML float (or integer, for whole numbers).
func formatFloat(f float64) string {
	switch {
	case math.IsNaN(f):
		return "nan"
	case math.IsInf(f, 1):
		return "inf"
	case math.IsInf(f, -1):
		return "-inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}
