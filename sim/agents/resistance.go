package agents

import "math"

// boldness holds the standard normal quantiles of the 256 boldness ranks,
// Φ⁻¹((b + ½)/256): a household of rank b is bolder than (b + ½)/256 of its
// neighbours, and its threshold lies boldness_sd × boldness[255 − b] from
// its village's mean.
var boldness = func() (z [256]float64) {
	for b := range z {
		z[b] = math.Sqrt2 * math.Erfinv(2*(float64(b)+0.5)/256-1)
	}
	return z
}()

// DrawBoldness returns a boldness rank drawn uniformly.
func DrawBoldness(r interface{ Uint64() uint64 }) uint8 { return uint8(r.Uint64() >> 56) }

// The thresholds of a village's households are counted in bins of
// 1/crowdScale of a village, from crowdLo up to crowdHi (docs/MODEL.md §5.4).
const (
	crowdScale = 64
	crowdLo    = -2.0
	crowdHi    = 3.0
	crowdBins  = int((crowdHi - crowdLo) * crowdScale)
)

// Crowd counts the thresholds of a village's households in one week, and
// then finds how many of them a disturbance would draw in: a threshold model
// of collective action (Granovetter 1978). A household takes part when the
// share of its village already taking part reaches its threshold; a
// household whose threshold is at or below zero starts it. Fill it with Add
// (Household.Step does, through Env.Crowd), then call Rise once. Its zero
// value is empty and ready; Reset empties it for the next week.
type Crowd struct {
	bins [crowdBins]int32
	n    int32 // households counted, binned or not
	cut  int   // after Rise: the last bin that takes part, or -1
}

// Reset empties the crowd.
func (c *Crowd) Reset() { *c = Crowd{} }

// Add counts a household whose threshold is h. Thresholds below crowdLo count
// as crowdLo; a household whose threshold is crowdHi or more never takes part.
func (c *Crowd) Add(h float64) {
	c.n++
	if !(h < crowdHi) { // NaN never takes part either
		return
	}
	c.bins[crowdBin(h)]++
}

// crowdBin returns the bin of a threshold below crowdHi.
func crowdBin(h float64) int {
	if h <= crowdLo {
		return 0
	}
	return int((h - crowdLo) * crowdScale)
}

// Households returns the number of households counted.
func (c *Crowd) Households() int { return int(c.n) }

// Rise returns how many households take part in a disturbance when every
// threshold is lowered by shift (the village's outrage, its neighbours'
// disturbances and its mood this week): the smallest fixed point of
// x = F(x), where F(x) is the share of households whose binned threshold,
// lowered by shift, is at most x, found by iterating from x = 0. Below the
// least crowd (a share of the village), nobody rises and Rise returns 0.
func (c *Crowd) Rise(shift, crowd float64) int {
	c.cut = -1
	if c.n == 0 {
		return 0
	}
	n := float64(c.n)
	taking, cut := 0, -1
	for {
		// Households whose bin b has crowdLo + b/crowdScale ≤ x + shift.
		y := (float64(taking)/n + shift - crowdLo) * crowdScale
		if y < 0 {
			break
		}
		next := crowdBins - 1
		if y < float64(crowdBins) {
			next = int(math.Floor(y))
		}
		if next <= cut {
			break
		}
		for b := cut + 1; b <= next; b++ {
			taking += int(c.bins[b])
		}
		cut = next
	}
	if taking == 0 || float64(taking) < crowd*n {
		return 0
	}
	c.cut = cut
	return taking
}

// TakesPart reports whether a household of threshold h took part in the
// disturbance Rise found.
func (c *Crowd) TakesPart(h float64) bool {
	return c.cut >= 0 && h < crowdHi && crowdBin(h) <= c.cut
}

// Threshold returns h's threshold for taking part in a disturbance this week
// (docs/MODEL.md §5.4): the resistance threshold, lowered by its grievance,
// by what was taken from it this week, by being held in a collective it
// would leave and by a fresh public signal, raised
// by its fear. e must be prepared.
func (h *Household) Threshold(e *Env) float64 {
	k := &e.k
	x := k.resistBase - k.resistGrievance*float64(h.Grievance) + k.resistFear*float64(h.Fear) +
		k.resistBold*boldness[255-h.Boldness]
	if h.Flags&Taken != 0 {
		x -= k.resistTaken
	}
	if h.Flags&Held != 0 {
		x -= k.resistHeld
	}
	return x
}
