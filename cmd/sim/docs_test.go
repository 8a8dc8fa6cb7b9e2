package main

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/collsim/collsim/sim/scenario"
	"github.com/collsim/collsim/sim/validity"
)

var updateDocs = flag.Bool("update-docs", false, "rewrite the generated parts of docs/MODEL.md")

// TestModelDocParameters keeps the parameter table of docs/MODEL.md true to
// the code: it must be exactly what `sim params --markdown` prints. Run
// `go test ./cmd/sim -run ModelDoc -update-docs` after changing a parameter.
func TestModelDocParameters(t *testing.T) {
	const path = "../../docs/MODEL.md"
	if syncPart(t, path, "params", ParamsMarkdown(scenario.Parameters())) {
		t.Errorf("the parameter table of %s is out of date: run go test ./cmd/sim -run ModelDoc -update-docs", path)
	}
}

// TestModelDocRoles keeps the table of roles in docs/MODEL.md §8.1 (which
// keys are behaviour, country, policy or run) true to the role tags.
func TestModelDocRoles(t *testing.T) {
	const path = "../../docs/MODEL.md"
	if syncPart(t, path, "roles", RolesMarkdown(scenario.Parameters())) {
		t.Errorf("the table of roles of %s is out of date: run go test ./cmd/sim -run ModelDoc -update-docs", path)
	}
}

// TestModelDocValidity keeps the generated parts of docs/MODEL.md §7
// (Calibration) and §10 (Validity) true to docs/validity/, which
// scripts/validity.sh regenerates: each must be exactly the file
// sim validity-docs wrote there. The script runs this test with
// -update-docs as its last step.
func TestModelDocValidity(t *testing.T) {
	const path = "../../docs/MODEL.md"
	for _, part := range []struct{ name, file string }{
		{"calibration", "../../docs/validity/" + validity.DocsModelCalib},
		{"validity", "../../docs/validity/" + validity.DocsModelValid},
	} {
		want, err := os.ReadFile(part.file)
		if err != nil {
			t.Fatalf("%v: run scripts/validity.sh", err)
		}
		if syncPart(t, path, part.name, string(want)) {
			t.Errorf("the %s part of %s is not %s: run scripts/validity.sh (or go test ./cmd/sim -run ModelDocValidity -update-docs)", part.name, path, part.file)
		}
	}
}

// syncPart compares the part of the file at path between the markers
// <!-- name:begin --> and <!-- name:end --> with want. With -update-docs it
// rewrites a part that differs; without, it reports whether the part is out
// of date, for the caller to say how to fix it.
func syncPart(t *testing.T, path, name, want string) bool {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	begin, end := "<!-- "+name+":begin -->\n", "<!-- "+name+":end -->"
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i {
		t.Fatalf("%s has no %q ... %q markers", path, begin, end)
	}
	if doc[i+len(begin):j] == want {
		return false
	}
	if *updateDocs {
		if err := os.WriteFile(path, []byte(doc[:i+len(begin)]+want+doc[j:]), 0o644); err != nil {
			t.Fatal(err)
		}
		return false
	}
	return true
}
