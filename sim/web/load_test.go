package web

import (
	"net/http"
	"net/url"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestLoad: thirty students press Run at once. Every run completes (those
// refused while the queue is full retry, as the page's users would), memory
// stays bounded, and no run gets another's result: each asks for its own
// seed, the answer echoes it, and a few answers equal direct runs.
func TestLoad(t *testing.T) {
	const n = 30
	households := "5000"
	if testing.Short() {
		households = "1000" // the race detector makes runs ten times slower
	}
	// A small queue, so that some requests meet a full one and retry.
	hs := newServer(t, Config{Queue: 8, Keep: 16})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)

	views := make([]runView, n)
	var wg sync.WaitGroup
	began := time.Now()
	for i := range n {
		wg.Go(func() {
			views[i] = runDone(t, hs.URL, url.Values{"scenario": {"historical-1929.toml"}, "households": {households},
				"seed": {strconv.Itoa(5000 + i)}})
		})
	}
	wg.Wait()
	took := time.Since(began)

	runtime.GC()
	runtime.ReadMemStats(&after)
	t.Logf("%d runs of %s households in %s; heap %d → %d MB, from the system %d → %d MB",
		n, households, took.Round(time.Millisecond), before.HeapAlloc>>20, after.HeapAlloc>>20, before.Sys>>20, after.Sys>>20)
	if grew := int64(after.HeapAlloc) - int64(before.HeapAlloc); grew > 200<<20 {
		t.Errorf("the heap grew by %d MB after %d runs (the cache keeps 16)", grew>>20, n)
	}
	if after.Sys > 2<<30 {
		t.Errorf("the process holds %d MB from the system", after.Sys>>20)
	}

	ids := map[string]int{}
	for i, v := range views {
		if v.Seed != int64(5000+i) || v.Summary.Seed != v.Seed || strconv.Itoa(v.Households) != households {
			t.Errorf("request %d (seed %d) got run %s with seed %d, summary seed %d, %d households", i, 5000+i, v.ID, v.Seed, v.Summary.Seed, v.Households)
		}
		if j, ok := ids[v.ID]; ok {
			t.Errorf("requests %d and %d got the same run", i, j)
		}
		ids[v.ID] = i
	}
	for _, i := range []int{0, 17, n - 1} {
		sameSummary(t, "request "+strconv.Itoa(i), views[i].Summary,
			direct(t, "../../scenarios/historical-1929.toml", "population.households="+households, "seed="+strconv.Itoa(5000+i)))
	}
}

// TestLiveLoad: thirty students follow live runs at once, each of 20,000
// households with its own seed, every week streamed to each. It reports
// the time until the last of them has its last week and the server's
// memory (the load figures of the classroom note).
func TestLiveLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("the load figures are measured by the full suite")
	}
	const n = 30
	hs := newServer(t, Config{Households: 20000, Queue: 64})
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	var wg sync.WaitGroup
	lasts := make([]time.Duration, n)
	began := time.Now()
	var peak atomic.Uint64
	stop := make(chan struct{})
	go func() {
		var m runtime.MemStats
		for {
			select {
			case <-stop:
				return
			case <-time.After(50 * time.Millisecond):
				runtime.ReadMemStats(&m)
				if m.HeapAlloc > peak.Load() {
					peak.Store(m.HeapAlloc)
				}
			}
		}
	}()
	for i := range n {
		wg.Go(func() {
			req, _ := http.NewRequest("POST", hs.URL+"/api/runs?wait=0", strings.NewReader(url.Values{"scenario": {"historical-1929.toml"}, "seed": {strconv.Itoa(700 + i)}}.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			_, v, _ := decode(t, resp)
			frames, end := readEvents(t, hs.URL, v.Links["events"])
			lasts[i] = time.Since(began)
			if end.State != Done || len(frames) != end.Steps+1 {
				t.Errorf("stream %d: %s with %d weeks", i, end.State, len(frames))
			}
		})
	}
	wg.Wait()
	close(stop)
	runtime.GC()
	runtime.ReadMemStats(&after)
	slowest := slices.Max(lasts)
	t.Logf("%d live streams of 20,000 households on %d CPUs: the last week reached the last page %s after the first request (first page %s); heap %d MB before, peak %d MB, %d MB after; %d MB from the system",
		n, runtime.NumCPU(), slowest.Round(time.Millisecond), slices.Min(lasts).Round(time.Millisecond),
		before.HeapAlloc>>20, peak.Load()>>20, after.HeapAlloc>>20, after.Sys>>20)
	if slowest > 60*time.Second {
		t.Errorf("the last stream ended after %s", slowest)
	}
}
