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
	s, _, errs := parse(name, data, overrides)
	if len(errs) > 0 {
		return nil, errs
	}
	return s, nil
}

// Check is Load with the rule for campaigns (see checkCampaign): a
// scenario that declares itself a campaign takes all its behaviour from
// the shared behaviour file. sim validate loads with Check.
func Check(path string, overrides ...string) (*Scenario, error) {
	data, err := strict.ReadFile(path)
	if err != nil {
		return nil, ErrorList{{File: path, Msg: err.Error()}}
	}
	s, o, errs := parse(path, data, overrides)
	if len(errs) > 0 {
		return nil, errs
	}
	if errs = o.checkCampaign(); len(errs) > 0 {
		errs.Sort(path)
		return nil, errs
	}
	return s, nil
}

// origin is where the values of a scenario came from.
type origin struct {
	files    []string         // the file and the files it extends, in order; the last is the root of the chain
	campaign *strict.Node     // the nearest declaration campaign = true or false; nil if none
	root     *strict.Node     // the tree of the root file as read
	rootPos  strict.Positions // what the root file sets (for a campaign only)
	pos      strict.Positions // where each path of the scenario was set
}

// isCampaign reports whether the scenario declares itself a campaign.
func (o *origin) isCampaign() bool {
	if o.campaign == nil {
		return false
	}
	b, _ := o.campaign.BoolValue()
	return b
}

// parse is Parse, returning also where each value came from.
func parse(name string, data []byte, overrides []string) (*Scenario, *origin, ErrorList) {
	o := &origin{}
	root, errs := parseTree(name, data, []string{name}, []string{absPath(name)}, o)
	if len(errs) > 0 {
		return nil, nil, errs
	}
	if o.isCampaign() {
		// Overrides may change the root's tables in place: read it first.
		scratch := Default()
		o.rootPos, _ = schema.Bind(reflect.ValueOf(&scratch).Elem(), o.root)
	}
	errs = schema.Override(root, reflect.TypeFor[Scenario](), overrides)
	s := Default()
	pos, berrs := schema.Bind(reflect.ValueOf(&s).Elem(), root)
	o.pos = pos
	errs = append(errs, berrs...)
	for _, e := range validate(&s, pos) {
		// What the binder could not set keeps its default: say no more of it.
		if !slices.ContainsFunc(berrs, func(b *Error) bool { return strict.Within(e.Key, b.Key) }) {
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		errs.Sort(name)
		return nil, nil, errs
	}
	return &s, o, nil
}

// parseTree reads a file into a tree of nodes and lays it over the file it
// extends. names and abs are the chain of files that led to it; o collects
// the chain and its directives (extends, campaign), which are not keys of
// the scenario.
func parseTree(name string, data []byte, names, abs []string, o *origin) (*strict.Node, ErrorList) {
	root, errs := strict.Decode(name, data)
	if len(errs) > 0 {
		return nil, errs
	}
	o.files = append(o.files, name)
	if c, ok := root.Take("campaign"); ok {
		if _, ok := c.BoolValue(); !ok {
			return nil, ErrorList{c.Pos().Error("campaign", "want true or false, got "+strict.Describe(c), "campaign = true declares a campaign scenario: every behaviour key comes from the shared behaviour file")}
		}
		if o.campaign == nil { // the file nearest the scenario decides
			o.campaign = c
		}
	}
	ext, ok := root.Take("extends")
	if !ok {
		o.root = root
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
	broot, errs := parseTree(base, bdata, append(names, base), append(abs, a), o)
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
