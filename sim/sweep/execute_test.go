package sweep

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/collsim/collsim/internal/testenv"
)

// outputFiles are the files that must not depend on how a sweep was run.
var outputFiles = []string{RunsFile, SummaryFile, ChartPNG, ChartSVG}

// load loads a sweep file of testdata; under -short (and so under the race
// detector in scripts/test.sh) with fewer households.
func load(t testing.TB, path string) *Sweep {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if testing.Short() {
		src = append([]byte("set = [\"population.households=300\"]\n"), src...)
	}
	sw, err := Parse(path, src)
	if err != nil {
		t.Fatal(err)
	}
	return sw
}

// execute runs sw into a new folder and returns it.
func execute(t testing.TB, sw *Sweep, opt Options) string {
	t.Helper()
	if opt.Dir == "" {
		opt.Dir = t.TempDir()
	}
	if opt.Version == "" {
		opt.Version = "test"
	}
	if _, err := Execute(context.Background(), sw, opt); err != nil {
		t.Fatal(err)
	}
	return opt.Dir
}

// sameOutputs checks that the output files of two folders are identical.
func sameOutputs(t *testing.T, want, got string) {
	t.Helper()
	for _, f := range outputFiles {
		a, err := os.ReadFile(filepath.Join(want, f))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(got, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs:\n%s\n----\n%s", f, head10(a), head10(b))
		}
	}
}

// snapshot returns the names and contents of the files of dir, to check
// that nothing changed them.
func snapshot(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		data, _ := os.ReadFile(filepath.Join(dir, e.Name()))
		b.WriteString(e.Name() + "\n" + string(data) + "\n")
	}
	return b.String()
}

func head10(b []byte) string {
	lines := strings.SplitN(string(b), "\n", 10)
	return strings.Join(lines[:min(len(lines), 9)], "\n")
}

func TestWorkersGiveTheSameFiles(t *testing.T) {
	sw := load(t, "testdata/grid.toml")
	one := execute(t, sw, Options{Workers: 1})
	two := execute(t, sw, Options{Workers: 3})
	sameOutputs(t, one, two)
	runs := testenv.ReadCSV(t, filepath.Join(one, RunsFile))
	if len(runs) != 1+12 || strings.Join(runs[0], ",") != "point,replicate,seed,phases.halt.start,regions.Moscow.zeal,peak_share,moscow_may,share_at_halt" {
		t.Errorf("runs.csv has %d lines, header %q", len(runs), runs[0])
	}
	for i, r := range runs[1:] {
		if r[0] != strconv.Itoa(i/3) || r[1] != strconv.Itoa(i%3) || r[2] != strconv.FormatInt(RunSeed(42, i/3, i%3), 10) {
			t.Errorf("line %d of runs.csv: %q", i+2, r)
		}
	}
}

// TestConfidenceIntervals checks summary.csv against a hand computation
// from runs.csv: mean ± t(0.975, n-1)·sd/√n.
func TestConfidenceIntervals(t *testing.T) {
	const t2 = 4.302652729911275 // Student's t, 0.975 quantile, 2 degrees of freedom
	sw := load(t, "testdata/grid.toml")
	dir := execute(t, sw, Options{Workers: 2})
	runs := testenv.ReadCSV(t, filepath.Join(dir, RunsFile))
	sum := testenv.ReadCSV(t, filepath.Join(dir, SummaryFile))
	col := func(head []string, name string) int {
		for i, h := range head {
			if h == name {
				return i
			}
		}
		t.Fatalf("no column %s in %q", name, head)
		return -1
	}
	for _, out := range []string{"peak_share", "moscow_may"} {
		for p := 0; p < 4; p++ {
			var xs []float64
			for _, r := range runs[1:] {
				if r[0] == strconv.Itoa(p) {
					x, _ := strconv.ParseFloat(r[col(runs[0], out)], 64)
					xs = append(xs, x)
				}
			}
			if len(xs) != 3 {
				t.Fatalf("point %d has %d runs", p, len(xs))
			}
			mean := (xs[0] + xs[1] + xs[2]) / 3
			ss := 0.0
			for _, x := range xs {
				ss += (x - mean) * (x - mean)
			}
			sd := math.Sqrt(ss / 2)
			half := t2 * sd / math.Sqrt(3)
			row := sum[1+p]
			for _, c := range []struct {
				stat string
				want float64
			}{{"mean", mean}, {"sd", sd}, {"ci95_lo", mean - half}, {"ci95_hi", mean + half}, {"n", 3}} {
				got, err := strconv.ParseFloat(row[col(sum[0], out+"_"+c.stat)], 64)
				if err != nil || math.Abs(got-c.want) > 1e-9*math.Max(1, math.Abs(c.want)) {
					t.Errorf("point %d: %s_%s = %v, want %v", p, out, c.stat, got, c.want)
				}
			}
		}
	}
}

// TestInterruptAndResume stops a sweep after k runs, resumes it, and
// compares the files with those of a sweep never interrupted.
func TestInterruptAndResume(t *testing.T) {
	sw := load(t, "testdata/grid.toml")
	whole := execute(t, sw, Options{Workers: 1})
	for _, k := range []int{1, 5} {
		dir := t.TempDir()
		ctx, cancel := context.WithCancel(context.Background())
		var done atomic.Int32
		rep, err := Execute(ctx, sw, Options{Dir: dir, Workers: 2, Version: "test", Done: func(Run) {
			if done.Add(1) == int32(k) {
				cancel()
			}
		}})
		cancel()
		if !errors.Is(err, ErrInterrupted) {
			t.Fatalf("interrupted sweep: %v", err)
		}
		if rep.Ran < k || rep.Ran >= 12 {
			t.Fatalf("interrupted after %d runs, wanted %d and some left", rep.Ran, k)
		}
		if _, err := os.Stat(filepath.Join(dir, RunsFile)); err == nil {
			t.Error("an interrupted sweep wrote runs.csv")
		}
		if _, err := Execute(context.Background(), sw, Options{Dir: dir, Workers: 2, Version: "test"}); err == nil || !strings.Contains(err.Error(), "--resume") {
			t.Errorf("a second sweep into the folder: %v, want a hint to use --resume", err)
		}
		rep2, err := Execute(context.Background(), sw, Options{Dir: dir, Workers: 2, Version: "test", Resume: true})
		if err != nil {
			t.Fatal(err)
		}
		if rep2.Before != rep.Ran || rep2.Ran != 12-rep.Ran {
			t.Errorf("resume found %d runs and ran %d; the first part ran %d", rep2.Before, rep2.Ran, rep.Ran)
		}
		sameOutputs(t, whole, dir)
	}
}

// TestConcurrentResume: a second process resuming a folder while another
// writes it (a requeued Slurm task, a Kubernetes retry) is refused with the
// holder's pid and host, and the sweep finishes as if run once; merge is
// refused the same way. Without the lock both ran every missing run and the
// journal held each twice, which every later resume refused.
func TestConcurrentResume(t *testing.T) {
	sw := load(t, "testdata/grid.toml")
	whole := execute(t, sw, Options{Workers: 2})
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	Execute(ctx, sw, Options{Dir: dir, Workers: 1, Version: "test", Done: func(Run) { cancel() }})
	cancel()

	host, _ := os.Hostname()
	var second error
	var secondRep *Report
	first, err := Execute(context.Background(), sw, Options{Dir: dir, Workers: 1, Version: "test", Resume: true, Done: func(r Run) {
		if secondRep == nil {
			// In the middle of the first: the lock is held by this process.
			secondRep, second = Execute(context.Background(), sw, Options{Dir: dir, Workers: 1, Version: "test", Resume: true})
			if secondRep == nil {
				secondRep = &Report{}
			}
		}
	}})
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("is in use by pid %d on host %s", os.Getpid(), host)
	if second == nil || !strings.Contains(second.Error(), want) || !strings.Contains(second.Error(), "hint:") {
		t.Errorf("second resume: %v, want %q", second, want)
	}
	if secondRep.Ran != 0 {
		t.Errorf("the second resume ran %d runs", secondRep.Ran)
	}
	if first.Before+first.Ran != 12 {
		t.Errorf("first resume: %+v", first)
	}
	rep, err := Execute(context.Background(), sw, Options{Dir: dir, Workers: 1, Version: "test", Resume: true})
	if err != nil || rep.Ran != 0 || rep.Before != 12 {
		t.Errorf("resuming the finished sweep: %+v, %v", rep, err)
	}
	sameOutputs(t, whole, dir)

	// Merge into a folder that is being written is refused too.
	unlock, err := Lock(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	if _, err := Merge([]string{whole}, dir, nil); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("merge into a locked folder: %v", err)
	}
}

// TestDuplicateRowsResume: a journal holding a run twice with the same
// line (written by two processes before the lock) resumes and gives the
// same outputs.
func TestDuplicateRowsResume(t *testing.T) {
	sw := load(t, "testdata/grid.toml")
	whole := execute(t, sw, Options{Workers: 2})
	data, err := os.ReadFile(filepath.Join(whole, JournalFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	n := len(lines) - 1 // the last is ""
	keep := strings.Join(lines[:n-4], "") + lines[n-6] + lines[n-5]
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, JournalFile), []byte(keep), 0o644)
	rep, err := Execute(context.Background(), sw, Options{Dir: dir, Workers: 2, Version: "test", Resume: true})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Before != 8 || rep.Ran != 4 {
		t.Errorf("resume: %+v", rep)
	}
	sameOutputs(t, whole, dir)
}

// TestResumeChecksJournal: resume refuses a journal whose rows were
// edited — a parameter that is not its point's, NaN where no run gives it,
// a number spelled as sim does not write it, infinity — or whose header
// lost a line, naming the line; it used to take them into runs.csv (and
// said "sweep journal: <nil>" for a missing hash line).
func TestResumeChecksJournal(t *testing.T) {
	sw := load(t, "testdata/grid.toml")
	whole := execute(t, sw, Options{Workers: 2})
	data, err := os.ReadFile(filepath.Join(whole, JournalFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	first := 0 // the line of the first run, 0-based
	for strings.HasPrefix(lines[first], "#") || strings.HasPrefix(lines[first], "point,") {
		first++
	}
	// edit returns the journal with the k-th field of the first run replaced.
	edit := func(k int, v string) string {
		rec := strings.Split(strings.TrimSuffix(lines[first], "\n"), ",")
		rec[k] = v
		return strings.Join(lines[:first], "") + strings.Join(rec, ",") + "\n" + strings.Join(lines[first+1:], "")
	}
	rec := strings.Split(strings.TrimSuffix(lines[first], "\n"), ",")
	at := fmt.Sprintf("journal.csv:%d: ", first+1)
	tests := []struct{ name, journal, want string }{
		{"a parameter edited", edit(4, "7"), at + "point " + rec[0] + " has regions.Moscow.zeal = 7, but the sweep gives "},
		{"an output NaN", edit(5, "NaN"), at + "output peak_share is NaN, which no run gives (hint: "},
		{"an output spelled another way", edit(5, rec[5]+"0"), at + "output peak_share is written"},
		{"an output infinite", edit(6, "+Inf"), at + "output moscow_may is +Inf"},
		{"no hash line", strings.Replace(string(data), lines[2], "", 1), `has no "# hash:" line`},
	}
	if !strings.Contains(lines[2], "# hash:") {
		t.Fatalf("line 3 of the journal is %q", lines[2])
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, JournalFile), []byte(tt.journal), 0o644)
			_, err := Execute(context.Background(), sw, Options{Dir: dir, Workers: 1, Version: "test", Resume: true})
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("resume: %v, want %q", err, tt.want)
			}
			if _, err := os.Stat(filepath.Join(dir, RunsFile)); err == nil {
				t.Error("runs.csv was written")
			}
		})
	}
	// share_at_halt may be NaN (no halt): such a journal resumes.
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, JournalFile), []byte(edit(7, "NaN")), 0o644)
	if _, err := Execute(context.Background(), sw, Options{Dir: dir, Workers: 1, Version: "test", Resume: true}); err != nil {
		t.Errorf("a NaN share_at_halt: %v", err)
	}
}

// TestTornJournal cuts the last line of a journal in half, as a crash in
// the middle of a write would, and checks that resume redoes that run.
func TestTornJournal(t *testing.T) {
	sw := load(t, "testdata/grid.toml")
	whole := execute(t, sw, Options{Workers: 2})
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join(whole, JournalFile))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.SplitAfter(string(data), "\n")
	keep := strings.Join(lines[:len(lines)-4], "") // the last line is "": three runs gone
	torn := lines[len(lines)-4][:20]
	if err := os.WriteFile(filepath.Join(dir, JournalFile), []byte(keep+torn), 0o644); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	rep, err := Execute(context.Background(), sw, Options{Dir: dir, Workers: 2, Version: "test", Resume: true, Log: &log})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Repaired || rep.Before != 9 || rep.Ran != 3 || !strings.Contains(log.String(), "torn") {
		t.Errorf("report %+v, log %q", rep, log.String())
	}
	sameOutputs(t, whole, dir)

	// A garbled line before the last is not a torn write: an error.
	bad := strings.Join(lines[:len(lines)-3], "") + "0,1,garbage\n" + lines[len(lines)-2]
	os.WriteFile(filepath.Join(dir, JournalFile), []byte(bad), 0o644)
	if _, err := Execute(context.Background(), sw, Options{Dir: dir, Version: "test", Resume: true}); err == nil || !strings.Contains(err.Error(), "journal.csv:") {
		t.Errorf("garbled journal: %v", err)
	}
}

// TestChangedSweep resumes a sweep whose file changed: an error.
func TestChangedSweep(t *testing.T) {
	src, err := os.ReadFile("testdata/grid.toml")
	if err != nil {
		t.Fatal(err)
	}
	sw, err := Parse("testdata/grid.toml", src)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	Execute(ctx, sw, Options{Dir: dir, Workers: 1, Version: "test", Done: func(Run) { cancel() }})
	changed, err := Parse("testdata/grid.toml", bytes.Replace(src, []byte("seed = 42"), []byte("seed = 43"), 1))
	if err != nil {
		t.Fatal(err)
	}
	_, err = Execute(context.Background(), changed, Options{Dir: dir, Workers: 1, Version: "test", Resume: true})
	if err == nil || !strings.Contains(err.Error(), "changed") {
		t.Errorf("resuming a changed sweep: %v", err)
	}
	_, err = Execute(context.Background(), sw, Options{Dir: dir, Workers: 1, Version: "other", Resume: true})
	if err == nil || !strings.Contains(err.Error(), "another version") {
		t.Errorf("resuming with another version: %v", err)
	}
	_, err = Execute(context.Background(), sw, Options{Dir: dir, Workers: 1, Version: "test", Resume: true, Shard: Shard{1, 2}})
	if err == nil || !strings.Contains(err.Error(), "shard 0/1, not 1/2") {
		t.Errorf("resuming as a shard: %v", err)
	}
}

func TestShardsAndMerge(t *testing.T) {
	sw := load(t, "testdata/grid.toml")
	whole := execute(t, sw, Options{Workers: 2})
	root := t.TempDir()
	var dirs []string
	for i := range 3 {
		sh := Shard{i, 3}
		dir := execute(t, sw, Options{Dir: sh.Dir(root), Workers: 1, Shard: sh})
		dirs = append(dirs, dir)
		if _, err := os.Stat(filepath.Join(dir, RunsFile)); err == nil {
			t.Errorf("shard %s wrote runs.csv", sh)
		}
		jd, err := readJournal(filepath.Join(dir, JournalFile))
		if err != nil || len(jd.rows) != 4 {
			t.Fatalf("shard %s: %d runs, %v", sh, len(jd.rows), err)
		}
	}
	out := filepath.Join(root, "merged")
	if _, err := Merge(dirs, out, nil); err != nil {
		t.Fatal(err)
	}
	sameOutputs(t, whole, out)
	// The merged folder is a finished sweep: resuming it runs nothing.
	rep, err := Execute(context.Background(), sw, Options{Dir: out, Version: "test", Resume: true})
	if err != nil || rep.Ran != 0 || rep.Before != 12 {
		t.Errorf("resume of a merged sweep: %+v, %v", rep, err)
	}

	tests := []struct {
		name string
		dirs []string
		want []string
	}{
		{"a shard missing", dirs[:2], []string{"4 of 12 runs are missing", "shard 2/3 (no folder given): 4 runs: run 2 (point 0, replicate 2), run 5", "--shard I/3 --resume"}},
		{"a shard twice", []string{dirs[0], dirs[0], dirs[1]}, []string{"are both shard 0/3"}},
		{"shards of different splits", []string{dirs[0], whole}, []string{"is shard 0/1, but", "is shard 0/3"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Merge(tt.dirs, filepath.Join(t.TempDir(), "m"), nil)
			if err == nil {
				t.Fatal("merge succeeded")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error lacks %q:\n%v", w, err)
				}
			}
		})
	}

	// An output folder that merging would damage is refused, and left as it was.
	another := t.TempDir()
	for _, f := range append([]string{JournalFile}, outputFiles...) {
		data, err := os.ReadFile(filepath.Join(whole, f))
		if err != nil {
			t.Fatal(err)
		}
		if f == JournalFile {
			data = bytes.Replace(data, []byte("# hash: sha256:"), []byte("# hash: sha256:0"), 1)
		}
		os.WriteFile(filepath.Join(another, f), data, 0o644)
	}
	noJournal := t.TempDir()
	os.WriteFile(filepath.Join(noJournal, RunsFile), []byte("x\n"), 0o644)
	for _, c := range []struct{ name, out, want string }{
		{"an input", dirs[1], "is one of the folders to merge"},
		{"an input by another path", dirs[1] + "/.", "is one of the folders to merge"},
		{"another sweep's results", another, "holds the results of another sweep file or base scenario"},
		{"results without a journal", noJournal, "holds results (runs.csv) but no journal"},
	} {
		before := snapshot(t, c.out)
		_, err := Merge(dirs, c.out, nil)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "hint:") {
			t.Errorf("merge into %s: %v, want %q", c.name, err, c.want)
		}
		if after := snapshot(t, c.out); after != before {
			t.Errorf("merge into %s changed it", c.name)
		}
	}
	// Merging again into the merged folder (a requeued merge job) is fine.
	if _, err := Merge(dirs, out, nil); err != nil {
		t.Errorf("merging again: %v", err)
	}
	sameOutputs(t, whole, out)

	// An unfinished shard: its missing runs are named.
	data, _ := os.ReadFile(filepath.Join(dirs[1], JournalFile))
	os.WriteFile(filepath.Join(dirs[1], JournalFile), data[:bytes.LastIndexByte(data[:len(data)-1], '\n')+1], 0o644)
	_, err = Merge(dirs, filepath.Join(t.TempDir(), "m"), nil)
	if err == nil || !strings.Contains(err.Error(), "1 of 12 runs are missing") || !strings.Contains(err.Error(), "shard-1-of-3 is unfinished") {
		t.Errorf("merge of an unfinished shard: %v", err)
	}

	// Shards of another sweep.
	other, err := Parse("testdata/grid.toml", append(append([]byte{}, sw.data...), "\n# changed\n"...))
	if err != nil {
		t.Fatal(err)
	}
	odir := execute(t, other, Options{Dir: Shard{2, 3}.Dir(t.TempDir()), Shard: Shard{2, 3}})
	_, err = Merge([]string{dirs[0], dirs[1], odir}, filepath.Join(t.TempDir(), "m"), nil)
	if err == nil || !strings.Contains(err.Error(), "another sweep file or base scenario") {
		t.Errorf("merge of two sweeps: %v", err)
	}
}
