package rng

// Golden first draws of New(1929, 0); see TestRegress.
const (
	regress0 = 0x97eb38dc2760bc1b
	regress1 = 0x12fc0ce998efe98e
	regress2 = 0xdec16f84758732d3
)
