package scenario

import (
	"fmt"
	"path/filepath"
	"reflect"
	"slices"
	"strings"

	"github.com/collsim/collsim/internal/strict"
)

// Load reads the scenario file at path (resolving extends), lays it over
// Default, applies the overrides ("dotted.key=value", in order, as given to
// --set) and validates the result. Its error is an ErrorList.
func Load(path string, overrides ...string) (*Scenario, error) {
	data, err := strict.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data, overrides...)
}

// Parse is Load from bytes: name is used in messages and to resolve a
// relative extends (relative to filepath.Dir(name)).
func Parse(name string, data []byte, overrides ...string) (*Scenario, error) {
	root, errs := parseTree(name, data, []string{name}, []string{absPath(name)})
	if len(errs) > 0 {
		return nil, errs
	}
	errs = schema.Override(root, reflect.TypeFor[Scenario](), overrides)
	s := Default()
	pos, berrs := schema.Bind(reflect.ValueOf(&s).Elem(), root)
	errs = append(errs, berrs...)
	for _, e := range validate(&s, pos) {
		// What the binder could not set keeps its default: say no more of it.
		if !slices.ContainsFunc(berrs, func(b *Error) bool { return strict.Within(e.Key, b.Key) }) {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		errs.Sort(name)
		return nil, errs
	}
	return &s, nil
}

// parseTree reads a file into a tree of nodes and lays it over the file it
// extends. names and abs are the chain of files that led to it.
func parseTree(name string, data []byte, names, abs []string) (*strict.Node, ErrorList) {
	root, errs := strict.Decode(name, data)
	if len(errs) > 0 {
		return nil, errs
	}
	ext, ok := root.Take("extends")
	if !ok {
		return root, nil
	}
	base, ok := ext.StringValue()
	if !ok || base == "" {
		return nil, ErrorList{ext.Pos().Error("extends", "want the name of a scenario file, got "+strict.Describe(ext), "")}
	}
	if !filepath.IsAbs(base) {
		base = filepath.Join(filepath.Dir(name), base)
	}
	a := absPath(base)
	for i := range abs {
		if abs[i] == a {
			chain := strings.Join(slices.Concat(names[i:], []string{base}), " → ")
			return nil, ErrorList{ext.Pos().Error("extends", "files extend each other in a cycle: "+chain, "")}
		}
	}
	bdata, err := strict.Read(base)
	if err != nil {
		return nil, ErrorList{ext.Pos().Error("extends", fmt.Sprintf("cannot read %s: %v", base, err), "")}
	}
	broot, errs := parseTree(base, bdata, append(names, base), append(abs, a))
	if len(errs) > 0 {
		return nil, errs
	}
	return strict.Merge(broot, root), nil
}

// absPath returns the absolute form of path, to detect cycles of extends.
func absPath(path string) string {
	if a, err := filepath.Abs(path); err == nil {
		return a
	}
	return filepath.Clean(path)
}
