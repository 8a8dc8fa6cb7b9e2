package main

import (
	"bytes"
	"context"
	"errors"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/collsim/collsim/internal/testenv"
)

// quickSweep is the ready sweep of the docs: 2 halt dates × 2 levels of
// punishment × 3 replicates.
const quickSweep = "../../scenarios/sweeps/quick.toml"

// sweepFile returns quickSweep, or under -short (and so under the race
// detector in scripts/test.sh) a copy with fewer households; with
// replicates > 0, a copy with that many replicates.
func sweepFile(t *testing.T, replicates int) string {
	t.Helper()
	if !testing.Short() && replicates == 0 {
		return quickSweep
	}
	src, err := os.ReadFile(quickSweep)
	if err != nil {
		t.Fatal(err)
	}
	base, err := filepath.Abs("../../scenarios/historical-1929.toml")
	if err != nil {
		t.Fatal(err)
	}
	s := strings.Replace(string(src), `base = "../historical-1929.toml"`, "base = "+strconv.Quote(base), 1)
	if testing.Short() {
		s = strings.Replace(s, "population.households=3000", "population.households=1000", 1)
	}
	if replicates > 0 {
		s = strings.Replace(s, "replicates = 3", "replicates = "+strconv.Itoa(replicates), 1)
	}
	p := filepath.Join(t.TempDir(), "quick.toml")
	if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// sweepOutputs are the files of a sweep that must not depend on how it ran.
var sweepOutputs = []string{"runs.csv", "summary.csv"}

// sameSweepOutputs checks that two sweep folders hold the same outputs.
func sameSweepOutputs(t *testing.T, want, got string) {
	t.Helper()
	for _, f := range sweepOutputs {
		a, errA := os.ReadFile(filepath.Join(want, f))
		b, errB := os.ReadFile(filepath.Join(got, f))
		if err := errors.Join(errA, errB); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s of %s differs from %s:\n%s\n----\n%s", f, got, want, a, b)
		}
	}
}

// TestSweepWorkers runs the 2×2×3 quick sweep on one and on two workers:
// the same bytes; and checks each confidence interval of summary.csv
// against a hand computation on the replicates in runs.csv.
func TestSweepWorkers(t *testing.T) {
	const t2 = 4.302652729911275 // Student's t: 0.975 quantile, 2 degrees of freedom
	file := sweepFile(t, 0)
	one, two := t.TempDir(), t.TempDir()
	for _, c := range []struct{ dir, workers string }{{one, "1"}, {two, "2"}} {
		if code, _, e := sim(t, "sweep", file, "--workers", c.workers, "--out", c.dir, "--quiet"); code != 0 {
			t.Fatalf("sim sweep --workers %s: %s", c.workers, e)
		}
	}
	sameSweepOutputs(t, one, two)

	runs := testenv.ReadCSV(t, filepath.Join(one, "runs.csv"))
	sum := testenv.ReadCSV(t, filepath.Join(one, "summary.csv"))
	if len(runs) != 1+12 || len(sum) != 1+4 {
		t.Fatalf("runs.csv has %d lines, summary.csv %d", len(runs), len(sum))
	}
	index := func(head []string, name string) int {
		for i, h := range head {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %q in %q", name, head)
		return 0
	}
	for _, out := range runs[0][5:] { // point,replicate,seed, two parameters, then outputs
		for p := range 4 {
			var xs []float64
			for _, r := range runs[1:] {
				if r[0] == strconv.Itoa(p) {
					x, err := strconv.ParseFloat(r[index(runs[0], out)], 64)
					if err != nil {
						t.Fatal(err)
					}
					xs = append(xs, x)
				}
			}
			n := float64(len(xs))
			mean := 0.0
			for _, x := range xs {
				mean += x / n
			}
			ss := 0.0
			for _, x := range xs {
				ss += (x - mean) * (x - mean)
			}
			half := t2 * math.Sqrt(ss/(n-1)) / math.Sqrt(n)
			row := sum[1+p]
			for _, c := range []struct {
				stat string
				want float64
			}{{"mean", mean}, {"ci95_lo", mean - half}, {"ci95_hi", mean + half}} {
				got, err := strconv.ParseFloat(row[index(sum[0], out+"_"+c.stat)], 64)
				if err != nil || math.Abs(got-c.want) > 1e-9*math.Max(1, math.Abs(c.want)) {
					t.Errorf("point %d: %s_%s = %v, want %v (hand computation)", p, out, c.stat, got, c.want)
				}
			}
		}
	}
}

// TestSweepBadInput: broken sweep files and flags give a non-zero exit and
// a message naming the file, the line and the key.
func TestSweepBadInput(t *testing.T) {
	dir := t.TempDir()
	base, _ := filepath.Abs("../../scenarios/historical-1929.toml")
	head := "name = \"bad\"\nbase = " + strconv.Quote(base) + "\nreplicates = 2\nset = [\"population.households=1000\"]\n"
	param := "\n[[parameters]]\nkey = \"household.fear_decay\"\nvalues = [0.1, 0.2]\n"
	out := "\n[[outputs]]\nsummary = \"peak_share\"\n"
	tests := []struct {
		name, body string
		args       []string
		code       int
		want       []string
	}{
		{"unknown-param.toml", head + "\n[[parameters]]\nkey = \"household.fear_decya\"\nvalues = [0.1]\n" + out, nil, 1,
			[]string{"unknown-param.toml:7:", "parameters[0].key", "household.fear_decya", "unknown key", `"fear_decay"`}},
		{"empty-range.toml", head + "\n[[parameters]]\nkey = \"household.fear_decay\"\nfrom = 0.5\nto = 0.1\nstep = 0.1\n" + out, nil, 1,
			[]string{"empty-range.toml:9:", "parameters[0].to", "empty range"}},
		{"zero-replicates.toml", strings.Replace(head, "replicates = 2", "replicates = 0", 1) + param + out, nil, 1,
			[]string{"zero-replicates.toml:3:", "replicates", "out of range [1,"}},
		{"unknown-key.toml", head + "replicats = 3\n" + param + out, nil, 1,
			[]string{"unknown-key.toml:5:", "replicats", "unknown key", `"replicates"`}},
		{"wrong-type.toml", strings.Replace(head, "replicates = 2", "replicates = \"two\"", 1) + param + out, nil, 1,
			[]string{"wrong-type.toml:3:", "replicates", "want an integer", `"two"`}},
		{"out-of-range.toml", head + "\n[[parameters]]\nkey = \"household.fear_decay\"\nvalues = [0.1, 2]\n" + out, nil, 1,
			[]string{"out-of-range.toml:8:", "parameters[0].values[1]", "household.fear_decay: 2 is out of range [0, 1]"}},
		{"shard.toml", head + param + out, []string{"--shard", "3/2"}, 2, []string{"--shard", "3/2", "from 0 to 1"}},
		{"shard-syntax.toml", head + param + out, []string{"--shard", "1of2"}, 2, []string{"--shard", "not I/N"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := filepath.Join(dir, tt.name)
			if err := os.WriteFile(p, []byte(tt.body), 0o644); err != nil {
				t.Fatal(err)
			}
			args := append([]string{"sweep", p, "--out", filepath.Join(dir, "out-"+tt.name)}, tt.args...)
			code, _, errOut := sim(t, args...)
			if code != tt.code {
				t.Errorf("sim sweep exits %d, want %d; stderr:\n%s", code, tt.code, errOut)
			}
			for _, w := range tt.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
		})
	}
	for _, args := range [][]string{{"sweep"}, {"sweep", "a.toml", "b.toml"}, {"merge", "d"}, {"merge", "--out", "d"}, {"sweep", "a.toml", "--workers", "0"}} {
		if code, _, _ := sim(t, args...); code != 2 {
			t.Errorf("sim %q exits %d, want 2", args, code)
		}
	}
	if code, _, errOut := sim(t, "sweep", filepath.Join(dir, "nowhere.toml")); code != 1 || !strings.Contains(errOut, "no such file") {
		t.Errorf("a missing sweep file: %d %q", code, errOut)
	}
}

// TestSweepShardsMerge runs the quick sweep as three shards and merges
// them: the same files as one sweep; a missing shard is named.
func TestSweepShardsMerge(t *testing.T) {
	file := sweepFile(t, 0)
	whole, root := t.TempDir(), t.TempDir()
	if code, _, e := sim(t, "sweep", file, "--out", whole, "--quiet"); code != 0 {
		t.Fatal(e)
	}
	for i := range 3 {
		code, out, e := sim(t, "sweep", file, "--out", root, "--shard", strconv.Itoa(i)+"/3", "--workers", "1")
		if code != 0 {
			t.Fatal(e)
		}
		if !strings.Contains(out, "sim merge") {
			t.Errorf("shard %d/3 does not say how to merge: %q", i, out)
		}
	}
	shards, _ := filepath.Glob(filepath.Join(root, "shard-*-of-3"))
	if len(shards) != 3 {
		t.Fatalf("shard folders %q", shards)
	}
	code, _, e := sim(t, append([]string{"merge", "--out", root, "--quiet"}, shards[:2]...)...)
	if code != 1 || !strings.Contains(e, "4 of 12 runs are missing") || !strings.Contains(e, "shard 2/3 (no folder given)") {
		t.Errorf("merge without a shard: %d %s", code, e)
	}
	if code, _, e := sim(t, append([]string{"merge", "--out", root}, shards...)...); code != 0 {
		t.Fatal(e)
	}
	sameSweepOutputs(t, whole, root)
}

// sweepBinary builds the sim command into a temporary folder.
func sweepBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "sim")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// runSlurmScript runs a script of deploy/slurm with $SIM set to bin (and
// env added) and returns its output. If it fails, the test fails with that
// output and the jobs' logs in out/logs; if it ran out of time, the jobs
// named jobs are cancelled first.
func runSlurmScript(t *testing.T, timeout time.Duration, bin string, env, jobs []string, out, script string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "../../deploy/slurm/"+script, args...)
	cmd.Env = append(append(os.Environ(), "SIM="+bin), env...)
	msg, err := cmd.CombinedOutput()
	if err != nil {
		logs, _ := filepath.Glob(filepath.Join(out, "logs", "*"))
		for _, l := range logs {
			b, _ := os.ReadFile(l)
			msg = append(msg, "\n== "+l+"\n"+string(b)...)
		}
		if ctx.Err() != nil {
			for _, j := range jobs {
				exec.Command("scancel", "--name="+j).Run()
			}
		}
		t.Fatalf("%s: %v\n%s", script, err, msg)
	}
	return msg
}

// journalRuns returns the number of runs in a journal.
func journalRuns(path string) int {
	data, err := os.ReadFile(path)
	if err != nil {
		return 0
	}
	n := 0
	for i, l := range strings.Split(string(data), "\n") {
		if i > 0 && l != "" && !strings.HasPrefix(l, "#") && !strings.HasPrefix(l, "point,") {
			n++
		}
	}
	return n
}

// TestSweepKilled interrupts a real sim sweep process with SIGINT, then
// kills the resumed one with SIGKILL, then resumes it to the end: the same
// files as a sweep never interrupted.
func TestSweepKilled(t *testing.T) {
	testenv.Long(t)
	bin := sweepBinary(t)
	file := sweepFile(t, 8) // 32 runs
	whole, dir := t.TempDir(), t.TempDir()
	if code, _, e := sim(t, "sweep", file, "--out", whole, "--quiet"); code != 0 {
		t.Fatal(e)
	}
	journal := filepath.Join(dir, "journal.csv")
	// start runs sim sweep and stops it with sig once the journal holds at
	// least k runs more than it did; it returns the process's stderr.
	start := func(sig syscall.Signal, k int, resume bool) string {
		before := journalRuns(journal)
		args := []string{"sweep", file, "--out", dir, "--workers", "2"}
		if resume {
			args = append(args, "--resume")
		}
		cmd := exec.Command(bin, args...)
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		deadline := time.Now().Add(2 * time.Minute)
		for journalRuns(journal) < before+k && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
		cmd.Process.Signal(sig)
		err := cmd.Wait()
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Fatalf("sim sweep was not stopped by %v (it ended: %v); stderr:\n%s", sig, err, stderr.String())
		}
		if n := journalRuns(journal); n >= 32 {
			t.Fatalf("all %d runs were done before %v", n, sig)
		}
		return stderr.String()
	}
	if e := start(syscall.SIGINT, 3, false); !strings.Contains(e, "interrupted") || !strings.Contains(e, "--resume") {
		t.Errorf("after SIGINT, stderr does not say how to resume:\n%s", e)
	}
	start(syscall.SIGKILL, 3, true)
	cmd := exec.Command(bin, "sweep", file, "--out", dir, "--workers", "2", "--resume", "--quiet")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("resume: %v\n%s", err, out)
	}
	sameSweepOutputs(t, whole, dir)
}

// TestSweepSlurm submits the quick sweep to Slurm as a job array of four
// tasks with deploy/slurm/submit.sh, waits for the dependent merge job, and
// compares its outputs with those of a sweep in one process.
func TestSweepSlurm(t *testing.T) {
	testenv.Slurm(t)
	testenv.Long(t)
	bin := sweepBinary(t)
	whole := t.TempDir()
	if code, _, e := sim(t, "sweep", quickSweep, "--out", whole, "--quiet"); code != 0 {
		t.Fatal(e)
	}
	out := filepath.Join(t.TempDir(), "slurm")
	msg := runSlurmScript(t, 5*time.Minute, bin, []string{"WAIT=1"}, []string{"collsim-sweep", "collsim-merge"},
		out, "submit.sh", quickSweep, out, "4")
	t.Logf("%s", msg)
	shards, _ := filepath.Glob(filepath.Join(out, "shard-*-of-4"))
	if len(shards) != 4 {
		t.Errorf("shard folders: %q", shards)
	}
	sameSweepOutputs(t, whole, out)
}

// TestSweepRunReproduced reruns one run of a sweep alone from base.toml, its
// point's values and its seed, as docs/sweeps.md says: the same outputs.
func TestSweepRunReproduced(t *testing.T) {
	dir := t.TempDir()
	if code, _, e := sim(t, "sweep", sweepFile(t, 0), "--out", dir, "--quiet"); code != 0 {
		t.Fatal(e)
	}
	runs := testenv.ReadCSV(t, filepath.Join(dir, "runs.csv"))
	row := runs[1+7] // point 2, replicate 1
	one := t.TempDir()
	args := []string{"run", filepath.Join(dir, "base.toml"), "--seed", row[2], "--out", one, "--quiet"}
	for i, k := range runs[0][3:5] {
		args = append(args, "--set", k+"="+row[3+i])
	}
	if code, _, e := sim(t, args...); code != 0 {
		t.Fatal(e)
	}
	sum, err := os.ReadFile(filepath.Join(one, "summary.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(sum), `"peak_share": `+row[5]+",") {
		t.Errorf("runs.csv has peak_share %s for point 2, replicate 1; sim run gives\n%s", row[5], sum)
	}
}
