package strict

import (
	"errors"
	"io/fs"
	"os"
	"slices"

	"github.com/BurntSushi/toml"
)

// kind is the kind of a node.
type kind uint8

const (
	valueNode kind = iota
	tableNode
	arrayNode
)

// Node is a table, an array or a value of a TOML file, with where it was
// set. Files are decoded into nodes, merged (Merge), overridden
// (Schema.Override) and then bound onto a Go value (Schema.Bind).
type Node struct {
	kind  kind
	pos   Pos
	kids  map[string]*Node // table
	elems []*Node          // array
	val   any              // value, as decoded by toml
}

// ReadFile reads the file at path for Decode. Its error is an ErrorList of
// one Error naming the file, with the short cause ("no such file or
// directory", "is a directory").
func ReadFile(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		if pe, ok := errors.AsType[*fs.PathError](err); ok {
			err = pe.Err
		}
		return nil, ErrorList{{File: path, Msg: err.Error()}}
	}
	return data, nil
}

// Decode reads the TOML text data of the file name into a tree of nodes,
// each knowing its line. A syntax error is an ErrorList of one Error with
// the line the TOML parser gives.
func Decode(name string, data []byte) (*Node, ErrorList) {
	var m map[string]any
	if _, err := toml.Decode(string(data), &m); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, ErrorList{{File: name, Line: pe.Position.Line, Msg: pe.Message}}
		}
		return nil, ErrorList{{File: name, Msg: err.Error()}}
	}
	return build(m, "", Pos{File: name}, Lines(data)), nil
}

// build returns the node of a value decoded by toml at path, taking its line
// from lines or, if path has none there, from at.
func build(v any, path string, at Pos, lines map[string]int) *Node {
	if l, ok := lines[path]; ok {
		at.Line = l
	}
	n := &Node{pos: at}
	switch v := v.(type) {
	case map[string]any:
		n.kind, n.kids = tableNode, make(map[string]*Node, len(v))
		for k, x := range v {
			n.kids[k] = build(x, JoinKey(path, k), at, lines)
		}
	case []map[string]any:
		n.kind = arrayNode
		for i, x := range v {
			n.elems = append(n.elems, build(x, IndexKey(path, i), at, lines))
		}
	case []any:
		n.kind = arrayNode
		for i, x := range v {
			n.elems = append(n.elems, build(x, IndexKey(path, i), at, lines))
		}
	default:
		n.kind, n.val = valueNode, v
	}
	return n
}

// Pos returns where n was set.
func (n *Node) Pos() Pos { return n.pos }

// Take removes the key k from the table n and returns its node, if it has one.
func (n *Node) Take(k string) (*Node, bool) {
	if n.kind != tableNode {
		return nil, false
	}
	kid, ok := n.kids[k]
	delete(n.kids, k)
	return kid, ok
}

// StringValue returns the value of n if it is a string.
func (n *Node) StringValue() (string, bool) {
	if n.kind != valueNode {
		return "", false
	}
	s, ok := n.val.(string)
	return s, ok
}

// BoolValue returns the value of n if it is a boolean.
func (n *Node) BoolValue() (bool, bool) {
	if n.kind != valueNode {
		return false, false
	}
	b, ok := n.val.(bool)
	return b, ok
}

// name returns the name of a table node (its "name" key), if it has one.
func (n *Node) name() (string, bool) {
	if n.kind != tableNode {
		return "", false
	}
	k, ok := n.kids["name"]
	if !ok {
		return "", false
	}
	return k.StringValue()
}

// named reports whether every element of the array n is a table with a name.
func (n *Node) named() bool {
	for _, e := range n.elems {
		if _, ok := e.name(); !ok {
			return false
		}
	}
	return true
}

// Merge lays child over base: tables merge key by key, arrays of named
// tables merge element by element on the name (new names are appended),
// anything else in child replaces what is in base.
func Merge(base, child *Node) *Node {
	switch {
	case base.kind == tableNode && child.kind == tableNode:
		n := &Node{kind: tableNode, pos: child.pos, kids: make(map[string]*Node, len(base.kids))}
		for k, b := range base.kids {
			n.kids[k] = b
		}
		for k, c := range child.kids {
			if b, ok := n.kids[k]; ok {
				n.kids[k] = Merge(b, c)
			} else {
				n.kids[k] = c
			}
		}
		return n
	case base.kind == arrayNode && child.kind == arrayNode && len(child.elems) > 0 && base.named() && child.named():
		n := &Node{kind: arrayNode, pos: child.pos, elems: slices.Clone(base.elems)}
		for _, c := range child.elems {
			name, _ := c.name()
			i := slices.IndexFunc(n.elems, func(b *Node) bool { s, _ := b.name(); return s == name })
			if i < 0 {
				n.elems = append(n.elems, c)
			} else {
				n.elems[i] = Merge(n.elems[i], c)
			}
		}
		return n
	}
	return child
}
