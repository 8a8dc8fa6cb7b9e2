package strict

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"

	"github.com/BurntSushi/toml"
)

// Override lays the overrides ("dotted.key=value", as given to --set) over
// the tree of a value of type t, in order. A key's parts are separated by
// dots; a part may be double-quoted to hold dots or spaces; after an array
// of tables a part selects an element by its name or its 0-based index. The
// value is read as a TOML value, or else taken as a bare string. What the
// overrides set is checked later, with the file, by Bind; its errors are at
// Pos{File: SetFile, Line: the override's number, Set: the override}.
func (s *Schema) Override(root *Node, t reflect.Type, overrides []string) ErrorList {
	var errs ErrorList
	for i, o := range overrides {
		at := Pos{File: SetFile, Line: i + 1, Set: o}
		k, v, ok := strings.Cut(o, "=")
		if !ok {
			errs = append(errs, at.Error("", "want KEY=VALUE", ""))
			continue
		}
		k = strings.TrimSpace(k)
		segs, ok := SplitKey(k)
		if !ok {
			errs = append(errs, at.Error(k, "not a key", `separate parts with dots and quote a part that holds dots or spaces: regions."North Caucasus".zeal`))
			continue
		}
		if err := s.override(root, t, segs, parseValue(strings.TrimSpace(v)), at); err != nil {
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
// tables (and arrays of tables, where t has them) on the way.
func (s *Schema) override(root *Node, t reflect.Type, segs []string, val any, at Pos) *Error {
	n, path := root, ""
	for j, seg := range segs {
		var next *Node
		i := -1
		if n.kind == arrayNode {
			i = element(n, seg)
			if i < 0 {
				return at.Error(path, fmt.Sprintf("no element named %q", seg), names(n))
			}
			path = IndexKey(path, i)
			if t != nil && t.Kind() == reflect.Slice {
				t = t.Elem()
			} else {
				t = nil
			}
			next = n.elems[i]
		} else {
			path = JoinKey(path, seg)
			t = s.FieldType(t, seg)
			next = n.kids[seg]
		}
		switch {
		case j == len(segs)-1:
			next = build(val, path, at, nil)
		case next != nil && next.kind != valueNode:
		case t != nil && s.IsTableArray(t):
			next = &Node{kind: arrayNode, pos: at}
		default:
			next = &Node{kind: tableNode, pos: at, kids: map[string]*Node{}}
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
func element(n *Node, seg string) int {
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
func names(n *Node) string {
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
