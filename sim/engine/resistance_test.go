package engine

import (
	"testing"

	"github.com/collsim/collsim/internal/testenv"
	"github.com/collsim/collsim/sim/calendar"
)

// meanFearAround steps a world of the historical scenario to the halt of
// 2 March 1930 and returns the households' mean fear in the week before it
// and in the first week of the halt.
func meanFearAround(t *testing.T, seed string, sets ...string) (before, after float64) {
	t.Helper()
	sets = append([]string{"population.households=20000", "seed=" + seed}, sets...)
	s := load(t, "../../scenarios/historical-1929.toml", sets...)
	w, err := New(s, Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	halt := calendar.MustParseDate("1930-03-02")
	mean := func() float64 {
		sum, n := 0.0, 0
		for i := range w.households {
			if h := &w.households[i]; !h.Removed() {
				sum += float64(h.Fear)
				n++
			}
		}
		return sum / float64(n)
	}
	for w.StepsDone() < w.Steps() && w.dates[w.StepsDone()+1].AddDays(-1).Before(halt) {
		w.Step()
	}
	before = mean()
	w.Step() // the week whose last day is on or after the halt
	return before, mean()
}

// TestHaltCutsFearWithinAWeek: the halt is a public signal; in its first
// week households' fear falls by more than a week's decay alone would take
// (mechanism signal), over several seeds.
func TestHaltCutsFearWithinAWeek(t *testing.T) {
	testenv.Long(t)
	for _, seed := range []string{"1", "2", "3"} {
		b1, a1 := meanFearAround(t, seed)
		b0, a0 := meanFearAround(t, seed, "mechanisms.signal=false")
		if b1 != b0 {
			t.Fatalf("seed %s: the signal changed fear before the halt (%.4f vs %.4f)", seed, b1, b0)
		}
		drop1, drop0 := 1-a1/b1, 1-a0/b0
		t.Logf("seed %s: fear %.3f before the halt; a week later %.3f with the signal, %.3f without", seed, b1, a1, a0)
		if drop1 < drop0+0.15 {
			t.Errorf("seed %s: fear fell by %.0f%% in the halt's first week with the signal, %.0f%% without: want at least 15 points more", seed, 100*drop1, 100*drop0)
		}
	}
}

// TestUnrestRisesWithCoercion: over seeds, disturbances are few in the
// voluntary autumn of 1929 and rise through the winter as coercion rises,
// with their height around the halt (1 February – 31 March 1930), not in the
// summer after.
func TestUnrestRisesWithCoercion(t *testing.T) {
	testenv.Long(t)
	month := func(r *Result, from, to string) float64 {
		a, b := calendar.MustParseDate(from), calendar.MustParseDate(to)
		sum := 0.0
		for _, rows := range r.Rows {
			for _, row := range rows {
				if row.Region == All && !row.Date.Before(a) && row.Date.Before(b) {
					sum += float64(row.UnrestEvents)
				}
			}
		}
		return sum
	}
	var autumn, dec, jan, feb, mar, summer float64
	for _, seed := range []string{"1", "2", "3"} {
		r := run(t, load(t, "../../scenarios/historical-1929.toml", "population.households=50000", "seed="+seed), 2)
		autumn += month(r, "1929-09-01", "1929-11-01")
		dec += month(r, "1929-12-01", "1930-01-01")
		jan += month(r, "1930-01-01", "1930-02-01")
		feb += month(r, "1930-02-01", "1930-03-01")
		mar += month(r, "1930-03-01", "1930-04-01")
		summer += month(r, "1930-05-01", "1930-09-01") / 4
	}
	t.Logf("disturbances, sum of 3 seeds: Sep–Oct 1929 %.0f, Dec %.0f, Jan %.0f, Feb %.0f, Mar %.0f, mean month May–Aug %.0f", autumn, dec, jan, feb, mar, summer)
	if !(autumn <= dec && dec <= jan && jan < feb) {
		t.Errorf("disturbances do not rise with coercion from autumn 1929 to February 1930")
	}
	if height := max(feb, mar); height <= 2*summer || height <= jan {
		t.Errorf("the height of disturbances (%.0f) is not around the halt", height)
	}
}
