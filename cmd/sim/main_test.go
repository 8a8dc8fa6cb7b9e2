package main

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// sim runs the command line in-process and returns its exit status and output.
func sim(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	var o, e bytes.Buffer
	code = Main(args, &o, &e)
	return code, o.String(), e.String()
}

func TestVersion(t *testing.T) {
	code, out, _ := sim(t, "version")
	if code != 0 || !strings.HasPrefix(out, "collsim ") {
		t.Errorf("sim version: %d %q", code, out)
	}
}

// TestUsageErrors: a wrong command line exits 2 and says what is wrong
// before the usage.
func TestUsageErrors(t *testing.T) {
	tiny := "../../sim/engine/testdata/tiny.toml"
	tests := []struct {
		args []string
		want string // in stderr
	}{
		{nil, "Usage: sim COMMAND"},
		{[]string{"frobnicate"}, `unknown command "frobnicate"`},
		{[]string{"run"}, "sim run: want a scenario file, got none"},
		{[]string{"run", "a.toml", "b.toml"}, "sim run: want one scenario file, got 2: a.toml b.toml (hint: "},
		{[]string{"run", "--workers"}, "flag needs an argument: -workers"},
		{[]string{"validate"}, "sim validate: want a scenario file, got none"},
		{[]string{"sweep", "a.toml", "b.toml"}, "sim sweep: want one sweep file, got 2"},
		{[]string{"merge", "d"}, "sim merge: give the shard folders and --out DIR"},
		{[]string{"bench", tiny, "--repeat", "0"}, "--repeat must be at least 1, got 0"},
		// --households and --workers must be at least 1 (0 and -5 were ignored).
		{[]string{"run", tiny, "--households", "0"}, `invalid value "0" for flag -households: want a whole number of at least 1`},
		{[]string{"run", tiny, "--households", "-5"}, `invalid value "-5" for flag -households`},
		{[]string{"validate", tiny, "--households", "0"}, `invalid value "0" for flag -households`},
		{[]string{"compare", tiny, tiny, "--households", "-1", "--out", "x.html"}, `invalid value "-1" for flag -households`},
		{[]string{"bench", tiny, "--households", "0"}, `invalid value "0" for flag -households`},
		{[]string{"ablate", tiny, "--households", "0"}, `invalid value "0" for flag -households`},
		{[]string{"run", tiny, "--workers", "0"}, `invalid value "0" for flag -workers: want a whole number of at least 1`},
		{[]string{"compare", tiny, tiny, "--workers", "0", "--out", "x.html"}, `invalid value "0" for flag -workers`},
		{[]string{"bench", tiny, "--workers", "-2"}, `invalid value "-2" for flag -workers`},
		// It said only "rename … file exists" after every run.
		{[]string{"compare", tiny, tiny, "--out", t.TempDir()}, "is a folder: give the report's file (hint: --out "},
	}
	for _, tt := range tests {
		code, _, errOut := sim(t, tt.args...)
		if code != 2 || !strings.Contains(errOut, tt.want) {
			t.Errorf("sim %q exits %d, want 2, with %q in stderr:\n%s", tt.args, code, tt.want, errOut)
		}
	}
	if code, _, errOut := sim(t, "help", "run"); code != 0 || !strings.Contains(errOut, "-households N") {
		t.Errorf("sim help run: %d %q", code, errOut)
	}
}

// TestBadInput: every broken scenario gives a non-zero exit and a message
// naming the file, the line and the key, with a hint where one helps.
func TestBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	valid := `name = "bad"
start = "1929-06-01"
end = "1929-12-01"

[population]
households = 1000

[[regions]]
name = "A"
share = 1.0

[[phases]]
name = "voluntary"
start = "1929-06-01"
`
	tests := []struct {
		name, body string
		sets       []string
		want       []string // substrings of stderr
	}{
		{"unknown-key.toml", strings.Replace(valid, "households = 1000", "households = 1000\nhouseholdz = 5", 1), nil,
			[]string{"unknown-key.toml:7:", "population.householdz", "unknown", "households"}},
		{"wrong-type.toml", strings.Replace(valid, "households = 1000", `households = "many"`, 1), nil,
			[]string{"wrong-type.toml:6:", "population.households", "integer"}},
		{"negative.toml", strings.Replace(valid, "households = 1000", "households = -5", 1), nil,
			[]string{"negative.toml:6:", "population.households", "range"}},
		{"shares.toml", strings.Replace(valid, "share = 1.0", "share = 0.9", 1), nil,
			[]string{"shares.toml:8:", "regions", "sum to 1"}},
		// A phase dated before the start: change the phase's start (the last line) only.
		{"phase-early.toml", strings.TrimSuffix(valid, `start = "1929-06-01"`+"\n") + `start = "1929-01-01"` + "\n", nil,
			[]string{"phase-early.toml:14:", "phases[0].start", "before"}},
		{"bad-set.toml", valid, []string{"household.fear_gian=0.3"},
			[]string{"--set", "household.fear_gian", "fear_gain"}},
		// Defects of issue 12 ("Hardening").
		{"deep.toml", valid + "x = " + strings.Repeat("[", 30000) + strings.Repeat("]", 30000) + "\n", nil,
			[]string{"deep.toml:15:", "x[0][0]", "nested more than 64 levels deep", "hint:"}},
		{"huge.toml", valid + "# " + strings.Repeat("x", 1<<20) + "\n", nil,
			[]string{"huge.toml:", "larger than 1 MiB", "hint:"}},
		{"name-path.toml", strings.Replace(valid, `name = "bad"`, `name = "../../../../elsewhere/x"`, 1), nil,
			[]string{"name-path.toml:1:", "name", "holds a slash", "hint:"}},
		{"too-long.toml", strings.Replace(valid, `end = "1929-12-01"`, `end = "9999-12-31"`, 1), nil,
			[]string{"too-long.toml:3:", "end", "longer than 20 years", "hint:"}},
		{"bad-date.toml", strings.Replace(valid, `start = "1929-06-01"`, `start = 1929-02-30`, 1), nil,
			[]string{"bad-date.toml:2:", "start", "1929-02-30", "hint:"}},
		{"overflow.toml", valid + "seed = 99999999999999999999\n", nil,
			[]string{"overflow.toml:15:", "seed", "out of range", "hint:"}},
		{"name-dots.toml", strings.Replace(valid, `name = "bad"`, `name = ".."`, 1), nil,
			[]string{"name-dots.toml:1:", "name", `".." is not a name`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := write(tt.name, tt.body)
			for _, cmd := range []string{"validate", "run"} {
				args := []string{cmd, path}
				for _, s := range tt.sets {
					args = append(args, "--set", s)
				}
				code, _, errOut := sim(t, args...)
				if code != 1 {
					t.Errorf("sim %s exits %d, want 1", cmd, code)
				}
				for _, w := range tt.want {
					if !strings.Contains(errOut, w) {
						t.Errorf("sim %s: stderr lacks %q:\n%s", cmd, w, errOut)
					}
				}
			}
		})
	}
	// Thousands of problems: the first 50, and how many more.
	t.Run("many-unknown-keys", func(t *testing.T) {
		var b strings.Builder
		for i := range 2000 {
			fmt.Fprintf(&b, "k%d = 1\n", i)
		}
		code, _, errOut := sim(t, "validate", write("many.toml", valid+b.String()))
		lines := strings.Split(strings.TrimSpace(errOut), "\n")
		if code != 1 || len(lines) != 51 || !strings.Contains(lines[50], "… and 1950 more problems") || !strings.Contains(lines[0], "many.toml:15: phases[0].k0: unknown key") {
			t.Errorf("exit %d, %d lines:\n%s\n…\n%s", code, len(lines), lines[0], lines[len(lines)-1])
		}
	})
	t.Run("missing-file", func(t *testing.T) {
		code, _, errOut := sim(t, "run", filepath.Join(dir, "nowhere.toml"))
		if code != 1 || !strings.Contains(errOut, "nowhere.toml") || !strings.Contains(errOut, "no such file") {
			t.Errorf("missing file: %d %q", code, errOut)
		}
	})
}

func TestValidateReadyScenarios(t *testing.T) {
	files, _ := filepath.Glob("../../scenarios/*.toml")
	if len(files) == 0 {
		t.Fatal("no scenarios found")
	}
	for _, f := range files {
		if code, _, errOut := sim(t, "validate", f); code != 0 {
			t.Errorf("sim validate %s: %s", f, errOut)
		}
	}
}

// TestOutputsAreByteIdentical: the same scenario and seed give the same
// bytes in every output file whatever --workers and GOMAXPROCS are.
func TestOutputsAreByteIdentical(t *testing.T) {
	files := []string{"timeseries.csv", "summary.json", "scenario.toml", "shares.svg", "shares.png"}
	var want map[string][]byte
	for _, c := range []struct{ procs, workers int }{{1, 1}, {2, 2}, {1, 2}, {2, 1}, {4, 3}} {
		old := runtime.GOMAXPROCS(c.procs)
		dir := t.TempDir()
		code, _, errOut := sim(t, "run", "../../sim/engine/testdata/tiny.toml", "--workers", strconv.Itoa(c.workers), "--out", dir, "--quiet")
		runtime.GOMAXPROCS(old)
		if code != 0 {
			t.Fatalf("run: %s", errOut)
		}
		got := map[string][]byte{}
		for _, f := range files {
			b, err := os.ReadFile(filepath.Join(dir, f))
			if err != nil {
				t.Fatal(err)
			}
			// The header of scenario.toml records the command line, which differs.
			if f == "scenario.toml" {
				b = dropLines(b, "# command:")
			}
			got[f] = b
		}
		if want == nil {
			want = got
			continue
		}
		for _, f := range files {
			if !bytes.Equal(got[f], want[f]) {
				t.Errorf("GOMAXPROCS %d, --workers %d: %s differs", c.procs, c.workers, f)
			}
		}
	}
}

func TestResolvedScenarioReproducesTheRun(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	if code, _, e := sim(t, "run", "../../sim/engine/testdata/tiny.toml", "--seed", "11", "--set", "household.fear_decay=0.2", "--out", a, "--quiet"); code != 0 {
		t.Fatal(e)
	}
	if code, _, e := sim(t, "run", filepath.Join(a, "scenario.toml"), "--out", b, "--quiet"); code != 0 {
		t.Fatal(e)
	}
	for _, f := range []string{"timeseries.csv", "summary.json"} {
		x, _ := os.ReadFile(filepath.Join(a, f))
		y, _ := os.ReadFile(filepath.Join(b, f))
		if !bytes.Equal(x, y) {
			t.Errorf("rerunning the resolved scenario.toml changed %s", f)
		}
	}
}

func TestHouseholdsFlag(t *testing.T) {
	dir := t.TempDir()
	code, out, e := sim(t, "run", "../../sim/engine/testdata/tiny.toml", "--households", "1500", "--out", dir)
	if code != 0 {
		t.Fatal(e)
	}
	if !strings.Contains(out, "1500 households simulated") {
		t.Errorf("summary line: %q", out)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "scenario.toml"))
	if !strings.Contains(string(b), "households = 1500") {
		t.Error("the resolved scenario does not record --households")
	}
}

func dropLines(b []byte, prefix string) []byte {
	var out []string
	for _, l := range strings.Split(string(b), "\n") {
		if !strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return []byte(strings.Join(out, "\n"))
}

// TestValidateCampaigns: every scenario in scenarios/campaigns/ declares
// itself a campaign and passes sim validate, and sim validate refuses a copy
// of it that sets a behaviour key, naming the copy, the line and the key.
func TestValidateCampaigns(t *testing.T) {
	files, _ := filepath.Glob("../../scenarios/campaigns/*.toml")
	if len(files) == 0 {
		t.Fatal("no campaigns found")
	}
	behaviour, err := filepath.Abs("../../scenarios/base/behaviour.toml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for _, f := range files {
		if code, _, errOut := sim(t, "validate", f); code != 0 {
			t.Errorf("sim validate %s: %s", f, errOut)
		}
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		src := string(b)
		if !strings.Contains(src, "\ncampaign = true\n") || !strings.Contains(src, "\nextends = \"../base/behaviour.toml\"\n") {
			t.Errorf("%s does not say campaign = true and extends = \"../base/behaviour.toml\"", f)
			continue
		}
		// The copy lives elsewhere: it extends the shared file by its absolute
		// path, and sets a behaviour key on the line after.
		src = strings.Replace(src, "\nextends = \"../base/behaviour.toml\"\n",
			"\nextends = "+strconv.Quote(behaviour)+"\nhousehold.exit_rate = 0.3\n", 1)
		line := strings.Count(src[:strings.Index(src, "household.exit_rate")], "\n") + 1
		copyPath := filepath.Join(dir, filepath.Base(f))
		if err := os.WriteFile(copyPath, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
		code, _, errOut := sim(t, "validate", copyPath)
		want := fmt.Sprintf("%s:%d: household.exit_rate: a campaign may not set a behaviour key", copyPath, line)
		if code != 1 || !strings.Contains(errOut, want) {
			t.Errorf("sim validate of a copy of %s that sets household.exit_rate exits %d:\n%s\nwant %q", f, code, errOut, want)
		}
		if code, _, errOut := sim(t, "run", copyPath, "--households", "2000", "--out", filepath.Join(dir, "out"), "--quiet"); code != 0 {
			t.Errorf("sim run of the copy of %s: %s", f, errOut)
		}
	}
}

// TestSavedScenarioLoads: the saved scenario.toml loads and reproduces the
// run whatever the command line held; a newline in a --set value used to
// end the comment of its header and break the file.
func TestSavedScenarioLoads(t *testing.T) {
	for _, desc := range []string{"two\nlines", "a 'quote' and \"another\"", "tab\there, CR\r, bell\a", "back\\slash $HOME `x`", "line\u2028separator"} {
		a, b := t.TempDir(), t.TempDir()
		set := "description=" + desc
		if code, _, e := sim(t, "run", "../../sim/engine/testdata/tiny.toml", "--set", set, "--out", a, "--quiet"); code != 0 {
			t.Fatalf("--set %q: %s", set, e)
		}
		saved := filepath.Join(a, "scenario.toml")
		if code, _, e := sim(t, "run", saved, "--out", b, "--quiet"); code != 0 {
			t.Fatalf("--set %q: the saved scenario.toml does not load: %s", set, e)
		}
		x, _ := os.ReadFile(filepath.Join(a, "timeseries.csv"))
		y, _ := os.ReadFile(filepath.Join(b, "timeseries.csv"))
		if !bytes.Equal(x, y) {
			t.Errorf("--set %q: rerunning the saved scenario.toml changed timeseries.csv", set)
		}
		data, _ := os.ReadFile(saved)
		for _, l := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(l, "# command: ") && !strings.Contains(l, "--set ") {
				t.Errorf("--set %q: the command line is cut: %q", set, l)
			}
		}
	}
}

func TestShellQuote(t *testing.T) {
	for in, want := range map[string]string{
		"plain.toml":      "plain.toml",
		"a=b,c":           "a=b,c",
		"":                "''",
		"two words":       "'two words'",
		"it's":            `'it'\''s'`,
		"two\nlines":      `$'two\nlines'`,
		"it's\tnot":       `$'it\'s\tnot'`,
		"Нижняя Волга=1":  "'Нижняя Волга=1'",
		"Нижняя_Волга=1":  "Нижняя_Волга=1",
		"$HOME":           "'$HOME'",
		"line\u2028break": `$'line\u2028break'`,
	} {
		if got := shellQuote(in); got != want {
			t.Errorf("shellQuote(%q) = %s, want %s", in, got, want)
		}
	}
}
