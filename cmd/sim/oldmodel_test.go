package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// newMechanisms are the switches added since 1e938e8: those of issue 10
// (resistance and timing) and rest_start (issue 13, the initial state). With
// all of them off the model must be the one of 1e938e8, whose outputs are
// kept in testdata/model-1e938e8 (historical-1929, 20,000 households, seed 7,
// run by that commit's binary).
var newMechanisms = []string{"resistance", "signal", "reprisals", "unrest_retreat", "exposure", "directive_uptake", "rest_start"}

// TestOldModelReturns: with the new mechanisms off, every column and every
// summary figure the old model wrote is byte for byte what it wrote.
// Columns and keys added since are appended and ignored here.
func TestOldModelReturns(t *testing.T) {
	const ref = "testdata/model-1e938e8"
	dir := t.TempDir()
	args := []string{"run", filepath.Join(ref, "scenario.toml"), "--out", dir, "--quiet"}
	for _, m := range newMechanisms {
		args = append(args, "--set", "mechanisms."+m+"=false")
	}
	if code, _, e := sim(t, args...); code != 0 {
		t.Fatal(e)
	}

	want, _ := os.ReadFile(filepath.Join(ref, "timeseries.csv"))
	got, err := os.ReadFile(filepath.Join(dir, "timeseries.csv"))
	if err != nil {
		t.Fatal(err)
	}
	wl := strings.Split(strings.TrimSpace(string(want)), "\n")
	gl := strings.Split(strings.TrimSpace(string(got)), "\n")
	if len(wl) != len(gl) {
		t.Fatalf("timeseries.csv: %d rows, the old model wrote %d", len(gl), len(wl))
	}
	for i := range wl {
		if !strings.HasPrefix(gl[i], wl[i]+",") && gl[i] != wl[i] {
			t.Fatalf("timeseries.csv line %d:\n got %s\nwant %s…", i+1, gl[i], wl[i])
		}
	}

	var ws, gs map[string]any
	b, _ := os.ReadFile(filepath.Join(ref, "summary.json"))
	if err := json.Unmarshal(b, &ws); err != nil {
		t.Fatal(err)
	}
	b, _ = os.ReadFile(filepath.Join(dir, "summary.json"))
	if err := json.Unmarshal(bytes.TrimSpace(b), &gs); err != nil {
		t.Fatal(err)
	}
	for _, d := range subsetDiff("", ws, gs) {
		t.Errorf("summary.json: %s", d)
	}
}

// subsetDiff lists where got differs from want, ignoring keys of objects in
// got that want does not have.
func subsetDiff(path string, want, got any) []string {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return []string{path + ": not an object"}
		}
		var out []string
		for k, v := range w {
			gv, ok := g[k]
			if !ok {
				out = append(out, path+"."+k+": missing")
				continue
			}
			out = append(out, subsetDiff(path+"."+k, v, gv)...)
		}
		return out
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			return []string{path + ": array differs in length"}
		}
		var out []string
		for i := range w {
			out = append(out, subsetDiff(path+"["+strconv.Itoa(i)+"]", w[i], g[i])...)
		}
		return out
	default:
		if !reflect.DeepEqual(want, got) {
			return []string{path + ": differs"}
		}
		return nil
	}
}
