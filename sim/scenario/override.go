package scenario

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// applyOverrides lays the overrides ("dotted.key=value") over the tree, in
// order. A key's parts are separated by dots; a part may be double-quoted
// to hold dots or spaces; after an array of tables a part selects an
// element by its name or its 0-based index. The value is read as a TOML
// value, or else taken as a bare string. What the overrides set is checked
// later, with the file, by the binder.
func applyOverrides(root *node, overrides []string) ErrorList {
	var errs ErrorList
	for i, o := range overrides {
		at := pos{file: setFile, line: i + 1, set: o}
		k, v, ok := strings.Cut(o, "=")
		if !ok {
			errs = append(errs, at.error("", "want KEY=VALUE", ""))
			continue
		}
		k = strings.TrimSpace(k)
		sc := &lineScanner{s: []byte(k)}
		segs, ok := sc.key()
		if !ok || !sc.eof() {
			errs = append(errs, at.error(k, "not a key", `separate parts with dots and quote a part that holds dots or spaces: regions."North Caucasus".zeal`))
			continue
		}
		if err := override(root, segs, parseValue(strings.TrimSpace(v)), at); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// parseValue reads s as a TOML value, or else returns it as a string.
func parseValue(s string) any {
	var m map[string]any
	if _, err := toml.Decode("v = "+s, &m); err == nil && len(m) == 1 {
		if v, ok := m["v"]; ok {
			return v
		}
	}
	return s
}

// override sets the value at the path segs of the tree, creating missing
// tables (and arrays of tables, where the Scenario has them) on the way.
func override(root *node, segs []string, val any, at pos) *Error {
	n, t, path := root, reflect.TypeFor[Scenario](), ""
	for j, seg := range segs {
		var next *node
		i := -1
		if n.kind == arrayNode {
			i = element(n, seg)
			if i < 0 {
				return at.error(path, fmt.Sprintf("no element named %q", seg), names(n))
			}
			path = indexKey(path, i)
			if t != nil && t.Kind() == reflect.Slice {
				t = t.Elem()
			} else {
				t = nil
			}
			next = n.elems[i]
		} else {
			path = joinKey(path, seg)
			t = fieldType(t, seg)
			next = n.kids[seg]
		}
		switch {
		case j == len(segs)-1:
			next = build(val, path, at, nil)
		case next != nil && next.kind != valueNode:
		case t != nil && isTableArray(t):
			next = &node{kind: arrayNode, pos: at}
		default:
			next = &node{kind: tableNode, pos: at, kids: map[string]*node{}}
		}
		if i >= 0 {
			n.elems[i] = next
		} else {
			n.kids[seg] = next
		}
		n = next
	}
	return nil
}

// element returns the index of the element of the array n named seg, or
// else numbered seg; or -1.
func element(n *node, seg string) int {
	for i, e := range n.elems {
		if name, ok := e.name(); ok && name == seg {
			return i
		}
	}
	if i, err := strconv.Atoi(seg); err == nil && i >= 0 && i < len(n.elems) && seg == strconv.Itoa(i) {
		return i
	}
	return -1
}

// names lists the names of the elements of the array n, for a hint.
func names(n *node) string {
	var s []string
	for _, e := range n.elems {
		if name, ok := e.name(); ok {
			s = append(s, strconv.Quote(name))
		}
	}
	switch {
	case len(n.elems) == 0:
		return "there are none"
	case len(s) == 0:
		return fmt.Sprintf("use an index from 0 to %d", len(n.elems)-1)
	}
	return fmt.Sprintf("names are %s, or an index from 0 to %d", strings.Join(s, ", "), len(n.elems)-1)
}

// fieldType returns the type of the value at key in a value of type t, or
// nil if there is none.
func fieldType(t reflect.Type, key string) reflect.Type {
	switch {
	case t == nil:
		return nil
	case isTable(t):
		if i := fieldByKey(t, key); i >= 0 {
			return t.Field(i).Type
		}
	case t.Kind() == reflect.Map:
		return t.Elem()
	}
	return nil
}
