package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/collsim/collsim/internal/htmlcheck"
	"github.com/collsim/collsim/internal/testenv"
	"github.com/collsim/collsim/sim/compare"
)

// reportCells returns the data-value of each cell of a report's outcome
// table by metric and arm ("peak_share/0"), and the text of the document.
func reportCells(t *testing.T, b []byte) (map[string]float64, string) {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	cells := map[string]float64{}
	var text strings.Builder
	for n := range doc.Descendants() {
		if n.Type == html.TextNode {
			text.WriteString(n.Data)
		}
		if n.Type != html.ElementNode || n.Data != "td" {
			continue
		}
		a := map[string]string{}
		for _, at := range n.Attr {
			a[at.Key] = at.Val
		}
		v, err := strconv.ParseFloat(a["data-value"], 64)
		if err != nil {
			t.Fatalf("cell %v: %v", a, err)
		}
		cells[a["data-metric"]+"/"+a["data-arm"]] = v
	}
	return cells, text.String()
}

// TestCompareMatchesRun: a comparison with one replicate shows, for each
// scenario, the numbers sim run writes with the same seed and households.
func TestCompareMatchesRun(t *testing.T) {
	dir := t.TempDir()
	files := []string{"../../scenarios/whatif/historical.toml", "../../scenarios/whatif/early-halt.toml"}
	common := []string{"--households", "5000", "--seed", "7", "--workers", "2", "--quiet"}
	report := filepath.Join(dir, "report.html")
	if code, _, e := sim(t, append([]string{"compare", files[0], files[1], "--out", report}, common...)...); code != 0 {
		t.Fatalf("sim compare: %s", e)
	}
	b, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	if err := htmlcheck.Check(bytes.NewReader(b)); err != nil {
		t.Fatalf("the report is not valid HTML: %v", err)
	}
	cells, text := reportCells(t, b)
	for _, want := range []string{"historical", "early-halt", "Key outcomes", "peak collectivization", "Peak collectivization: "} {
		if !strings.Contains(text, want) {
			t.Errorf("the report does not say %q", want)
		}
	}
	for i, f := range files {
		out := filepath.Join(dir, strconv.Itoa(i))
		if code, _, e := sim(t, append([]string{"run", f, "--out", out}, common...)...); code != 0 {
			t.Fatalf("sim run %s: %s", f, e)
		}
		var sum map[string]any
		sb, _ := os.ReadFile(filepath.Join(out, "summary.json"))
		if err := json.Unmarshal(sb, &sum); err != nil {
			t.Fatal(err)
		}
		num := func(k string) float64 { return sum[k].(float64) }
		peak, _ := time.Parse(time.DateOnly, sum["peak_date"].(string))
		want := map[string]float64{
			"share_1930_06_01":  shareOn(t, filepath.Join(out, "timeseries.csv"), "1930-06-01"),
			"share_1931_01_01":  shareOn(t, filepath.Join(out, "timeseries.csv"), "1931-01-01"),
			"share_1933_01_01":  math.NaN(), // the runs end in December 1930: no row
			"arrested_deported": num("arrested") + num("deported"),
			"peak_date":         float64(peak.Unix() / 86400),
		}
		for _, k := range []string{"peak_share", "peak_reported_share", "final_share", "total_exits", "repressed",
			"livestock_change", "productivity_change", "unrest_events", "cadres_punished"} {
			want[k] = num(k)
		}
		if len(want) != len(compare.Metrics) {
			t.Errorf("the test checks %d metrics of %d", len(want), len(compare.Metrics))
		}
		for k, w := range want {
			got, ok := cells[k+"/"+strconv.Itoa(i)]
			if math.IsNaN(w) {
				if ok {
					t.Errorf("%s, %s: report %v, want no row", f, k, got)
				}
				continue
			}
			tol := 0.0
			if strings.HasPrefix(k, "share_19") {
				tol = 5e-7 // timeseries.csv has six decimals
			}
			if !ok || math.Abs(got-w) > tol {
				t.Errorf("%s, %s: report %v, sim run %v", f, k, got, w)
			}
		}
	}
}

// shareOn returns the country's collective share at the last census on or
// before date in a timeseries.csv.
func shareOn(t *testing.T, path, date string) float64 {
	t.Helper()
	v := math.NaN()
	for _, r := range testenv.ReadCSV(t, path)[1:] {
		if r[2] == "ALL" && r[1] <= date {
			v, _ = strconv.ParseFloat(r[5], 64)
		}
	}
	return v
}

// TestComparePosterior: with --posterior, replicate i of every scenario
// runs with parameter set i drawn from the particles file (50 by default),
// the report gives the 95% posterior band and records the file and its
// hash, and a key a scenario does not have is named.
func TestComparePosterior(t *testing.T) {
	dir := t.TempDir()
	files := []string{"../../scenarios/whatif/historical.toml", "../../scenarios/whatif/voluntary.toml"}
	out := filepath.Join(dir, "post.html")
	common := []string{"--posterior", "testdata/particles.csv", "--households", "1000", "--workers", "1", "--quiet", "--out", out}
	if code, _, e := sim(t, append([]string{"compare", files[0], files[1]}, common...)...); code != 0 {
		t.Fatalf("sim compare --posterior: %s", e)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	cells, text := reportCells(t, b)
	sum := sha256.Sum256(must(os.ReadFile("testdata/particles.csv")))
	for _, want := range []string{"95% posterior band over 50 parameter sets", "final generation of testdata/particles.csv (SHA-256 " + hex.EncodeToString(sum[:]) + ")"} {
		if !strings.Contains(text, want) {
			t.Errorf("the report does not say %q", want)
		}
	}
	if _, ok := cells["share_1931_01_01/1"]; !ok {
		t.Error("no share on 1 January 1931")
	}
	// The same sets and seeds run again give the same report.
	first := string(b)
	if code, _, e := sim(t, append([]string{"compare", files[0], files[1]}, common...)...); code != 0 {
		t.Fatal(e)
	} else if again, _ := os.ReadFile(out); string(again) != first {
		t.Error("the same comparison over the posterior gave another report")
	}

	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{files[0], files[1], "--posterior", filepath.Join(dir, "none.csv")}, "--posterior: open " + filepath.Join(dir, "none.csv")},
		{[]string{"../../sim/engine/testdata/tiny.toml", files[1], "--posterior", "testdata/particles.csv"}, `tiny with parameter set 1 of the posterior: --set regions.Moscow.readiness=`},
	} {
		code, _, e := sim(t, append(append([]string{"compare"}, tt.args...), "--replicates", "2", "--quiet", "--out", filepath.Join(dir, "x.html"))...)
		if code == 0 || !strings.Contains(e, tt.want) {
			t.Errorf("sim compare %v: exit %d, %q; want an error saying %q", tt.args, code, e, tt.want)
		}
	}
}

func must[T any](x T, err error) T {
	if err != nil {
		panic(err)
	}
	return x
}

func TestCompareMarkdown(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "sub", "lesson.md")
	code, stdout, e := sim(t, "compare", "../../scenarios/whatif/historical.toml", "../../scenarios/whatif/voluntary.toml",
		"--households", "3000", "--replicates", "2", "--out", out)
	if code != 0 {
		t.Fatal(e)
	}
	if !strings.Contains(stdout, "Peak collectivization:") {
		t.Errorf("stdout: %q", stdout)
	}
	md, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range compare.FigureNames {
		png := "lesson-" + f + ".png"
		if !strings.Contains(string(md), "]("+png+")") {
			t.Errorf("the Markdown does not show %s", png)
		}
		b, err := os.ReadFile(filepath.Join(dir, "sub", png))
		if err != nil || !bytes.HasPrefix(b, []byte("\x89PNG")) {
			t.Errorf("%s: %v", png, err)
		}
	}
	if !strings.Contains(string(md), "| peak collectivization |") || !strings.Contains(string(md), "seeds 1929–1930") {
		t.Errorf("Markdown report:\n%s", md)
	}
}

func TestCompareUsage(t *testing.T) {
	a := "../../scenarios/whatif/historical.toml"
	for _, args := range [][]string{
		{"compare"},
		{"compare", a, "--out", "x.html"},
		{"compare", a, a},
		{"compare", a, a, "--out", "x.html", "--replicates", "0"},
		{"compare", a, a, "--out", "x.html", "--format", "pdf"},
		{"compare", a, a, "--out", "x.html", "--bogus"},
	} {
		if code, _, _ := sim(t, args...); code != 2 {
			t.Errorf("sim %q exits %d, want 2", args, code)
		}
	}
	if code, _, e := sim(t, "compare", a, "../../scenarios/nowhere.toml", "--out", filepath.Join(t.TempDir(), "x.html")); code != 1 || !strings.Contains(e, "nowhere.toml") {
		t.Errorf("a missing scenario: %d %q", code, e)
	}
	for _, args := range [][]string{{"serve", "extra"}, {"serve", "--runners", "0"}, {"serve", "--households", "10", "--addr", "127.0.0.1:0"}} {
		if code, _, _ := sim(t, args...); code != 2 {
			t.Errorf("sim %q exits %d, want 2", args, code)
		}
	}
}

func TestValidateWhatIfs(t *testing.T) {
	files, _ := filepath.Glob("../../scenarios/whatif/*.toml")
	if len(files) < 8 {
		t.Fatalf("%d what-ifs found, want 8 or more", len(files))
	}
	for _, f := range files {
		if code, _, e := sim(t, "validate", f); code != 0 {
			t.Errorf("sim validate %s: %s", f, e)
		}
	}
}
