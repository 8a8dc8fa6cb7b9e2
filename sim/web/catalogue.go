package web

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/collsim/collsim/sim/scenario"
)

// Entry is a scenario the page offers, resolved when the server starts.
type Entry struct {
	ID          string // path relative to the scenarios folder, with slashes: "whatif/early-halt.toml"
	Group       string // "ready" (the folder's own files) or "what-if" (its whatif/ folder)
	Name        string
	Title       string // plain words for the list
	Description string
	// Alias is the ID of the entry the page lists instead of this one,
	// where both run the same (the page sets the households itself); the
	// alias still runs when asked for by its ID.
	Alias string

	path     string             // the file, for the command line that reproduces a run
	scenario *scenario.Scenario // resolved (extends and defaults applied)
	resolved []byte             // its TOML, which every run parses again with the form's overrides
}

// Catalogue is the scenarios the page offers, in the order it lists them.
type Catalogue struct {
	Entries []*Entry
	Skipped []string // files that did not load, with why
}

// LoadCatalogue reads the scenarios in dir (*.toml) and in dir/whatif
// (*.toml), resolving each one (extends, defaults) once. Files that do not
// load are listed in Skipped, not fatal: one broken file must not keep a
// class from working. Scenarios without phases (bases that others extend)
// are left out.
func LoadCatalogue(dir string) (*Catalogue, error) {
	c := &Catalogue{}
	for _, g := range []struct{ sub, group string }{{"", "ready"}, {"whatif", "what-if"}} {
		files, err := filepath.Glob(filepath.Join(dir, g.sub, "*.toml"))
		if err != nil {
			return nil, err
		}
		slices.Sort(files)
		for _, f := range files {
			s, err := scenario.Load(f)
			if err != nil {
				c.Skipped = append(c.Skipped, fmt.Sprintf("%s: %v", f, strings.ReplaceAll(err.Error(), "\n", "; ")))
				continue
			}
			if len(s.Phases) == 0 {
				continue
			}
			var b bytes.Buffer
			if err := s.EncodeTOML(&b); err != nil {
				return nil, err
			}
			id := filepath.ToSlash(filepath.Join(g.sub, filepath.Base(f)))
			c.Entries = append(c.Entries, &Entry{ID: id, Group: g.group, Name: s.Name, Description: s.Description,
				path: f, scenario: s, resolved: b.Bytes()})
		}
	}
	c.dedupe()
	if len(c.Entries) == 0 {
		if _, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("scenarios folder: %w", err)
		}
		return nil, fmt.Errorf("no scenario in %s or %s loads", dir, filepath.Join(dir, "whatif"))
	}
	return c, nil
}

// dedupe marks entries that run the same as an earlier one, apart from
// their name, description and size, as its aliases, and gives every entry
// its title.
func (c *Catalogue) dedupe() {
	seen := map[string]string{}
	for _, e := range c.Entries {
		e.Title = titles[e.Name]
		if e.Title == "" {
			e.Title = e.Name
		}
		s := *e.scenario
		s.Name, s.Description = "", ""
		s.Population.Households = 0
		var b bytes.Buffer
		if err := s.EncodeTOML(&b); err != nil {
			continue
		}
		if id, ok := seen[b.String()]; ok {
			e.Alias = id
			continue
		}
		seen[b.String()] = e.ID
	}
}

// Entry returns the entry with the given ID.
func (c *Catalogue) Entry(id string) (*Entry, bool) {
	for _, e := range c.Entries {
		if e.ID == id {
			return e, true
		}
	}
	return nil, false
}

// Default returns the entry the page shows first: historical-1929.toml if
// there is one, else the first.
func (c *Catalogue) Default() *Entry {
	if e, ok := c.Entry("historical-1929.toml"); ok {
		return e
	}
	return c.Entries[0]
}

// parse resolves the entry with overrides ("dotted.key=value").
func (e *Entry) parse(overrides []string) (*scenario.Scenario, error) {
	return scenario.Parse(e.ID, e.resolved, overrides...)
}
