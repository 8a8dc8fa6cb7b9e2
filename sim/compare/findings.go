package compare

import (
	"math"
	"slices"
	"strconv"
	"strings"
)

// MaxFindings is the most differences Findings names.
const MaxFindings = 3

// Finding is a difference between arms in one metric.
type Finding struct {
	Metric   Metric
	Lo, Hi   int     // arms with the smallest and the largest mean
	Size     float64 // how large the difference is, relative (see Findings)
	Overlaps bool    // the intervals (or posterior bands) of the two arms overlap
}

// Findings returns the largest differences between arms, largest first: at
// most MaxFindings metrics other than the peak and final shares and the
// exits (which Paragraph always names), and other than a share that repeats
// the final share in every arm, whose arm means differ by 10% or more. The size of a
// difference is the gap between the smallest and the largest mean relative
// to the larger in magnitude, at most 1 (a change of sign, or something
// against nothing), with floors so that tiny quantities do not look large:
// 5 points of share, 2 points of change, 0.1% of the households for counts.
// Equal sizes keep the order of Metrics.
func (c *Comparison) Findings() []Finding {
	if len(c.Arms) < 2 {
		return nil
	}
	households := float64(c.Arms[0].Runs[0].Summary.HouseholdsReal)
	var fs []Finding
	table := c.Table()
	var final []Cell
	for _, row := range table {
		if row.Metric.Key == "final_share" {
			final = row.Cells
		}
	}
	for _, row := range table {
		m := row.Metric
		if m.Kind == Day || m.Key == "peak_share" || m.Key == "final_share" || m.Key == "total_exits" {
			continue
		}
		if m.Kind == Share && slices.EqualFunc(row.Cells, final, func(a, b Cell) bool { return a.Text == b.Text }) {
			continue // the share at a date the run ends on repeats the final share
		}
		lo, hi := -1, -1
		for i, cell := range row.Cells {
			if cell.N == 0 {
				continue
			}
			if lo < 0 || cell.Mean < row.Cells[lo].Mean {
				lo = i
			}
			if hi < 0 || cell.Mean > row.Cells[hi].Mean {
				hi = i
			}
		}
		if lo < 0 || lo == hi {
			continue
		}
		a, b := row.Cells[lo], row.Cells[hi]
		floor := map[Kind]float64{Share: 0.05, Change: 0.02, Count: 0.001 * households}[m.Kind]
		size := math.Min(1, (b.Mean-a.Mean)/math.Max(floor, math.Max(math.Abs(a.Mean), math.Abs(b.Mean))))
		if size < 0.1 {
			continue
		}
		overlap := a.N > 1 && b.N > 1 && a.Hi >= b.Lo
		fs = append(fs, Finding{Metric: m, Lo: lo, Hi: hi, Size: size, Overlaps: overlap})
	}
	slices.SortStableFunc(fs, func(x, y Finding) int {
		switch {
		case x.Size > y.Size:
			return -1
		case x.Size < y.Size:
			return 1
		}
		return 0
	})
	return fs[:min(len(fs), MaxFindings)]
}

// Paragraph writes in plain words the peak and the final share of each arm
// (saying so when their order reverses), why each arm took its course as its
// own figures show it (see Why), and the largest other differences, e.g.
// "Peak collectivization: 56% (historical) vs 24% (voluntary); at the end:
// 28% (historical) vs 48% (voluntary): the order reverses. Why: …"
func (c *Comparison) Paragraph() string {
	if len(c.Arms) < 2 {
		return "Only one scenario: nothing to compare."
	}
	cells := map[string][]Cell{}
	for _, r := range c.Table() {
		cells[r.Metric.Key] = r.Cells
	}
	var b strings.Builder
	if peak, ok := MetricByKey("peak_share"); ok {
		var vs []string
		for i, a := range c.Arms {
			vs = append(vs, Round(peak, cells[peak.Key][i].Mean)+" ("+a.Name+")")
		}
		b.WriteString("Peak collectivization: " + strings.Join(vs, " vs "))
	}
	if final, ok := MetricByKey("final_share"); ok {
		var vs []string
		for i, a := range c.Arms {
			vs = append(vs, Round(final, cells[final.Key][i].Mean)+" ("+a.Name+")")
		}
		b.WriteString("; at the end: " + strings.Join(vs, " vs "))
		if reverses(cells["peak_share"], cells[final.Key]) {
			b.WriteString(": the order reverses")
		}
		b.WriteString(". ")
	}
	b.WriteString("Why: " + c.Why() + " ")
	fs := c.Findings()
	if len(fs) == 0 {
		b.WriteString("No other key outcome differs by 10% or more.")
		return b.String()
	}
	var parts []string
	for _, f := range fs {
		row := cells[f.Metric.Key]
		var s string
		if len(c.Arms) == 2 {
			// In the order of the arms: "A's value vs B's value".
			s = f.Metric.Label + " " + Round(f.Metric, row[0].Mean) + " (" + c.Arms[0].Name + ") vs " +
				Round(f.Metric, row[1].Mean) + " (" + c.Arms[1].Name + ")"
		} else {
			s = f.Metric.Label + " from " + Round(f.Metric, row[f.Lo].Mean) + " (" + c.Arms[f.Lo].Name + ") to " +
				Round(f.Metric, row[f.Hi].Mean) + " (" + c.Arms[f.Hi].Name + ")"
		}
		switch {
		case f.Overlaps && c.Posterior > 0:
			s += " (the 95% posterior bands overlap)"
		case f.Overlaps:
			s += " (the 95% intervals overlap: this may be chance)"
		}
		parts = append(parts, s)
	}
	if len(parts) == 1 {
		b.WriteString("The largest other difference: ")
	} else {
		b.WriteString("The largest other differences: ")
	}
	b.WriteString(strings.Join(parts, "; ") + ".")
	return b.String()
}

// Round writes a value for prose: shares and changes to whole percents,
// counts to three significant digits.
func Round(m Metric, v float64) string {
	if math.IsNaN(v) {
		return "—"
	}
	switch m.Kind {
	case Share:
		return strconv.FormatFloat(100*v, 'f', 0, 64) + "%"
	case Change:
		return signedPercent(v, 0)
	case Count:
		n := math.Round(v)
		if a := math.Abs(n); a >= 1000 {
			p := math.Pow(10, math.Floor(math.Log10(a))-2)
			n = math.Round(n/p) * p
		}
		return Thousands(int64(n))
	}
	return m.Format(v)
}

// reverses reports whether the arm with the highest peak ends with the
// lowest final share of all, or the arm with the lowest peak with the
// highest, by more than a point.
func reverses(peak, final []Cell) bool {
	if len(peak) < 2 || len(final) != len(peak) {
		return false
	}
	hi, lo := 0, 0
	for i := range peak {
		if peak[i].Mean > peak[hi].Mean {
			hi = i
		}
		if peak[i].Mean < peak[lo].Mean {
			lo = i
		}
	}
	if hi == lo {
		return false
	}
	return final[lo].Mean > final[hi].Mean+0.01
}

// Why says, arm by arm and from the arm's own mean figures, how its
// collectives filled and emptied: the share of members at its peak who had
// joined under coercion, the households repressed, and how many left its
// collectives, as a share of those who had joined. It names the mechanisms
// the model measures; it does not attribute more than they show.
func (c *Comparison) Why() string {
	var parts []string
	for _, a := range c.Arms {
		var coerced, repressed, joins, exits float64
		for _, r := range a.Runs {
			k := 0
			for i, row := range r.Country {
				if row.CollectiveShare > r.Country[k].CollectiveShare {
					k = i
				}
			}
			if m := r.Country[k].CollectiveHouseholds; m > 0 {
				coerced += float64(r.Country[k].CoercedMembers) / float64(m)
			}
			repressed += float64(r.Summary.Repressed)
			joins += float64(r.Summary.TotalJoins)
			exits += float64(r.Summary.TotalExits)
		}
		n := float64(len(a.Runs))
		coerced, repressed, joins, exits = coerced/n, repressed/n, joins/n, exits/n
		how := "by persuasion and example"
		switch {
		case coerced >= 0.5:
			how = "mostly under coercion"
		case coerced >= 0.1:
			how = "partly under coercion"
		}
		s := a.Name + "'s members joined " + how + " (" + Round(Metric{Kind: Share}, coerced) + " of them coerced at the peak; " +
			Round(Metric{Kind: Count}, repressed) + " households repressed), and " + Round(Metric{Kind: Count}, exits) + " left"
		if joins > 0 {
			s += " (" + Round(Metric{Kind: Share}, exits/joins) + " of the " + Round(Metric{Kind: Count}, joins) + " who joined)"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ") + "."
}
