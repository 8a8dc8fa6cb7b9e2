package agents

import "math"

// The range of herd sizes, relative to a class's usual herd, over which draft
// power varies; below and above it draft power is constant.
const (
	draftMin  = 0.05
	draftMax  = 1.5
	draftBins = 1024
)

// DraftCurve is draft power as a function of a herd relative to its usual
// size: D(x) = clip(x, 0.05, 1.5)^α, with α the draft elasticity. It is
// tabulated once (math.Pow in the household update cost most of a step) and
// read by linear interpolation, exact to about 1e-6.
type DraftCurve struct {
	y [draftBins + 1]float64
}

// NewDraftCurve tabulates D for elasticity alpha.
func NewDraftCurve(alpha float64) *DraftCurve {
	c := new(DraftCurve)
	for i := range c.y {
		c.y[i] = math.Pow(draftMin+(draftMax-draftMin)*float64(i)/draftBins, alpha)
	}
	return c
}

// At returns D(x).
func (c *DraftCurve) At(x float64) float64 {
	f := (x - draftMin) * (draftBins / (draftMax - draftMin))
	if !(f > 0) { // also NaN
		return c.y[0]
	}
	if f >= draftBins {
		return c.y[draftBins]
	}
	i := int(f)
	return c.y[i] + (f-float64(i))*(c.y[i+1]-c.y[i])
}
