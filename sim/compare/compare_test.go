package compare

import (
	"bytes"
	"context"
	"flag"
	"math"
	"os"
	"path/filepath"
	"reflect"
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
	"github.com/collsim/collsim/sim/stats"
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
	// The runs end on 27 December 1930: no share on 1 January 1933.
	if len(rows) != len(Metrics)-1 {
		t.Fatalf("%d rows, want %d", len(rows), len(Metrics)-1)
	}
	for _, r := range rows {
		if r.Metric.Key == "share_1933_01_01" {
			t.Errorf("a row for a date after the runs: %+v", r)
		}
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
	// Over a posterior, the band of the runs 0.58, 0.59, 0.60: the 2.5th
	// and 97.5th percentiles, 0.5805 and 0.5995.
	c.Posterior = 3
	peak = c.Table()[0]
	if c := peak.Cells[0]; math.Abs(c.Lo-0.5805) > 1e-12 || math.Abs(c.Hi-0.5995) > 1e-12 || c.Interval != "[58.1%, 59.9%]" || math.Abs(c.Value-0.59) > 1e-12 {
		t.Errorf("posterior band of three runs: %+v", c)
	}
	if d := c.Table()[1].Cells[0]; !strings.HasPrefix(d.Interval, "(band ") {
		t.Errorf("posterior band of the date of the peak: %q", d.Interval)
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
	// The run's last census is on 27 December 1930: it stands for the end
	// of the year, not for the end of 1932.
	last := r.Country[len(r.Country)-1].CollectiveShare
	if got := r.ShareOn(January1931); got != last {
		t.Errorf("share on 1 January 1931 = %v, want the last census's %v", got, last)
	}
	if got := r.ShareOn(January1933); !math.IsNaN(got) {
		t.Errorf("share on 1 January 1933 = %v, want NaN", got)
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
	// Over a posterior, arms whose bands overlap say so.
	post := fakeComparison(t, 3)
	post.Arms[1].Runs = []*Run{fake(7, 0.58, 100_000, -0.25), fake(8, 0.59, 1_200_000, -0.24), fake(9, 0.6, 50_000, -0.23)}
	post.Posterior = 3
	pp := post.Paragraph()
	b.WriteString(pp + "\n")
	if !strings.Contains(pp, "(the 95% posterior bands overlap)") {
		t.Errorf("posterior paragraph lacks the bands' overlap: %s", pp)
	}
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

	b.Reset()
	c.Posterior = 3
	info := Info{Version: "test", Command: "sim compare a.toml b.toml --posterior particles.csv --replicates 3 --format md", Posterior: "particles.csv", PosteriorHash: "abc123"}
	if err := c.WriteMarkdown(&b, info, images); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"95% posterior band over 3 parameter sets", "parameter set i drawn from the calibration's posterior", "from the final generation of particles.csv (SHA-256 abc123)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the posterior report lacks %q", want)
		}
	}
	golden(t, "report-posterior.md.golden", b.String())
}

// TestPosteriorBands: over a posterior, the charts shade the band of the
// runs at each week, and the HTML report says what its intervals are and
// where the parameter sets came from.
func TestPosteriorBands(t *testing.T) {
	c := fakeComparison(t, 3)
	c.Posterior = 3
	v := func(r *Run, k int) float64 { return r.Country[k].CollectiveShare }
	_, lo, hi := c.meanBand(c.Arms[0], v, 1)
	for k := range c.Dates {
		var xs []float64
		for _, r := range c.Arms[0].Runs {
			xs = append(xs, v(r, k))
		}
		l, h := stats.Band(xs, Level)
		if lo[k] != math.Max(0, l) || hi[k] != h {
			t.Fatalf("week %d: band [%v, %v], want [%v, %v]", k, lo[k], hi[k], l, h)
		}
	}
	var b bytes.Buffer
	if err := c.WriteHTML(&b, Info{Version: "test", Posterior: "docs/particles.csv", PosteriorHash: "abc123"}); err != nil {
		t.Fatal(err)
	}
	if err := htmlcheck.Check(bytes.NewReader(b.Bytes())); err != nil {
		t.Fatalf("the report is not well formed: %v", err)
	}
	for _, want := range []string{"95% posterior band over 3 parameter sets (2.5th to 97.5th percentile of the runs)", "final generation of docs/particles.csv (SHA-256 abc123)"} {
		if !strings.Contains(b.String(), want) {
			t.Errorf("the report lacks %q", want)
		}
	}
	if strings.Contains(b.String(), "interval of the mean (Student") {
		t.Error("the posterior report speaks of the interval of the mean")
	}
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

	// Over a posterior, replicate 1 of every arm applies parameter set 1
	// and seed 41: the run sim run --set makes.
	sets := [][]string{{"cadre.arrest_share=0.2", "regions.Grain.readiness=0.3"}, {"cadre.arrest_share=0.25", "regions.Grain.readiness=0.4"}}
	pc, err := Simulate(context.Background(), []*scenario.Scenario{s, &s2}, Options{Replicates: 2, Seed: 40, Workers: 2, Version: "test", Posterior: sets})
	if err != nil {
		t.Fatal(err)
	}
	if pc.Posterior != 2 {
		t.Errorf("Comparison.Posterior = %d, want 2", pc.Posterior)
	}
	with, err := scenario.Load("../engine/testdata/tiny.toml", append(sets[1], "seed=41")...)
	if err != nil {
		t.Fatal(err)
	}
	w, err = engine.New(with, engine.Options{Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res, err = w.Run(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	x.Reset()
	y.Reset()
	output.WriteSummary(&x, output.Summarize(with, res, "test"))
	output.WriteSummary(&y, pc.Arms[0].Runs[1].Summary)
	if x.String() != y.String() {
		t.Errorf("replicate 1 over the posterior differs from sim run --set … --seed 41:\n%s\n%s", x.String(), y.String())
	}
	if _, err := Simulate(context.Background(), []*scenario.Scenario{s}, Options{Replicates: 1, Posterior: [][]string{{"regions.Moscow.readiness=0.1"}}}); err == nil ||
		!strings.Contains(err.Error(), "regions.Moscow.readiness") || !strings.Contains(err.Error(), `no element named "Moscow"`) {
		t.Errorf("a parameter the scenario does not have: %v", err)
	}
	if _, err := Simulate(context.Background(), []*scenario.Scenario{s}, Options{Replicates: 2, Posterior: sets[:1]}); err == nil {
		t.Error("one parameter set for two replicates was accepted")
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Simulate(ctx, []*scenario.Scenario{s}, Options{Replicates: 1}); err == nil {
		t.Error("a cancelled comparison ran")
	}
}

// TestWithSet: no overrides give the scenario back unchanged; an
// override changes that key only.
func TestWithSet(t *testing.T) {
	s, err := scenario.Load("../engine/testdata/tiny.toml")
	if err != nil {
		t.Fatal(err)
	}
	same, err := WithSet(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(same, s) {
		t.Error("WithSet without overrides changed the scenario")
	}
	changed, err := WithSet(s, []string{"cadre.arrest_share=0.25"})
	if err != nil {
		t.Fatal(err)
	}
	if changed.Cadre.ArrestShare != 0.25 || s.Cadre.ArrestShare == 0.25 {
		t.Errorf("arrest share %v (was %v)", changed.Cadre.ArrestShare, s.Cadre.ArrestShare)
	}
	changed.Cadre.ArrestShare = s.Cadre.ArrestShare
	if !reflect.DeepEqual(changed, s) {
		t.Error("WithSet changed more than its override")
	}
	// A posterior fitted from 1927 sets the persuasion of phases a later
	// scenario lacks: those keys are left out; other unknown keys are not.
	skipped, err := WithSet(s, []string{"phases.nep.persuasion=0.01", "cadre.arrest_share=0.25"})
	if err != nil || skipped.Cadre.ArrestShare != 0.25 {
		t.Errorf("a key of a missing phase: %v", err)
	}
	if _, err := WithSet(s, []string{"cadre.arrest_shar=0.25"}); err == nil {
		t.Error("an unknown key was accepted")
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
