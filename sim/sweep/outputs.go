package sweep

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"maps"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/collsim/collsim/internal/strict"
	"github.com/collsim/collsim/sim/calendar"
	"github.com/collsim/collsim/sim/engine"
	"github.com/collsim/collsim/sim/output"
	"github.com/collsim/collsim/sim/scenario"
)

// Output is an outcome summarised over the runs of a sweep: a number of a
// run's summary.json, or of its timeseries.csv at a region and a date. Its
// value is the number as those files write it.
type Output struct {
	Name   string        // the column of runs.csv
	Key    []string      // the path in summary.json; nil for a timeseries output
	Column string        // the column of timeseries.csv
	Region string        // the region of timeseries.csv ("ALL": the country)
	Date   calendar.Date // the last step on or before it
}

// newOutput resolves an output of a sweep over the scenario base. On a
// problem it returns the key of the spec at fault, a message and a hint.
func newOutput(spec OutputSpec, base *scenario.Scenario) (o Output, key, msg, hint string) {
	regions := []string{"ALL"}
	for _, r := range base.Regions {
		regions = append(regions, r.Name)
	}
	o.Name = spec.Name
	if spec.Summary != "" {
		segs, ok := strict.SplitKey(spec.Summary)
		if !ok {
			return o, "summary", fmt.Sprintf("%q is not a key", spec.Summary), `separate parts with dots and quote a part with spaces: 'regions."North Caucasus".peak_share'`
		}
		if msg, hint := checkSummaryKey(segs, regions); msg != "" {
			return o, "summary", msg, hint
		}
		o.Key = segs
		if o.Name == "" {
			o.Name = spec.Summary
		}
		return o, "", "", ""
	}
	if !slices.Contains(output.Columns[3:], spec.Timeseries) {
		hint := "columns are " + strings.Join(output.Columns[3:], ", ")
		if c := strict.Closest(spec.Timeseries, output.Columns[3:]); c != "" {
			hint = fmt.Sprintf("did you mean %q?", c)
		}
		return o, "timeseries", fmt.Sprintf("no column %q in timeseries.csv", spec.Timeseries), hint
	}
	if !slices.Contains(regions, spec.Region) {
		return o, "region", fmt.Sprintf("no region %q", spec.Region), "regions are " + quoteAll(regions)
	}
	d, ok := spec.Date.date()
	if !ok {
		return o, "date", "want a date \"YYYY-MM-DD\", got " + describe(spec.Date), ""
	}
	if d.Before(base.Start) {
		return o, "date", fmt.Sprintf("%s is before the start of the base scenario, %s", d, base.Start), ""
	}
	o.Column, o.Region, o.Date = spec.Timeseries, spec.Region, d
	if o.Name == "" {
		o.Name = fmt.Sprintf("%s[%s,%s]", o.Column, o.Region, o.Date)
	}
	return o, "", "", ""
}

// checkSummaryKey checks that the path segs leads to a number (or a
// boolean, counted as 0 or 1) of summary.json.
func checkSummaryKey(segs []string, regions []string) (msg, hint string) {
	sum := output.Summary{Regions: map[string]output.RegionSummary{}}
	for _, r := range regions[1:] {
		sum.Regions[r] = output.RegionSummary{}
	}
	var cur any = jsonTree(&sum)
	path := ""
	for _, seg := range segs {
		m, ok := cur.(map[string]any)
		if !ok {
			return fmt.Sprintf("summary.json has no key %s: %s is a value", strict.JoinKey(path, seg), path), ""
		}
		v, ok := m[seg]
		if !ok {
			keys := slices.Sorted(maps.Keys(m))
			hint := "keys are " + strings.Join(keys, ", ")
			if path == "regions" {
				hint = "regions are " + quoteAll(keys)
			}
			if c := strict.Closest(seg, keys); c != "" {
				hint = fmt.Sprintf("did you mean %q?", c)
			}
			return fmt.Sprintf("summary.json has no key %s", strict.JoinKey(path, seg)), hint
		}
		path = strict.JoinKey(path, seg)
		cur = v
	}
	switch x := cur.(type) {
	case map[string]any:
		return fmt.Sprintf("%s is a table of summary.json, not a number", path), "name one of its keys: " + strings.Join(slices.Sorted(maps.Keys(x)), ", ")
	case string:
		return fmt.Sprintf("%s is a string in summary.json, not a number", path), ""
	}
	return "", ""
}

// summaryNullable reports whether the number at the path segs of
// summary.json may be null (NaN as an output): a value that is not always
// defined, such as share_at_halt.
func summaryNullable(segs []string) bool {
	sum := output.Summary{Regions: map[string]output.RegionSummary{}}
	if len(segs) > 1 && segs[0] == "regions" {
		sum.Regions[segs[1]] = output.RegionSummary{}
	}
	return math.IsNaN(summaryValue(jsonTree(&sum), segs))
}

// jsonTree returns v as encoding/json would decode its JSON into an any.
func jsonTree(v any) any {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	var t any
	if err := json.Unmarshal(b, &t); err != nil {
		panic(err)
	}
	return t
}

// measure returns the value of each output for the run of s that gave res:
// NaN where summary.json has null or the run has no step on or before the
// date.
func measure(outputs []Output, s *scenario.Scenario, res *engine.Result) ([]float64, error) {
	vals := make([]float64, len(outputs))
	var sum any
	var ts [][]string
	for i, o := range outputs {
		if o.Key != nil {
			if sum == nil {
				sum = jsonTree(output.Summarize(s, res, ""))
			}
			vals[i] = summaryValue(sum, o.Key)
			continue
		}
		if ts == nil {
			var b bytes.Buffer
			if err := output.WriteTimeseries(&b, res, s.Scale()); err != nil {
				return nil, err
			}
			var err error
			if ts, err = csv.NewReader(&b).ReadAll(); err != nil {
				return nil, err
			}
		}
		v, err := timeseriesValue(ts, res.Dates, o)
		if err != nil {
			return nil, err
		}
		vals[i] = v
	}
	return vals, nil
}

// summaryValue returns the number at path in the decoded summary.json.
func summaryValue(sum any, path []string) float64 {
	cur := sum
	for _, seg := range path {
		m, ok := cur.(map[string]any)
		if !ok {
			return math.NaN()
		}
		cur = m[seg]
	}
	switch x := cur.(type) {
	case float64:
		return x
	case bool:
		if x {
			return 1
		}
		return 0
	}
	return math.NaN()
}

// timeseriesValue returns the value of timeseries.csv (records ts, header
// first) in o's column and region at the last step on or before o's date.
func timeseriesValue(ts [][]string, dates []calendar.Date, o Output) (float64, error) {
	step := -1
	for k, d := range dates {
		if !d.After(o.Date) {
			step = k
		}
	}
	if step < 0 {
		return math.NaN(), nil
	}
	col := slices.Index(ts[0], o.Column)
	date := dates[step].String()
	for _, rec := range ts[1:] {
		if rec[1] == date && rec[2] == o.Region {
			return strconv.ParseFloat(rec[col], 64)
		}
	}
	return 0, fmt.Errorf("timeseries.csv has no row for %s on %s", o.Region, date)
}

// quoteAll quotes each string and joins them with commas.
func quoteAll(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = strconv.Quote(s)
	}
	return strings.Join(q, ", ")
}

// CheckOutput checks an output spec against the scenario base: it returns
// the key of the spec at fault (summary, timeseries, region or date), a
// message and a hint, or three empty strings if the output can be measured.
func CheckOutput(spec OutputSpec, base *scenario.Scenario) (key, msg, hint string) {
	_, key, msg, hint = newOutput(spec, base)
	return key, msg, hint
}
