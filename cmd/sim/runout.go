package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/collsim/collsim/sim/output"
)

// runFiles are the files sim run writes into its output folder.
var runFiles = []string{output.TimeseriesFile, output.SummaryFile, output.ScenarioFile, output.ChartPNG, output.ChartSVG}

// scenarioHeader starts every scenario.toml that sim run writes.
const scenarioHeader = "# The fully resolved scenario of this run"

// checkRunOut checks the output folder of sim run before the run. It may
// be missing, empty or hold a previous run (its files, and the temporary
// files of one cut short); a folder that holds anything else — a
// hand-written scenario.toml, the scenarios, the root — is refused unless
// force is set, and then others reports true.
func checkRunOut(dir string, force bool) (others bool, err error) {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return false, nil
	case err != nil:
		return false, err
	case !fi.IsDir():
		return false, fmt.Errorf("--out %s is not a folder", dir)
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return false, err
	}
	var foreign []string
	for _, e := range ents {
		name := e.Name()
		switch {
		case isRunTemp(name):
		case !slices.Contains(runFiles, name) || !e.Type().IsRegular():
			foreign = append(foreign, name)
		case name == output.ScenarioFile && !writtenByRun(filepath.Join(dir, name)):
			foreign = append(foreign, name+" (not written by sim run)")
		}
	}
	if len(foreign) == 0 {
		return false, nil
	}
	if force {
		return true, nil
	}
	if len(foreign) > 5 {
		foreign = append(foreign[:5], fmt.Sprintf("and %d more", len(foreign)-5))
	}
	return false, fmt.Errorf("--out %s holds files a run does not write (%s): a run replaces the whole folder (hint: choose a new or empty folder, or add --force to write the run's files beside them)",
		dir, strings.Join(foreign, ", "))
}

// isRunTemp reports whether name is a temporary file of output.WriteFile
// for one of runFiles (".summary.json.tmp-123"), left by a run cut short.
func isRunTemp(name string) bool {
	for _, f := range runFiles {
		if strings.HasPrefix(name, "."+f+".tmp-") {
			return true
		}
	}
	return false
}

// writtenByRun reports whether the file at path begins as the scenario.toml
// that sim run writes.
func writtenByRun(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	b := make([]byte, len(scenarioHeader))
	n, _ := f.Read(b)
	return string(b[:n]) == scenarioHeader
}

// writeRunDir has write fill a fresh temporary folder beside dir and then
// swaps it in for dir whole, so that dir holds the previous run, or this
// one, and never a mix of the two, whatever fails or kills the process on
// the way. Temporary folders that runs killed meanwhile left beside dir
// are removed first.
func writeRunDir(dir string, write func(tmp string) error) (err error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	parent, base := filepath.Dir(abs), filepath.Base(abs)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return err
	}
	removeOrphans(parent, "."+base+".tmp-")
	tmp, release, err := makeTempDir(parent, "."+base+".tmp-")
	if err != nil {
		return err
	}
	defer release()
	defer func() {
		if err != nil {
			os.RemoveAll(tmp)
		}
	}()
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := write(tmp); err != nil {
		return err
	}
	if err := swapDirs(tmp, abs); err != nil {
		return fmt.Errorf("moving the run into %s: %w", dir, err)
	}
	os.RemoveAll(tmp) // now the previous run, if there was one
	return output.SyncDir(parent)
}

// removeRunTemps removes the temporary files of runFiles in dir that a run
// cut short left there.
func removeRunTemps(dir string) {
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if isRunTemp(e.Name()) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}

// swapByRenames puts the folder tmp in place of dir with two renames,
// where the file system cannot exchange them in one: dir moves aside to a
// name beside it, tmp takes its place, and the old folder takes tmp's
// name. A crash between the renames leaves the old run beside dir, whole,
// as .NAME.old-*.
func swapByRenames(tmp, dir string) error {
	if _, err := os.Lstat(dir); os.IsNotExist(err) {
		return os.Rename(tmp, dir)
	}
	aside := filepath.Join(filepath.Dir(tmp), strings.Replace(filepath.Base(tmp), ".tmp-", ".old-", 1))
	if err := os.Rename(dir, aside); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		os.Rename(aside, dir)
		return err
	}
	return os.Rename(aside, tmp)
}
