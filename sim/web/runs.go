package web

import (
	"container/list"
	"context"
	"encoding/json"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/collsim/collsim/sim/compare"
	"github.com/collsim/collsim/sim/engine"
	"github.com/collsim/collsim/sim/output"
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

// errBusy says the queue is full; errPins says too many runs are kept.
var (
	errBusy = errors.New("busy")
	errPins = errors.New("too many kept runs")
)

// run is a requested run of a resolved scenario. Its ID is derived from
// the resolved scenario (seed included) and the number of replicates, so
// the same request twice is one run: the second joins the first, or finds
// it finished in the cache.
type run struct {
	id            string
	entry         *Entry
	s             *scenario.Scenario
	label         string   // what the form changed, in words
	sets          []string // the overrides, for the command line that reproduces it
	interventions []Intervention
	replicates    int        // runs with seeds s.Seed, s.Seed+1, …; the first is streamed
	posterior     [][]string // if not nil, replicate i applies parameter set i (in the --set syntax)
	steps         int
	step          atomic.Int64
	ctx           context.Context
	cancel        context.CancelFunc
	done          chan struct{} // closed when the run is Done, Failed or Cancelled

	// The first replicate's weeks as they are stepped, each encoded once
	// for every page that follows the run. Guarded by fmu; notify is closed
	// and replaced when a week is added or the run ends.
	fmu    sync.Mutex
	frames [][]byte
	notify chan struct{}

	// Guarded by the pool's mutex until done is closed; fixed after.
	state     string
	started   time.Time
	finished  time.Time
	err       error
	res       *engine.Result // the first replicate
	result    *compare.Run   // the first replicate
	reps      []*compare.Run // every replicate, the first included
	elem      *list.Element  // in the pool's list of finished runs
	keptUntil time.Time      // a page keeps it (a baseline) until then
}

// addFrame appends an encoded week and wakes the pages that follow the run.
func (r *run) addFrame(b []byte) {
	r.fmu.Lock()
	r.frames = append(r.frames, b)
	close(r.notify)
	r.notify = make(chan struct{})
	r.fmu.Unlock()
}

// framesFrom returns the weeks from k on and a channel closed when more come.
func (r *run) framesFrom(k int) ([][]byte, <-chan struct{}) {
	r.fmu.Lock()
	defer r.fmu.Unlock()
	if k > len(r.frames) {
		k = len(r.frames)
	}
	return r.frames[k:], r.notify
}

// wake wakes the pages that follow the run (when it ends).
func (r *run) wake() {
	r.fmu.Lock()
	close(r.notify)
	r.notify = make(chan struct{})
	r.fmu.Unlock()
}

// pool runs requested runs on a fixed number of goroutines, keeps a bounded
// queue of runs waiting, and keeps the most recently used finished runs,
// and, besides them, a bounded number that pages keep as baselines.
type pool struct {
	workers int // goroutines stepping each run
	version string
	maxTime time.Duration

	mu       sync.Mutex
	runs     map[string]*run // waiting, running and finished (those in finished or kept)
	finished *list.List      // finished runs not kept, most recently used first
	keep     int             // finished runs kept
	kept     map[*run]bool   // runs a page keeps (at most keep of them)
	queue    chan *run

	ctx  context.Context
	stop context.CancelFunc
	wg   sync.WaitGroup
}

func newPool(runners, queue, keep, workers int, maxTime time.Duration, version string) *pool {
	p := &pool{
		workers: workers, version: version, maxTime: maxTime,
		runs: map[string]*run{}, finished: list.New(), keep: keep, kept: map[*run]bool{},
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
// running or finished (cached true), or else a new one put in the queue.
// It returns errBusy when the queue is full.
func (p *pool) submit(id string, e *Entry, s *scenario.Scenario, label string, sets []string, iv []Intervention, replicates int, posterior [][]string, steps int) (r *run, cached bool, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if r, ok := p.runs[id]; ok {
		if r.state != Failed && r.state != Cancelled {
			p.touch(r)
			return r, r.state == Done, nil
		}
		p.forget(r)
	}
	r = &run{id: id, entry: e, s: s, label: label, sets: sets, interventions: iv, replicates: replicates, posterior: posterior, steps: steps, state: Queued,
		done: make(chan struct{}), notify: make(chan struct{})}
	r.ctx, r.cancel = context.WithTimeout(p.ctx, p.maxTime)
	select {
	case p.queue <- r:
	default:
		r.cancel()
		return nil, false, errBusy
	}
	p.runs[id] = r
	return r, false, nil
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

// keepFor keeps a finished run for d more (a page holds it as its
// baseline and renews the hold while it is open).
func (p *pool) keepFor(r *run, d time.Duration) (time.Time, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.expire(time.Now())
	if p.runs[r.id] != r || r.state != Done {
		return time.Time{}, errors.New("not done")
	}
	if !p.kept[r] && len(p.kept) >= p.keep {
		return time.Time{}, errPins
	}
	if r.elem != nil {
		p.finished.Remove(r.elem)
		r.elem = nil
	}
	p.kept[r] = true
	r.keptUntil = time.Now().Add(d)
	return r.keptUntil, nil
}

// expire returns the kept runs whose hold has run out to the list of
// finished runs.
func (p *pool) expire(now time.Time) {
	for r := range p.kept {
		if now.After(r.keptUntil) {
			delete(p.kept, r)
			r.elem = p.finished.PushFront(r)
		}
	}
	for p.finished.Len() > p.keep {
		p.forget(p.finished.Back().Value.(*run))
	}
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
	delete(p.kept, r)
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
			p.finish(r, nil, nil, context.Canceled)
		default:
			return
		}
	}
}

// execute runs r, unless it was cancelled while it waited: its first
// replicate week by week, each week recorded for the pages that follow
// it, then the other replicates.
func (p *pool) execute(r *run) {
	if err := r.ctx.Err(); err != nil {
		p.finish(r, nil, nil, err)
		return
	}
	p.mu.Lock()
	r.state, r.started = Running, time.Now()
	p.mu.Unlock()
	// Replicate i runs with seed s.Seed+i and, over a posterior, parameter
	// set i.
	scenarioOf := func(i int) (*scenario.Scenario, error) {
		sc := r.s
		if r.posterior != nil {
			var err error
			if sc, err = compare.WithSet(r.s, r.posterior[i]); err != nil {
				return nil, err
			}
		}
		c := *sc
		c.Seed = r.s.Seed + int64(i)
		return &c, nil
	}
	first, err := scenarioOf(0)
	if err != nil {
		p.finish(r, nil, nil, err)
		return
	}
	w, err := engine.New(first, engine.Options{Workers: p.workers})
	if err != nil {
		p.finish(r, nil, nil, err)
		return
	}
	fr := newFramer(r.s, w)
	res, err := w.RunEach(r.ctx, func(step int, rows []engine.Row) {
		b, _ := json.Marshal(fr.frame(step, rows))
		r.addFrame(b)
		r.step.Store(int64(step))
	})
	if err != nil {
		p.finish(r, nil, nil, err)
		return
	}
	reps := []*compare.Run{compare.NewRun(first, res, p.version)}
	for i := 1; i < r.replicates; i++ {
		sc, err := scenarioOf(i)
		if err != nil {
			p.finish(r, nil, nil, err)
			return
		}
		w, err := engine.New(sc, engine.Options{Workers: p.workers})
		if err != nil {
			p.finish(r, nil, nil, err)
			return
		}
		more, err := w.Run(r.ctx, nil)
		if err != nil {
			p.finish(r, nil, nil, err)
			return
		}
		reps = append(reps, compare.NewRun(sc, more, p.version))
	}
	p.finish(r, res, reps, nil)
}

// finish records how r ended and keeps it among the finished runs,
// forgetting the least recently used beyond the pool's limit.
func (p *pool) finish(r *run, res *engine.Result, reps []*compare.Run, err error) {
	p.mu.Lock()
	defer r.wake()
	defer p.mu.Unlock()
	r.finished = time.Now()
	if r.started.IsZero() {
		r.started = r.finished
	}
	switch {
	case err == nil:
		r.state, r.res, r.result, r.reps = Done, res, reps[0], reps
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
	p.expire(r.finished)
}

// scaledCountry returns the ALL row of a step's rows at real-world scale.
func scaledCountry(rows []engine.Row, scale float64) engine.Row {
	s := output.ScaleRows(rows, scale)
	return s[len(s)-1]
}
