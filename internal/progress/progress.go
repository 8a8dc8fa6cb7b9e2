// Package progress reports the progress of long work on stderr: a bar with
// rate and ETA (github.com/vbauerster/mpb) when stderr is a terminal, and a
// plain line every so often when it is not (a log file, a Slurm job), so that
// files never fill with carriage returns. Short work shows nothing.
package progress

import (
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"
	"golang.org/x/term"
)

const (
	startDelay   = time.Second      // show nothing for work shorter than this
	lineInterval = 10 * time.Second // between plain lines
)

// Options tune a Reporter.
type Options struct {
	Unit string // what is counted, e.g. "steps" or "runs"
}

// Reporter counts units of work done out of a total.
type Reporter struct {
	label string
	total int
	opt   Options
	start time.Time

	// terminal
	p     *mpb.Progress
	bar   *mpb.Bar
	delay chan any
	timer *time.Timer

	// plain lines
	mu   sync.Mutex
	w    io.Writer
	done int
	last time.Time
}

// New starts reporting total units of work labelled label to w (usually
// os.Stderr). Call Add as work is done and Finish at the end.
func New(w io.Writer, label string, total int, opt Options) *Reporter {
	r := &Reporter{label: label, total: total, opt: opt, start: time.Now(), w: w}
	if isTerminal(w) {
		r.delay = make(chan any)
		r.p = mpb.New(mpb.WithOutput(w), mpb.WithWidth(40), mpb.WithRenderDelay(r.delay))
		r.bar = r.p.AddBar(int64(total),
			mpb.PrependDecorators(decor.Name(label+" "), decor.CountersNoUnit("%d/%d "+opt.Unit)),
			mpb.AppendDecorators(decor.Percentage(decor.WCSyncSpace), decor.Name(" "),
				decor.AverageSpeed(nil, "%.1f/s"), decor.Name(" ETA "), decor.AverageETA(decor.ET_STYLE_GO)),
			mpb.BarRemoveOnComplete())
		r.timer = time.AfterFunc(startDelay, func() { close(r.delay) })
	}
	return r
}

// Add records n more units done. It is safe for concurrent use.
func (r *Reporter) Add(n int) {
	if r == nil {
		return
	}
	if r.bar != nil {
		r.bar.IncrBy(n)
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.done += n
	now := time.Now()
	if now.Sub(r.start) < max(startDelay, lineInterval) || now.Sub(r.last) < lineInterval || r.w == nil {
		return
	}
	r.last = now
	el := now.Sub(r.start)
	rate := float64(r.done) / el.Seconds()
	eta := "?"
	if rate > 0 {
		eta = time.Duration(float64(r.total-r.done) / rate * float64(time.Second)).Round(time.Second).String()
	}
	fmt.Fprintf(r.w, "%s: %d/%d %s (%.0f%%), %.1f/s, elapsed %s, ETA %s\n",
		r.label, r.done, r.total, r.opt.Unit, 100*float64(r.done)/float64(max(r.total, 1)), rate, el.Round(time.Second), eta)
}

// Finish ends the report and clears the bar.
func (r *Reporter) Finish() {
	if r == nil || r.bar == nil {
		return
	}
	if r.timer.Stop() {
		close(r.delay)
	}
	r.bar.SetTotal(-1, true)
	r.p.Wait()
}

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
