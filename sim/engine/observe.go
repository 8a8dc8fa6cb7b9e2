package engine

import (
	"context"

	"github.com/collsim/collsim/sim/agents"
	"github.com/collsim/collsim/sim/policy"
)

// This file is a read-only window on a run in progress, for the classroom
// page's live view (sim/web). It changes nothing the model computes.

// RunEach is Run with a callback: each is called with the step just taken
// (0 for the initial state) and that step's rows (one per region, then
// ALL; valid until RunEach returns), before the next step. During the call
// VillageCounts reads the world as it is after that step. The result is
// the one Run returns.
func (w *World) RunEach(ctx context.Context, each func(step int, rows []Row)) (*Result, error) {
	defer w.Close()
	res := newResult(w)
	res.record(w, w.census())
	each(0, res.Rows[0])
	for w.step < w.Steps() {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		res.record(w, w.Step())
		each(w.step, res.Rows[w.step])
	}
	res.finish(w)
	return res, nil
}

// VillageCounts is a village's households by where they stand, at
// simulated scale. Each household counts once: Removed (arrested or
// deported), else Coerced or Voluntary member, else Repressed (farming alone
// after a fine or worse), else Individual.
type VillageCounts struct {
	Region                                             int
	Individual, Voluntary, Coerced, Repressed, Removed int32
}

// VillageCounts appends every village's counts, in village order (villages
// of a region are consecutive), to dst and returns it. Call it between
// steps only.
func (w *World) VillageCounts(dst []VillageCounts) []VillageCounts {
	for v := range w.villages {
		vil := &w.villages[v]
		c := VillageCounts{Region: vil.Region}
		for i := vil.First; i < vil.End; i++ {
			h := &w.households[i]
			switch {
			case h.Removed():
				c.Removed++
			case h.Status == agents.Coerced:
				c.Coerced++
			case h.Status == agents.Voluntary:
				c.Voluntary++
			case h.Rung >= policy.Fined:
				c.Repressed++
			default:
				c.Individual++
			}
		}
		dst = append(dst, c)
	}
	return dst
}
