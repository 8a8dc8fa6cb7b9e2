package web

import (
	"bytes"
	"context"
	"fmt"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"github.com/collsim/collsim/internal/testenv"
)

// page is a headless Chromium tab on a test server, with helpers that fail
// the test with the page's state.
type page struct {
	t    *testing.T
	ctx  context.Context
	hs   *httptest.Server
	mu   sync.Mutex
	seen []string // every URL the page asked for
}

func newPage(t *testing.T, cfg Config) *page {
	chromium := testenv.Chromium(t)
	hs := newServer(t, cfg)
	actx, cancel := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(chromium),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1366, 768),
	)
	t.Cleanup(cancel)
	p := &page{t: t, hs: hs}
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf), chromedp.WithListener(func(ev any) {
		if e, ok := ev.(*network.EventRequestWillBeSent); ok {
			p.mu.Lock()
			p.seen = append(p.seen, e.Request.URL)
			p.mu.Unlock()
		}
	}))
	t.Cleanup(cancel)
	p.ctx = ctx
	// The first action starts the browser, which lives as long as ctx.
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1366, 768), chromedp.Navigate(hs.URL)); err != nil {
		t.Fatal(err)
	}
	p.ctx, cancel = context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(cancel)
	p.wait("the page", `document.body.dataset.state === 'idle'`)
	return p
}

func (p *page) wait(what, js string) {
	p.t.Helper()
	if _, err := chromedp.Run(p.ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(90*time.Second), chromedp.WithPollingInterval(20*time.Millisecond))); err != nil {
		state, _ := chromedp.Run(p.ctx, chromedp.Evaluate[string](`document.body.dataset.state + ' week ' + document.body.dataset.week + ': ' + document.querySelector('#form-error').textContent`))
		p.t.Fatalf("waiting for %s: %v (page: %s)", what, err, state)
	}
}

func eval[T any](p *page, js string) T {
	p.t.Helper()
	v, err := chromedp.Run(p.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		p.t.Fatalf("%s: %v", js, err)
	}
	return v
}

func (p *page) do(actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	if err := chromedp.Do(p.ctx, actions...); err != nil {
		p.t.Fatal(err)
	}
}

// choose picks a scenario, as a click in the list would.
func (p *page) choose(id string) {
	p.t.Helper()
	eval[bool](p, `(() => { const s = document.querySelector('#scenario'); s.value = '`+id+`'; s.dispatchEvent(new Event('change')); return true; })()`)
}

// set sets a form control (select or input) and tells the page.
func (p *page) set(sel, value string) {
	p.t.Helper()
	eval[bool](p, `(() => { const s = document.querySelector('`+sel+`'); s.value = '`+value+`'; s.dispatchEvent(new Event('input', {bubbles: true})); s.dispatchEvent(new Event('change', {bubbles: true})); return true; })()`)
}

// run clicks Run and waits until the run is done and played to its end.
func (p *page) run() string {
	p.t.Helper()
	before := eval[string](p, `document.body.dataset.run || ''`)
	p.do(chromedp.Click("#run"))
	p.wait("the run", `document.body.dataset.state === 'done' && document.body.dataset.run !== '`+before+`'`)
	return eval[string](p, `document.body.dataset.run`)
}

func (p *page) cell(metric, col string) float64 {
	p.t.Helper()
	return eval[float64](p, `Number(document.querySelector('td[data-metric="`+metric+`"][data-col="`+col+`"]').dataset.value)`)
}

// screenshot saves the page as docs would show it: under
// $COLLSIM_SCREENSHOTS (docs/img when the guide's pictures are renewed), else
// $COLLSIM_ARTIFACTS or a temporary folder.
func (p *page) screenshot(name string) {
	p.t.Helper()
	png, err := chromedp.Run(p.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Fatal(err)
	}
	dir := os.Getenv("COLLSIM_SCREENSHOTS")
	if dir == "" {
		dir = os.Getenv("COLLSIM_ARTIFACTS")
	}
	if dir == "" {
		dir = p.t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		p.t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), png, 0o644); err != nil {
		p.t.Fatal(err)
	}
	p.t.Logf("screenshot: %s", filepath.Join(dir, name))
}

// offline checks that the page asked for nothing outside the test server.
func (p *page) offline() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, u := range p.seen {
		if !strings.HasPrefix(u, p.hs.URL+"/") && !strings.HasPrefix(u, "data:") && !strings.HasPrefix(u, "blob:") {
			p.t.Errorf("the page asked for %s, outside %s", u, p.hs.URL)
		}
	}
	p.t.Logf("the page made %d requests, all to %s", len(p.seen), p.hs.URL)
}

// TestBrowser drives the live page in headless Chromium: it fits a phone
// and a laptop with Run in the first screen; a run's charts grow week by
// week and its villages change during the surge; "call the halt now" gives
// a run that sim run of the downloaded scenario.toml repeats byte for byte;
// a kept baseline survives 100 other runs; Cancel stops a run within half a
// second; and the page asks for nothing outside the server.
func TestBrowser(t *testing.T) {
	households := 20000 // classroom size
	if testing.Short() {
		households = 5000
	}
	p := newPage(t, Config{Households: households, Keep: 8, MaxHouseholds: 200_000, Posterior: particles, PosteriorSets: 5})

	for _, size := range [][2]int64{{390, 844}, {360, 740}, {1366, 768}, {1920, 1080}} {
		p.do(chromedp.EmulateViewport(size[0], size[1]), chromedp.Reload())
		p.wait("the page", `document.body.dataset.state === 'idle'`)
		if w := eval[float64](p, `document.documentElement.scrollWidth - window.innerWidth`); w > 0 {
			t.Errorf("at %d×%d the page scrolls sideways by %v px", size[0], size[1], w)
		}
		if b := eval[float64](p, `document.querySelector('#run').getBoundingClientRect().bottom - window.innerHeight`); b > 0 {
			t.Errorf("at %d×%d Run is %v px below the first screen", size[0], size[1], b)
		}
		if size[0] == 390 {
			p.set("#speed", "0")
			p.run()
			if w := eval[float64](p, `document.documentElement.scrollWidth - window.innerWidth`); w > 0 {
				t.Errorf("at 390 px, after a run, the page scrolls sideways by %v px", w)
			}
			if f := eval[float64](p, `Math.min(...[...document.querySelectorAll('#outcomes td, .u-legend, .doc')].map(e => parseFloat(getComputedStyle(e).fontSize)))`); f < 11 {
				t.Errorf("at 390 px the smallest text is %v px", f)
			}
			p.screenshot("classroom-phone.png")
		}
	}
	p.do(chromedp.EmulateViewport(1366, 768), chromedp.Reload())
	p.wait("the page", `document.body.dataset.state === 'idle'`)

	// A live run: the charts grow, the villages change during the surge.
	p.set("#speed", "8")
	p.do(chromedp.Click("#run"))
	p.wait("week 3", `Number(document.body.dataset.week) >= 3`)
	first := eval[float64](p, `Number(document.body.dataset.points)`)
	time.Sleep(time.Second)
	later := eval[float64](p, `Number(document.body.dataset.points)`)
	t.Logf("points on the first chart: %v, a second later %v", first, later)
	if !(later > first) {
		t.Errorf("the charts did not grow: %v then %v points", first, later)
	}
	p.wait("week 26 (December 1929)", `Number(document.body.dataset.week) >= 26`)
	p.do(chromedp.Click("#play")) // pause
	a := eval[string](p, `document.querySelector('#agents').dataset.signature + ' week ' + document.querySelector('#agents').dataset.week`)
	for range 8 {
		p.do(chromedp.Click("#step"))
	}
	b := eval[string](p, `document.querySelector('#agents').dataset.signature + ' week ' + document.querySelector('#agents').dataset.week`)
	t.Logf("the agent view: %s, then %s", a, b)
	if a == b || !strings.HasSuffix(b, "week "+fmt.Sprint(26+8)) && !strings.Contains(b, "week 3") {
		t.Errorf("the villages did not change from %s to %s", a, b)
	}
	p.screenshot("classroom-live.png")

	// Call the halt now, at the week shown; the run goes on from there.
	week := eval[float64](p, `Number(document.body.dataset.week)`)
	p.do(chromedp.Click(`[data-intervention="halt"]`))
	p.wait("the run with the halt to start", `current.view.interventions.length === 1`)
	p.set("#speed", "0")
	eval[bool](p, `(playing = true, tick(), true)`)
	p.wait("the run with the halt", `document.body.dataset.state === 'done' && current.view.interventions.length === 1`)
	p.screenshot("classroom-halt.png")
	links := eval[[]string](p, `[document.querySelector('#download-toml').href, document.querySelector('#download-csv').href, String(current.view.interventions[0].week)]`)
	if links[2] != fmt.Sprint(week) {
		t.Errorf("the halt was called at week %s, the page showed week %v", links[2], week)
	}
	toml := fetch(t, links[0])
	csv, _, _ := simRun(t, toml)
	if !bytes.Equal(fetch(t, links[1]), csv) {
		t.Error("the run with the halt differs from sim run of its downloaded scenario.toml")
	}

	// Keep it as the baseline; 100 other runs (the cache keeps 8) do not
	// take it away while the page is open.
	p.do(chromedp.Click("#keep"))
	p.wait("the baseline", `baseline !== null`)
	for i := range 100 {
		runDone(t, p.hs.URL, url.Values{"scenario": {"historical-1929.toml"}, "households": {"1000"}, "seed": {fmt.Sprint(500 + i)}})
	}
	eval[bool](p, `(renewBaseline(), true)`)
	time.Sleep(200 * time.Millisecond)
	if st := eval[string](p, `document.querySelector('#baseline-status').textContent`); strings.Contains(st, "expired") {
		t.Errorf("the kept baseline expired: %s", st)
	}
	fetch(t, links[1])

	// Cancel within half a second, in the first seconds of a long run.
	p.set("#f-households", "200000")
	p.set("#speed", "8")
	p.do(chromedp.Click("#run"))
	p.wait("the long run to start", `document.body.dataset.state === 'running' && current && current.view && current.view.households === 200000`)
	began := time.Now()
	p.do(chromedp.Click("#cancel"))
	p.wait("the cancelled run", `document.body.dataset.state === 'cancelled' && document.querySelector('#status').textContent === 'cancelled'`)
	took := time.Since(began)
	t.Logf("Cancel stopped the run %s after the click", took.Round(time.Millisecond))
	// Half a second without the race detector, which makes a week of
	// 200,000 households ten times slower (-short runs under -race).
	if limit := map[bool]time.Duration{false: 500 * time.Millisecond, true: 3 * time.Second}[testing.Short()]; took > limit {
		t.Errorf("Cancel took %s", took)
	}

	// Over the calibration's posterior (issue 13, 4): the choice is offered
	// beside the seeds, and the charts and the table show the band.
	if !eval[bool](p, `(o => o !== null && !o.hidden && !o.disabled && o.textContent.includes('parameter sets from the calibration'))(document.querySelector('#replicates option[value=posterior]'))`) {
		t.Error("the page does not offer the posterior")
	}
	p.set("#f-households", "5000")
	p.set("#replicates", "posterior")
	p.set("#speed", "0")
	p.run()
	if got := eval[string](p, `current.view.posterior + ' sets, ' + document.body.dataset.bands + ' band(s), interval ' + document.querySelector('td[data-metric="final_share"][data-col="current"] .interval').textContent`); !strings.HasPrefix(got, "5 sets, 1 band(s), interval [") {
		t.Errorf("the run over the posterior: %s", got)
	}
	if !strings.Contains(eval[string](p, `document.querySelector('#noise-note').textContent`), "95% posterior band") {
		t.Error("the page does not say what the band is")
	}
	p.offline()
}

// TestLessons replays the three lessons of docs/teachers-guide.md click by
// click, checks what the guide tells students to notice, and takes the
// guide's screenshots.
func TestLessons(t *testing.T) {
	households := 20000
	if testing.Short() {
		households = 5000
	}
	p := newPage(t, Config{Households: households})
	// Without a posterior the page does not offer it.
	if eval[bool](p, `document.querySelector('#replicates option[value=posterior]') !== null`) {
		t.Error("a server without a posterior offers runs over it")
	}
	p.set("#speed", "0")

	// Lesson 1: persuasion or command.
	p.choose("voluntary.toml")
	p.run()
	p.do(chromedp.Click("#keep"))
	p.wait("the baseline", `baseline !== null`)
	p.choose("historical-1929.toml")
	p.run()
	p.wait("the baseline column", `document.querySelector('input[name=versus][value=baseline]').checked`)
	if hist, vol := p.cell("peak_share", "current"), p.cell("peak_share", "other"); !(hist > vol) {
		t.Errorf("lesson 1: the historical peak %.3f is not above the voluntary %.3f", hist, vol)
	}
	if hist, vol := p.cell("repressed", "current"), p.cell("repressed", "other"); !(hist > 10*vol) {
		t.Errorf("lesson 1: repression %v historical, %v voluntary", hist, vol)
	}
	if hist, vol := p.cell("final_share", "current"), p.cell("final_share", "other"); !(vol < hist && vol > 0.08) {
		t.Errorf("lesson 1: the guide says the voluntary run ends 1930 below the historical one but well above its start: %.3f vs %.3f", vol, hist)
	}
	p.screenshot("classroom-lesson1.png")

	// Lesson 2: the halt. The record and the turns of policy are on the
	// charts; the table has 1 March and 1 August 1930.
	p.do(chromedp.Click(`input[name=versus][value=previous]`))
	if n := eval[float64](p, `charts[0].data[charts[0].data.length - 1].filter(x => x !== null).length`); n < 5 {
		t.Errorf("lesson 2: %v record points on the shares chart", n)
	}
	if labels := eval[string](p, `current.view.phases.map(m => m.label).join('; ')`); !strings.Contains(labels, "halt called") || !strings.Contains(labels, "members may leave") {
		t.Errorf("lesson 2: the phase markers are %s", labels)
	}
	for _, k := range []string{"share_1930_03_01", "share_1930_08_01"} {
		if rec := eval[string](p, `document.querySelector('tr[data-metric="`+k+`"]').lastChild.textContent`); rec == "" {
			t.Errorf("lesson 2: the row %s has no record", k)
		}
	}
	historical := p.cell("peak_share", "current")
	eval[bool](p, `(() => { const s = document.querySelector('#f-halt_date'); s.value = s.min; s.dispatchEvent(new Event('input', {bubbles: true})); return true; })()`)
	p.run()
	if early := p.cell("peak_share", "current"); !(early < historical) {
		t.Errorf("lesson 2: an early halt did not lower the peak: %.3f vs %.3f", early, historical)
	}
	p.screenshot("classroom-lesson2.png")

	// Lesson 3: cadres and reports.
	p.do(chromedp.Click("#reset"))
	p.run()
	p.do(chromedp.Click("#keep"))
	p.wait("the baseline", `baseline === current`)
	p.do(chromedp.Click("#f-honest_reporting"))
	p.run()
	honest, inflated := p.cell("peak_reported_share", "current"), p.cell("peak_reported_share", "other")
	if !(honest < inflated) || honest != p.cell("peak_share", "current") && honest > p.cell("peak_share", "current")+0.01 {
		t.Errorf("lesson 3: honest reports peak at %.3f (true %.3f), inflated at %.3f", honest, p.cell("peak_share", "current"), inflated)
	}
	p.screenshot("classroom-lesson3.png")

	// A class: the teacher opens one, a student joins, runs and sends it.
	p.do(chromedp.Navigate(p.hs.URL + "/class/NEW"))
	p.wait("the class", `document.body.dataset.code !== undefined && document.body.dataset.state === 'idle'`)
	code := eval[string](p, `document.body.dataset.code`)
	teacher := eval[string](p, `location.href`)
	p.do(chromedp.Navigate(p.hs.URL + "/class/" + code))
	p.wait("the student page", `document.body.dataset.state === 'idle'`)
	p.set("#speed", "0")
	p.do(chromedp.SetValue("#student-name", "Anna"), chromedp.Click("#join"))
	p.wait("joined", `document.querySelector('#student-name').dataset.joined === 'Anna'`)
	p.run()
	p.do(chromedp.Click("#submit-run"))
	p.wait("sent", `document.querySelector('#class-status').textContent.startsWith('sent')`)
	p.do(chromedp.Navigate(teacher))
	p.wait("the teacher's table", `document.body.dataset.rows === '1'`)
	p.screenshot("classroom-teacher.png")
	p.offline()
}
