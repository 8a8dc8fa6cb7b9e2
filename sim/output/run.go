package output

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/collsim/collsim/sim/chart"
	"github.com/collsim/collsim/sim/engine"
	"github.com/collsim/collsim/sim/scenario"
)

// Files written by WriteRun.
const (
	TimeseriesFile = "timeseries.csv"
	SummaryFile    = "summary.json"
	ScenarioFile   = "scenario.toml"
	ChartPNG       = "shares.png"
	ChartSVG       = "shares.svg"
)

// WriteRun writes the output contract of a run of s into dir, creating it:
// timeseries.csv, summary.json, scenario.toml (fully resolved, with the seed,
// version and command in a header) and the chart as PNG and SVG. Each file is
// written to a temporary file and renamed; summary.json is written last, so a
// folder with a summary holds a whole run.
func WriteRun(dir string, s *scenario.Scenario, res *engine.Result, version, command string) (*Summary, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	// A previous run's summary would vouch for files about to be replaced.
	if err := os.Remove(filepath.Join(dir, SummaryFile)); err != nil && !os.IsNotExist(err) {
		return nil, err
	}
	if err := WriteFile(filepath.Join(dir, ScenarioFile), func(w io.Writer) error {
		return WriteScenario(w, s, version, command)
	}); err != nil {
		return nil, err
	}
	if err := WriteFile(filepath.Join(dir, TimeseriesFile), func(w io.Writer) error {
		return WriteTimeseries(w, res, s.Scale())
	}); err != nil {
		return nil, err
	}
	fig := chart.RunShares(s.Name, res)
	for _, f := range []struct{ name, format string }{{ChartPNG, "png"}, {ChartSVG, "svg"}} {
		if err := WriteFile(filepath.Join(dir, f.name), func(w io.Writer) error { return fig.Write(w, f.format) }); err != nil {
			return nil, err
		}
	}
	sum := Summarize(s, res, version)
	if err := WriteFile(filepath.Join(dir, SummaryFile), func(w io.Writer) error { return WriteSummary(w, sum) }); err != nil {
		return nil, err
	}
	return sum, nil
}

// WriteScenario writes the fully resolved scenario with a header saying
// which program wrote it and how to reproduce the run.
func WriteScenario(w io.Writer, s *scenario.Scenario, version, command string) error {
	var body bytes.Buffer
	if err := s.EncodeTOML(&body); err != nil {
		return err
	}
	fmt.Fprintf(w, "# The fully resolved scenario of this run: every default filled in,\n")
	fmt.Fprintf(w, "# every override applied. Rerun it with: sim run scenario.toml\n")
	fmt.Fprintf(w, "# written by collsim %s\n", version)
	if command != "" {
		fmt.Fprintf(w, "# command: %s\n", command)
	}
	fmt.Fprintf(w, "# seed: %d\n\n", s.Seed)
	_, err := w.Write(body.Bytes())
	return err
}
