package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/collsim/collsim/internal/progress"
	"github.com/collsim/collsim/internal/version"
	"github.com/collsim/collsim/sim/calibrate"
	"github.com/collsim/collsim/sim/compare"
	"github.com/collsim/collsim/sim/output"
	"github.com/collsim/collsim/sim/scenario"
)

func init() {
	register(command{"compare", "run scenarios with the same seeds and write a report of their differences", cmdCompare})
}

func cmdCompare(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("compare", "A.toml B.toml [...] --out report.html [flags]", stderr)
	var sf scenarioFlags
	sf.register(fs)
	replicates := fs.Int("replicates", 1, "runs of each scenario, with seeds S, S+1, ... (S: --seed, else the first scenario's seed); with --posterior, the parameter sets drawn (default 50)")
	posterior := fs.String("posterior", "", "draw each replicate's parameters from the final generation of the calibration's `PARTICLES.csv` (by weight, seeded by S): replicate i of every scenario runs with set i, and intervals become the 95% posterior band of the runs")
	out := fs.String("out", "", "write the report to `FILE` (required; .html or .md)")
	format := fs.String("format", "", "report `format`: html (one self-contained file) or md (Markdown with PNG charts beside it); default from --out")
	workers := countFlag(runtime.NumCPU())
	fs.Var(&workers, "workers", "goroutines stepping each run (results do not depend on it)")
	quiet := fs.Bool("quiet", false, "print nothing but errors")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *posterior != "" && !flagSet(fs, "replicates") {
		*replicates = 50
	}
	if *format == "" {
		*format = "html"
		if strings.EqualFold(filepath.Ext(*out), ".md") {
			*format = "md"
		}
	}
	var bad string
	switch {
	case len(pos) < 2:
		bad = "give two scenario files or more"
	case *out == "":
		bad = "--out is required"
	case *replicates < 1 || *replicates > 1000:
		bad = fmt.Sprintf("--replicates %d: want 1 to 1000", *replicates)
	case *format != "html" && *format != "md":
		bad = fmt.Sprintf("--format %q: want html or md", *format)
	case isDir(*out):
		bad = fmt.Sprintf("--out %s is a folder: give the report's file (hint: --out %s)", *out, filepath.Join(*out, "report."+*format))
	}
	if bad != "" {
		fmt.Fprintf(stderr, "sim compare: %s\n", bad)
		fs.Usage()
		return errUsage
	}
	var scenarios []*scenario.Scenario
	for _, p := range pos {
		s, err := sf.load(p)
		if err != nil {
			return err
		}
		scenarios = append(scenarios, s)
	}

	var post calibrate.Posterior
	var sets [][]string
	if *posterior != "" {
		if post, err = calibrate.ReadPosterior(*posterior); err != nil {
			return fmt.Errorf("--posterior: %w", err)
		}
		sets = post.Sample(*replicates, uint64(scenarios[0].Seed))
	}

	ctx, stop := interruptible()
	defer stop()
	var bar *progress.Reporter
	if !*quiet {
		bar = progress.New(stderr, "compare", len(scenarios)**replicates, progress.Options{Unit: "runs"})
	}
	c, err := compare.Simulate(ctx, scenarios, compare.Options{
		Replicates: *replicates,
		Seed:       scenarios[0].Seed, // --seed, when given, is already there
		Posterior:  sets,
		Workers:    int(workers),
		Version:    version.String(),
		Progress:   func(int, int) { bar.Add(1) },
	})
	bar.Finish()
	if err != nil {
		return err
	}
	info := compare.Info{
		Command:    commandLine("compare", args),
		Version:    version.String(),
		Households: scenarios[0].Population.Households,
	}
	if *posterior != "" {
		info.Posterior, info.PosteriorHash = filepath.ToSlash(*posterior), post.Hash
	}
	if err := writeReport(c, info, *out, *format); err != nil {
		return err
	}
	if !*quiet {
		fmt.Fprintf(stdout, "%s\n  report: %s\n", c.Paragraph(), *out)
	}
	return nil
}

// flagSet reports whether the command line gave the flag name.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// isDir reports whether path is an existing folder.
func isDir(path string) bool {
	fi, err := os.Stat(path)
	return err == nil && fi.IsDir()
}

// writeReport writes the comparison to path as HTML, or as Markdown with a
// PNG per chart beside it (PATH-BASE-<chart>.png).
func writeReport(c *compare.Comparison, info compare.Info, path, format string) error {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	if format == "html" {
		return output.WriteFile(path, func(w io.Writer) error { return c.WriteHTML(w, info) })
	}
	base := strings.TrimSuffix(filepath.Base(path), filepath.Ext(path))
	images := map[string]string{}
	for _, f := range c.Figures() {
		name := base + "-" + f.Name + ".png"
		if err := output.WriteFile(filepath.Join(filepath.Dir(path), name), func(w io.Writer) error { return f.Write(w, "png") }); err != nil {
			return err
		}
		images[f.Name] = name
	}
	return output.WriteFile(path, func(w io.Writer) error { return c.WriteMarkdown(w, info, images) })
}
