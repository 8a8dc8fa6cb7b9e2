package calibrate

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/collsim/collsim/internal/strict"
	"github.com/collsim/collsim/sim/rng"
)

// Posterior is the final generation of a calibration as particles.csv
// holds it: weighted parameter sets, a sample of the posterior.
type Posterior struct {
	Path       string      // the file it was read from
	Hash       string      // SHA-256 of the file, hexadecimal
	Generation int         // the final generation's index
	Keys       []string    // the fitted parameters, in the --set syntax
	Particles  [][]float64 // each particle's values, in the order of Keys
	Weights    []float64   // each particle's weight, summing to 1
}

// particleColumns are the columns of particles.csv before the parameters'.
var particleColumns = []string{"generation", "particle", "batch", "index", "distance", "weight"}

// ReadPosterior reads the final generation of the particles.csv a
// calibration wrote (see writeParticles). Its errors name the file and the
// line.
func ReadPosterior(path string) (Posterior, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Posterior{}, err
	}
	return ParsePosterior(path, data)
}

// ParsePosterior is ReadPosterior from bytes; name is used in messages.
func ParsePosterior(name string, data []byte) (Posterior, error) {
	sum := sha256.Sum256(data)
	p := Posterior{Path: name, Hash: hex.EncodeToString(sum[:]), Generation: -1}
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	fail := func(line int, format string, args ...any) (Posterior, error) {
		return Posterior{}, fmt.Errorf("%s:%d: %s", name, line, fmt.Sprintf(format, args...))
	}
	head, err := r.Read()
	if err == io.EOF {
		return fail(1, "empty: want the particles.csv that sim calibrate writes")
	}
	if err != nil {
		return Posterior{}, csvError(name, err)
	}
	if len(head) <= len(particleColumns) || !slices.Equal(head[:len(particleColumns)], particleColumns) {
		return fail(1, "the header is not that of particles.csv: want %s, then one column per parameter", strings.Join(particleColumns, ","))
	}
	p.Keys = head[len(particleColumns):]
	for i, k := range p.Keys {
		if _, ok := strict.SplitKey(k); !ok || k == "" {
			return fail(1, "column %d: %q is not a parameter key", len(particleColumns)+i+1, k)
		}
		if slices.Contains(p.Keys[:i], k) {
			return fail(1, "column %d: %s is there twice", len(particleColumns)+i+1, k)
		}
	}
	type row struct {
		gen    int
		weight float64
		theta  []float64
	}
	var rows []row
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Posterior{}, csvError(name, err)
		}
		line, _ := r.FieldPos(0)
		if len(rec) != len(head) {
			return fail(line, "%d fields, want %d as in the header", len(rec), len(head))
		}
		gen, err := strconv.Atoi(rec[0])
		if err != nil || gen < 0 {
			return fail(line, "generation %q: want a whole number, 0 or more", rec[0])
		}
		x := row{gen: gen}
		for j, f := range rec[len(particleColumns)-1:] {
			v, err := strconv.ParseFloat(f, 64)
			col := head[len(particleColumns)-1+j]
			switch {
			case err != nil || math.IsNaN(v) || math.IsInf(v, 0):
				return fail(line, "%s %q: want a finite number", col, f)
			case j == 0 && v < 0:
				return fail(line, "weight %s is below 0", f)
			case j == 0:
				x.weight = v
			default:
				x.theta = append(x.theta, v)
			}
		}
		rows = append(rows, x)
		p.Generation = max(p.Generation, gen)
	}
	if len(rows) == 0 {
		return fail(1, "no particles")
	}
	total := 0.0
	for _, x := range rows {
		if x.gen == p.Generation {
			p.Particles = append(p.Particles, x.theta)
			p.Weights = append(p.Weights, x.weight)
			total += x.weight
		}
	}
	if !(total > 0) || math.IsInf(total, 0) {
		return fail(1, "the weights of generation %d do not sum to a positive number", p.Generation)
	}
	for i := range p.Weights {
		p.Weights[i] /= total
	}
	return p, nil
}

// csvError turns the CSV reader's error into one that names the file and
// the line.
func csvError(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s:%d: %v", name, pe.Line, pe.Err)
	}
	return fmt.Errorf("%s: %w", name, err)
}

// Sample draws n parameter sets from the posterior, each particle with the
// probability of its weight, independently and with replacement, and
// returns each as overrides in the --set syntax ("cadre.arrest_share=0.13",
// in the order of Keys). The draws depend only on seed: the same seed gives
// the same sets.
func (p Posterior) Sample(n int, seed uint64) [][]string {
	cum := make([]float64, len(p.Weights))
	total := 0.0
	for i, w := range p.Weights {
		total += w
		cum[i] = total
	}
	last := len(cum) - 1
	for last > 0 && p.Weights[last] == 0 {
		last-- // rounding must not land on a particle of weight 0
	}
	s := rng.New(seed, sampleStream)
	sets := make([][]string, n)
	for k := range sets {
		u := s.Float64() * total
		// The first particle whose cumulative weight exceeds u.
		i := min(sort.Search(len(cum), func(i int) bool { return cum[i] > u }), last)
		set := make([]string, len(p.Keys))
		for j, key := range p.Keys {
			set[j] = key + "=" + strconv.FormatFloat(p.Particles[i][j], 'g', -1, 64)
		}
		sets[k] = set
	}
	return sets
}

// sampleStream keys the random stream of Sample ("post").
const sampleStream = 0x706f7374
