package strict

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"strings"

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

// MaxFileSize bounds the size of a file Read and Decode accept: 1 MiB.
// collsim's own scenario, sweep, target and calibration files are under
// 10 KB.
const MaxFileSize = 1 << 20

// errTooLarge is the message for a file over MaxFileSize.
var errTooLarge = fmt.Errorf("the file is larger than %d MiB, the most collsim reads", MaxFileSize>>20)

// tooLargeHint is the hint for a file over MaxFileSize.
const tooLargeHint = "is it the file you meant? scenario, sweep, target and calibration files are a few KB"

// Read reads the regular file at path, of at most MaxFileSize bytes. Its
// error is short: "no such file or directory", "not a regular file" (a
// folder, a device, a pipe), or that the file is too large.
func Read(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, shortPathError(err)
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, shortPathError(err)
	}
	if !fi.Mode().IsRegular() {
		return nil, errors.New("not a regular file")
	}
	if fi.Size() > MaxFileSize {
		return nil, errTooLarge
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, shortPathError(err)
	}
	if len(data) > MaxFileSize {
		return nil, errTooLarge
	}
	return data, nil
}

// shortPathError returns the cause of a *fs.PathError, without the path.
func shortPathError(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return pe.Err
	}
	return err
}

// ReadFile reads the file at path for Decode, as Read does. Its error is an
// ErrorList of one Error naming the file, with the short cause ("no such
// file or directory", "not a regular file").
func ReadFile(path string) ([]byte, error) {
	data, err := Read(path)
	if err != nil {
		e := &Error{File: path, Msg: err.Error()}
		if err == errTooLarge {
			e.Hint = tooLargeHint
		}
		return nil, ErrorList{e}
	}
	return data, nil
}

// Decode reads the TOML text data of the file name into a tree of nodes,
// each knowing its line. A syntax error is an ErrorList of one Error with
// the line the TOML parser gives. A text larger than MaxFileSize or nested
// deeper than MaxDepth is refused before it is parsed, so that no file can
// make decoding take more than time and memory in proportion to its size.
func Decode(name string, data []byte) (*Node, ErrorList) {
	if len(data) > MaxFileSize {
		return nil, ErrorList{{File: name, Msg: errTooLarge.Error(), Hint: tooLargeHint}}
	}
	sc := scan(data)
	if sc.deepLine > 0 {
		return nil, ErrorList{{File: name, Line: sc.deepLine, Key: sc.deepKey, Msg: fmt.Sprintf("nested more than %d levels deep", MaxDepth),
			Hint: "collsim's files nest a few levels: a table, a key, an array"}}
	}
	var m map[string]any
	if _, err := toml.Decode(string(data), &m); err != nil {
		var pe toml.ParseError
		if errors.As(err, &pe) {
			return nil, ErrorList{{File: name, Line: pe.Position.Line, Key: keyOnLine(sc.lines, pe.Position.Line), Msg: pe.Message, Hint: parseHint(pe.Message)}}
		}
		return nil, ErrorList{{File: name, Msg: err.Error()}}
	}
	if k, ok := deeper(m, MaxDepth); ok {
		// The scanner reads TOML loosely; the parser has the last word.
		return nil, ErrorList{{File: name, Line: sc.lines[k], Key: k, Msg: fmt.Sprintf("nested more than %d levels deep", MaxDepth)}}
	}
	return build(m, "", Pos{File: name}, sc.lines), nil
}

// keyOnLine returns the key set on line, to name it in a syntax error: the
// one key there, or what the keys there share ("x" for x = { a = 1, b = 2 }),
// or "" if there is none.
func keyOnLine(lines map[string]int, line int) string {
	var on []string
	for k, l := range lines {
		if l == line {
			on = append(on, k)
		}
	}
	if len(on) == 0 {
		return ""
	}
	slices.Sort(on)
	key := on[len(on)-1]
	for _, k := range on[:len(on)-1] {
		for !Within(key, k) {
			k = ParentKey(k)
			if k == "" {
				return ""
			}
		}
		if len(k) < len(key) {
			key = k
		}
	}
	return key
}

// Within reports whether the path key is path p or lies under it.
func Within(key, p string) bool {
	rest, ok := strings.CutPrefix(key, p)
	return ok && (rest == "" || rest[0] == '.' || rest[0] == '[')
}

// parseHint returns a hint for a message of the TOML parser, or "".
func parseHint(msg string) string {
	switch {
	case strings.HasPrefix(msg, "invalid datetime"):
		return "a date is YYYY-MM-DD and must exist: 1930-02-28, not 1930-02-30"
	case strings.Contains(msg, "out of range for int64"):
		return "whole numbers go from -9223372036854775808 to 9223372036854775807"
	}
	return ""
}

// deeper reports whether a value decoded by toml nests more than limit
// levels below it, and if so under which key of its own.
func deeper(v any, limit int) (string, bool) {
	deep := func(x any) bool { _, ok := deeper(x, limit-1); return ok }
	switch v := v.(type) {
	case map[string]any:
		if limit == 0 && len(v) > 0 {
			return "", true
		}
		for k, x := range v {
			if deep(x) {
				return JoinKey("", k), true
			}
		}
	case []map[string]any:
		if limit == 0 && len(v) > 0 {
			return "", true
		}
		for _, x := range v {
			if deep(x) {
				return "", true
			}
		}
	case []any:
		if limit == 0 && len(v) > 0 {
			return "", true
		}
		for _, x := range v {
			if deep(x) {
				return "", true
			}
		}
	}
	return "", false
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
		at := make(map[string]int, len(n.elems)) // name → first element so named
		for i := len(n.elems) - 1; i >= 0; i-- {
			name, _ := n.elems[i].name()
			at[name] = i
		}
		for _, c := range child.elems {
			name, _ := c.name()
			if i, ok := at[name]; ok {
				n.elems[i] = Merge(n.elems[i], c)
			} else {
				at[name] = len(n.elems)
				n.elems = append(n.elems, c)
			}
		}
		return n
	}
	return child
}
