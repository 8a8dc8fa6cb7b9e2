package web

import (
	"container/list"
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/collsim/collsim/sim/compare"
	"github.com/collsim/collsim/sim/engine"
	"github.com/collsim/collsim/sim/scenario"
)

// The states of a run.
const (
	Queued    = "queued"
	Running   = "running"
	Done      = "done"
	Failed    = "failed"
	Cancelled = "cancelled"
)

// errBusy says the queue is full.
var errBusy = errors.New("busy")

// run is a requested run of a resolved scenario. Its ID is derived from
// the resolved scenario (seed included), so the same request twice is one
// run: the second joins the first, or finds it finished in the cache.
type run struct {
	id     string
	entry  *Entry
	s      *scenario.Scenario
	label  string   // what the form changed, in words
	sets   []string // the overrides, for the command line that reproduces it
	steps  int
	step   atomic.Int64
	ctx    context.Context
	cancel context.CancelFunc
	done   chan struct{} // closed when the run is Done, Failed or Cancelled

	// Guarded by the pool's mutex until done is closed; fixed after.
	state    string
	started  time.Time
	finished time.Time
	err      error
	res      *engine.Result
	result   *compare.Run
	elem     *list.Element // in the pool's list of finished runs
}

// pool runs requested runs on a fixed number of goroutines, keeps a bounded
// queue of runs waiting, and keeps the most recently used finished runs.
type pool struct {
	workers int // goroutines stepping each run
	version string
	maxTime time.Duration

	mu       sync.Mutex
	runs     map[string]*run // waiting, running and finished (those in finished)
	finished *list.List      // finished runs, most recently used first
	keep     int             // finished runs kept
	queue    chan *run

	ctx  context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup
}

func newPool(runners, queue, keep, workers int, maxTime time.Duration, version string) *pool {
	p := &pool{
		workers: workers, version: version, maxTime: maxTime,
		runs: map[string]*run{}, finished: list.New(), keep: keep,
		queue: make(chan *run, queue),
	}
	p.ctx, p.stop = context.WithCancel(context.Background())
	for range runners {
		p.wg.Add(1)
		go p.loop()
	}
	return p
}

// close cancels every run and waits for the runners to stop.
func (p *pool) close() {
	p.stop()
	p.wg.Wait()
}

// submit returns the run with the given ID: the one already waiting,
// running or finished, or else a new one put in the queue. It returns
// errBusy when the queue is full.
func (p *pool) submit(id string, e *Entry, s *scenario.Scenario, label string, sets []string, steps int) (*run, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r, ok := p.runs[id]; ok {
		if r.state != Failed && r.state != Cancelled {
			p.touch(r)
			return r, nil
		}
		p.forget(r)
	}
	r := &run{id: id, entry: e, s: s, label: label, sets: sets, steps: steps, state: Queued,
		done: make(chan struct{})}
	r.ctx, r.cancel = context.WithTimeout(p.ctx, p.maxTime)
	select {
	case p.queue <- r:
	default:
		r.cancel()
		return nil, errBusy
	}
	p.runs[id] = r
	return r, nil
}

// get returns the run with the given ID, if the pool still has it.
func (p *pool) get(id string) (*run, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, ok := p.runs[id]
	if ok {
		p.touch(r)
	}
	return r, ok
}

// waiting returns the number of runs in the queue.
func (p *pool) waiting() int { return len(p.queue) }

// touch marks a finished run as just used.
func (p *pool) touch(r *run) {
	if r.elem != nil {
		p.finished.MoveToFront(r.elem)
	}
}

// forget drops a run from the pool.
func (p *pool) forget(r *run) {
	if r.elem != nil {
		p.finished.Remove(r.elem)
		r.elem = nil
	}
	if p.runs[r.id] == r {
		delete(p.runs, r.id)
	}
}

// snapshot returns the state of r and, once it is done, its results.
func (p *pool) snapshot(r *run) (state string, err error, elapsed time.Duration) {
	p.mu.Lock()
	defer p.mu.Unlock()
	switch {
	case !r.finished.IsZero():
		elapsed = r.finished.Sub(r.started)
	case !r.started.IsZero():
		elapsed = time.Since(r.started)
	}
	return r.state, r.err, elapsed
}

func (p *pool) loop() {
	defer p.wg.Done()
	for {
		select {
		case <-p.ctx.Done():
			p.drain()
			return
		case r := <-p.queue:
			p.execute(r)
		}
	}
}

// drain finishes the runs left in the queue as cancelled.
func (p *pool) drain() {
	for {
		select {
		case r := <-p.queue:
			p.finish(r, nil, context.Canceled)
		default:
			return
		}
	}
}

// execute runs r, unless it was cancelled while it waited.
func (p *pool) execute(r *run) {
	if err := r.ctx.Err(); err != nil {
		p.finish(r, nil, err)
		return
	}
	p.mu.Lock()
	r.state, r.started = Running, time.Now()
	p.mu.Unlock()
	w, err := engine.New(r.s, engine.Options{Workers: p.workers})
	if err != nil {
		p.finish(r, nil, err)
		return
	}
	res, err := w.Run(r.ctx, func(step, _ int) { r.step.Store(int64(step)) })
	p.finish(r, res, err)
}

// finish records how r ended and keeps it among the finished runs,
// forgetting the least recently used beyond the pool's limit.
func (p *pool) finish(r *run, res *engine.Result, err error) {
	var result *compare.Run
	if err == nil {
		result = compare.NewRun(r.s, res, p.version)
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	r.finished = time.Now()
	if r.started.IsZero() {
		r.started = r.finished
	}
	switch {
	case err == nil:
		r.state, r.res, r.result = Done, res, result
	case errors.Is(err, context.Canceled):
		r.state, r.err = Cancelled, errors.New("the run was cancelled")
	case errors.Is(err, context.DeadlineExceeded):
		r.state, r.err = Failed, errors.New("the run took longer than this server allows (make it smaller)")
	default:
		r.state, r.err = Failed, err
	}
	r.cancel()
	close(r.done)
	if p.runs[r.id] != r {
		return // replaced, or the pool is closing
	}
	r.elem = p.finished.PushFront(r)
	for p.finished.Len() > p.keep {
		p.forget(p.finished.Back().Value.(*run))
	}
}
