package strict

import (
	"errors"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// day is a test type written as one value, "d<N>".
type day int

func bindDay(x any, got string) (day, error) {
	s, ok := x.(string)
	n, err := strconv.Atoi(strings.TrimPrefix(s, "d"))
	if !ok || !strings.HasPrefix(s, "d") || err != nil {
		return 0, errors.New("want a day \"dN\", got " + got)
	}
	return day(n), nil
}

// doc is the test type files are bound onto.
type doc struct {
	Name   string            `toml:"name"`
	Count  int               `toml:"count" min:"1" max:"10"`
	Ratio  float64           `toml:"ratio" min:"0" max:"1"`
	On     bool              `toml:"on"`
	When   day               `toml:"when"`
	Tags   []string          `toml:"tags"`
	Shares []float64         `toml:"shares" min:"0" max:"1"`
	Limits map[string]int    `toml:"limits"`
	Inner  inner             `toml:"inner"`
	Items  []item            `toml:"items"`
	Days   map[string]day    `toml:"days"`
	Pairs  pair              `toml:"pair" min:"0" max:"5"`
	Nested map[string]string `toml:"nested"`
}

type inner struct {
	Depth int `toml:"depth" min:"0" max:"3"`
}

type item struct {
	Name  string  `toml:"name"`
	Size  float64 `toml:"size" min:"0" max:"100"`
	Color string  `toml:"color"`
}

type pair struct {
	A float64 `toml:"a"`
	B float64 `toml:"b"`
}

// testSchema binds doc: a day is one value and each item starts grey.
var testSchema = NewSchema(Value(bindDay), Elem(func() item { return item{Color: "grey", Size: 1} }))

// load decodes src, applies the overrides and binds it onto a doc at its
// defaults, checking ranges; it returns the doc and every problem.
func load(src string, sets ...string) (doc, Positions, ErrorList) {
	d := doc{Count: 1, Ratio: 0.5, Name: "default"}
	root, errs := Decode("t.toml", []byte(src))
	if errs != nil {
		return d, nil, errs
	}
	errs = testSchema.Override(root, reflect.TypeFor[doc](), sets)
	pos, berrs := testSchema.Bind(reflect.ValueOf(&d).Elem(), root)
	errs = append(errs, berrs...)
	testSchema.Ranges(reflect.ValueOf(&d).Elem(), func(key, msg string) { errs = append(errs, pos.Error(key, msg, "")) })
	errs.Sort("t.toml")
	return d, pos, errs
}

func TestBind(t *testing.T) {
	src := `name = "x"
count = 3
when = "d22"
tags = ["a", "b"]
shares = [0.1, 0.2]
limits = { x = 1 }
inner.depth = 2
pair = { a = 1, b = 2 }

[[items]]
name = "first"

[[items]]
name = "second"
size = 5
color = "red"

[days]
monday = "d1"
`
	d, pos, errs := load(src)
	if errs != nil {
		t.Fatal(errs)
	}
	want := doc{Name: "x", Count: 3, Ratio: 0.5, When: 22, Tags: []string{"a", "b"}, Shares: []float64{0.1, 0.2},
		Limits: map[string]int{"x": 1}, Inner: inner{2}, Pairs: pair{1, 2}, Days: map[string]day{"monday": 1},
		Items: []item{{Name: "first", Size: 1, Color: "grey"}, {Name: "second", Size: 5, Color: "red"}}}
	if !reflect.DeepEqual(d, want) {
		t.Errorf("got  %+v\nwant %+v", d, want)
	}
	for key, line := range map[string]int{"name": 1, "tags[1]": 4, "inner.depth": 7, "items[1].size": 15, "days.monday": 19} {
		if p := pos[key]; p.Line != line || p.File != "t.toml" {
			t.Errorf("position of %s: %+v, want line %d", key, p, line)
		}
	}
	if pos.Has("ratio") || !pos.Has("count") {
		t.Error("Has: ratio was not set, count was")
	}
}

func TestBindErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		sets []string
		want []string
	}{
		{"unknown keys", "nmae = 1\n[inner]\ndepht = 1\n[[items]]\nsise = 2\n", nil, []string{
			`t.toml:1: nmae: unknown key (hint: did you mean "name"?)`,
			`t.toml:3: inner.depht: unknown key (hint: did you mean "depth"?)`,
			`t.toml:5: items[0].sise: unknown key (hint: did you mean "size"?)`,
		}},
		{"wrong types", "name = 1\ncount = 1.5\nratio = \"x\"\non = 1\nwhen = 3\ntags = \"a\"\nshares = [0.1, \"x\"]\nlimits = 3\ninner = 3\nitems = { a = 1 }\n", nil, []string{
			`t.toml:1: name: want a string, got 1`,
			`t.toml:2: count: want an integer, got 1.5`,
			`t.toml:3: ratio: want a number, got string "x"`,
			`t.toml:4: on: want true or false, got 1`,
			`t.toml:5: when: want a day "dN", got 3`,
			`t.toml:6: tags: want an array, got string "a"`,
			`t.toml:7: shares[1]: want a number, got string "x"`,
			`t.toml:8: limits: want a table, got 3`,
			`t.toml:9: inner: want a table, got 3`,
			`t.toml:10: items: want an array of tables ([[items]]), got a table`,
		}},
		{"out of range", "count = 0\nratio = nan\nshares = [0.5, 2]\ninner.depth = 4\npair.b = 6\n[[items]]\nsize = -1\n", nil, []string{
			`t.toml:1: count: 0 is out of range [1, 10]`,
			`t.toml:2: ratio: nan is out of range [0, 1]`,
			`t.toml:3: shares[1]: 2 is out of range [0, 1]`,
			`t.toml:4: inner.depth: 4 is out of range [0, 3]`,
			`t.toml:5: pair.b: 6 is out of range [0, 5]`,
			`t.toml:7: items[0].size: -1 is out of range [0, 100]`,
		}},
		{"syntax", "count = = 1\n", nil, []string{`t.toml:1:`}},
		{"overrides", "[[items]]\nname = \"a\"\n", []string{"count=20", "items.a.size=5", "items.b.size=1", "inner", `a."b=1`, "items.0.color=blue", "days.x=d3"}, []string{
			`--set count=20: count: 20 is out of range [1, 10]`,
			`--set items.b.size=1: items: no element named "b" (hint: names are "a", or an index from 0 to 0)`,
			`--set inner: want KEY=VALUE`,
			`--set a."b=1: a."b: not a key`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, errs := load(tt.src, tt.sets...)
			var got []string
			for _, e := range errs {
				got = append(got, e.Error())
			}
			if len(got) != len(tt.want) {
				t.Fatalf("got %d errors, want %d:\n%s", len(got), len(tt.want), strings.Join(got, "\n"))
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tt.want[i]) {
					t.Errorf("error %d:\n got %s\nwant %s", i, got[i], tt.want[i])
				}
			}
		})
	}
	d, _, errs := load("[[items]]\nname = \"a\"\n", "items.a.size=5", "items.0.color=blue", "days.x=d3", "tags=[\"t\"]", "name=bare words")
	if errs != nil || d.Items[0].Size != 5 || d.Items[0].Color != "blue" || d.Days["x"] != 3 || d.Tags[0] != "t" || d.Name != "bare words" {
		t.Errorf("overrides: %+v, %v", d, errs)
	}
	d, _, errs = load("", "items=[{name=\"n\"}]", "inner.depth=1")
	if errs != nil || d.Items[0].Color != "grey" || d.Inner.Depth != 1 {
		t.Errorf("an array of tables given whole: %+v, %v", d, errs)
	}
}

func TestMerge(t *testing.T) {
	base, _ := Decode("base.toml", []byte("name = \"b\"\ncount = 2\n[[items]]\nname = \"a\"\nsize = 1\n[[items]]\nname = \"b\"\nsize = 2\n"))
	child, _ := Decode("child.toml", []byte("count = 3\ntags = [\"x\"]\n[[items]]\nname = \"b\"\ncolor = \"red\"\n[[items]]\nname = \"c\"\n"))
	var d doc
	pos, errs := testSchema.Bind(reflect.ValueOf(&d).Elem(), Merge(base, child))
	if errs != nil {
		t.Fatal(errs)
	}
	names := func() []string {
		var s []string
		for _, it := range d.Items {
			s = append(s, it.Name+":"+it.Color+":"+FormatFloat(it.Size))
		}
		return s
	}()
	if d.Name != "b" || d.Count != 3 || !slices.Equal(names, []string{"a:grey:1", "b:red:2", "c:grey:1"}) {
		t.Errorf("merged: %+v (%q)", d, names)
	}
	if pos["count"].File != "child.toml" || pos["name"].File != "base.toml" || pos["items[1].size"].File != "base.toml" {
		t.Errorf("positions: count %+v, name %+v, items[1].size %+v", pos["count"], pos["name"], pos["items[1].size"])
	}
}

func TestNode(t *testing.T) {
	root, _ := Decode("n.toml", []byte("extends = \"x.toml\"\nn = 1\n"))
	ext, ok := root.Take("extends")
	if s, isStr := ext.StringValue(); !ok || !isStr || s != "x.toml" || ext.Pos().Line != 1 {
		t.Errorf("Take: %v %q %+v", ok, s, ext.Pos())
	}
	if _, ok := root.Take("extends"); ok {
		t.Error("extends is still there")
	}
	n, _ := root.Take("n")
	if _, ok := n.StringValue(); ok || Describe(n) != "1" {
		t.Errorf("a number: %s", Describe(n))
	}
}

func TestKeys(t *testing.T) {
	tests := []struct {
		in   string
		segs []string
		ok   bool
	}{
		{"a.b.c", []string{"a", "b", "c"}, true},
		{`regions."North Caucasus".zeal`, []string{"regions", "North Caucasus", "zeal"}, true},
		{`a . 'b.c' . d`, []string{"a", "b.c", "d"}, true},
		{`"esc\"aped"`, []string{`esc"aped`}, true},
		{"a..b", nil, false},
		{"a b", nil, false},
		{"", nil, false},
		{`a."b`, nil, false},
	}
	for _, tt := range tests {
		segs, ok := SplitKey(tt.in)
		if ok != tt.ok || ok && !slices.Equal(segs, tt.segs) {
			t.Errorf("SplitKey(%q) = %q, %v; want %q, %v", tt.in, segs, ok, tt.segs, tt.ok)
		}
		if !ok {
			continue
		}
		p := ""
		for _, s := range segs {
			p = JoinKey(p, s)
		}
		back, ok := SplitKey(p)
		if !ok || !slices.Equal(back, segs) {
			t.Errorf("JoinKey of %q gives %q, which splits to %q", segs, p, back)
		}
	}
	for in, want := range map[string]string{"a.b[2].c": "a.b[2]", "a.b[2]": "a.b", `a."x.y"`: "a", "a": ""} {
		if got := ParentKey(in); got != want {
			t.Errorf("ParentKey(%q) = %q, want %q", in, got, want)
		}
	}
	if c := Closest("fear_gian", []string{"fear_gain", "fear_decay"}); c != "fear_gain" {
		t.Errorf("Closest = %q", c)
	}
	if c := Closest("colour", []string{"fear_gain", "fear_decay"}); c != "" {
		t.Errorf("Closest of a far key = %q", c)
	}
}

func TestErrorFormat(t *testing.T) {
	tests := []struct {
		e    *Error
		want string
	}{
		{&Error{File: "f.toml", Line: 3, Key: "a.b", Msg: "bad", Hint: "fix it"}, "f.toml:3: a.b: bad (hint: fix it)"},
		{&Error{File: "f.toml", Msg: "no such file"}, "f.toml: no such file"},
		{Pos{File: SetFile, Line: 2, Set: "a=1"}.Error("a", "bad", ""), "--set a=1: a: bad"},
		{&Error{Line: 4, Msg: "bad"}, "line 4: bad"},
		{Positions(nil).Error("a.b", "bad", ""), "a.b: bad"},
		{Positions{"a": {File: "f", Line: 9}}.Error("a.b[2].c", "bad", ""), "f:9: a.b[2].c: bad"},
	}
	for _, tt := range tests {
		if got := tt.e.Error(); got != tt.want {
			t.Errorf("got %q, want %q", got, tt.want)
		}
	}
	l := ErrorList{{File: SetFile, Line: 1, Msg: "s"}, {Msg: "none"}, {File: "b.toml", Line: 1, Msg: "b"}, {File: "main.toml", Line: 5, Msg: "m5"}, {File: "main.toml", Line: 2, Msg: "m2"}}
	l.Sort("main.toml")
	if got := l.Error(); got != "main.toml:2: m2\nmain.toml:5: m5\nb.toml:1: b\n--set: s\nnone" {
		t.Errorf("sorted:\n%s", got)
	}
}

// FuzzBind checks that decoding, overriding and binding any text onto a doc
// never panics and that every problem names the file or the override.
func FuzzBind(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s, "")
	}
	f.Add([]byte("[[items]]\nname = \"a\"\n"), "items.a.size=5")
	f.Add([]byte("count = 3\nwhen = \"d1\"\n"), "days.x=d3")
	for _, form := range deepForms {
		f.Add([]byte(form.text(MaxDepth+1)), "")
	}
	f.Fuzz(func(t *testing.T, data []byte, set string) {
		var sets []string
		if set != "" {
			sets = []string{set}
		}
		_, _, errs := load(string(data), sets...)
		for _, e := range errs {
			if e.File != "t.toml" && e.File != SetFile {
				t.Fatalf("error %q names no file", e)
			}
		}
	})
}
