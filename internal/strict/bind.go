package strict

import (
	"fmt"
	"maps"
	"math"
	"reflect"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
)

// Bind sets v (a pointer's element, usually a struct already at its
// defaults) from the tree root. It collects every problem: an unknown key
// (with the nearest known one as a hint), a value of the wrong type. It
// returns where each path it set was set, for later checks (Positions.Error).
// What it cannot set keeps its value.
func (s *Schema) Bind(v reflect.Value, root *Node) (Positions, ErrorList) {
	b := &binder{s: s, pos: Positions{}}
	b.bind(v, root, "")
	return b.pos, b.errs
}

// binder sets a value from a tree of nodes, collecting every problem and the
// position of every path it sets.
type binder struct {
	s    *Schema
	errs ErrorList
	pos  Positions
}

func (b *binder) fail(n *Node, key, msg, hint string) {
	b.errs = append(b.errs, n.pos.Error(key, msg, hint))
}

// bind sets v from n; key is v's path.
func (b *binder) bind(v reflect.Value, n *Node, key string) {
	b.pos[key] = n.pos
	t := v.Type()
	if parse, ok := b.s.values[t]; ok {
		x, err := parse(n.val, Describe(n))
		if err != nil {
			b.fail(n, key, err.Error(), "")
			return
		}
		v.Set(x)
		return
	}
	switch {
	case b.s.IsTable(t):
		b.table(v, n, key)
	case t.Kind() == reflect.Slice:
		b.list(v, n, key, b.s.IsTableArray(t))
	case t.Kind() == reflect.Map:
		b.dict(v, n, key)
	default:
		b.scalar(v, n, key)
	}
}

// table sets the fields of struct v from the keys of n.
func (b *binder) table(v reflect.Value, n *Node, key string) {
	if n.kind != tableNode {
		b.fail(n, key, "want a table, got "+Describe(n), "")
		return
	}
	t := v.Type()
	for _, k := range slices.Sorted(maps.Keys(n.kids)) {
		kid := n.kids[k]
		i := fieldByKey(t, k)
		if i < 0 || k == "" {
			hint := ""
			if c := Closest(k, keysOf(t)); c != "" {
				hint = fmt.Sprintf("did you mean %q?", c)
			}
			b.fail(kid, JoinKey(key, k), "unknown key", hint)
			continue
		}
		b.bind(v.Field(i), kid, JoinKey(key, k))
	}
}

// list sets the slice v from the array n, element by element. For an array
// of tables (tables), each element is laid over its default.
func (b *binder) list(v reflect.Value, n *Node, key string, tables bool) {
	if n.kind != arrayNode {
		want := "an array"
		if tables {
			want = "an array of tables ([[" + key + "]])"
		}
		b.fail(n, key, "want "+want+", got "+Describe(n), "")
		return
	}
	s := reflect.MakeSlice(v.Type(), len(n.elems), len(n.elems))
	for i, e := range n.elems {
		if tables {
			s.Index(i).Set(b.s.NewElem(v.Type()))
		}
		b.bind(s.Index(i), e, IndexKey(key, i))
	}
	if s.Len() == 0 {
		s = reflect.Zero(v.Type())
	}
	v.Set(s)
}

// dict sets the map v (string keys) from the table n.
func (b *binder) dict(v reflect.Value, n *Node, key string) {
	if n.kind != tableNode {
		b.fail(n, key, "want a table, got "+Describe(n), "")
		return
	}
	m := reflect.Zero(v.Type())
	if len(n.kids) > 0 {
		m = reflect.MakeMapWithSize(v.Type(), len(n.kids))
	}
	for _, k := range slices.Sorted(maps.Keys(n.kids)) {
		x := reflect.New(v.Type().Elem()).Elem()
		b.bind(x, n.kids[k], JoinKey(key, k))
		m.SetMapIndex(reflect.ValueOf(k), x)
	}
	v.Set(m)
}

// scalar sets a string, boolean, integer or float.
func (b *binder) scalar(v reflect.Value, n *Node, key string) {
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
				b.fail(n, key, "want an integer, got "+Describe(n), "")
				return
			}
			i = int64(x)
		default:
			b.fail(n, key, "want an integer, got "+Describe(n), "")
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
		panic("strict: no binding for " + v.Type().String())
	}
	b.fail(n, key, "want "+want+", got "+Describe(n), "")
}

// Describe says what a node holds, for messages: "a table", "an array",
// "string \"x\"", "2.5", "true", "the date 1929-06-01".
func Describe(n *Node) string {
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
		return FormatFloat(x)
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

// FormatFloat writes f as a TOML float (or integer, for whole numbers).
func FormatFloat(f float64) string {
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
