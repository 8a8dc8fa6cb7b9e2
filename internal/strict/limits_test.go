package strict

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
)

// deepForms are the ways a TOML text nests: each returns a text, after a
// comment line, whose deepest value is d levels down (see MaxDepth).
var deepForms = []struct {
	name string
	at   string // the line and key an error names
	text func(d int) string
}{
	{"arrays", "deep.toml:2: x[0][0]", func(d int) string { return "x = " + strings.Repeat("[", d) + strings.Repeat("]", d) }},
	{"inline tables", "deep.toml:2: x.a.a", func(d int) string {
		return "x = " + strings.Repeat("{a = ", d-1) + "1" + strings.Repeat("}", d-1)
	}},
	{"dotted key", "deep.toml:2: a", func(d int) string { return strings.TrimSuffix(strings.Repeat("a.", d), ".") + " = 1" }},
	{"table header", "deep.toml:2: a", func(d int) string { return "[" + strings.TrimSuffix(strings.Repeat("a.", d-1), ".") + "]\nb = 1" }},
	{"array of tables", "deep.toml:2: a", func(d int) string { return "[[" + strings.TrimSuffix(strings.Repeat("a.", d-1), ".") + "]]" }},
	{"mixed", "deep.toml:3: t.u.x[0].a", func(d int) string {
		return "[t]\nu.x = " + strings.Repeat("[{a = ", (d-3)/2) + "1" + strings.Repeat("}]", (d-3)/2)
	}},
}

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestDecodeDepth: a text nested up to MaxDepth decodes; one level deeper
// is refused with the line and key; a 60 KB text nested 30,000 deep is
// refused quickly in a small, bounded amount of memory (it took 1.4 GB and
// 4 s as nested arrays, 33 GB as a dotted key, before the bound).
func TestDecodeDepth(t *testing.T) {
	for _, f := range deepForms {
		t.Run(f.name, func(t *testing.T) {
			d := MaxDepth
			if f.name == "mixed" {
				d = MaxDepth - 1 // the form nests in steps of two
			}
			ok := "# a comment\n" + f.text(d) + "\n"
			if _, errs := Decode("deep.toml", []byte(ok)); errs != nil {
				t.Fatalf("depth %d: %v", d, errs)
			}
			for _, depth := range []int{d + 2, 30000} {
				text := "# a comment\n" + f.text(depth) + "\n"
				var errs ErrorList
				bytes := allocated(func() { _, errs = Decode("deep.toml", []byte(text)) })
				if len(errs) != 1 {
					t.Fatalf("depth %d: %d errors, want 1: %v", depth, len(errs), errs)
				}
				got := errs[0].Error()
				for _, want := range []string{f.at, "nested more than 64 levels deep", "hint: "} {
					if !strings.Contains(got, want) {
						t.Errorf("depth %d: error %q lacks %q", depth, got, want)
					}
				}
				if len(got) > 300 {
					t.Errorf("depth %d: error of %d bytes: %.300s", depth, len(got), got)
				}
				// Linear: a few times the text, not its square.
				if limit := uint64(64*len(text) + 1<<20); bytes > limit {
					t.Errorf("depth %d (%d bytes): decoding allocated %d bytes, want at most %d", depth, len(text), bytes, limit)
				}
			}
		})
	}
}

// TestFileSize: files larger than MaxFileSize, and things that are not
// regular files, are refused without being read whole.
func TestFileSize(t *testing.T) {
	big := make([]byte, MaxFileSize+1)
	for i := range big {
		big[i] = '\n'
	}
	if _, errs := Decode("big.toml", big); len(errs) != 1 || !strings.Contains(errs[0].Error(), "big.toml: the file is larger than 1 MiB") {
		t.Errorf("Decode of %d bytes: %v", len(big), errs)
	}
	if _, errs := Decode("ok.toml", big[:MaxFileSize]); errs != nil {
		t.Errorf("Decode of %d bytes: %v", MaxFileSize, errs)
	}
	dir := t.TempDir()
	path := filepath.Join(dir, "big.toml")
	if err := os.WriteFile(path, big, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ path, want string }{
		{path, path + ": the file is larger than 1 MiB, the most collsim reads (hint: "},
		{dir, dir + ": not a regular file"},
		{filepath.Join(dir, "none.toml"), "none.toml: no such file or directory"},
	}
	if _, err := os.Stat("/dev/zero"); err == nil {
		tests = append(tests, struct{ path, want string }{"/dev/zero", "/dev/zero: not a regular file"})
	}
	for _, tt := range tests {
		_, err := ReadFile(tt.path)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ReadFile(%s) = %v, want %q", tt.path, err, tt.want)
		}
	}
}

// TestParseErrorKeys: a syntax error the TOML parser reports names the key
// on its line, with a hint where one helps (a date that does not exist and
// an integer overflow named only the line).
func TestParseErrorKeys(t *testing.T) {
	tests := []struct{ src, want string }{
		{"a = 1\nstart = 1929-02-30\n", `t.toml:2: start: invalid datetime: "1929-02-30" (hint: a date is YYYY-MM-DD and must exist`},
		{"[t]\nseed = 99999999999999999999\n", `t.toml:2: t.seed: 99999999999999999999 is out of range for int64 (hint: whole numbers go from`},
		{"x = { a = 1, b = 99999999999999999999 }\n", `t.toml:1: x: 99999999999999999999 is out of range`},
		{"x = [1,\n  99999999999999999999]\n", `t.toml:2: x[1]: 99999999999999999999 is out of range`},
		{"a = \n", `t.toml:1: a: expected value but found '\n' instead`},
	}
	for _, tt := range tests {
		_, errs := Decode("t.toml", []byte(tt.src))
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), tt.want) {
			t.Errorf("%q: %v, want %q", tt.src, errs, tt.want)
		}
	}
}

// TestErrorListCap: at most MaxErrors problems are written, then how many
// more there are.
func TestErrorListCap(t *testing.T) {
	var l ErrorList
	for i := range MaxErrors + 7 {
		l = append(l, &Error{File: "f", Line: i + 1, Msg: "bad"})
	}
	lines := strings.Split(l.Error(), "\n")
	if len(lines) != MaxErrors+1 || lines[MaxErrors] != "… and 7 more problems (fix these first)" || lines[MaxErrors-1] != "f:50: bad" {
		t.Errorf("%d lines, ending %q", len(lines), lines[len(lines)-1])
	}
	if got := l[:MaxErrors].Error(); strings.Count(got, "\n") != MaxErrors-1 {
		t.Errorf("%d problems written as %d lines", MaxErrors, strings.Count(got, "\n")+1)
	}
}

// TestMergeWide merges two arrays of 20,000 named tables (a base and a
// child that extends it, each under MaxFileSize): each child element lands
// on the element of its name, new names are appended, and a name given
// twice in the child merges into the first. Looking names up one by one
// made this quadratic: 8 s for these files, 4 minutes for 50,000.
func TestMergeWide(t *testing.T) {
	const n = 20000
	var b, c strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "[[items]]\nname = \"i%d\"\nsize = %d\n", i, i%100)
		fmt.Fprintf(&c, "[[items]]\nname = \"i%d\"\ncolor = \"c%d\"\n", n-1-i, i)
	}
	c.WriteString("[[items]]\nname = \"new\"\n[[items]]\nname = \"new\"\ncolor = \"blue\"\n")
	base, errs := Decode("base.toml", []byte(b.String()))
	child, errs2 := Decode("child.toml", []byte(c.String()))
	if errs != nil || errs2 != nil {
		t.Fatal(errs, errs2)
	}
	var d doc
	if _, errs := testSchema.Bind(reflect.ValueOf(&d).Elem(), Merge(base, child)); errs != nil {
		t.Fatal(errs)
	}
	if len(d.Items) != n+1 {
		t.Fatalf("%d items, want %d", len(d.Items), n+1)
	}
	for _, k := range []int{0, 1, n / 2, n - 1} {
		want := item{Name: fmt.Sprintf("i%d", k), Size: float64(k % 100), Color: fmt.Sprintf("c%d", n-1-k)}
		if d.Items[k] != want {
			t.Errorf("item %d: %+v, want %+v", k, d.Items[k], want)
		}
	}
	if last := d.Items[n]; last != (item{Name: "new", Size: 1, Color: "blue"}) {
		t.Errorf("the new item: %+v", last)
	}
}
