// Package testenv lets tests that need something outside Go (a browser, a
// Slurm cluster) find it, or skip loudly when it is missing. Under
// scripts/test.sh (and so in CI) the COLLSIM_REQUIRE_* variables are set and
// a missing dependency fails the test instead of skipping it.
package testenv

import (
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// Chromium returns the path of a Chromium binary for browser tests: the one
// named by $COLLSIM_CHROMIUM, else the first of chromium, chromium-browser
// and google-chrome on the PATH. Without one it skips the test (or fails it
// when $COLLSIM_REQUIRE_BROWSER is set).
func Chromium(t testing.TB) string {
	t.Helper()
	if p := os.Getenv("COLLSIM_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	missing(t, "COLLSIM_REQUIRE_BROWSER", "no Chromium found (apt-get install chromium, or set COLLSIM_CHROMIUM)")
	return ""
}

// Slurm checks that a Slurm cluster answers (sbatch and sinfo on the PATH
// and sinfo succeeding). Without one it skips the test (or fails it when
// $COLLSIM_REQUIRE_SLURM is set). scripts/test.sh starts a one-node cluster.
func Slurm(t testing.TB) {
	t.Helper()
	for _, name := range []string{"sbatch", "sinfo", "squeue"} {
		if _, err := exec.LookPath(name); err != nil {
			missing(t, "COLLSIM_REQUIRE_SLURM", "no Slurm found ("+name+" is not on the PATH; scripts/test.sh starts a one-node cluster)")
			return
		}
	}
	if out, err := exec.Command("sinfo", "-h").CombinedOutput(); err != nil {
		missing(t, "COLLSIM_REQUIRE_SLURM", "Slurm does not answer: sinfo: "+err.Error()+": "+string(out))
	}
}

// ErrorLines checks that err reports one error per line, as the strict
// loaders do, and that its i-th line contains want[i].
func ErrorLines(t testing.TB, err error, want ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("no error, want %d", len(want))
	}
	lines := strings.Split(err.Error(), "\n")
	if len(lines) != len(want) {
		t.Fatalf("%d errors, want %d:\n%v", len(lines), len(want), err)
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) {
			t.Errorf("error %d:\n  %s\nwant it to contain\n  %s", i, lines[i], w)
		}
	}
}

// ReadCSV reads the CSV file at path into records, failing the test if it
// cannot.
func ReadCSV(t testing.TB, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// ReadFiles returns the contents of the files matching the glob pattern,
// in name order, failing the test if one cannot be read: seeds for a fuzz
// target, say.
func ReadFiles(t testing.TB, pattern string) [][]byte {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, b)
	}
	return out
}

// Long skips a long test under go test -short.
func Long(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("long test skipped under -short")
	}
}

func missing(t testing.TB, require, why string) {
	t.Helper()
	if os.Getenv(require) != "" {
		t.Fatalf("%s, and %s is set", why, require)
	}
	t.Skipf("SKIPPED LOUDLY: %s. Run scripts/test.sh to install it and run this test for real.", why)
}
