// Package output writes a run's results in the stable output contract
// (README §Output): timeseries.csv, summary.json, the resolved scenario and
// the chart, each written to a temporary file and renamed into place.
package output

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"

	"github.com/collsim/collsim/sim/engine"
)

// Columns are the columns of timeseries.csv, in order.
var Columns = []string{
	"step", "date", "region", "households", "collective_households", "collective_share", "land_share",
	"reported_share", "joins", "exits", "voluntary_members", "coerced_members", "fined", "disenfranchised",
	"arrested", "deported", "resettled", "livestock", "grain_output", "productivity_index", "unrest_events",
	"cadres_punished", "unrest_participants", "reprisal_arrests",
}

// ScaleRows returns the rows of one step at real-world scale: counts
// multiplied by scale and rounded to whole numbers; shares and the
// productivity index, which do not depend on scale, as simulated. The ALL row
// (last) is the sum of the rounded region rows, so that regions always add up
// to the country.
func ScaleRows(rows []engine.Row, scale float64) []engine.Row {
	out := make([]engine.Row, len(rows))
	n := len(rows) - 1
	all := rows[n]
	sum := engine.Row{Step: all.Step, Date: all.Date, Region: all.Region,
		CollectiveShare: all.CollectiveShare, LandShare: all.LandShare, ReportedShare: all.ReportedShare,
		ProductivityIndex: all.ProductivityIndex}
	c := func(x int64) int64 { return scaleCount(x, scale) }
	for i, r := range rows[:n] {
		s := r
		s.Households, s.CollectiveHouseholds = c(r.Households), c(r.CollectiveHouseholds)
		s.Joins, s.Exits = c(r.Joins), c(r.Exits)
		s.VoluntaryMembers, s.CoercedMembers = c(r.VoluntaryMembers), c(r.CoercedMembers)
		s.Fined, s.Disenfranchised = c(r.Fined), c(r.Disenfranchised)
		s.Arrested, s.Deported, s.Resettled = c(r.Arrested), c(r.Deported), c(r.Resettled)
		s.Threatened, s.Boycotted, s.Stripped, s.Moved, s.Seized = c(r.Threatened), c(r.Boycotted), c(r.Stripped), c(r.Moved), c(r.Seized)
		s.UnrestEvents, s.CadresPunished = c(r.UnrestEvents), c(r.CadresPunished)
		s.UnrestParticipants, s.ReprisalArrests = c(r.UnrestParticipants), c(r.ReprisalArrests)
		s.Coercing, s.Villages = c(r.Coercing), c(r.Villages)
		s.Livestock = math.Round(r.Livestock * scale)
		s.GrainOutput = math.Round(r.GrainOutput * scale)
		out[i] = s

		sum.Households += s.Households
		sum.CollectiveHouseholds += s.CollectiveHouseholds
		sum.Joins += s.Joins
		sum.Exits += s.Exits
		sum.VoluntaryMembers += s.VoluntaryMembers
		sum.CoercedMembers += s.CoercedMembers
		sum.Fined += s.Fined
		sum.Disenfranchised += s.Disenfranchised
		sum.Arrested += s.Arrested
		sum.Deported += s.Deported
		sum.Resettled += s.Resettled
		sum.Threatened += s.Threatened
		sum.Boycotted += s.Boycotted
		sum.Stripped += s.Stripped
		sum.Moved += s.Moved
		sum.Seized += s.Seized
		sum.UnrestEvents += s.UnrestEvents
		sum.UnrestParticipants += s.UnrestParticipants
		sum.ReprisalArrests += s.ReprisalArrests
		sum.CadresPunished += s.CadresPunished
		sum.Coercing += s.Coercing
		sum.Villages += s.Villages
		sum.Livestock += s.Livestock
		sum.GrainOutput += s.GrainOutput
	}
	out[n] = sum
	return out
}

// WriteTimeseries writes timeseries.csv: a header of Columns, then one line
// per step per region (ALL last in each step), at real-world scale.
func WriteTimeseries(w io.Writer, res *engine.Result, scale float64) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(Columns); err != nil {
		return err
	}
	rec := make([]string, len(Columns))
	for _, step := range res.Rows {
		for _, r := range ScaleRows(step, scale) {
			i := 0
			put := func(s string) { rec[i] = s; i++ }
			putI := func(x int64) { put(strconv.FormatInt(x, 10)) }
			putF := func(x float64, prec int) { put(strconv.FormatFloat(x, 'f', prec, 64)) }
			putI(int64(r.Step))
			put(r.Date.String())
			put(r.Region)
			putI(r.Households)
			putI(r.CollectiveHouseholds)
			putF(r.CollectiveShare, 6)
			putF(r.LandShare, 6)
			putF(r.ReportedShare, 6)
			putI(r.Joins)
			putI(r.Exits)
			putI(r.VoluntaryMembers)
			putI(r.CoercedMembers)
			putI(r.Fined)
			putI(r.Disenfranchised)
			putI(r.Arrested)
			putI(r.Deported)
			putI(r.Resettled)
			putF(r.Livestock, 0)
			putF(r.GrainOutput, 0)
			putF(r.ProductivityIndex, 6)
			putI(r.UnrestEvents)
			putI(r.CadresPunished)
			putI(r.UnrestParticipants)
			putI(r.ReprisalArrests)
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
