package sweep

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/collsim/collsim/internal/strict"
	"github.com/collsim/collsim/sim/scenario"
)

// FuzzParse checks that Parse never panics, that its errors are a
// strict.ErrorList, and that every point of a sweep it accepts gives a valid
// scenario.
func FuzzParse(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.toml")
	for _, p := range files {
		if filepath.Base(p) == "base.toml" {
			continue
		}
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, tt := range brokenTests {
		f.Add([]byte(tt.src))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		sw, err := Parse("testdata/fuzz.toml", data)
		if err != nil {
			var list strict.ErrorList
			if !errors.As(err, &list) || err.Error() == "" {
				t.Fatalf("error %q is a %T", err, err)
			}
			return
		}
		if len(sw.Points) == 0 || len(sw.Runs()) != len(sw.Points)*sw.Replicates {
			t.Fatalf("%d points, %d runs", len(sw.Points), len(sw.Runs()))
		}
		for k := range sw.Points {
			if _, err := scenario.Parse(BaseName, sw.baseTOML, sw.Sets(k)...); err != nil {
				t.Fatalf("point %d: %v", k, err)
			}
		}
	})
}
