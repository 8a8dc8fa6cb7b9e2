// Package version reports the program's version: the release number and,
// when the binary was built from a git checkout, the commit it was built from.
package version

import "runtime/debug"

// Release is the version of the model and of its output contract. Change it
// when results for the same scenario and seed change.
const Release = "0.1.0"

// String returns Release, followed by "+" and the first 12 digits of the
// commit (and "-dirty" for uncommitted changes) when the build recorded them.
func String() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return Release
	}
	var rev string
	var dirty bool
	for _, s := range info.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			dirty = s.Value == "true"
		}
	}
	if rev == "" {
		return Release
	}
	if len(rev) > 12 {
		rev = rev[:12]
	}
	v := Release + "+" + rev
	if dirty {
		v += "-dirty"
	}
	return v
}
