package main

import (
	"fmt"
	"io"
	"slices"
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
		s, err := sf.loadWith(scenario.Check, p)
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
		fmt.Fprintf(stdout, "%s = %s%s%s\n    %s (source: %s; role: %s)\n", p.Key, p.Default, unit, rng, p.Doc, p.Source, p.Role)
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

// RolesMarkdown returns the table of roles in docs/MODEL.md §8.1: for each
// table of a scenario file, its keys by role, the keys of a class (poor,
// middle, kulak) as one; the role most of a table's keys have is written
// "the rest" (or "all").
func RolesMarkdown(params []scenario.Parameter) string {
	type table struct {
		name string
		keys map[scenario.Role][]string
	}
	var tables []*table
	byName := map[string]*table{}
	for _, p := range params {
		name, key := "top level", p.Key
		if head, rest, ok := strings.Cut(p.Key, "."); ok {
			name, key = "`["+head+"]`", rest
			if h, ok := strings.CutSuffix(head, "[]"); ok {
				name = "`[[" + h + "]]`"
			}
		}
		for _, c := range []string{".poor", ".middle", ".kulak"} {
			key = strings.TrimSuffix(key, c)
		}
		t := byName[name]
		if t == nil {
			t = &table{name: name, keys: map[scenario.Role][]string{}}
			byName[name] = t
			tables = append(tables, t)
		}
		if !slices.Contains(t.keys[p.Role], key) {
			t.keys[p.Role] = append(t.keys[p.Role], key)
		}
	}
	var b strings.Builder
	b.WriteString("| table |")
	for _, r := range scenario.Roles {
		b.WriteString(" " + string(r) + " |")
	}
	b.WriteString("\n|---|" + strings.Repeat("---|", len(scenario.Roles)) + "\n")
	for _, t := range tables {
		most := scenario.Roles[0]
		for _, r := range scenario.Roles {
			if len(t.keys[r]) > len(t.keys[most]) {
				most = r
			}
		}
		b.WriteString("| " + t.name + " |")
		for _, r := range scenario.Roles {
			cell := ""
			switch {
			case len(t.keys[r]) == 0:
			case len(t.keys) == 1:
				cell = "all"
			case r == most && t.name != "top level":
				cell = "the rest"
			default:
				cell = "`" + strings.Join(t.keys[r], "`, `") + "`"
			}
			b.WriteString(" " + cell + " |")
		}
		b.WriteString("\n")
	}
	return b.String()
}
