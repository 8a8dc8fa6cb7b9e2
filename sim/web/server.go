// Package web serves the classroom page of collsim ("sim serve"): pick a
// scenario, change its main parameters with labelled sliders and switches,
// run it, and see its charts and key outcomes beside the previous run or a
// saved baseline; download the run's timeseries.csv and resolved
// scenario.toml.
//
// The page is plain HTML, CSS and JavaScript embedded in the binary: it
// works offline and loads nothing from elsewhere. Charts are SVG drawn by
// the server. Runs share a fixed pool of goroutines with a bounded queue
// (a full queue answers 503) and a cache of recent finished runs keyed by
// the resolved scenario, seed included. Every bad input is answered with a
// 4xx JSON error naming the field.
package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"maps"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/calibrate"
	"github.com/collsim/collsim/sim/compare"
	"github.com/collsim/collsim/sim/output"
	"github.com/collsim/collsim/sim/scenario"
)

//go:embed static
var static embed.FS

// Config configures a Server. Zero fields take the defaults in brackets.
type Config struct {
	Scenarios     string        // folder of scenarios (*.toml and whatif/*.toml) ["scenarios"]
	Runners       int           // runs at once [GOMAXPROCS]
	Workers       int           // goroutines stepping each run [1]
	Queue         int           // runs that may wait for a runner [64]
	Keep          int           // finished runs kept for charts and downloads [64]
	Households    int           // households of a run unless the form says [20,000]
	MinHouseholds int           // [1,000]
	MaxHouseholds int           // [200,000]
	Wait          time.Duration // how long a request for a run waits for it before answering 202 [2 s]
	MaxRunTime    time.Duration // a run is stopped after this [5 min]
	Version       string        // recorded in summaries and scenario.toml
	Record        string        // the historical record drawn on the charts ["data/targets/record.toml"; none if missing]
	KeepFor       time.Duration // how long a page's kept baseline is held after its last renewal [10 min]
	MaxReplicates int           // the most replicates a page may ask for [10]
	// Posterior is a calibration's particles.csv: a page may then run a
	// scenario over PosteriorSets parameter sets drawn from its final
	// generation and see the 95% posterior band. [none: the page does not
	// offer it]
	Posterior     string
	PosteriorSets int         // [20]
	Hosts         []string    // host names the server answers to besides IP addresses and localhost (sim serve --host)
	Log           *log.Logger // [none]
}

func (c *Config) defaults() {
	def := func(p *int, v int) {
		if *p <= 0 {
			*p = v
		}
	}
	if c.Scenarios == "" {
		c.Scenarios = "scenarios"
	}
	def(&c.Runners, runtime.GOMAXPROCS(0))
	def(&c.Workers, 1)
	def(&c.Queue, 64)
	def(&c.Keep, 64)
	def(&c.Households, 20000)
	def(&c.MinHouseholds, 1000)
	def(&c.MaxHouseholds, 200000)
	if c.Wait <= 0 {
		c.Wait = 2 * time.Second
	}
	if c.MaxRunTime <= 0 {
		c.MaxRunTime = 5 * time.Minute
	}
	if c.Log == nil {
		c.Log = log.New(io.Discard, "", 0)
	}
	if c.Record == "" {
		c.Record = "data/targets/record.toml"
	}
	if c.KeepFor <= 0 {
		c.KeepFor = 10 * time.Minute
	}
	def(&c.MaxReplicates, 10)
	def(&c.PosteriorSets, 20)
}

// Server is the classroom page and its API. Close it to stop its runs.
type Server struct {
	cfg       Config
	limits    Limits
	catalogue *Catalogue
	pool      *pool
	mux       *http.ServeMux
	handler   http.Handler // mux behind guard
	record    []marker     // the historical record's national shares
	classes   *classes
	posterior *calibrate.Posterior // nil without Config.Posterior
}

// New loads the scenarios and starts the pool of runners.
func New(cfg Config) (*Server, error) {
	cfg.defaults()
	cat, err := LoadCatalogue(cfg.Scenarios)
	if err != nil {
		return nil, err
	}
	for _, s := range cat.Skipped {
		cfg.Log.Printf("skipped %s", s)
	}
	srv := &Server{
		cfg:       cfg,
		limits:    Limits{MinHouseholds: cfg.MinHouseholds, MaxHouseholds: cfg.MaxHouseholds, Households: cfg.Households},
		catalogue: cat,
		pool:      newPool(cfg.Runners, cfg.Queue, cfg.Keep, cfg.Workers, cfg.MaxRunTime, cfg.Version),
		mux:       http.NewServeMux(),
	}
	if rec, err := loadRecord(cfg.Record); err != nil {
		cfg.Log.Printf("the charts show no historical record: %v", err)
	} else {
		srv.record = rec
	}
	if cfg.Posterior != "" {
		post, err := calibrate.ReadPosterior(cfg.Posterior)
		if err != nil {
			return nil, fmt.Errorf("the posterior: %w", err)
		}
		srv.posterior = &post
	}
	srv.classes = newClasses()
	sub, _ := fs.Sub(static, "static")
	srv.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(sub)))
	srv.mux.HandleFunc("GET /{$}", srv.index)
	srv.mux.HandleFunc("GET /api/scenarios", srv.scenarios)
	srv.mux.HandleFunc("POST /api/runs", srv.start)
	srv.mux.HandleFunc("GET /api/runs/{id}", srv.status)
	srv.mux.HandleFunc("POST /api/runs/{id}/cancel", srv.cancel)
	srv.mux.HandleFunc("POST /api/runs/{id}/keep", srv.keep)
	srv.mux.HandleFunc("GET /api/runs/{id}/events", srv.events)
	srv.mux.HandleFunc("GET /api/runs/{id}/data", srv.data)
	srv.classRoutes()
	srv.mux.HandleFunc("GET /api/runs/{id}/timeseries.csv", srv.timeseries)
	srv.mux.HandleFunc("GET /api/runs/{id}/scenario.toml", srv.scenarioFile)
	srv.mux.HandleFunc("GET /api/runs/{id}/charts/{chart}", srv.chart)
	srv.mux.HandleFunc("/api/", srv.notFound)
	srv.handler = srv.guard(srv.mux)
	return srv, nil
}

// Catalogue returns the scenarios the server offers.
func (s *Server) Catalogue() *Catalogue { return s.catalogue }

// Close cancels the runs in progress and stops the runners.
func (s *Server) Close() { s.pool.close() }

// ServeHTTP serves the page and the API. A panic in a handler is logged and
// answered with a JSON 500.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.cfg.Log.Printf("panic serving %s %s: %v", r.Method, r.URL, v)
			fail(w, http.StatusInternalServerError, "internal error (a bug): please report it", nil)
		}
	}()
	s.handler.ServeHTTP(w, r)
}

// notFound answers a request no endpoint takes: 405 with the methods the
// path does take, or 404.
func (s *Server) notFound(w http.ResponseWriter, r *http.Request) {
	var allow []string
	for _, m := range []string{http.MethodGet, http.MethodPost} {
		probe := r.Clone(r.Context())
		probe.Method = m
		if _, pattern := s.mux.Handler(probe); pattern != "" && pattern != "/api/" {
			allow = append(allow, m)
		}
	}
	if len(allow) > 0 {
		if slices.Contains(allow, http.MethodGet) {
			allow = append(allow, http.MethodHead)
		}
		w.Header().Set("Allow", strings.Join(allow, ", "))
		fail(w, http.StatusMethodNotAllowed, r.Method+" is not allowed on "+r.URL.Path+"; use "+strings.Join(allow, " or "), nil)
		return
	}
	fail(w, http.StatusNotFound, "no such API endpoint: "+r.Method+" "+r.URL.Path, nil)
}

// apiError is the body of every error answer.
type apiError struct {
	Error  string            `json:"error"`
	Fields map[string]string `json:"fields,omitempty"` // field or parameter → what is wrong with it
}

// fail answers with a JSON error.
func fail(w http.ResponseWriter, code int, msg string, fields map[string]string) {
	if len(fields) > 0 && msg == "" {
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(fields)) {
			parts = append(parts, k+": "+fields[k])
		}
		msg = strings.Join(parts, "; ")
	}
	reply(w, code, apiError{Error: msg, Fields: fields})
}

func reply(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	enc := json.NewEncoder(w)
	enc.SetIndent("", " ")
	enc.Encode(v)
}

// query checks that r's query has only the allowed parameters, each at
// most once, and returns it; else it answers 400 and returns false.
func query(w http.ResponseWriter, r *http.Request, allowed ...string) (url.Values, bool) {
	q, err := url.ParseQuery(r.URL.RawQuery)
	if err != nil {
		fail(w, http.StatusBadRequest, "the query string is malformed: "+err.Error(), nil)
		return nil, false
	}
	bad := map[string]string{}
	for k, v := range q {
		switch {
		case !slices.Contains(allowed, k):
			bad[k] = "unknown parameter"
			if len(allowed) > 0 {
				bad[k] += "; this endpoint takes " + strings.Join(allowed, ", ")
			}
		case len(v) > 1:
			bad[k] = "given more than once"
		}
	}
	if len(bad) > 0 {
		fail(w, http.StatusBadRequest, "", bad)
		return nil, false
	}
	return q, true
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	if _, ok := query(w, r); !ok {
		return
	}
	b, err := static.ReadFile("static/index.html")
	if err != nil {
		panic(err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Write(b)
}

// scenarioView is a scenario as the page lists it.
type scenarioView struct {
	ID          string    `json:"id"`
	Group       string    `json:"group"`
	Name        string    `json:"name"`
	Title       string    `json:"title"` // plain words
	Description string    `json:"description"`
	Steps       int       `json:"steps"`
	Start       string    `json:"start"`
	End         string    `json:"end"`
	Controls    []Control `json:"controls"`
}

func (s *Server) scenarios(w http.ResponseWriter, r *http.Request) {
	if _, ok := query(w, r); !ok {
		return
	}
	out := struct {
		Scenarios     []scenarioView `json:"scenarios"`
		Default       string         `json:"default"`
		Charts        []chartView    `json:"charts"`
		Metrics       []metricView   `json:"metrics"`
		Colours       []string       `json:"colours"` // of runs, in order, as sim compare colours its scenarios
		Series        []string       `json:"series"`
		MaxReplicates int            `json:"max_replicates"`
		Posterior     *posteriorView `json:"posterior"` // null: the server offers no posterior
		Version       string         `json:"version"`
	}{Default: s.catalogue.Default().ID, Version: s.cfg.Version, Colours: paletteHex(), Series: seriesNames, MaxReplicates: s.cfg.MaxReplicates}
	if p := s.posterior; p != nil {
		out.Posterior = &posteriorView{File: filepath.ToSlash(p.Path), Hash: p.Hash, Sets: s.cfg.PosteriorSets, Parameters: p.Keys}
	}
	for _, e := range s.catalogue.Entries {
		if e.Alias != "" {
			continue
		}
		out.Scenarios = append(out.Scenarios, scenarioView{ID: e.ID, Group: e.Group, Name: e.Name, Title: e.Title, Description: e.Description,
			Start: e.scenario.Start.String(), End: e.scenario.End.String(), Steps: len(calendar.Steps(e.scenario.Start, e.scenario.End)) - 1,
			Controls: Controls(e.scenario, s.limits)})
	}
	for _, f := range compare.FigureNames {
		out.Charts = append(out.Charts, chartView{Name: f})
	}
	for _, m := range pageMetrics {
		out.Metrics = append(out.Metrics, metricView{Key: m.Key, Label: m.Label, Kind: kindName(m.Kind)})
	}
	reply(w, http.StatusOK, out)
}

// posteriorView is the calibration posterior a page may run over.
type posteriorView struct {
	File       string   `json:"file"`
	Hash       string   `json:"hash"` // SHA-256
	Sets       int      `json:"sets"` // parameter sets a run draws
	Parameters []string `json:"parameters"`
}

type chartView struct {
	Name string `json:"name"`
}

type metricView struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Kind  string `json:"kind"` // share, count, change or date
}

func kindName(k compare.Kind) string {
	return [...]string{compare.Share: "share", compare.Count: "count", compare.Change: "change", compare.Day: "date"}[k]
}

// maxForm is the largest request body the form may send.
const maxForm = 16 << 10

// start reads the form, resolves the scenario with its overrides and
// starts the run (or finds it), waiting up to Config.Wait for it to finish.
func (s *Server) start(w http.ResponseWriter, r *http.Request) {
	q, ok := query(w, r, "wait")
	if !ok {
		return
	}
	wait := s.cfg.Wait
	if v, ok := q["wait"]; ok {
		ms, err := strconv.Atoi(v[0])
		if err != nil || ms < 0 {
			fail(w, http.StatusBadRequest, "", map[string]string{"wait": "want milliseconds, 0 or more"})
			return
		}
		wait = min(wait, time.Duration(ms)*time.Millisecond)
	}
	if ct := r.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/x-www-form-urlencoded") {
		fail(w, http.StatusUnsupportedMediaType, "send the form as application/x-www-form-urlencoded", nil)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxForm))
	if err != nil {
		fail(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the form is larger than %d bytes", maxForm), nil)
		return
	}
	values, err := url.ParseQuery(string(body))
	if err != nil {
		fail(w, http.StatusBadRequest, "the form is malformed: "+err.Error(), nil)
		return
	}
	form := map[string]string{}
	bad := map[string]string{}
	for k, v := range values {
		switch {
		case k != "scenario" && k != "replicates" && k != "uncertainty" && k != "interventions" && !slices.ContainsFunc(fields, func(f field) bool { return f.name == k }):
			bad[k] = "unknown field"
		case len(v) > 1:
			bad[k] = "given more than once"
		default:
			form[k] = v[0]
		}
	}
	if len(bad) > 0 {
		fail(w, http.StatusBadRequest, "", bad)
		return
	}
	id, ok := form["scenario"]
	if !ok || id == "" {
		fail(w, http.StatusBadRequest, "", map[string]string{"scenario": "missing: choose a scenario"})
		return
	}
	e, ok := s.catalogue.Entry(id)
	if !ok {
		fail(w, http.StatusBadRequest, "", map[string]string{"scenario": fmt.Sprintf("no scenario %q on this server", id)})
		return
	}
	delete(form, "scenario")
	replicates := 1
	if raw, ok := form["replicates"]; ok {
		n, err := strconv.Atoi(strings.TrimSpace(raw))
		if err != nil || n < 1 || n > s.cfg.MaxReplicates {
			bad["replicates"] = fmt.Sprintf("want a whole number from 1 to %d", s.cfg.MaxReplicates)
		}
		replicates = n
		delete(form, "replicates")
	}
	// uncertainty: "seeds" (the default) runs replicates with seeds S,
	// S+1, …; "posterior" runs the server's parameter sets drawn from the
	// calibration's posterior, set i with seed S+i.
	posterior := false
	switch u, ok := form["uncertainty"]; {
	case !ok || u == "seeds":
	case u != "posterior":
		bad["uncertainty"] = `want "seeds" or "posterior"`
	case s.posterior == nil:
		bad["uncertainty"] = "this server has no calibration posterior (sim serve --posterior FILE)"
	case values.Has("replicates"):
		bad["replicates"] = fmt.Sprintf("over the posterior the server runs its %d parameter sets: leave replicates out", s.cfg.PosteriorSets)
	default:
		posterior, replicates = true, s.cfg.PosteriorSets
	}
	delete(form, "uncertainty")
	rawIV := form["interventions"]
	delete(form, "interventions")
	setsOf, from, changes, more := overrides(e.scenario, s.limits, form)
	maps.Copy(bad, more)
	if len(bad) > 0 {
		fail(w, http.StatusBadRequest, "", bad)
		return
	}
	sc, err := e.parse(setsOf)
	if err != nil {
		fail(w, http.StatusBadRequest, "", loaderFields(err, from))
		return
	}
	steps := len(calendar.Steps(sc.Start, sc.End)) - 1
	ivs, msg := parseInterventions(rawIV, steps)
	if msg != "" {
		fail(w, http.StatusBadRequest, "", map[string]string{"interventions": msg})
		return
	}
	if len(ivs) > 0 {
		if err := applyInterventions(sc, ivs); err != nil {
			fail(w, http.StatusBadRequest, "", map[string]string{"interventions": err.Error()})
			return
		}
		// Check the changed scenario as sim run will read it.
		var b bytes.Buffer
		if err := sc.EncodeTOML(&b); err != nil {
			panic(err)
		}
		if sc, err = scenario.Parse("scenario.toml", b.Bytes()); err != nil {
			fail(w, http.StatusBadRequest, "", map[string]string{"interventions": strings.ReplaceAll(err.Error(), "\n", "; ")})
			return
		}
	}
	var sets [][]string
	if posterior {
		sets = s.posterior.Sample(replicates, uint64(sc.Seed))
		for i, set := range sets {
			if _, err := compare.WithSet(sc, set); err != nil {
				fail(w, http.StatusBadRequest, "", map[string]string{"uncertainty": fmt.Sprintf("%s does not take parameter set %d of the posterior: %s",
					sc.Name, i+1, strings.ReplaceAll(err.Error(), "\n", "; "))})
				return
			}
		}
	}
	var toml bytes.Buffer
	if err := sc.EncodeTOML(&toml); err != nil {
		panic(err)
	}
	fmt.Fprintf(&toml, "\n# replicates %d\n", replicates)
	if posterior {
		fmt.Fprintf(&toml, "# posterior %s\n", s.posterior.Hash)
	}
	sum := sha256.Sum256(toml.Bytes())
	rid := hex.EncodeToString(sum[:16])
	run, cached, err := s.pool.submit(rid, e, sc, changes, setsOf, ivs, replicates, sets, steps)
	if errors.Is(err, errBusy) {
		w.Header().Set("Retry-After", "2")
		fail(w, http.StatusServiceUnavailable, fmt.Sprintf("the server is busy: %d runs are waiting for the %d runners; try again in a few seconds", s.pool.waiting(), s.cfg.Runners), nil)
		return
	}
	if wait > 0 {
		select {
		case <-run.done:
		case <-time.After(wait):
		case <-r.Context().Done():
		}
	}
	v, code := s.view(run)
	v.Cached = cached
	reply(w, code, v)
}

// loaderFields turns the scenario loader's errors into messages by form
// field: an error in an override belongs to the field that made it.
func loaderFields(err error, from []string) map[string]string {
	out := map[string]string{}
	var list scenario.ErrorList
	if !errors.As(err, &list) {
		out["scenario"] = err.Error()
		return out
	}
	for _, e := range list {
		f := "scenario"
		switch {
		case e.File == "--set" && e.Line >= 1 && e.Line <= len(from):
			f = from[e.Line-1]
		case strings.HasPrefix(e.Key, "phases[") && slices.Contains(from, "halt_date"):
			f = "halt_date"
		}
		msg := e.Msg
		if e.Key != "" {
			msg = e.Key + ": " + msg
		}
		if e.Hint != "" {
			msg += " (" + e.Hint + ")"
		}
		if out[f] != "" {
			msg = out[f] + "; " + msg
		}
		out[f] = msg
	}
	return out
}

// runView is the state of a run as the API tells it.
type runView struct {
	ID            string            `json:"id"`
	State         string            `json:"state"`
	Step          int               `json:"step"`
	Steps         int               `json:"steps"`
	Scenario      string            `json:"scenario"`
	Name          string            `json:"name"`
	Changes       string            `json:"changes"`
	Seed          int64             `json:"seed"`
	Households    int               `json:"households"`
	ElapsedMS     int64             `json:"elapsed_ms"`
	Cached        bool              `json:"cached"` // this answer found the run finished earlier: ElapsedMS is that run's time
	Replicates    int               `json:"replicates"`
	Seeds         []int64           `json:"seeds"`
	Posterior     int               `json:"posterior"` // replicates over parameter sets drawn from the posterior: their number; 0 if none
	Interventions []Intervention    `json:"interventions"`
	Phases        []marker          `json:"phases"` // the policy\'s turns, for the charts
	Record        []marker          `json:"record"` // the historical record\'s national shares
	Error         string            `json:"error,omitempty"`
	Summary       *output.Summary   `json:"summary,omitempty"`
	Outcomes      []outcomeView     `json:"outcomes,omitempty"`
	Links         map[string]string `json:"links"`
}

type outcomeView struct {
	Key      string   `json:"key"`
	Label    string   `json:"label"`
	Kind     string   `json:"kind"`
	Value    *float64 `json:"value"` // null where the run has none; the mean over replicates (for a date the median)
	Text     string   `json:"text"`
	Lo       *float64 `json:"lo,omitempty"` // with replicates: the 95% interval of the mean (of a date: the range); over a posterior, the 95% band of the runs
	Hi       *float64 `json:"hi,omitempty"`
	Interval string   `json:"interval,omitempty"`
	Record   string   `json:"record,omitempty"` // the historical figure, where there is one
}

func (s *Server) view(r *run) (runView, int) {
	state, err, elapsed := s.pool.snapshot(r)
	v := runView{ID: r.id, State: state, Step: int(r.step.Load()), Steps: r.steps,
		Scenario: r.entry.ID, Name: r.s.Name, Changes: r.label, Seed: r.s.Seed, Households: r.s.Population.Households,
		ElapsedMS: elapsed.Milliseconds(), Replicates: r.replicates, Posterior: len(r.posterior), Interventions: r.interventions,
		Links: map[string]string{
			"self":   "/api/runs/" + r.id,
			"cancel": "/api/runs/" + r.id + "/cancel",
			"events": "/api/runs/" + r.id + "/events",
		}}
	for i := range r.replicates {
		v.Seeds = append(v.Seeds, r.s.Seed+int64(i))
	}
	if v.Interventions == nil {
		v.Interventions = []Intervention{}
	}
	v.Phases, v.Record = phaseMarkers(r.s), s.recordFor(r.s)
	code := http.StatusAccepted
	switch state {
	case Done:
		code = http.StatusOK
		v.Step = v.Steps
		v.Summary = r.result.Summary
		v.Outcomes = outcomes(r.reps, r.posterior != nil)
		v.Links["data"] = "/api/runs/" + r.id + "/data"
		v.Links["keep"] = "/api/runs/" + r.id + "/keep"
		v.Links["timeseries"] = "/api/runs/" + r.id + "/timeseries.csv"
		v.Links["scenario"] = "/api/runs/" + r.id + "/scenario.toml"
		for _, f := range compare.FigureNames {
			v.Links["chart_"+f] = "/api/runs/" + r.id + "/charts/" + f + ".svg"
		}
	case Failed, Cancelled:
		code = http.StatusOK
		v.Error = err.Error()
	}
	return v, code
}

func (s *Server) reply(w http.ResponseWriter, r *run) {
	v, code := s.view(r)
	reply(w, code, v)
}

// runID matches the IDs of runs.
var runID = regexp.MustCompile(`^[0-9a-f]{32}$`)

// lookup finds the run named by the path's {id} (or, with param "vs", the
// query's), answering 400 or 404 when it cannot.
func (s *Server) lookup(w http.ResponseWriter, id, param string) (*run, bool) {
	if !runID.MatchString(id) {
		fail(w, http.StatusBadRequest, "", map[string]string{param: "not a run ID (32 hexadecimal digits)"})
		return nil, false
	}
	r, ok := s.pool.get(id)
	if !ok {
		fail(w, http.StatusNotFound, "", map[string]string{param: "no such run on this server (finished runs are kept for a while only): run it again"})
		return nil, false
	}
	return r, true
}

// finished finds a run that is done, answering 409 if it is not.
func (s *Server) finished(w http.ResponseWriter, id, param string) (*run, bool) {
	r, ok := s.lookup(w, id, param)
	if !ok {
		return nil, false
	}
	if state, _, _ := s.pool.snapshot(r); state != Done {
		fail(w, http.StatusConflict, "", map[string]string{param: "the run is " + state + ", not done"})
		return nil, false
	}
	return r, true
}

func (s *Server) status(w http.ResponseWriter, r *http.Request) {
	if _, ok := query(w, r); !ok {
		return
	}
	if run, ok := s.lookup(w, r.PathValue("id"), "id"); ok {
		s.reply(w, run)
	}
}

func (s *Server) cancel(w http.ResponseWriter, r *http.Request) {
	if _, ok := query(w, r); !ok {
		return
	}
	run, ok := s.lookup(w, r.PathValue("id"), "id")
	if !ok {
		return
	}
	run.cancel()
	select {
	case <-run.done:
	case <-time.After(s.cfg.Wait):
	}
	s.reply(w, run)
}

func (s *Server) timeseries(w http.ResponseWriter, r *http.Request) {
	if _, ok := query(w, r); !ok {
		return
	}
	run, ok := s.finished(w, r.PathValue("id"), "id")
	if !ok {
		return
	}
	var b bytes.Buffer
	if err := output.WriteTimeseries(&b, run.res, run.s.Scale()); err != nil {
		panic(err)
	}
	download(w, "text/csv; charset=utf-8", run.s.Name+"-"+output.TimeseriesFile, b.Bytes())
}

func (s *Server) scenarioFile(w http.ResponseWriter, r *http.Request) {
	if _, ok := query(w, r); !ok {
		return
	}
	run, ok := s.finished(w, r.PathValue("id"), "id")
	if !ok {
		return
	}
	cmd := "sim run " + run.entry.path
	sc := run.s
	sets := run.sets
	if run.posterior != nil {
		// The first replicate, whose weeks the page showed, ran with the
		// posterior's first parameter set.
		var err error
		if sc, err = compare.WithSet(run.s, run.posterior[0]); err != nil {
			panic(err) // start checked every set
		}
		sets = append(slices.Clone(sets), run.posterior[0]...)
	}
	for _, o := range sets {
		cmd += " --set '" + o + "'"
	}
	for _, iv := range run.interventions {
		cmd += fmt.Sprintf("; then %s at week %d (%s), as a phase below", interventionKinds[iv.Kind], iv.Week, iv.Date)
	}
	var b bytes.Buffer
	if err := output.WriteScenario(&b, sc, s.cfg.Version, cmd); err != nil {
		panic(err)
	}
	download(w, "application/toml; charset=utf-8", run.s.Name+"-"+output.ScenarioFile, b.Bytes())
}

func download(w http.ResponseWriter, ctype, name string, b []byte) {
	w.Header().Set("Content-Type", ctype)
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	w.Header().Set("Content-Length", strconv.Itoa(len(b)))
	w.Write(b)
}

// chart draws one chart of a run, with the run named by the query's "vs"
// beside it. The page names its runs and keeps each run's colour for its
// life: "name" and "colour" (an index into sim compare's palette, from 0)
// give this run's, "vsname" and "vscolour" the other's, so that a
// downloaded chart looks as the page does. Without them the runs are
// "this run" and "compared run", in the palette's order.
func (s *Server) chart(w http.ResponseWriter, r *http.Request) {
	q, ok := query(w, r, "vs", "name", "colour", "vsname", "vscolour")
	if !ok {
		return
	}
	name, ok := strings.CutSuffix(r.PathValue("chart"), ".svg")
	if !ok || !slices.Contains(compare.FigureNames, name) {
		fail(w, http.StatusNotFound, "", map[string]string{"chart": fmt.Sprintf("no chart %q; charts are %s (each .svg)", r.PathValue("chart"), strings.Join(compare.FigureNames, ", "))})
		return
	}
	arm := func(nameKey, colourKey, dflt string) (compare.Arm, bool) {
		a := compare.Arm{Name: dflt}
		if v, ok := q[nameKey]; ok {
			if n := strings.TrimSpace(v[0]); n == "" || len(n) > 40 {
				fail(w, http.StatusBadRequest, "", map[string]string{nameKey: "want a name of 1 to 40 characters"})
				return a, false
			} else {
				a.Name = n
			}
		}
		if v, ok := q[colourKey]; ok {
			c, err := strconv.Atoi(v[0])
			if err != nil || c < 0 || c > 999 {
				fail(w, http.StatusBadRequest, "", map[string]string{colourKey: "want a colour number from 0 to 999"})
				return a, false
			}
			a.Colour = c + 1
		}
		return a, true
	}
	this, ok := arm("name", "colour", "this run")
	if !ok {
		return
	}
	other, ok := arm("vsname", "vscolour", "compared run")
	if !ok {
		return
	}
	if this.Name == other.Name {
		other.Name += " (2)"
	}
	run, ok := s.finished(w, r.PathValue("id"), "id")
	if !ok {
		return
	}
	this.Runs = []*compare.Run{run.result}
	arms := []compare.Arm{this}
	if vs, ok := q["vs"]; ok {
		o, ok := s.finished(w, vs[0], "vs")
		if !ok {
			return
		}
		if o != run {
			other.Runs = []*compare.Run{o.result}
			arms = append(arms, other)
		}
	}
	c, err := compare.New(arms)
	if err != nil {
		// Runs over different dates cannot share an axis: draw this one alone.
		c, _ = compare.New(arms[:1])
	}
	for _, f := range c.Figures() {
		if f.Name != name {
			continue
		}
		svg, err := compare.InlineSVG(f.Figure)
		if err != nil {
			panic(err)
		}
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Header().Set("Cache-Control", "private, max-age=3600") // a run's ID fixes its chart
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?>`+"\n"+svg)
		return
	}
}
