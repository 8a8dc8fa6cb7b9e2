package web

import (
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"time"

	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/compare"
	"github.com/collsim/collsim/sim/engine"
	"github.com/collsim/collsim/sim/scenario"
	"github.com/collsim/collsim/sim/stats"
	"github.com/collsim/collsim/sim/targets"
)

// seriesNames are the whole country's quantities the page charts, in the
// order of a frame's and the data's values: shares in percent, counts at
// real-world scale, livestock and productivity in percent of the start.
var seriesNames = []string{"share", "reported", "land", "exits", "fined", "arrested_deported", "livestock", "productivity", "unrest", "joins"}

// values returns the series of one step's (scaled) country row.
func values(row, first engine.Row) []float64 {
	pct := func(x, base float64) float64 {
		if base == 0 {
			return math.NaN()
		}
		return 100 * x / base
	}
	return []float64{
		100 * row.CollectiveShare, 100 * row.ReportedShare, 100 * row.LandShare,
		float64(row.Exits), float64(row.Fined), float64(row.Arrested + row.Deported),
		pct(row.Livestock, first.Livestock), 100 * row.ProductivityIndex,
		float64(row.UnrestEvents), float64(row.Joins),
	}
}

// frame is one week of a run as the page draws it live.
type frame struct {
	Step    int       `json:"step"`
	Date    string    `json:"date"`
	Values  []float64 `json:"values"` // seriesNames
	Cells   []int32   `json:"cells"`  // per village: individual, voluntary, coerced, repressed, removed
	Arrests []int     `json:"arrests,omitempty"`
	Unrest  []int64   `json:"unrest"` // disturbances this week, per region
	// The first frame also says how villages group into regions.
	Regions       []string `json:"regions,omitempty"`
	VillageRegion []int    `json:"village_region,omitempty"`
}

// framer turns the steps of a run into frames.
type framer struct {
	s       *scenario.Scenario
	w       *engine.World
	scale   float64
	first   engine.Row
	counts  []engine.VillageCounts
	removed []int32
}

func newFramer(s *scenario.Scenario, w *engine.World) *framer {
	return &framer{s: s, w: w, scale: s.Scale()}
}

func (f *framer) frame(step int, rows []engine.Row) frame {
	country := scaledCountry(rows, f.scale)
	if step == 0 {
		f.first = country
	}
	fr := frame{Step: step, Date: rows[0].Date.String(), Values: jsonSafe(values(country, f.first))}
	f.counts = f.w.VillageCounts(f.counts[:0])
	fr.Cells = make([]int32, 0, 5*len(f.counts))
	if f.removed == nil {
		f.removed = make([]int32, len(f.counts))
		for _, c := range f.counts {
			fr.VillageRegion = append(fr.VillageRegion, c.Region)
		}
		for _, r := range rows[:len(rows)-1] {
			fr.Regions = append(fr.Regions, r.Region)
		}
	}
	for v, c := range f.counts {
		fr.Cells = append(fr.Cells, c.Individual, c.Voluntary, c.Coerced, c.Repressed, c.Removed)
		if c.Removed > f.removed[v] && step > 0 {
			fr.Arrests = append(fr.Arrests, v)
		}
		f.removed[v] = c.Removed
	}
	for _, r := range rows[:len(rows)-1] {
		fr.Unrest = append(fr.Unrest, r.UnrestEvents)
	}
	return fr
}

// jsonSafe replaces NaN and infinities, which JSON cannot hold, with 0: a
// charted series holds them only where its base is zero.
func jsonSafe(xs []float64) []float64 {
	for i, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			xs[i] = 0
		}
	}
	return xs
}

// events streams a run's weeks to the page as server-sent events: "week"
// events (a frame each) from the query's "from" on, as they are stepped,
// then one "end" event with the run's state.
func (s *Server) events(w http.ResponseWriter, r *http.Request) {
	q, ok := query(w, r, "from")
	if !ok {
		return
	}
	from := 0
	if v, ok := q["from"]; ok {
		n, err := strconv.Atoi(v[0])
		if err != nil || n < 0 || n > 100000 {
			fail(w, http.StatusBadRequest, "", map[string]string{"from": "want a week number from 0"})
			return
		}
		from = n
	}
	run, ok := s.lookup(w, r.PathValue("id"), "id")
	if !ok {
		return
	}
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(time.Time{}) // the request is read; the stream outlives the read timeout
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	write := func(event string, data []byte) bool {
		rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
		if _, err := fmt.Fprintf(w, "event: %s\ndata: %s\n\n", event, data); err != nil {
			return false
		}
		return true
	}
	beat := time.NewTicker(15 * time.Second)
	defer beat.Stop()
	k := from
	for {
		frames, more := run.framesFrom(k)
		finished := false
		select {
		case <-run.done:
			finished = true
			frames, _ = run.framesFrom(k) // every frame is in before done closes
		default:
		}
		for _, b := range frames {
			if !write("week", b) {
				return
			}
			k++
		}
		if finished {
			v, _ := s.view(run)
			b, _ := json.Marshal(v)
			write("end", b)
			rc.Flush()
			return
		}
		if rc.Flush() != nil {
			return
		}
		select {
		case <-more:
		case <-run.done:
		case <-beat.C:
			rc.SetWriteDeadline(time.Now().Add(30 * time.Second))
			if _, err := fmt.Fprint(w, ": still here\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		case <-r.Context().Done():
			return
		}
	}
}

// marker is a dated point on the charts: a figure of the historical record
// or the start of a phase of the policy.
type marker struct {
	Date  string  `json:"date"`
	Value float64 `json:"value,omitempty"` // % of households, for the record
	Label string  `json:"label"`
}

// loadRecord reads the national shares of the historical record.
func loadRecord(path string) ([]marker, error) {
	list, err := targets.Load(path)
	if err != nil {
		return nil, err
	}
	var out []marker
	for _, t := range list {
		if t.Timeseries != "collective_share" || (t.Region != "" && t.Region != engine.All) {
			continue
		}
		out = append(out, marker{Date: t.Date.String(), Value: 100 * t.Value, Label: "record: " + strconv.FormatFloat(100*t.Value, 'f', 1, 64) + "% on " + t.Date.String()})
	}
	return out, nil
}

// phaseLabels are plain words for the phases of the ready scenarios.
var phaseLabels = map[string]string{
	"voluntary":      "voluntary phase",
	"whole-regions":  "whole regions ordered",
	"great-change":   "\"Great Change\" targets",
	"dekulakization": "dekulakization",
	"halt":           "halt called",
	"exit":           "members may leave",
	"private-plots":  "private plots conceded",
	"renewed-drive":  "renewed drive",
	"mass-work":      "mass work",
}

// phaseMarkers returns the start of each phase of s after its first day.
func phaseMarkers(s *scenario.Scenario) []marker {
	var out []marker
	for _, p := range s.Phases.Sorted() {
		if !p.Start.After(s.Start) {
			continue
		}
		label, ok := phaseLabels[p.Name]
		if !ok {
			label = p.Name
			if iv, ok := interventionOfPhase(p.Name); ok {
				label = "you: " + iv
			}
		}
		out = append(out, marker{Date: p.Start.String(), Label: label})
	}
	if !s.UrbanArrival.IsZero() && s.Mechanisms.UrbanCadres {
		out = append(out, marker{Date: s.UrbanArrival.String(), Label: "cadres from the towns arrive"})
	}
	return out
}

// runData is what the page charts of a finished run: every series as the
// mean over the replicates with, for two or more, the 95% interval of the
// mean; the record; and the phases.
type runData struct {
	Dates      []string    `json:"dates"`
	Names      []string    `json:"names"`
	Mean       [][]float64 `json:"mean"`         // [series][step]
	Lo         [][]float64 `json:"lo,omitempty"` // with replicates: the 95% interval of the mean, or over a posterior the 95% band of the runs
	Hi         [][]float64 `json:"hi,omitempty"`
	Replicates int         `json:"replicates"`
	Posterior  int         `json:"posterior"` // parameter sets drawn from the posterior, 0 if none
	Record     []marker    `json:"record"`
	Phases     []marker    `json:"phases"`
}

func (s *Server) data(w http.ResponseWriter, r *http.Request) {
	if _, ok := query(w, r); !ok {
		return
	}
	run, ok := s.finished(w, r.PathValue("id"), "id")
	if !ok {
		return
	}
	reps := run.reps
	d := runData{Names: seriesNames, Replicates: len(reps), Posterior: len(run.posterior), Record: s.recordFor(run.s), Phases: phaseMarkers(run.s)}
	for _, day := range reps[0].Dates {
		d.Dates = append(d.Dates, day.String())
	}
	n := len(d.Dates)
	vals := make([][][]float64, len(reps)) // [rep][step][series]
	for i, rep := range reps {
		for k := range n {
			vals[i] = append(vals[i], values(rep.Country[k], rep.Country[0]))
		}
	}
	d.Mean = make([][]float64, len(seriesNames))
	if len(reps) > 1 {
		d.Lo, d.Hi = make([][]float64, len(seriesNames)), make([][]float64, len(seriesNames))
	}
	xs := make([]float64, len(reps))
	for j := range seriesNames {
		for k := range n {
			for i := range reps {
				xs[i] = vals[i][k][j]
			}
			if len(reps) == 1 {
				d.Mean[j] = append(d.Mean[j], xs[0])
				continue
			}
			sum := stats.Summarize(xs, compare.Level)
			if run.posterior != nil {
				sum.Lo, sum.Hi = stats.Band(xs, compare.Level)
			}
			d.Mean[j] = append(d.Mean[j], sum.Mean)
			d.Lo[j] = append(d.Lo[j], sum.Lo)
			d.Hi[j] = append(d.Hi[j], sum.Hi)
		}
		d.Mean[j] = jsonSafe(d.Mean[j])
		if d.Lo != nil {
			d.Lo[j], d.Hi[j] = jsonSafe(d.Lo[j]), jsonSafe(d.Hi[j])
		}
	}
	w.Header().Set("Cache-Control", "private, max-age=3600") // a run's ID fixes its data
	reply(w, http.StatusOK, d)
}

// recordFor returns the record's points within the dates of s.
func (s *Server) recordFor(sc *scenario.Scenario) []marker {
	var out []marker
	for _, m := range s.record {
		d, err := calendar.ParseDate(m.Date)
		if err == nil && !d.Before(sc.Start) && !d.After(sc.End) {
			out = append(out, m)
		}
	}
	return out
}

// keep holds a finished run for a page that keeps it as its baseline. The
// page renews the hold while it is open.
func (s *Server) keep(w http.ResponseWriter, r *http.Request) {
	if _, ok := query(w, r); !ok {
		return
	}
	run, ok := s.finished(w, r.PathValue("id"), "id")
	if !ok {
		return
	}
	until, err := s.pool.keepFor(run, s.cfg.KeepFor)
	if err != nil {
		fail(w, http.StatusServiceUnavailable, fmt.Sprintf("this server already keeps %d runs for pages: try again later", s.cfg.Keep), nil)
		return
	}
	reply(w, http.StatusOK, map[string]string{"id": run.id, "kept_until": until.UTC().Format(time.RFC3339)})
}
