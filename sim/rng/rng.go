// Package rng derives independent, reproducible random streams from a
// master seed and a key (a shard, a region, a run), so that no result ever
// depends on which goroutine drew a number first.
//
// Streams use the PCG generator of the standard library's math/rand/v2
// (which replaces the deprecated golang.org/x/exp/rand). Because
// rand.NewPCG takes its two words as raw state, the words are derived by
// SplitMix64 mixing of the seed and the keys, never by using a key as state.
package rng

import (
	"math"
	"math/rand/v2"
)

// Mix returns the SplitMix64 finaliser of x: a bijection that spreads every
// input bit over every output bit.
func Mix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// Derive returns a 64-bit seed for the stream named by keys under seed.
// Different key sequences give unrelated seeds; the same sequence always
// gives the same seed.
func Derive(seed uint64, keys ...uint64) uint64 {
	h := Mix(seed)
	for _, k := range keys {
		h = Mix(h ^ Mix(k+0x632be59bd9b4e019))
	}
	return h
}

// Stream is a PCG random stream. The zero value is not useful; make one
// with New. A Stream is not safe for concurrent use: give each shard its own.
type Stream struct {
	pcg rand.PCG
}

// New returns the stream for (seed, keys...).
func New(seed uint64, keys ...uint64) Stream {
	h := Derive(seed, keys...)
	return Stream{pcg: *rand.NewPCG(h, Mix(h^0xda942042e4dd58b5))}
}

// Uint64 returns a uniformly distributed 64-bit value.
func (s *Stream) Uint64() uint64 { return s.pcg.Uint64() }

// Float64 returns a uniform value in [0, 1).
func (s *Stream) Float64() float64 {
	return float64(s.pcg.Uint64()>>11) * (1.0 / (1 << 53))
}

// Float32 returns a uniform value in [0, 1).
func (s *Stream) Float32() float32 {
	return float32(s.pcg.Uint64()>>40) * (1.0 / (1 << 24))
}

// Bernoulli reports true with probability p (p <= 0 never, p >= 1 always).
func (s *Stream) Bernoulli(p float64) bool {
	return s.Float64() < p
}

// Normal returns a standard normal deviate (Box–Muller, one value per call).
func (s *Stream) Normal() float64 {
	u1 := 1 - s.Float64() // (0, 1]
	u2 := s.Float64()
	return math.Sqrt(-2*math.Log(u1)) * math.Cos(2*math.Pi*u2)
}

// Beta returns a Beta-distributed value with the given mean and standard
// deviation, drawn by a clipped normal approximation when the requested
// spread is small and by the method of moments with two gamma draws
// otherwise. Mean must be in (0, 1).
func (s *Stream) Beta(mean, sd float64) float64 {
	v := sd * sd
	max := mean * (1 - mean)
	if v >= max {
		v = max * 0.99
	}
	k := max/v - 1
	a, b := mean*k, (1-mean)*k
	x := s.gamma(a)
	y := s.gamma(b)
	return x / (x + y)
}

// gamma draws from Gamma(shape, 1) by Marsaglia and Tsang's method.
func (s *Stream) gamma(shape float64) float64 {
	if shape < 1 {
		u := s.Float64()
		return s.gamma(1+shape) * math.Pow(u, 1/shape)
	}
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := s.Normal()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		u := s.Float64()
		if u < 1-0.0331*x*x*x*x || math.Log(u) < 0.5*x*x+d*(1-v+math.Log(v)) {
			return d * v
		}
	}
}

// LogNormal returns exp(N(-sd²/2, sd²)): a positive multiplier with mean 1
// and (for small sd) coefficient of variation close to sd.
func (s *Stream) LogNormal(sd float64) float64 {
	return math.Exp(sd*s.Normal() - sd*sd/2)
}
