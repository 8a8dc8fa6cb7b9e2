package web

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/color"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/collsim/collsim/internal/htmlcheck"
	"github.com/collsim/collsim/sim/chart"
	"github.com/collsim/collsim/sim/engine"
	"github.com/collsim/collsim/sim/output"
	"github.com/collsim/collsim/sim/scenario"
)

// newServer starts a server on the repository's scenarios with small runs.
func newServer(t testing.TB, cfg Config) *httptest.Server {
	t.Helper()
	if cfg.Scenarios == "" {
		cfg.Scenarios = "../../scenarios"
	}
	if cfg.Households == 0 {
		cfg.Households = 5000
	}
	if cfg.Record == "" {
		cfg.Record = "../../data/targets/record.toml"
	}
	cfg.Version = "test"
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() {
		hs.Close()
		srv.Close()
	})
	return hs
}

// post sends a form to start a run and decodes the answer.
func post(t testing.TB, base string, form url.Values) (int, runView, apiError) {
	t.Helper()
	resp, err := http.Post(base+"/api/runs", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, resp)
}

func get(t testing.TB, u string) (int, runView, apiError) {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	return decode(t, resp)
}

func decode(t testing.TB, resp *http.Response) (int, runView, apiError) {
	t.Helper()
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s: Content-Type %q, want JSON: %s", resp.Request.URL, ct, b)
	}
	var v runView
	var e apiError
	if resp.StatusCode < 300 {
		if err := json.Unmarshal(b, &v); err != nil {
			t.Fatalf("%s: %v: %s", resp.Request.URL, err, b)
		}
	} else if err := json.Unmarshal(b, &e); err != nil {
		t.Fatalf("%s: %v: %s", resp.Request.URL, err, b)
	}
	return resp.StatusCode, v, e
}

// runDone starts a run and follows it until it is done, retrying while the
// server is busy.
func runDone(t testing.TB, base string, form url.Values) runView {
	t.Helper()
	for try := 0; ; try++ {
		code, v, e := post(t, base, form)
		if code == http.StatusServiceUnavailable && try < 600 {
			time.Sleep(100 * time.Millisecond)
			continue
		}
		if code >= 300 {
			t.Fatalf("POST %v: %d %+v", form, code, e)
		}
		for v.State == Queued || v.State == Running {
			time.Sleep(20 * time.Millisecond)
			if code, v, e = get(t, base+v.Links["self"]); code >= 300 {
				t.Fatalf("GET %s: %d %+v", v.Links["self"], code, e)
			}
		}
		if v.State != Done {
			t.Fatalf("run %v: %s (%s)", form, v.State, v.Error)
		}
		return v
	}
}

// runScenario runs s in-process, as sim run does (results do not depend on
// the workers).
func runScenario(t testing.TB, s *scenario.Scenario) *engine.Result {
	t.Helper()
	w, err := engine.New(s, engine.Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	res, err := w.Run(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// direct runs a scenario file with overrides in-process, as sim run does.
func direct(t testing.TB, file string, overrides ...string) *output.Summary {
	t.Helper()
	s, err := scenario.Load(file, overrides...)
	if err != nil {
		t.Fatal(err)
	}
	return output.Summarize(s, runScenario(t, s), "test")
}

func sameSummary(t testing.TB, what string, got, want *output.Summary) {
	t.Helper()
	g, _ := json.Marshal(got)
	w, _ := json.Marshal(want)
	if !bytes.Equal(g, w) {
		t.Errorf("%s: the server's summary differs from a direct run:\n got %s\nwant %s", what, g, w)
	}
}

func TestPageIsOfflineAndWellFormed(t *testing.T) {
	hs := newServer(t, Config{})
	for _, p := range []string{"/", "/static/app.js", "/static/style.css"} {
		resp, err := http.Get(hs.URL + p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != 200 {
			t.Fatalf("GET %s: %d", p, resp.StatusCode)
		}
		if bytes.Contains(b, []byte("http://")) || bytes.Contains(b, []byte("https://")) {
			t.Errorf("%s refers to another host", p)
		}
		if p == "/" {
			if err := htmlcheck.Check(bytes.NewReader(b)); err != nil {
				t.Errorf("the page is not well formed: %v", err)
			}
		}
	}
}

func TestScenarioList(t *testing.T) {
	hs := newServer(t, Config{})
	resp, err := http.Get(hs.URL + "/api/scenarios")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct {
		Scenarios []scenarioView
		Default   string
	}
	if err := json.NewDecoder(resp.Body).Decode(&list); err != nil {
		t.Fatal(err)
	}
	ids := map[string]scenarioView{}
	for _, s := range list.Scenarios {
		ids[s.ID] = s
	}
	for _, id := range []string{"historical-1929.toml", "whatif/early-halt.toml", "voluntary.toml", list.Default} {
		if _, ok := ids[id]; !ok {
			t.Errorf("%s is not offered", id)
		}
	}
	// One entry each (issue 11, 5): a what-if that runs as a ready scenario,
	// or a scenario that differs only in size (the page sets the size), is
	// not listed twice; each has a plain title and a line saying what it is.
	titles := map[string]string{}
	for _, s := range list.Scenarios {
		if other, ok := titles[s.Title]; ok {
			t.Errorf("%s and %s are both listed as %q", s.ID, other, s.Title)
		}
		titles[s.Title] = s.ID
		if s.Title == "" || strings.Contains(s.Title, ".toml") || s.Description == "" {
			t.Errorf("%s: title %q, description %q", s.ID, s.Title, s.Description)
		}
	}
	for _, id := range []string{"whatif/voluntary.toml", "whatif/historical.toml", "ussr-fullscale.toml"} {
		if _, ok := ids[id]; ok {
			t.Errorf("%s is listed beside the scenario it repeats", id)
		}
	}
	// An alias still runs when asked for by its ID.
	if code, _, e := post(t, hs.URL, url.Values{"scenario": {"whatif/voluntary.toml"}, "households": {"1000"}}); code >= 300 {
		t.Errorf("the alias whatif/voluntary.toml: %d %+v", code, e)
	}
	if _, ok := ids["base/ussr-1929.toml"]; ok {
		t.Error("a base without phases is offered")
	}
	for _, c := range ids["historical-1929.toml"].Controls {
		if c.Disabled != "" || c.Label == "" || c.Doc == "" || c.Value == "" {
			t.Errorf("historical-1929 control %+v is disabled or undocumented", c)
		}
		if c.Kind != "checkbox" && c.Unit == "" {
			t.Errorf("control %s has no unit", c.Field)
		}
	}
}

// TestRun: a run through HTTP gives the numbers of the same run made
// directly, its downloads reproduce it, and asking again hits the cache.
func TestRun(t *testing.T) {
	hs := newServer(t, Config{})
	began := time.Now()
	v := runDone(t, hs.URL, url.Values{"scenario": {"historical-1929.toml"}, "seed": {"11"}})
	t.Logf("a run of %d households through HTTP: %s (the run itself %d ms)", v.Households, time.Since(began), v.ElapsedMS)
	if v.Seed != 11 || v.Households != 5000 || v.Name != "historical-1929" || len(v.Outcomes) == 0 {
		t.Fatalf("run: %+v", v)
	}
	sameSummary(t, "historical", v.Summary, direct(t, "../../scenarios/historical-1929.toml", "population.households=5000", "seed=11"))

	again := runDone(t, hs.URL, url.Values{"scenario": {"historical-1929.toml"}, "seed": {"11"}})
	if again.ID != v.ID || again.ElapsedMS != v.ElapsedMS {
		t.Errorf("the same request ran again: %s %s", again.ID, v.ID)
	}

	// An untouched control changes nothing; a moved one changes the run,
	// and the resolved scenario.toml reproduces it.
	form := url.Values{"scenario": {"historical-1929.toml"}, "seed": {"11"}, "punishment": {"0.8"}, "escalation": {"true"}}
	if w := runDone(t, hs.URL, form); w.ID != v.ID {
		t.Error("sending the scenario's own values made another run")
	}
	form.Set("halt_date", "1930-01-20")
	form.Set("cadre_zeal", "0.5")
	moved := runDone(t, hs.URL, form)
	if moved.ID == v.ID || !strings.Contains(moved.Changes, "date of the halt 1930-01-20") {
		t.Errorf("moving the halt: %s %q", moved.ID, moved.Changes)
	}
	resp, err := http.Get(hs.URL + moved.Links["scenario"])
	if err != nil {
		t.Fatal(err)
	}
	toml, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") || !bytes.Contains(toml, []byte("# command: sim run ../../scenarios/historical-1929.toml --set")) {
		t.Errorf("scenario.toml download: %q\n%s", resp.Header, toml[:300])
	}
	s, err := scenario.Parse("scenario.toml", toml)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Phases[s.Phases.HaltIndex()].Start.String(); got != "1930-01-20" {
		t.Errorf("the resolved scenario halts on %s", got)
	}
	res := runScenario(t, s)
	sameSummary(t, "the downloaded scenario", moved.Summary, output.Summarize(s, res, "test"))

	resp, err = http.Get(hs.URL + moved.Links["timeseries"])
	if err != nil {
		t.Fatal(err)
	}
	csv, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	var want bytes.Buffer
	output.WriteTimeseries(&want, res, s.Scale())
	if !bytes.Equal(csv, want.Bytes()) {
		t.Error("timeseries.csv differs from the run of the downloaded scenario")
	}

	// Charts: this run beside another, as SVG.
	resp, err = http.Get(hs.URL + moved.Links["chart_shares"] + "?vs=" + v.ID + "&vsname=baseline")
	if err != nil {
		t.Fatal(err)
	}
	svg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "image/svg+xml" || !bytes.Contains(svg, []byte("<svg")) ||
		!bytes.Contains(svg, []byte("this run")) || !bytes.Contains(svg, []byte("baseline")) {
		t.Errorf("chart: %d %s", resp.StatusCode, svg[:min(len(svg), 200)])
	}

	// A run named and coloured as the page shows it keeps its name and
	// colour in the downloaded chart, whichever position it is drawn in.
	resp, err = http.Get(hs.URL + moved.Links["chart_shares"] + "?name=Run+3&colour=2&vs=" + v.ID + "&vsname=Run+1&vscolour=0")
	if err != nil {
		t.Fatal(err)
	}
	named, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	third, first := hexColour(chart.Palette[2]), hexColour(chart.Palette[0])
	if !bytes.Contains(named, []byte("Run 3")) || !bytes.Contains(named, []byte("Run 1")) ||
		!bytes.Contains(bytes.ToLower(named), []byte(third)) || !bytes.Contains(bytes.ToLower(named), []byte(first)) {
		t.Errorf("named chart lacks the runs' names or colours %s, %s", third, first)
	}
}

// hexColour writes c as SVG writes it, e.g. "#e69f00".
func hexColour(c color.Color) string {
	r, g, b, _ := c.RGBA()
	return fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8)
}

// TestCancel: a long run shows its progress and stops when cancelled.
func TestCancel(t *testing.T) {
	hs := newServer(t, Config{Wait: time.Millisecond, MaxHouseholds: 300_000})
	code, v, e := post(t, hs.URL, url.Values{"scenario": {"historical-1929.toml"}, "households": {"300000"}})
	if code != http.StatusAccepted {
		t.Fatalf("a long run answered %d %+v %+v", code, v, e)
	}
	if v.Steps == 0 || v.Links["cancel"] == "" {
		t.Errorf("a run in progress: %+v", v)
	}
	resp, err := http.Post(hs.URL+v.Links["cancel"], "", nil)
	if err != nil {
		t.Fatal(err)
	}
	code, c, _ := decode(t, resp)
	for deadline := time.Now().Add(20 * time.Second); c.State != Cancelled && time.Now().Before(deadline); {
		time.Sleep(20 * time.Millisecond)
		code, c, _ = get(t, hs.URL+v.Links["self"])
	}
	if code != 200 || c.State != Cancelled || c.Error == "" {
		t.Errorf("after cancel: %d %+v", code, c)
	}
	if code, _, e := get(t, hs.URL+v.Links["self"]+"/timeseries.csv"); code != http.StatusConflict || e.Fields["id"] == "" {
		t.Errorf("downloading a cancelled run: %d %+v", code, e)
	}
}

// TestBusy: when every runner is busy and the queue is full, a new run is
// refused with 503 and a message, not queued without end.
func TestBusy(t *testing.T) {
	hs := newServer(t, Config{Runners: 1, Queue: 1, Wait: time.Millisecond, MaxHouseholds: 300_000})
	var started []runView
	var refused apiError
	for i := range 4 {
		code, v, e := post(t, hs.URL, url.Values{"scenario": {"historical-1929.toml"}, "households": {"300000"}, "seed": {fmt.Sprint(i)}})
		switch code {
		case http.StatusAccepted:
			started = append(started, v)
		case http.StatusServiceUnavailable:
			refused = e
		default:
			t.Fatalf("run %d: %d %+v", i, code, e)
		}
	}
	if len(started) > 2 || !strings.Contains(refused.Error, "busy") {
		t.Errorf("%d runs started, refusal %q", len(started), refused.Error)
	}
	for _, v := range started {
		http.Post(hs.URL+v.Links["cancel"], "", nil)
	}
}
