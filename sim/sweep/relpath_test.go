package sweep

import (
	"os"
	"path/filepath"
	"testing"
)

func TestRelPath(t *testing.T) {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		dir, path, want string
	}{
		{".", "base.toml", "base.toml"},
		{"results/runs", "scenarios/a.toml", "../../scenarios/a.toml"},
		{"results/runs/", "./scenarios/../scenarios/a.toml", "../../scenarios/a.toml"},
		{"scenarios", "scenarios/calibrated/a.toml", "calibrated/a.toml"},
		{filepath.Join(wd, "results"), "scenarios/a.toml", "../scenarios/a.toml"},
		{"results", filepath.Join(wd, "scenarios", "a.toml"), "../scenarios/a.toml"},
	} {
		got, err := RelPath(c.dir, c.path)
		if err != nil || got != c.want {
			t.Errorf("RelPath(%q, %q) = %q, %v; want %q", c.dir, c.path, got, err, c.want)
		}
	}
}
