package compare

import (
	"bytes"
	"context"
	"flag"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"golang.org/x/net/html"

	"github.com/collsim/collsim/internal/htmlcheck"
	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/engine"
	"github.com/collsim/collsim/sim/output"
	"github.com/collsim/collsim/sim/scenario"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// fake returns a made-up run: the share climbs to peak in week 30 and
// falls to half of it, repression grows to repressed. Tests of the report
// use it so that they do not depend on the model's numbers.
func fake(seed int64, peak float64, repressed int64, livestock float64) *Run {
	dates := calendar.Steps(calendar.NewDate(1929, time.June, 1), calendar.NewDate(1930, time.December, 31))
	r := &Run{Dates: dates, Country: make([]engine.Row, len(dates))}
	// A coercive run (repressed > 0) peaks after 30 weeks, mostly coerced,
	// and loses half its members; a voluntary one grows to its peak at the
	// end, and few leave.
	top := 0
	exits, coerced := int64(300), 0.0
	if repressed > 0 {
		exits, coerced = 500_000, 0.7
	}
	for k := range dates {
		share := peak * float64(k) / float64(len(dates)-1)
		if repressed > 0 {
			share = peak * float64(k) / 30
			if k > 30 {
				share = peak * (1 - 0.5*float64(k-30)/float64(len(dates)-31))
			}
		}
		if share > r.Country[top].CollectiveShare {
			top = k
		}
		members := int64(share * 25_000_000)
		r.Country[k] = engine.Row{Step: k, Date: dates[k], Region: engine.All, Households: 25_000_000,
			CollectiveHouseholds: members, CoercedMembers: int64(coerced * float64(members)),
			CollectiveShare: share, ReportedShare: math.Min(1, share*1.1), ProductivityIndex: 1 - 0.1*share,
			Fined: repressed * int64(k) / int64(len(dates)-1), Livestock: 1e8 * (1 + livestock*float64(k)/float64(len(dates)-1)),
			Exits: exits * int64(k) / int64(len(dates)-1)}
	}
	last := r.Country[len(dates)-1]
	r.Summary = &output.Summary{Seed: seed, HouseholdsSimulated: 10000, HouseholdsReal: 25_000_000,
		PeakShare: peak, PeakDate: dates[top].String(), PeakReportedShare: math.Min(1, peak*1.1), FinalShare: last.CollectiveShare,
		TotalJoins: int64(peak*25_000_000) + exits, TotalExits: exits, Repressed: repressed, Fined: repressed, Arrested: repressed / 20, Deported: repressed / 10,
		LivestockChange: livestock, ProductivityChange: last.ProductivityIndex - 1, UnrestEvents: repressed / 1000, CadresPunished: repressed / 500}
	return r
}

func fakeComparison(t *testing.T, replicates int) *Comparison {
	t.Helper()
	var hist, vol []*Run
	for i := range replicates {
		d := float64(i) * 0.01
		hist = append(hist, fake(int64(7+i), 0.58+d, 640_000+int64(i)*10_000, -0.25+d))
		vol = append(vol, fake(int64(7+i), 0.19+d, 0, 0.02))
	}
	c, err := New([]Arm{
		{Name: "historical", Description: "what happened <with & without>", Runs: hist},
		{Name: "voluntary", Description: "persuasion only", Runs: vol},
	})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestNewNeedsTheSameDates(t *testing.T) {
	a := fake(1, 0.5, 0, 0)
	b := fake(1, 0.5, 0, 0)
	b.Dates = b.Dates[:10]
	if _, err := New([]Arm{{Name: "a", Runs: []*Run{a}}, {Name: "b", Runs: []*Run{b}}}); err == nil || !strings.Contains(err.Error(), "same start and end") {
		t.Errorf("arms over different dates: %v", err)
	}
	if _, err := New([]Arm{{Name: "a"}}); err == nil {
		t.Error("an arm without runs was accepted")
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		kind Kind
		v    float64
		want string
	}{
		{Share, 0.5723, "57.2%"},
		{Share, math.NaN(), "—"},
		{Count, 640000, "640,000"},
		{Count, -1234567, "−1,234,567"},
		{Count, 999, "999"},
		{Change, -0.1634, "−16.3%"},
		{Change, 0.01, "+1.0%"},
		{Change, -0.00001, "0.0%"},
		{Day, days("1930-03-02"), "1930-03-02"},
	}
	for _, tt := range tests {
		if got := (Metric{Kind: tt.kind}).Format(tt.v); got != tt.want {
			t.Errorf("Format(%v, %v) = %q, want %q", tt.kind, tt.v, got, tt.want)
		}
	}
	for _, tt := range []struct {
		kind Kind
		v    float64
		want string
	}{{Count, 641_234, "641,000"}, {Count, 0, "0"}, {Share, 0.576, "58%"}, {Change, -0.004, "0%"}, {Change, 0.126, "+13%"}} {
		if got := Round(Metric{Kind: tt.kind}, tt.v); got != tt.want {
			t.Errorf("Round(%v, %v) = %q, want %q", tt.kind, tt.v, got, tt.want)
		}
	}
}

func TestTable(t *testing.T) {
	c := fakeComparison(t, 3)
	rows := c.Table()
	if len(rows) != len(Metrics) {
		t.Fatalf("%d rows, want %d", len(rows), len(Metrics))
	}
	peak := rows[0]
	if peak.Metric.Key != "peak_share" || peak.Cells[0].N != 3 || math.Abs(peak.Cells[0].Mean-0.59) > 1e-12 {
		t.Errorf("peak row: %+v", peak)
	}
	if c := peak.Cells[0]; !(c.Lo < c.Mean && c.Mean < c.Hi) || c.Interval == "" {
		t.Errorf("interval of three runs: %+v", c)
	}
	one := fakeComparison(t, 1)
	if c := one.Table()[0].Cells[0]; c.Interval != "" || c.Lo != c.Mean {
		t.Errorf("one run has an interval: %+v", c)
	}
}

func TestShareOn(t *testing.T) {
	r := fake(1, 0.6, 0, 0)
	if got := r.ShareOn(calendar.NewDate(1929, time.June, 1)); got != 0 {
		t.Errorf("share on the first day = %v", got)
	}
	// 1 June 1930 falls between censuses: the share is the one before it.
	k := 0
	for i, d := range r.Dates {
		if !d.After(June1930) {
			k = i
		}
	}
	if got := r.ShareOn(June1930); got != r.Country[k].CollectiveShare {
		t.Errorf("share on 1 June 1930 = %v, want the census of %s", got, r.Dates[k])
	}
	if got := r.ShareOn(calendar.NewDate(1932, time.January, 1)); !math.IsNaN(got) {
		t.Errorf("share after the run = %v, want NaN", got)
	}
}

// TestParagraph: the generated words name the peak of each arm first and
// then the largest differences (golden file).
func TestParagraph(t *testing.T) {
	var b strings.Builder
	for _, n := range []int{1, 3} {
		b.WriteString(fakeComparison(t, n).Paragraph() + "\n")
	}
	c := fakeComparison(t, 1)
	c3, _ := New(append(c.Arms, Arm{Name: "early-halt", Runs: []*Run{fake(7, 0.4, 300_000, -0.1)}}))
	b.WriteString(c3.Paragraph() + "\n")
	same, _ := New([]Arm{{Name: "a", Runs: []*Run{fake(1, 0.5, 1000, 0)}}, {Name: "b", Runs: []*Run{fake(1, 0.5, 1000, 0)}}})
	b.WriteString(same.Paragraph() + "\n")
	// The voluntary arm ends above the coercive one that peaked higher.
	rev, err := New([]Arm{
		{Name: "historical", Runs: []*Run{fake(7, 0.58, 640_000, -0.25)}},
		{Name: "voluntary", Runs: []*Run{fake(7, 0.45, 0, 0.02)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	p := rev.Paragraph()
	b.WriteString(p + "\n")
	for _, want := range []string{"the order reverses", "historical's members joined mostly under coercion", "voluntary's members joined by persuasion and example", "500,000 left"} {
		if !strings.Contains(p, want) {
			t.Errorf("paragraph lacks %q: %s", want, p)
		}
	}
	golden(t, "paragraph.golden", b.String())
	if !strings.Contains(b.String(), "Peak collectivization: 58% (historical) vs 19% (voluntary)") ||
		!strings.Contains(b.String(), "640,000 (historical) vs 0 (voluntary)") {
		t.Errorf("paragraph:\n%s", b.String())
	}
}

// TestWriteHTML: the report is well formed, self-contained, escapes what it
// shows and holds the table with exact values.
func TestWriteHTML(t *testing.T) {
	c := fakeComparison(t, 3)
	var b bytes.Buffer
	if err := c.WriteHTML(&b, Info{Version: "test", Command: "sim compare a.toml b.toml"}); err != nil {
		t.Fatal(err)
	}
	if err := htmlcheck.Check(bytes.NewReader(b.Bytes())); err != nil {
		t.Fatalf("the report is not well formed: %v", err)
	}
	s := b.String()
	for _, want := range []string{"<title>What if? historical vs voluntary</title>", "what happened &lt;with &amp; without&gt;", `id="outcomes"`, "<svg", "Peak collectivization"} {
		if !strings.Contains(s, want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	for _, bad := range []string{"<script", "<?xml", "<with"} {
		if strings.Contains(s, bad) {
			t.Errorf("the report holds %q", bad)
		}
	}
	if n := strings.Count(s, "<svg"); n != len(FigureNames) {
		t.Errorf("%d charts, want %d", n, len(FigureNames))
	}
	cells := TableValues(t, b.Bytes())
	if got, want := cells["peak_share"][0], c.Table()[0].Cells[0].Mean; got != want || c.Table()[0].Cells[0].Value != want {
		t.Errorf("peak_share of historical in the report = %v, want %v", got, want)
	}
	if got := cells["repressed"][1]; got != 0 {
		t.Errorf("repressed of voluntary in the report = %v, want 0", got)
	}
}

// TableValues returns the data-value of every cell of the outcome table of
// an HTML report, by metric and arm.
func TableValues(t testing.TB, report []byte) map[string][]float64 {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(report))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]float64{}
	for n := range doc.Descendants() {
		if n.Type != html.ElementNode || n.Data != "td" {
			continue
		}
		attr := map[string]string{}
		for _, a := range n.Attr {
			attr[a.Key] = a.Val
		}
		v, err := parseFloat(attr["data-value"])
		if err != nil {
			t.Fatalf("cell %v: %v", attr, err)
		}
		out[attr["data-metric"]] = append(out[attr["data-metric"]], v)
	}
	return out
}

func TestWriteMarkdown(t *testing.T) {
	c := fakeComparison(t, 3)
	var b strings.Builder
	images := map[string]string{}
	for _, f := range FigureNames {
		images[f] = "report-" + f + ".png"
	}
	if err := c.WriteMarkdown(&b, Info{Version: "test", Command: "sim compare a.toml b.toml --format md"}, images); err != nil {
		t.Fatal(err)
	}
	golden(t, "report.md.golden", b.String())
}

// TestSimulate: every arm runs with the same seeds, S, S+1, ..., and a
// replicate is the run that sim run makes with that seed.
func TestSimulate(t *testing.T) {
	s, err := scenario.Load("../engine/testdata/tiny.toml")
	if err != nil {
		t.Fatal(err)
	}
	s2 := *s
	s2.Mechanisms.InflatedReports = false
	c, err := Simulate(context.Background(), []*scenario.Scenario{s, &s2}, Options{Replicates: 2, Seed: 40, Workers: 2, Version: "test"})
	if err != nil {
		t.Fatal(err)
	}
	if c.Arms[0].Name != "tiny" || c.Arms[1].Name != "tiny (2)" {
		t.Errorf("arm names %q, %q", c.Arms[0].Name, c.Arms[1].Name)
	}
	for _, a := range c.Arms {
		if got := a.Seeds(); len(got) != 2 || got[0] != 40 || got[1] != 41 {
			t.Errorf("%s: seeds %v, want [40 41]", a.Name, got)
		}
	}
	one := *s
	one.Seed = 41
	w, err := engine.New(&one, engine.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	res, err := w.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var x, y bytes.Buffer
	output.WriteSummary(&x, output.Summarize(&one, res, "test"))
	output.WriteSummary(&y, c.Arms[0].Runs[1].Summary)
	if x.String() != y.String() {
		t.Errorf("replicate 1 differs from a run with seed 41:\n%s\n%s", x.String(), y.String())
	}
	if s.Seed == 40 || s.Seed == 41 {
		t.Error("Simulate changed the scenario it was given")
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Simulate(ctx, []*scenario.Scenario{s}, Options{Replicates: 1}); err == nil {
		t.Error("a cancelled comparison ran")
	}
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs from the golden file (go test -update rewrites it; check why first):\n--- got\n%s\n--- want\n%s", name, got, want)
	}
}

func parseFloat(s string) (float64, error) { return strconv.ParseFloat(s, 64) }
