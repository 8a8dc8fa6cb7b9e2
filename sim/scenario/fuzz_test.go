package scenario

import (
	"bytes"
	"os"
	"reflect"
	"testing"
)

// FuzzParse checks that Parse, with an override if set is not empty, never
// panics and that what it accepts survives EncodeTOML and Parse unchanged.
func FuzzParse(f *testing.F) {
	for _, s := range seeds(f) {
		f.Add(s, "")
	}
	valid, err := os.ReadFile("testdata/valid.toml")
	if err != nil {
		f.Fatal(err)
	}
	for _, tt := range brokenTests {
		for _, set := range tt.set {
			f.Add([]byte(tt.src), set)
		}
	}
	for _, set := range []string{"regions.Moscow.zeal=2", `regions."North Caucasus".deadlines.x=1`, "phases.1.deadlines.Moscow=1930-02-01", "seed=[1, 2]"} {
		f.Add(valid, set)
	}
	f.Fuzz(func(t *testing.T, data []byte, set string) {
		var sets []string
		if set != "" {
			sets = []string{set}
		}
		s, err := Parse("testdata/fuzz.toml", data, sets...)
		if err != nil {
			if _, ok := err.(ErrorList); !ok || err.Error() == "" {
				t.Fatalf("error %q is a %T", err, err)
			}
			return
		}
		var buf bytes.Buffer
		if err := s.EncodeTOML(&buf); err != nil {
			t.Fatal(err)
		}
		s2, err := Parse("encoded.toml", buf.Bytes())
		if err != nil {
			t.Fatalf("encoded scenario does not parse: %v\n%s", err, buf.Bytes())
		}
		if !reflect.DeepEqual(s, s2) {
			t.Fatalf("round trip changed the scenario:\n%+v\n%+v", s, s2)
		}
	})
}
