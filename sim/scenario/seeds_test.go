package scenario

import (
	"testing"

	"github.com/collsim/collsim/internal/testenv"
)

// seeds returns the scenario texts of testdata and of brokenTests.
func seeds(t testing.TB) [][]byte {
	ss := testenv.ReadFiles(t, "testdata/*.toml")
	for _, tt := range brokenTests {
		ss = append(ss, []byte(tt.src))
	}
	return ss
}
