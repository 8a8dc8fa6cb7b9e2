package web

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/collsim/collsim/internal/testenv"
)

// TestBrowser drives the page in headless Chromium as a student would: run
// the historical scenario, move the halt date slider to its earliest, run
// again, and read the outcome table, which must show the earlier halt
// lowering the peak of collectivization. It saves a screenshot under
// $COLLSIM_ARTIFACTS (or a temporary folder) and logs where.
func TestBrowser(t *testing.T) {
	chromium := testenv.Chromium(t)
	households := 20000 // classroom size
	if testing.Short() {
		households = 5000
	}
	hs := newServer(t, Config{Households: households})

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
		chromedp.WindowSize(1280, 1600),
	)
	defer cancel()
	ctx, cancel := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	defer cancel()
	// The first action starts the browser, which lives as long as ctx: no
	// timeout on it.
	if err := chromedp.Do(ctx, chromedp.Navigate(hs.URL)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel = context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	wait := func(what, js string) {
		t.Helper()
		if _, err := chromedp.Run(ctx, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(90*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
			state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.dataset.state + ': ' + document.querySelector('#form-error').textContent`))
			t.Fatalf("waiting for %s: %v (page: %s)", what, err, state)
		}
	}
	number := func(js string) float64 {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[float64](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	cell := func(metric, col string) string {
		return `Number(document.querySelector('td[data-metric="` + metric + `"][data-col="` + col + `"]').dataset.value)`
	}

	wait("the page", `document.body.dataset.state === 'idle'`)
	if err := chromedp.Do(ctx, chromedp.Click("#run")); err != nil {
		t.Fatal(err)
	}
	wait("the first run", `document.body.dataset.state === 'done'`)
	first, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.body.dataset.run`))
	if err != nil {
		t.Fatal(err)
	}
	peak := number(cell("peak_share", "current"))

	// Move the halt date slider to its earliest day, as a drag would.
	halt, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const s = document.querySelector('#f-halt_date');
		s.value = s.min;
		s.dispatchEvent(new Event('input', { bubbles: true }));
		return document.querySelector('[data-field="halt_date"] output').textContent;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	began := time.Now()
	if err := chromedp.Do(ctx, chromedp.Click("#run")); err != nil {
		t.Fatal(err)
	}
	wait("the second run", `document.body.dataset.state === 'done' && document.body.dataset.run !== '`+first+`'`)
	t.Logf("second run (%d households, halt on %s) shown with its charts %s after the click", households, halt, time.Since(began).Round(time.Millisecond))
	wait("the charts", `[...document.querySelectorAll('#charts img')].length === 5 &&
		[...document.querySelectorAll('#charts img')].every(i => i.complete && i.naturalWidth > 0 && i.src.includes('vs=`+first+`'))`)

	earlier, previous := number(cell("peak_share", "current")), number(cell("peak_share", "other"))
	repEarlier, repPrevious := number(cell("repressed", "current")), number(cell("repressed", "other"))
	t.Logf("peak collectivization: halt on %s %.1f%%, historical halt %.1f%%; households repressed %.0f vs %.0f",
		halt, 100*earlier, 100*previous, repEarlier, repPrevious)
	if previous != peak {
		t.Errorf("the previous-run column shows a peak of %v, the first run had %v", previous, peak)
	}
	if !(earlier < previous) {
		t.Errorf("an earlier halt (%s) did not lower the peak: %v vs %v", halt, earlier, previous)
	}
	changes, _ := chromedp.Run(ctx, chromedp.Text("#runs-described"))
	t.Logf("the page says: %s", changes)

	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // quality 100 gives a PNG; less, a JPEG
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("COLLSIM_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(dir, "serve-earlier-halt.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", shot)

	// A bad value gets a message next to its field, and no run.
	if err := chromedp.Do(ctx, chromedp.SetValue("#f-seed", "-5"), chromedp.Click("#run")); err != nil {
		t.Fatal(err)
	}
	wait("the message", `document.body.dataset.state === 'error' && document.querySelector('[data-error-for="seed"]').textContent !== ''`)
	msg, _ := chromedp.Run(ctx, chromedp.Text(`[data-error-for="seed"]`))
	t.Logf("message next to the seed: %s", msg)
}
