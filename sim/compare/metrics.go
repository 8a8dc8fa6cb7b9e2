package compare

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/stats"
)

// Kind says what a metric measures, and so how it is written.
type Kind uint8

// The kinds of metric.
const (
	Share  Kind = iota // a share of households, 0..1, written as a percentage
	Count              // households or events at real-world scale
	Change             // a relative change (end / start - 1), written as a signed percentage
	Day                // a date, held as days since 1970-01-01
)

// Metric is one key outcome of a run, a row of the outcome table.
type Metric struct {
	Key   string // stable name; the summary.json key where there is one
	Label string // plain words, as in "peak collectivization"
	Kind  Kind
	// Value returns the run's value, or NaN if the run does not have one.
	Value func(*Run) float64
}

// June1930 is the census date of the share shown beside the final share:
// the bottom of the retreat after the halt in the historical record
// (Davies 1980, table 17).
var June1930 = calendar.NewDate(1930, time.June, 1)

// January1931 and January1933 are the ends of 1930 and of 1932: the
// shares a counterfactual is judged by after the campaign's first year and
// at the end of the first five-year plan. A run that does not reach them
// has no share then, and the table leaves the row out.
var (
	January1931 = calendar.NewDate(1931, time.January, 1)
	January1933 = calendar.NewDate(1933, time.January, 1)
)

// Metrics are the rows of the outcome table, in order.
var Metrics = []Metric{
	{"peak_share", "peak collectivization", Share, func(r *Run) float64 { return r.Summary.PeakShare }},
	{"peak_date", "date of the peak", Day, func(r *Run) float64 { return days(r.Summary.PeakDate) }},
	{"peak_reported_share", "peak reported share", Share, func(r *Run) float64 { return r.Summary.PeakReportedShare }},
	{"share_1930_06_01", "share on 1 June 1930", Share, func(r *Run) float64 { return r.ShareOn(June1930) }},
	{"share_1931_01_01", "share on 1 January 1931", Share, func(r *Run) float64 { return r.ShareOn(January1931) }},
	{"share_1933_01_01", "share on 1 January 1933", Share, func(r *Run) float64 { return r.ShareOn(January1933) }},
	{"final_share", "final share", Share, func(r *Run) float64 { return r.Summary.FinalShare }},
	{"total_exits", "households leaving collectives", Count, func(r *Run) float64 { return float64(r.Summary.TotalExits) }},
	{"repressed", "households repressed (fined or worse)", Count, func(r *Run) float64 { return float64(r.Summary.Repressed) }},
	{"arrested_deported", "households arrested or deported", Count, func(r *Run) float64 { return float64(r.Summary.Arrested + r.Summary.Deported) }},
	{"livestock_change", "livestock change", Change, func(r *Run) float64 { return r.Summary.LivestockChange }},
	{"productivity_change", "productivity change", Change, func(r *Run) float64 { return r.Summary.ProductivityChange }},
	{"unrest_events", "disturbances", Count, func(r *Run) float64 { return float64(r.Summary.UnrestEvents) }},
	{"cadres_punished", "cadres punished", Count, func(r *Run) float64 { return float64(r.Summary.CadresPunished) }},
}

// MetricByKey returns the metric named key.
func MetricByKey(key string) (Metric, bool) {
	for _, m := range Metrics {
		if m.Key == key {
			return m, true
		}
	}
	return Metric{}, false
}

// ShareOn returns the country's collective share at the last census on or
// before d, or NaN if the run does not cover d.
func (r *Run) ShareOn(d calendar.Date) float64 {
	last := r.Dates[len(r.Dates)-1]
	if d.Before(r.Dates[0]) || d.After(last.AddDays(6)) {
		return math.NaN()
	}
	v := math.NaN()
	for k, day := range r.Dates {
		if day.After(d) {
			break
		}
		v = r.Country[k].CollectiveShare
	}
	return v
}

// median returns the median of the values of xs that are not NaN, or NaN.
func median(xs []float64) float64 {
	var v []float64
	for _, x := range xs {
		if !math.IsNaN(x) {
			v = append(v, x)
		}
	}
	if len(v) == 0 {
		return math.NaN()
	}
	slices.Sort(v)
	if n := len(v); n%2 == 0 {
		return math.Floor((v[n/2-1] + v[n/2]) / 2)
	}
	return v[len(v)/2]
}

func days(date string) float64 {
	d, err := calendar.ParseDate(date)
	if err != nil {
		return math.NaN()
	}
	return math.Floor(float64(d.Unix()) / 86400)
}

// Cell is a metric of one arm over its runs.
type Cell struct {
	// Summary summarises the runs; with a posterior band, its Lo and Hi
	// are the band's, not the interval of the mean.
	stats.Summary
	// Value is the value shown: the mean, or for a date the median (a mean
	// of dates from runs that peak in different seasons is no date at all).
	Value float64
	Text  string // Value, written for people
	// Interval is, for two runs or more, "[lo, hi]": the 95% interval of
	// the mean, or with a posterior the central 95% band of the runs,
	// clipped to what the quantity can be; for a date "(range lo to hi)",
	// or with a posterior "(band lo to hi)". Else "".
	Interval string
}

// Cell summarises the metric's values xs over an arm's runs. With band, Lo
// and Hi are the central 95% band of the values themselves (stats.Band:
// runs over parameter sets drawn from a posterior); else the 95%
// interval of their mean.
func (m Metric) Cell(xs []float64, band bool) Cell {
	cell := Cell{Summary: stats.Summarize(xs, Level)}
	if band {
		cell.Lo, cell.Hi = stats.Band(xs, Level)
	}
	cell.Value = cell.Mean
	switch {
	case m.Kind == Day:
		cell.Value = median(xs)
		if cell.N > 1 {
			if band {
				cell.Interval = "(band " + m.Format(cell.Lo) + " to " + m.Format(cell.Hi) + ")"
			} else {
				cell.Interval = "(range " + m.Format(cell.Min) + " to " + m.Format(cell.Max) + ")"
			}
		}
	case cell.N > 1:
		lo, hi := cell.Lo, cell.Hi
		if m.Kind == Share || m.Kind == Count {
			lo = math.Max(lo, 0)
		}
		if m.Kind == Share {
			hi = math.Min(hi, 1)
		}
		cell.Interval = "[" + m.Format(lo) + ", " + m.Format(hi) + "]"
	}
	cell.Text = m.Format(cell.Value)
	return cell
}

// Row is a metric of every arm.
type Row struct {
	Metric Metric
	Cells  []Cell // one per arm
}

// Table returns the outcome table: a row per metric, leaving out metrics
// that no arm has (a run that ends before 1 June 1930 has no share then).
func (c *Comparison) Table() []Row {
	var rows []Row
	for _, m := range Metrics {
		row := Row{Metric: m}
		any := false
		for _, a := range c.Arms {
			xs := make([]float64, len(a.Runs))
			for i, r := range a.Runs {
				xs[i] = m.Value(r)
			}
			cell := m.Cell(xs, c.Posterior > 0)
			if cell.N > 0 {
				any = true
			}
			row.Cells = append(row.Cells, cell)
		}
		if any {
			rows = append(rows, row)
		}
	}
	return rows
}

// Format writes a value of the metric for people: 53.4%, 2,251,250,
// −16.3%, 1930-03-15; "—" for NaN.
func (m Metric) Format(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "—"
	}
	switch m.Kind {
	case Share:
		return strconv.FormatFloat(100*v, 'f', 1, 64) + "%"
	case Change:
		return signedPercent(v, 1)
	case Day:
		return time.Unix(int64(math.Round(v))*86400, 0).UTC().Format(time.DateOnly)
	}
	return Thousands(int64(math.Round(v)))
}

// signedPercent writes the change v as a percent with prec decimals and a
// sign: +3.2%, −1.0%, and zero (however rounded) unsigned.
func signedPercent(v float64, prec int) string {
	s := strconv.FormatFloat(100*v, 'f', prec, 64) + "%"
	zero := strconv.FormatFloat(0, 'f', prec, 64) + "%"
	switch {
	case s == zero || s == "-"+zero:
		return zero
	case strings.HasPrefix(s, "-"):
		return "−" + s[1:]
	}
	return "+" + s
}

// Thousands writes n with commas between groups of three digits.
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "−" + b.String()
	}
	return b.String()
}
