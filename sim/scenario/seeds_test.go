package scenario

import (
	"os"
	"path/filepath"
	"testing"
)

// seeds returns the scenario texts of testdata and of brokenTests.
func seeds(t testing.TB) [][]byte {
	files, err := filepath.Glob("testdata/*.toml")
	if err != nil {
		t.Fatal(err)
	}
	var ss [][]byte
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		ss = append(ss, b)
	}
	for _, tt := range brokenTests {
		ss = append(ss, []byte(tt.src))
	}
	return ss
}
