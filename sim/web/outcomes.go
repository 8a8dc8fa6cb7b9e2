package web

import (
	"fmt"
	"image/color"
	"math"
	"time"

	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/chart"
	"github.com/collsim/collsim/sim/compare"
)

// The census dates of the historical record the page's table shows beside
// compare's metrics: the peak and the bottom of the retreat (Davies 1980,
// tables 16–17).
var (
	march1930  = calendar.NewDate(1930, time.March, 1)
	august1930 = calendar.NewDate(1930, time.August, 1)
)

// pageMetrics are the rows of the page's outcome table: sim compare's, with
// the shares on 1 March and 1 August 1930 that lesson 2 compares with the
// record.
var pageMetrics = func() []compare.Metric {
	var out []compare.Metric
	for _, m := range compare.Metrics {
		out = append(out, m)
		if m.Key == "peak_reported_share" {
			out = append(out, compare.Metric{Key: "share_1930_03_01", Label: "share on 1 March 1930", Kind: compare.Share,
				Value: func(r *compare.Run) float64 { return r.ShareOn(march1930) }})
		}
		if m.Key == "share_1930_06_01" {
			out = append(out, compare.Metric{Key: "share_1930_08_01", Label: "share on 1 August 1930", Kind: compare.Share,
				Value: func(r *compare.Run) float64 { return r.ShareOn(august1930) }})
		}
	}
	return out
}()

// records are the historical figures shown beside the table's rows.
var records = map[string]string{
	"share_1930_03_01": "57.2%",
	"share_1930_08_01": "21.9%",
}

// outcomes returns the outcome table of a run's replicates as sim compare
// writes it (compare.Metric.Cell): the mean (for a date the median) with,
// for two replicates or more, the 95% interval of the mean (for a date the
// range), or with band (replicates over a posterior) the 95% band of the
// runs.
func outcomes(reps []*compare.Run, band bool) []outcomeView {
	var out []outcomeView
	xs := make([]float64, len(reps))
	for _, m := range pageMetrics {
		for i, r := range reps {
			xs[i] = m.Value(r)
		}
		cell := m.Cell(xs, band)
		if cell.N == 0 {
			continue
		}
		value, lo, hi := cell.Value, cell.Lo, cell.Hi
		o := outcomeView{Key: m.Key, Label: m.Label, Kind: kindName(m.Kind), Record: records[m.Key], Text: cell.Text}
		if m.Kind == compare.Day && !band {
			lo, hi = cell.Min, cell.Max
		}
		if m.Kind == compare.Share || m.Kind == compare.Count {
			lo = math.Max(lo, 0)
		}
		if m.Kind == compare.Share {
			hi = math.Min(hi, 1)
		}
		if finite(value) {
			o.Value = &value
		}
		if len(reps) > 1 && finite(lo) && finite(hi) {
			o.Lo, o.Hi = &lo, &hi
			o.Interval = cell.Interval
		}
		out = append(out, o)
	}
	return out
}

func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// paletteHex returns sim compare's colours of successive scenarios as CSS
// colours: the page gives its runs the same colours in the same order.
func paletteHex() []string {
	var out []string
	for _, c := range chart.Palette {
		r, g, b, _ := color.RGBAModel.Convert(c).RGBA()
		out = append(out, fmt.Sprintf("#%02x%02x%02x", r>>8, g>>8, b>>8))
	}
	return out
}
