package sweep

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
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
	for _, tt := range screeningBroken {
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

// FuzzParseJournal checks that parseJournal never panics and that every row
// it accepts lies within its sweep, in its shard, with its seed.
func FuzzParseJournal(f *testing.F) {
	h := journalHead()
	f.Add([]byte(h + journalRow(0, 0, ",0.5") + journalRow(1, 1, ",NaN")))
	f.Add([]byte(strings.Replace(h, "# parameters:", "# seed block: 2\n# parameters:", 1) + journalRow(0, 0, ",1")))
	f.Add([]byte(h[:len(h)/2]))
	f.Fuzz(func(t *testing.T, data []byte) {
		jd, err := parseJournal("j.csv", data)
		if err != nil {
			return
		}
		for _, r := range jd.rows {
			if r.Point < 0 || r.Point >= jd.Points || r.Replicate < 0 || r.Replicate >= jd.Replicates ||
				!jd.Shard.Has(r.Point*jd.Replicates+r.Replicate) || r.Seed != RunSeed(jd.Seed, r.Point/max(1, jd.SeedBlock), r.Replicate) {
				t.Fatalf("accepted row %+v of %+v", r, jd.header)
			}
		}
		if jd.good > int64(len(data)) {
			t.Fatalf("good up to %d of %d bytes", jd.good, len(data))
		}
	})
}
