package strict

import (
	"bytes"
	"maps"
	"slices"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/collsim/collsim/internal/testenv"
)

// lineTests are TOML texts with the line of some of their paths; they also
// seed the fuzz targets.
var lineTests = []struct {
	name string
	src  string
	want map[string]int
}{
	{
		name: "keys and tables",
		src:  "a = 1\n# comment\n[t]\nb = 'x' # c\n  c.d = 2\n[t.e]\nf=3",
		want: map[string]int{"a": 1, "t": 3, "t.b": 4, "t.c": 5, "t.c.d": 5, "t.e": 6, "t.e.f": 7},
	},
	{
		name: "quoted keys",
		src:  "\"North Caucasus\" = 1\n'lit.key' = 2\nx.\"a b\" . c = 3\n\"esc\\u0041\" = 4",
		want: map[string]int{`"North Caucasus"`: 1, `"lit.key"`: 2, `x."a b".c`: 3, "escA": 4},
	},
	{
		name: "arrays of tables and nested tables",
		src:  "[[p]]\nn = 1\n[[p]]\nn = 2\n[[p]]\n[p.d]\nx = 1\n[[p.q]]\ny = 1\n[[p.q]]\ny = 2\n[r]\n",
		want: map[string]int{"p": 1, "p[0]": 1, "p[0].n": 2, "p[1]": 3, "p[1].n": 4, "p[2]": 5, "p[2].d": 6, "p[2].d.x": 7, "p[2].q": 8, "p[2].q[0]": 8, "p[2].q[0].y": 9, "p[2].q[1]": 10, "p[2].q[1].y": 11, "r": 12},
	},
	{
		name: "multi-line strings and arrays",
		src:  "s = \"\"\"\na = 1\n[x]\n\\\"\"\"\"\nt = '''\nb'''\nu = [\n  1, # one\n  \"]\",\n  [2, 3],\n]\nv = 1\n",
		want: map[string]int{"s": 1, "t": 5, "u": 7, "u[0]": 8, "u[1]": 9, "u[2]": 10, "u[2][0]": 10, "u[2][1]": 10, "v": 12},
	},
	{
		name: "inline tables",
		src:  "a = { b = 1, c.d = { e = \"}\" } }\nr = [\n{ name = \"A\" },\n{ name = \"B\",\n share = 1 },\n]\n",
		want: map[string]int{"a": 1, "a.b": 1, "a.c.d": 1, "a.c.d.e": 1, "r[0]": 3, "r[0].name": 3, "r[1]": 4, "r[1].name": 4, "r[1].share": 5},
	},
	{
		name: "broken input",
		src:  "a = \"unclosed\nb = 2\n[unclosed\nc = [1,\n= 3\n{\nd = 4",
		want: map[string]int{"a": 1, "b": 2, "c": 4, "c[0]": 4},
	},
}

func TestLines(t *testing.T) {
	for _, tt := range lineTests {
		t.Run(tt.name, func(t *testing.T) {
			got := Lines([]byte(tt.src))
			for k, line := range tt.want {
				if got[k] != line {
					t.Errorf("line of %s = %d, want %d", k, got[k], line)
				}
			}
		})
	}
}

// seeds returns the TOML texts of testdata and of lineTests.
func seeds(t testing.TB) [][]byte {
	ss := testenv.ReadFiles(t, "testdata/*.toml")
	for _, tt := range lineTests {
		ss = append(ss, []byte(tt.src))
	}
	return ss
}

// FuzzLines checks that the line scanner never panics, gives lines that
// exist and, for valid TOML, finds every key the TOML parser finds.
func FuzzLines(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s)
	}
	for _, form := range deepForms {
		f.Add([]byte(form.text(MaxDepth + 1)))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sc := scan(data)
		lines := sc.lines
		n := bytes.Count(data, []byte("\n")) + 1
		for k, l := range lines {
			if l < 1 || l > n {
				t.Fatalf("line of %s is %d, outside 1..%d", k, l, n)
			}
		}
		if sc.deepLine > 0 {
			return // the scan stopped there
		}
		var m map[string]any
		if _, err := toml.Decode(string(data), &m); err != nil {
			return
		}
		root := build(m, "", Pos{}, nil)
		for _, k := range paths(root, "") {
			if _, ok := lines[k]; !ok {
				t.Fatalf("no line for %s; found %v", k, slices.Sorted(maps.Keys(lines)))
			}
		}
	})
}

// paths lists the path of every key and element under n.
func paths(n *Node, path string) []string {
	var ps []string
	for k, kid := range n.kids {
		p := JoinKey(path, k)
		ps = append(ps, p)
		ps = append(ps, paths(kid, p)...)
	}
	for i, e := range n.elems {
		p := IndexKey(path, i)
		ps = append(ps, p)
		ps = append(ps, paths(e, p)...)
	}
	return ps
}
