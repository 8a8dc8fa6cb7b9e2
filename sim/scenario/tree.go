package scenario

import "slices"

// kind is the kind of a node.
type kind uint8

const (
	valueNode kind = iota
	tableNode
	arrayNode
)

// node is a table, an array or a value of a scenario file, with where it
// was set. Files are read into nodes, merged (extends), overridden (--set)
// and then bound onto a Scenario.
type node struct {
	kind  kind
	pos   pos
	kids  map[string]*node // table
	elems []*node          // array
	val   any              // value, as decoded by toml
}

// build returns the node of a value decoded by toml at path, taking its line
// from lines or, if path has none there, from at.
func build(v any, path string, at pos, lines map[string]int) *node {
	if l, ok := lines[path]; ok {
		at.line = l
	}
	n := &node{pos: at}
	switch v := v.(type) {
	case map[string]any:
		n.kind, n.kids = tableNode, make(map[string]*node, len(v))
		for k, x := range v {
			n.kids[k] = build(x, joinKey(path, k), at, lines)
		}
	case []map[string]any:
		n.kind = arrayNode
		for i, x := range v {
			n.elems = append(n.elems, build(x, indexKey(path, i), at, lines))
		}
	case []any:
		n.kind = arrayNode
		for i, x := range v {
			n.elems = append(n.elems, build(x, indexKey(path, i), at, lines))
		}
	default:
		n.kind, n.val = valueNode, v
	}
	return n
}

// name returns the name of a table node (its "name" key), if it has one.
func (n *node) name() (string, bool) {
	if n.kind != tableNode {
		return "", false
	}
	k, ok := n.kids["name"]
	if !ok || k.kind != valueNode {
		return "", false
	}
	s, ok := k.val.(string)
	return s, ok
}

// named reports whether every element of the array n is a table with a name.
func (n *node) named() bool {
	for _, e := range n.elems {
		if _, ok := e.name(); !ok {
			return false
		}
	}
	return true
}

// merge lays child over base: tables merge key by key, arrays of named
// tables merge element by element on the name (new names are appended),
// anything else in child replaces what is in base.
func merge(base, child *node) *node {
	switch {
	case base.kind == tableNode && child.kind == tableNode:
		n := &node{kind: tableNode, pos: child.pos, kids: make(map[string]*node, len(base.kids))}
		for k, b := range base.kids {
			n.kids[k] = b
		}
		for k, c := range child.kids {
			if b, ok := n.kids[k]; ok {
				n.kids[k] = merge(b, c)
			} else {
				n.kids[k] = c
			}
		}
		return n
	case base.kind == arrayNode && child.kind == arrayNode && len(child.elems) > 0 && base.named() && child.named():
		n := &node{kind: arrayNode, pos: child.pos, elems: slices.Clone(base.elems)}
		for _, c := range child.elems {
			name, _ := c.name()
			i := slices.IndexFunc(n.elems, func(b *node) bool { s, _ := b.name(); return s == name })
			if i < 0 {
				n.elems = append(n.elems, c)
			} else {
				n.elems[i] = merge(n.elems[i], c)
			}
		}
		return n
	}
	return child
}
