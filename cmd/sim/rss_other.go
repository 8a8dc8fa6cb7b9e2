//go:build !linux

package main

import "runtime"

// peakRSS returns the memory the Go runtime has obtained from the system in
// MB: an upper bound of the heap's peak where ru_maxrss is not available.
func peakRSS() float64 {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return float64(m.Sys) / (1 << 20)
}
