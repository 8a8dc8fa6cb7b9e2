package web

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/collsim/collsim/sim/calibrate"
	"github.com/collsim/collsim/sim/compare"
	"github.com/collsim/collsim/sim/engine"
	"github.com/collsim/collsim/sim/output"
	"github.com/collsim/collsim/sim/scenario"
	"github.com/collsim/collsim/sim/stats"
)

// readEvents reads a run's stream of weeks to its end.
func readEvents(t testing.TB, base, path string) ([]frame, runView) {
	t.Helper()
	resp, err := http.Get(base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("%s: Content-Type %q", path, ct)
	}
	var frames []frame
	var end runView
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	event := ""
	for sc.Scan() {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			data := []byte(strings.TrimPrefix(line, "data: "))
			if event == "week" {
				var f frame
				if err := json.Unmarshal(data, &f); err != nil {
					t.Fatal(err)
				}
				frames = append(frames, f)
			} else if event == "end" {
				if err := json.Unmarshal(data, &end); err != nil {
					t.Fatal(err)
				}
				return frames, end
			}
		}
	}
	t.Fatalf("%s: the stream ended without an end event (%d weeks)", path, len(frames))
	return nil, end
}

// download fetches a finished run's file.
func fetch(t testing.TB, u string) []byte {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %s", u, resp.StatusCode, b)
	}
	return b
}

// simRun runs a scenario file's bytes as sim run does and returns its
// timeseries.csv and summary.json.
func simRun(t testing.TB, toml []byte) ([]byte, []byte, *engine.Result) {
	t.Helper()
	s, err := scenario.Parse("scenario.toml", toml)
	if err != nil {
		t.Fatal(err)
	}
	res := runScenario(t, s)
	var csv bytes.Buffer
	output.WriteTimeseries(&csv, res, s.Scale())
	sum, _ := json.Marshal(output.Summarize(s, res, "test"))
	return csv.Bytes(), sum, res
}

// TestStreamEqualsRun (issue 11, live runs): a run streamed week by week
// has one frame per week whose values are those of the same run made by
// sim run from its scenario.toml, and its downloads equal sim run's
// outputs byte for byte.
func TestStreamEqualsRun(t *testing.T) {
	hs := newServer(t, Config{})
	code, v, e := post(t, hs.URL+"", url.Values{"scenario": {"historical-1929.toml"}, "seed": {"3"}})
	if code >= 300 {
		t.Fatalf("%d %+v", code, e)
	}
	frames, end := readEvents(t, hs.URL, v.Links["events"])
	if end.State != Done || len(frames) != end.Steps+1 {
		t.Fatalf("stream: %d weeks, end %s of %d steps", len(frames), end.State, end.Steps)
	}
	toml := fetch(t, hs.URL+end.Links["scenario"])
	csv, sum, res := simRun(t, toml)
	if got := fetch(t, hs.URL+end.Links["timeseries"]); !bytes.Equal(got, csv) {
		t.Error("the streamed run's timeseries.csv differs from sim run of its scenario.toml")
	}
	if got, _ := json.Marshal(end.Summary); !bytes.Equal(got, sum) {
		t.Errorf("summaries differ:\n got %s\nwant %s", got, sum)
	}
	s, _ := scenario.Parse("scenario.toml", toml)
	first := scaledCountry(res.Rows[0], s.Scale())
	for k, f := range frames {
		want := jsonSafe(values(scaledCountry(res.Rows[k], s.Scale()), first))
		if f.Step != k || f.Date != res.Dates[k].String() || fmt.Sprint(f.Values) != fmt.Sprint(want) {
			t.Fatalf("week %d: frame %d %s %v, want %s %v", k, f.Step, f.Date, f.Values, res.Dates[k], want)
		}
		if len(f.Cells) != 5*len(frames[0].VillageRegion) {
			t.Fatalf("week %d: %d cells for %d villages", k, len(f.Cells), len(frames[0].VillageRegion))
		}
	}
	// Asking again finds the run in the cache, and says so.
	if _, again, _ := post(t, hs.URL, url.Values{"scenario": {"historical-1929.toml"}, "seed": {"3"}}); !again.Cached || again.ID != v.ID || v.Cached {
		t.Errorf("asked twice: cached %v (first %v)", again.Cached, v.Cached)
	}
}

// TestInterventionReproduces (issue 11, interventions): "call the halt now"
// at week 20 and "allow members to leave" at week 22 are phases of the
// run's scenario.toml; sim run of it gives the same outputs byte for byte,
// and the weeks before the halt are those of the run without it.
func TestInterventionReproduces(t *testing.T) {
	hs := newServer(t, Config{})
	form := url.Values{"scenario": {"historical-1929.toml"}, "seed": {"4"}}
	plain := runDone(t, hs.URL, form)
	form.Set("interventions", "halt@20,leave@22")
	changed := runDone(t, hs.URL, form)
	if len(changed.Interventions) != 2 || changed.Interventions[0].Kind != "halt" || changed.Interventions[0].Week != 20 {
		t.Fatalf("interventions: %+v", changed.Interventions)
	}
	toml := fetch(t, hs.URL+changed.Links["scenario"])
	for _, want := range []string{`name = "you-halt-week-20"`, `name = "you-leave-week-22"`, "call the halt at week 20"} {
		if !bytes.Contains(toml, []byte(want)) {
			t.Errorf("scenario.toml lacks %s", want)
		}
	}
	csv, sum, _ := simRun(t, toml)
	if got := fetch(t, hs.URL+changed.Links["timeseries"]); !bytes.Equal(got, csv) {
		t.Error("timeseries.csv differs from sim run of the downloaded scenario.toml")
	}
	if got, _ := json.Marshal(changed.Summary); !bytes.Equal(got, sum) {
		t.Errorf("summaries differ:\n got %s\nwant %s", got, sum)
	}
	a := strings.Split(string(fetch(t, hs.URL+plain.Links["timeseries"])), "\n")
	b := strings.Split(string(csv), "\n")
	regions := len(plain.Summary.Regions) + 1
	same := 0
	for i := 1; i < len(a) && i < len(b) && a[i] == b[i]; i++ {
		same++
	}
	if weeks := same / regions; weeks < 21 {
		t.Errorf("the run with the halt at week 20 differs from the run without it from week %d", weeks)
	}
	if changed.Summary.PeakShare >= plain.Summary.PeakShare {
		t.Errorf("a halt at week 20 did not lower the peak: %.3f vs %.3f", changed.Summary.PeakShare, plain.Summary.PeakShare)
	}
	for _, bad := range []string{"halt@0", "halt@9999", "stop@3", "halt@3,halt@5", "halt"} {
		form.Set("interventions", bad)
		if code, _, e := post(t, hs.URL, form); code != 400 || e.Fields["interventions"] == "" {
			t.Errorf("interventions=%s: %d %+v", bad, code, e)
		}
	}
}

// TestKeptBaselineSurvives (issue 11, 1): a run a page keeps stays, with its
// downloads, while 100 other runs finish (the cache keeps 4); a run not
// kept is forgotten and says so.
func TestKeptBaselineSurvives(t *testing.T) {
	hs := newServer(t, Config{Keep: 4, Households: 1000})
	base := runDone(t, hs.URL, url.Values{"scenario": {"historical-1929.toml"}, "seed": {"1"}})
	other := runDone(t, hs.URL, url.Values{"scenario": {"historical-1929.toml"}, "seed": {"2"}})
	resp, err := http.Post(hs.URL+base.Links["keep"], "", nil)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("keep: %v %v", err, resp.Status)
	}
	resp.Body.Close()
	for i := range 100 {
		runDone(t, hs.URL, url.Values{"scenario": {"historical-1929.toml"}, "seed": {fmt.Sprint(100 + i)}})
	}
	fetch(t, hs.URL+base.Links["timeseries"])
	fetch(t, hs.URL+base.Links["data"])
	if code, v, _ := get(t, hs.URL+base.Links["self"]); code != 200 || v.State != Done {
		t.Errorf("the kept run after 100 others: %d %s", code, v.State)
	}
	if code, _, e := get(t, hs.URL+other.Links["self"]); code != 404 || !strings.Contains(e.Fields["id"], "run it again") {
		t.Errorf("a run not kept after 100 others: %d %+v", code, e)
	}
}

// TestCancelFast (issue 11, 8): Cancel stops a run within half a second,
// even in its first seconds.
func TestCancelFast(t *testing.T) {
	hs := newServer(t, Config{MaxHouseholds: 200_000})
	began := time.Now()
	req, _ := http.NewRequest("POST", hs.URL+"/api/runs?wait=0", strings.NewReader(url.Values{"scenario": {"historical-1929.toml"}, "households": {"200000"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	code, v, _ := decode(t, resp)
	if code != http.StatusAccepted || time.Since(began) > 500*time.Millisecond {
		t.Fatalf("POST with wait=0: %d after %s", code, time.Since(began))
	}
	time.Sleep(100 * time.Millisecond)
	asked := time.Now()
	resp, err = http.Post(hs.URL+v.Links["cancel"], "", nil)
	if err != nil {
		t.Fatal(err)
	}
	_, c, _ := decode(t, resp)
	took := time.Since(asked)
	t.Logf("cancelled %s after the request, the run at week %d", took.Round(time.Millisecond), c.Step)
	// Half a second without the race detector (-short runs under -race,
	// which makes a week of 200,000 households ten times slower).
	if c.State != Cancelled || took > 500*time.Millisecond && !testing.Short() || took > 3*time.Second {
		t.Errorf("cancel: %s after %s", c.State, took)
	}
}

// TestReplicates (issue 11, 3): five seeds give the mean with a 95%
// interval for every outcome and a band for every series.
func TestReplicates(t *testing.T) {
	hs := newServer(t, Config{Households: 2000})
	v := runDone(t, hs.URL, url.Values{"scenario": {"historical-1929.toml"}, "replicates": {"5"}})
	if v.Replicates != 5 || len(v.Seeds) != 5 {
		t.Fatalf("replicates: %+v", v)
	}
	for _, o := range v.Outcomes {
		if o.Lo == nil || o.Hi == nil || o.Interval == "" || *o.Lo > *o.Value || *o.Hi < *o.Value {
			t.Errorf("%s: %v [%v, %v] %q", o.Key, o.Value, o.Lo, o.Hi, o.Interval)
		}
	}
	var d runData
	if err := json.Unmarshal(fetch(t, hs.URL+v.Links["data"]), &d); err != nil {
		t.Fatal(err)
	}
	if d.Replicates != 5 || len(d.Lo) != len(seriesNames) || len(d.Record) == 0 || len(d.Phases) == 0 {
		t.Errorf("data: %d replicates, %d bands, %d record points, %d phases", d.Replicates, len(d.Lo), len(d.Record), len(d.Phases))
	}
	keys := map[string]bool{}
	for _, o := range v.Outcomes {
		keys[o.Key] = true
	}
	for _, k := range []string{"share_1930_03_01", "share_1930_08_01"} {
		if !keys[k] {
			t.Errorf("no row %s", k)
		}
	}
}

// particles is the calibration's posterior that sim serve offers by default.
const particles = "../../docs/validity/calibration/particles.csv"

// TestPosterior (issue 13, 4): over the calibration's posterior, a run is
// the server's parameter sets, set i with seed S+i; its outcomes and series
// carry the 95% band of the runs, and its scenario.toml is the first
// replicate's, parameter set included.
func TestPosterior(t *testing.T) {
	hs := newServer(t, Config{Households: 2000, Posterior: particles, PosteriorSets: 4})
	var cat struct {
		Posterior *posteriorView `json:"posterior"`
	}
	if err := json.Unmarshal(fetch(t, hs.URL+"/api/scenarios"), &cat); err != nil {
		t.Fatal(err)
	}
	if cat.Posterior == nil || cat.Posterior.Sets != 4 || len(cat.Posterior.Parameters) != 10 || len(cat.Posterior.Hash) != 64 {
		t.Fatalf("the catalogue's posterior: %+v", cat.Posterior)
	}
	v := runDone(t, hs.URL, url.Values{"scenario": {"voluntary.toml"}, "uncertainty": {"posterior"}})
	if v.Replicates != 4 || v.Posterior != 4 || len(v.Seeds) != 4 {
		t.Fatalf("over the posterior: %+v", v)
	}
	// The band of the runs' final shares, as sim compare would give it.
	pst, err := calibrate.ReadPosterior(particles)
	if err != nil {
		t.Fatal(err)
	}
	sets := pst.Sample(4, uint64(v.Seed))
	var finals []float64
	for i, set := range sets {
		base, err := scenario.Load("../../scenarios/voluntary.toml", "population.households=2000", fmt.Sprintf("seed=%d", v.Seed+int64(i)))
		if err != nil {
			t.Fatal(err)
		}
		s, err := compare.WithSet(base, set) // leaves out the 1927 phases' keys
		if err != nil {
			t.Fatal(err)
		}
		finals = append(finals, output.Summarize(s, runScenario(t, s), "test").FinalShare)
	}
	lo, hi := stats.Band(finals, compare.Level)
	for _, o := range v.Outcomes {
		if o.Key == "final_share" && (o.Lo == nil || math.Abs(*o.Lo-lo) > 1e-12 || math.Abs(*o.Hi-hi) > 1e-12) {
			t.Errorf("final share %v [%v, %v], want the band [%v, %v] of %v", *o.Value, o.Lo, o.Hi, lo, hi, finals)
		}
	}
	var d runData
	if err := json.Unmarshal(fetch(t, hs.URL+v.Links["data"]), &d); err != nil {
		t.Fatal(err)
	}
	if d.Posterior != 4 || len(d.Lo) != len(seriesNames) {
		t.Errorf("data: posterior %d, %d bands", d.Posterior, len(d.Lo))
	}
	toml := string(fetch(t, hs.URL+v.Links["scenario"]))
	if !strings.Contains(toml, "--set '"+sets[0][0]+"'") {
		t.Errorf("scenario.toml does not record the first parameter set %v:\n%.600s", sets[0], toml)
	}

	for _, tt := range []struct {
		cfg         Config
		form        url.Values
		field, want string
	}{
		{Config{}, url.Values{"uncertainty": {"posterior"}}, "uncertainty", "no calibration posterior"},
		{Config{Posterior: particles}, url.Values{"uncertainty": {"chance"}}, "uncertainty", `want "seeds" or "posterior"`},
		{Config{Posterior: particles}, url.Values{"uncertainty": {"posterior"}, "replicates": {"5"}}, "replicates", "leave replicates out"},
	} {
		hs := newServer(t, tt.cfg)
		tt.form.Set("scenario", "voluntary.toml")
		code, _, e := post(t, hs.URL, tt.form)
		if code != http.StatusBadRequest || !strings.Contains(e.Fields[tt.field], tt.want) {
			t.Errorf("%v: %d %+v; want 400 with %s: %q", tt.form, code, e, tt.field, tt.want)
		}
	}
}

// TestClass (issue 11, a class together): 30 students join a class, each
// runs a policy of 20,000 households and submits it; the teacher's table is
// complete within 10 s and exports as CSV.
func TestClass(t *testing.T) {
	households := "20000"
	if testing.Short() {
		households = "2000"
	}
	hs := newServer(t, Config{Households: 20000, Queue: 64})
	resp, err := http.Post(hs.URL+"/api/classes", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	var cl map[string]string
	json.NewDecoder(resp.Body).Decode(&cl)
	resp.Body.Close()
	if len(cl["code"]) != codeLength || cl["key"] == "" {
		t.Fatalf("new class: %v", cl)
	}
	form := func(path string, v url.Values) int {
		resp, err := http.Post(hs.URL+path, "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
		if err != nil {
			t.Error(err)
			return 0
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	const n = 30
	began := time.Now()
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			name := fmt.Sprintf("student %d", i+1)
			if c := form("/api/classes/"+cl["code"]+"/students", url.Values{"name": {name}}); c != 200 {
				t.Errorf("%s joins: %d", name, c)
				return
			}
			f := url.Values{"scenario": {"historical-1929.toml"}, "households": {households}, "seed": {fmt.Sprint(i)}}
			if i%3 == 1 {
				f.Set("punishment", "0.2")
			}
			v := runDone(t, hs.URL, f)
			if c := form("/api/classes/"+cl["code"]+"/submissions", url.Values{"name": {name}, "run": {v.ID}}); c != 200 {
				t.Errorf("%s submits: %d", name, c)
			}
		})
	}
	var table struct {
		Table []submission `json:"table"`
	}
	for {
		table.Table = nil
		json.Unmarshal(fetch(t, hs.URL+"/api/classes/"+cl["code"]+"?key="+cl["key"]), &table)
		if len(table.Table) == n || time.Since(began) > 30*time.Second {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	took := time.Since(began)
	wg.Wait()
	t.Logf("%d students, %s households each: the teacher's table was complete %s after they joined", n, households, took.Round(time.Millisecond))
	// The 10 s bound is for 20,000 households without the race detector
	// (-short runs smaller, slower runs under -race).
	if len(table.Table) != n || took > 10*time.Second && !testing.Short() {
		t.Errorf("the table has %d of %d rows after %s", len(table.Table), n, took)
	}
	csv := fetch(t, hs.URL+"/api/classes/"+cl["code"]+"/table.csv?key="+cl["key"])
	if lines := strings.Count(string(csv), "\n"); lines != n+1 || !strings.HasPrefix(string(csv), "student,scenario,changes") {
		t.Errorf("CSV: %d lines: %.200s", lines, csv)
	}
	if code, _, _ := get(t, hs.URL+"/api/classes/"+cl["code"]+"?key=wrong"); code != 403 {
		t.Errorf("a wrong teacher key: %d", code)
	}
}
