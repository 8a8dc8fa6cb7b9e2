package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/collsim/collsim/internal/version"
	"github.com/collsim/collsim/sim/scenario"
)

func cmdValidate(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("validate", "FILE.toml [flags]", stderr)
	var sf scenarioFlags
	sf.register(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		fmt.Fprintln(stderr, "sim validate: want a scenario file, got none")
		fs.Usage()
		return errUsage
	}
	for _, p := range pos {
		s, err := sf.load(p)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%s: ok (%s: %d households in %d regions, %d phases, %s to %s)\n",
			p, s.Name, s.Population.Households, len(s.Regions), len(s.Phases), s.Start, s.End)
	}
	return nil
}

func cmdVersion(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("version", "", stderr)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "collsim %s\n", version.String())
	return nil
}

func cmdParams(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("params", "[--markdown]", stderr)
	md := fs.Bool("markdown", false, "print a Markdown table (as in docs/MODEL.md)")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	params := scenario.Parameters()
	if *md {
		fmt.Fprint(stdout, ParamsMarkdown(params))
		return nil
	}
	for _, p := range params {
		rng := ""
		if p.Min != "" || p.Max != "" {
			rng = fmt.Sprintf(" [%s, %s]", p.Min, p.Max)
		}
		unit := ""
		if p.Unit != "" {
			unit = " " + p.Unit
		}
		fmt.Fprintf(stdout, "%s = %s%s%s\n    %s (source: %s)\n", p.Key, p.Default, unit, rng, p.Doc, p.Source)
	}
	return nil
}

// ParamsMarkdown returns the parameter table of docs/MODEL.md.
func ParamsMarkdown(params []scenario.Parameter) string {
	var b strings.Builder
	b.WriteString("| key | default | unit | range | meaning | source |\n|---|---|---|---|---|---|\n")
	for _, p := range params {
		rng := ""
		if p.Min != "" || p.Max != "" {
			rng = p.Min + " – " + p.Max
		}
		def := p.Default
		if def == "" {
			def = "—"
		}
		esc := func(s string) string { return strings.ReplaceAll(s, "|", "\\|") }
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s |\n", p.Key, def, esc(p.Unit), rng, esc(p.Doc), esc(p.Source))
	}
	return b.String()
}
