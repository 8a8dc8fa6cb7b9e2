package main

import "syscall"

// peakRSS returns the process's peak resident memory in MB (ru_maxrss is in KB on Linux).
func peakRSS() float64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return float64(ru.Maxrss) / 1024
}
