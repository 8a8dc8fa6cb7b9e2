package main

import (
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/collsim/collsim/internal/testenv"
	"github.com/collsim/collsim/sim/engine"
	"github.com/collsim/collsim/sim/output"
	"github.com/collsim/collsim/sim/scenario"
)

const tinyScenario = "../../sim/engine/testdata/tiny.toml"

// folderState returns the names and contents of the files of dir, and
// of its siblings whose names start with "."+base(dir), to check that
// nothing changed them and nothing was left beside it.
func folderState(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		b.WriteString(e.Name() + "\n" + string(data) + "\n")
	}
	beside, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+"*"))
	for _, p := range beside {
		b.WriteString("beside: " + filepath.Base(p) + "\n")
	}
	return b.String()
}

// TestRunOutGuard: sim run refuses an --out folder that holds files a run
// does not write, and leaves it as it was; --force writes beside them. It
// used to overwrite a hand-written scenario.toml in the scenario's own
// folder.
func TestRunOutGuard(t *testing.T) {
	tiny, err := os.ReadFile(tinyScenario)
	if err != nil {
		t.Fatal(err)
	}
	own := t.TempDir() // a scenario's own folder: a hand-written scenario.toml
	os.WriteFile(filepath.Join(own, "scenario.toml"), tiny, 0o644)
	notes := t.TempDir()
	os.WriteFile(filepath.Join(notes, "notes.txt"), []byte("mine\n"), 0o644)
	file := filepath.Join(t.TempDir(), "a-file")
	os.WriteFile(file, []byte("x"), 0o644)
	tests := []struct {
		name, scenario, out, want string
	}{
		{"the scenario's own folder", filepath.Join(own, "scenario.toml"), own, "holds files a run does not write (scenario.toml (not written by sim run))"},
		{"a folder of notes", tinyScenario, notes, "holds files a run does not write (notes.txt)"},
		{"the root", tinyScenario, "/", "holds files a run does not write"},
		{"a file", tinyScenario, file, "is not a folder"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var before string
			if tt.out != "/" {
				before = folderState(t, tt.out)
			}
			code, _, errOut := sim(t, "run", tt.scenario, "--out", tt.out, "--quiet")
			if code != 1 || !strings.Contains(errOut, tt.want) {
				t.Errorf("exit %d, want 1 with %q:\n%s", code, tt.want, errOut)
			}
			if tt.out != "/" && folderState(t, tt.out) != before {
				t.Error("the refused folder changed")
			}
		})
	}
	// --force writes the run beside the other files.
	if code, _, e := sim(t, "run", tinyScenario, "--out", notes, "--quiet", "--force"); code != 0 {
		t.Fatal(e)
	}
	if b, _ := os.ReadFile(filepath.Join(notes, "notes.txt")); string(b) != "mine\n" {
		t.Error("--force lost notes.txt")
	}
	if _, err := os.Stat(filepath.Join(notes, output.SummaryFile)); err != nil {
		t.Error("--force wrote no summary.json")
	}
	// A previous run's folder is rerun into, and rerunning its own
	// scenario.toml there works too.
	dir := filepath.Join(t.TempDir(), "run")
	for _, args := range [][]string{{tinyScenario}, {tinyScenario, "--seed", "5"}, {filepath.Join(dir, "scenario.toml")}} {
		if code, _, e := sim(t, append(append([]string{"run"}, args...), "--out", dir, "--quiet")...); code != 0 {
			t.Fatalf("%v: %s", args, e)
		}
	}
}

// TestRunFailedKeepsPrevious: a rerun that fails while it writes (a full
// disk) leaves the previous complete result as it was, with nothing
// beside it; it used to delete summary.json first and leave a new
// scenario.toml beside the old charts.
func TestRunFailedKeepsPrevious(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "run")
	if code, _, e := sim(t, "run", tinyScenario, "--out", dir, "--quiet"); code != 0 {
		t.Fatal(e)
	}
	before := folderState(t, dir)
	defer func(w func(string, *scenario.Scenario, *engine.Result, string, string) (*output.Summary, error)) {
		writeRun = w
	}(writeRun)
	writeRun = func(d string, s *scenario.Scenario, res *engine.Result, version, command string) (*output.Summary, error) {
		output.WriteFile(filepath.Join(d, output.ScenarioFile), func(w io.Writer) error { return output.WriteScenario(w, s, version, command) })
		return nil, errors.New("no space left on device")
	}
	code, _, errOut := sim(t, "run", tinyScenario, "--seed", "9", "--out", dir, "--quiet")
	if code != 1 || !strings.Contains(errOut, "no space left on device") {
		t.Errorf("exit %d: %s", code, errOut)
	}
	if after := folderState(t, dir); after != before {
		t.Errorf("the failed rerun changed the previous result:\n%.500s", after)
	}
}

// TestRunKilledKeepsPrevious kills sim run as it writes its outputs (a
// file size limit: SIGXFSZ, or EFBIG as from a full disk) and checks that
// the previous result is whole; the next run removes what the killed one
// left and the temporary files an older version left inside the folder.
func TestRunKilledKeepsPrevious(t *testing.T) {
	testenv.Long(t)
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("no bash")
	}
	bin := sweepBinary(t)
	dir := filepath.Join(t.TempDir(), "run")
	if out, err := exec.Command(bin, "run", tinyScenario, "--out", dir, "--quiet").CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	before := folderState(t, dir)
	out, err := exec.Command("bash", "-c", `ulimit -f 2 && exec "$0" run "$1" --seed 3 --out "$2" --quiet`, bin, tinyScenario, dir).CombinedOutput()
	if err == nil {
		t.Fatalf("the run under a 2 KB file limit succeeded: %s", out)
	}
	// What the killed run left beside the folder is all it left.
	state := folderState(t, dir)
	state = strings.Join(slices.DeleteFunc(strings.Split(state, "\n"), func(l string) bool { return strings.HasPrefix(l, "beside: .run.tmp-") }), "\n")
	if state != strings.TrimSuffix(before, "\n")+"\n" && state != before {
		t.Errorf("the killed rerun changed the previous result:\n%.800s", state)
	}
	os.WriteFile(filepath.Join(dir, ".summary.json.tmp-123"), []byte("{"), 0o644) // as older versions left them
	if out, err := exec.Command(bin, "run", tinyScenario, "--seed", "3", "--out", dir, "--quiet").CombinedOutput(); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	ents, _ := os.ReadDir(dir)
	var names []string
	for _, e := range ents {
		names = append(names, e.Name())
	}
	if want := slices.Sorted(slices.Values(runFiles)); !slices.Equal(names, want) {
		t.Errorf("after the next run the folder holds %v, want %v", names, want)
	}
	if beside, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".run*")); len(beside) > 0 {
		t.Errorf("left beside the folder: %v", beside)
	}
}

// TestOrphansInUse: a temporary folder that a live run holds is not
// removed as an orphan.
func TestOrphansInUse(t *testing.T) {
	parent := t.TempDir()
	held, release, err := makeTempDir(parent, ".x.tmp-")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	orphan := filepath.Join(parent, ".x.tmp-orphan")
	os.Mkdir(orphan, 0o755)
	os.Chtimes(orphan, time.Now().Add(-2*time.Hour), time.Now().Add(-2*time.Hour))
	removeOrphans(parent, ".x.tmp-")
	if _, err := os.Stat(held); err != nil {
		t.Error("removed a folder in use")
	}
	if _, err := os.Stat(orphan); err == nil {
		t.Error("kept an orphan")
	}
}
