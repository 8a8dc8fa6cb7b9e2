package output

import (
	"encoding/json"
	"io"
	"math"

	"github.com/collsim/collsim/sim/engine"
	"github.com/collsim/collsim/sim/scenario"
)

// Summary is the content of summary.json: a run's key outcomes at real-world
// scale, with what is needed to reproduce it. Field names are stable; sweeps
// and comparisons address them by their JSON keys.
type Summary struct {
	Scenario            string  `json:"scenario"`
	Seed                int64   `json:"seed"`
	Version             string  `json:"version"`
	HouseholdsSimulated int     `json:"households_simulated"`
	HouseholdsReal      int64   `json:"households_real"`
	Scale               float64 `json:"scale"`
	Start               string  `json:"start"`
	End                 string  `json:"end"`
	Steps               int     `json:"steps"`

	PeakShare         float64  `json:"peak_share"`
	PeakDate          string   `json:"peak_date"`
	PeakReportedShare float64  `json:"peak_reported_share"`
	PeakLandShare     float64  `json:"peak_land_share"`
	FinalShare        float64  `json:"final_share"`
	FinalLandShare    float64  `json:"final_land_share"`
	FinalReported     float64  `json:"final_reported_share"`
	HaltDate          string   `json:"halt_date"` // "" if no halt
	HaltedByRule      bool     `json:"halted_by_rule"`
	ShareAtHalt       *float64 `json:"share_at_halt"`

	TotalJoins int64 `json:"total_joins"`
	TotalExits int64 `json:"total_exits"`

	Threatened      int64 `json:"threatened"`
	Fined           int64 `json:"fined"`
	Disenfranchised int64 `json:"disenfranchised"`
	Boycotted       int64 `json:"boycotted"`
	Stripped        int64 `json:"stripped"`
	Moved           int64 `json:"moved"`
	Seized          int64 `json:"seized"`
	Arrested        int64 `json:"arrested"`
	Deported        int64 `json:"deported"`
	Resettled       int64 `json:"resettled"`
	Repressed       int64 `json:"repressed"` // fined or worse
	CadresPunished  int64 `json:"cadres_punished"`
	UnrestEvents    int64 `json:"unrest_events"`
	// Households taking part in disturbances (summed over the weeks), and
	// of them those arrested afterwards (not in arrested, which counts
	// category 1 only).
	UnrestParticipants int64 `json:"unrest_participants"`
	ReprisalArrests    int64 `json:"reprisal_arrests"`
	Slaughters         int64 `json:"slaughters"`
	Thefts             int64 `json:"thefts"`

	LivestockStart  float64 `json:"livestock_start"`
	LivestockEnd    float64 `json:"livestock_end"`
	LivestockChange float64 `json:"livestock_change"` // end / start - 1

	ProductivityEnd                  float64  `json:"productivity_end"`
	ProductivityMin                  float64  `json:"productivity_min"`
	ProductivityChange               float64  `json:"productivity_change"` // end - 1
	ProductivityVoluntaryCollectives *float64 `json:"productivity_voluntary_collectives"`
	ProductivityCoercedCollectives   *float64 `json:"productivity_coerced_collectives"`
	GrainOutput                      float64  `json:"grain_output"`

	Regions map[string]RegionSummary `json:"regions"`
}

// RegionSummary is a region's key outcomes.
type RegionSummary struct {
	PeakShare       float64  `json:"peak_share"`
	PeakDate        string   `json:"peak_date"`
	FinalShare      float64  `json:"final_share"`
	ShareAtHalt     *float64 `json:"share_at_halt"`
	Repressed       int64    `json:"repressed"`
	Exits           int64    `json:"exits"`
	LivestockChange float64  `json:"livestock_change"`

	UnrestEvents       int64 `json:"unrest_events"`
	UnrestParticipants int64 `json:"unrest_participants"`
}

// Summarize computes the summary of a run of s.
func Summarize(s *scenario.Scenario, res *engine.Result, version string) *Summary {
	scale := s.Scale()
	n := len(res.Regions) - 1
	first := ScaleRows(res.Rows[0], scale)
	last := ScaleRows(res.Rows[len(res.Rows)-1], scale)
	sum := &Summary{
		Scenario:            s.Name,
		Seed:                s.Seed,
		Version:             version,
		HouseholdsSimulated: s.Population.Households,
		HouseholdsReal:      first[n].Households,
		Scale:               scale,
		Start:               res.Dates[0].String(),
		End:                 res.Dates[len(res.Dates)-1].String(),
		Steps:               len(res.Dates) - 1,
		Regions:             map[string]RegionSummary{},
	}
	haltStep := -1
	if !res.HaltedOn.IsZero() {
		sum.HaltDate = res.HaltedOn.String()
		sum.HaltedByRule = res.HaltedByRule
		// The share at the halt is the share at the last census before it.
		for k, d := range res.Dates {
			if d.Before(res.HaltedOn) {
				haltStep = k
			}
		}
	}
	sum.ProductivityMin = math.Inf(1)
	for k, step := range res.Rows {
		a := step[n]
		if a.CollectiveShare > sum.PeakShare || k == 0 {
			sum.PeakShare, sum.PeakDate = a.CollectiveShare, a.Date.String()
		}
		sum.PeakReportedShare = math.Max(sum.PeakReportedShare, a.ReportedShare)
		sum.PeakLandShare = math.Max(sum.PeakLandShare, a.LandShare)
		sum.ProductivityMin = math.Min(sum.ProductivityMin, a.ProductivityIndex)
		if k == haltStep {
			sum.ShareAtHalt = ptr(round6(a.CollectiveShare))
		}
	}
	l := last[n]
	sum.FinalShare, sum.FinalLandShare, sum.FinalReported = round6(l.CollectiveShare), round6(l.LandShare), round6(l.ReportedShare)
	sum.PeakShare, sum.PeakReportedShare, sum.PeakLandShare = round6(sum.PeakShare), round6(sum.PeakReportedShare), round6(sum.PeakLandShare)
	sum.ProductivityMin = round6(sum.ProductivityMin)
	sum.Threatened = l.Threatened
	sum.Fined, sum.Disenfranchised = l.Fined, l.Disenfranchised
	sum.Boycotted, sum.Stripped, sum.Moved, sum.Seized = l.Boycotted, l.Stripped, l.Moved, l.Seized
	sum.Arrested, sum.Deported, sum.Resettled = l.Arrested, l.Deported, l.Resettled
	sum.Repressed = l.Fined
	sum.CadresPunished = l.CadresPunished
	tot := res.Totals[n]
	sum.TotalJoins = scaleCount(tot.Joins, scale)
	sum.TotalExits = scaleCount(tot.Exits, scale)
	sum.UnrestEvents = scaleCount(tot.Unrest, scale)
	sum.UnrestParticipants = scaleCount(tot.Participants, scale)
	sum.ReprisalArrests = scaleCount(tot.ReprisalArrests, scale)
	sum.Slaughters = scaleCount(tot.Slaughters, scale)
	sum.Thefts = scaleCount(tot.Thefts, scale)
	sum.GrainOutput = math.Round(tot.GrainOutput * scale)
	sum.LivestockStart, sum.LivestockEnd = first[n].Livestock, l.Livestock
	if sum.LivestockStart > 0 {
		sum.LivestockChange = round6(sum.LivestockEnd/sum.LivestockStart - 1)
	}
	sum.ProductivityEnd = round6(l.ProductivityIndex)
	sum.ProductivityChange = round6(l.ProductivityIndex - 1)
	sum.ProductivityVoluntaryCollectives = finite(tot.ProductivityVoluntaryCollectives)
	sum.ProductivityCoercedCollectives = finite(tot.ProductivityCoercedCollectives)

	for r := 0; r < n; r++ {
		rs := RegionSummary{FinalShare: round6(last[r].CollectiveShare), Repressed: last[r].Fined,
			Exits:        scaleCount(res.Totals[r].Exits, scale),
			UnrestEvents: scaleCount(res.Totals[r].Unrest, scale), UnrestParticipants: scaleCount(res.Totals[r].Participants, scale)}
		for k, step := range res.Rows {
			if step[r].CollectiveShare > rs.PeakShare || k == 0 {
				rs.PeakShare, rs.PeakDate = step[r].CollectiveShare, step[r].Date.String()
			}
			if k == haltStep {
				rs.ShareAtHalt = ptr(round6(step[r].CollectiveShare))
			}
		}
		rs.PeakShare = round6(rs.PeakShare)
		if first[r].Livestock > 0 {
			rs.LivestockChange = round6(last[r].Livestock/first[r].Livestock - 1)
		}
		sum.Regions[res.Regions[r]] = rs
	}
	return sum
}

// WriteSummary writes sum as indented JSON.
func WriteSummary(w io.Writer, sum *Summary) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sum)
}

func scaleCount(x int64, scale float64) int64 { return int64(math.Round(float64(x) * scale)) }

func ptr(x float64) *float64 { return &x }

func finite(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return ptr(round6(x))
}

func round6(x float64) float64 { return math.Round(x*1e6) / 1e6 }
