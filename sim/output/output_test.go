package output

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/collsim/collsim/internal/testenv"
	"github.com/collsim/collsim/sim/engine"
	"github.com/collsim/collsim/sim/scenario"
)

// contract is the header of timeseries.csv promised in BRIEF §3 and README.
const contract = "step,date,region,households,collective_households,collective_share,land_share,reported_share,joins,exits,voluntary_members,coerced_members,fined,disenfranchised,arrested,deported,resettled,livestock,grain_output,productivity_index,unrest_events,cadres_punished,unrest_participants,reprisal_arrests"

func tinyRun(t *testing.T) (*scenario.Scenario, *engine.Result) {
	t.Helper()
	s, err := scenario.Load("../engine/testdata/tiny.toml")
	if err != nil {
		t.Fatal(err)
	}
	w, err := engine.New(s, engine.Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	res, err := w.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return s, res
}

func TestWriteRun(t *testing.T) {
	s, res := tinyRun(t)
	dir := filepath.Join(t.TempDir(), "out")
	sum, err := WriteRun(dir, s, res, "test", "sim run tiny.toml")
	if err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if got := strings.Join(names, " "); got != "scenario.toml shares.png shares.svg summary.json timeseries.csv" {
		t.Errorf("files written: %s", got)
	}

	recs := testenv.ReadCSV(t, filepath.Join(dir, TimeseriesFile))
	if got := strings.Join(recs[0], ","); got != contract {
		t.Errorf("header\n got %s\nwant %s", got, contract)
	}
	if want := 1 + len(res.Rows)*3; len(recs) != want {
		t.Errorf("%d lines, want %d (a row per step for 2 regions and ALL)", len(recs), want)
	}
	if recs[1][1] != "1929-10-01" || recs[3][2] != "ALL" || recs[1][3] != "180000" {
		t.Errorf("first rows: %v / %v", recs[1], recs[3])
	}

	var got Summary
	b, _ := os.ReadFile(filepath.Join(dir, SummaryFile))
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.Seed != s.Seed || got.Version != "test" || got.Scenario != "tiny" || got.HouseholdsReal != 300000 || got.Scale != 100 {
		t.Errorf("summary provenance: %+v", got)
	}
	if got.PeakShare != sum.PeakShare || got.PeakShare < got.FinalShare || len(got.Regions) != 2 {
		t.Errorf("summary outcomes: %+v", got)
	}
	if got.Repressed != got.Fined || got.Fined < got.Disenfranchised {
		t.Errorf("repression totals: fined %d disenfranchised %d repressed %d", got.Fined, got.Disenfranchised, got.Repressed)
	}

	sc, _ := os.ReadFile(filepath.Join(dir, ScenarioFile))
	if !strings.Contains(string(sc), "# written by collsim test") || !strings.Contains(string(sc), "# seed: 7") {
		t.Errorf("scenario.toml header:\n%s", sc[:200])
	}
	again, err := scenario.Load(filepath.Join(dir, ScenarioFile))
	if err != nil {
		t.Fatalf("the resolved scenario does not load: %v", err)
	}
	if again.Seed != s.Seed || again.Population != s.Population || len(again.Phases) != len(s.Phases) {
		t.Error("the resolved scenario differs from the one run")
	}
}

func TestScaleRowsAddUp(t *testing.T) {
	_, res := tinyRun(t)
	for _, step := range res.Rows {
		rows := ScaleRows(step, 3.7)
		n := len(rows) - 1
		var hh, fined int64
		var lv float64
		for _, r := range rows[:n] {
			hh += r.Households
			fined += r.Fined
			lv += r.Livestock
		}
		if hh != rows[n].Households || fined != rows[n].Fined || lv != rows[n].Livestock {
			t.Fatalf("step %d: regions add to %d households, %d fined, %.0f livestock; ALL says %d, %d, %.0f",
				step[0].Step, hh, fined, lv, rows[n].Households, rows[n].Fined, rows[n].Livestock)
		}
		if rows[n].CollectiveShare != step[n].CollectiveShare {
			t.Fatal("scaling changed a share")
		}
	}
}

func TestWriteFileLeavesNothingHalfWritten(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.csv")
	if err := os.WriteFile(path, []byte("old, whole\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	boom := errors.New("disk on fire")
	err := WriteFile(path, func(w io.Writer) error {
		io.WriteString(w, "new, half")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("error %v, want %v", err, boom)
	}
	if b, _ := os.ReadFile(path); string(b) != "old, whole\n" {
		t.Errorf("a failed write changed the file to %q", b)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("a failed write left %d files behind", len(entries))
	}
	if err := WriteFile(path, func(w io.Writer) error { _, err := io.WriteString(w, "new, whole\n"); return err }); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "new, whole\n" {
		t.Errorf("file is %q", b)
	}
}
