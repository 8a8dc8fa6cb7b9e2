package engine

import (
	"sync"
	"sync/atomic"
)

// workers is a fixed pool of goroutines that runs a function over the
// indices 0..n-1 once per call to do. Which worker takes which index is left
// to the scheduler; callers make results independent of that by giving each
// index its own state and random stream. A call allocates nothing.
type workers struct {
	start []chan struct{}
	done  sync.WaitGroup
	next  atomic.Int64
	n     int
	fn    func(int)
}

// newWorkers starts k goroutines (none when k <= 1: do then runs inline).
func newWorkers(k int) *workers {
	p := &workers{}
	if k <= 1 {
		return p
	}
	p.start = make([]chan struct{}, k)
	for i := range p.start {
		p.start[i] = make(chan struct{})
		go p.loop(p.start[i])
	}
	return p
}

func (p *workers) loop(start <-chan struct{}) {
	for range start {
		for {
			i := int(p.next.Add(1) - 1)
			if i >= p.n {
				break
			}
			p.fn(i)
		}
		p.done.Done()
	}
}

// do runs fn(i) for every i in [0, n) and returns when all have finished.
func (p *workers) do(n int, fn func(int)) {
	if len(p.start) == 0 {
		for i := 0; i < n; i++ {
			fn(i)
		}
		return
	}
	p.n, p.fn = n, fn
	p.next.Store(0)
	p.done.Add(len(p.start))
	for _, c := range p.start {
		c <- struct{}{}
	}
	p.done.Wait()
}

// close stops the goroutines.
func (p *workers) close() {
	for _, c := range p.start {
		close(c)
	}
	p.start = nil
}
