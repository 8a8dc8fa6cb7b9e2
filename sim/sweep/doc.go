// Package sweep runs a scenario over a design of parameter values with
// replicate seeds and summarises chosen outputs with confidence intervals.
//
// A sweep file (TOML, read strictly like a scenario) names a base scenario,
// the scenario keys to vary (lists, ranges or distributions), a design (a
// full grid or a Latin hypercube), replicates, a sweep seed and the outputs
// to summarise. Each run k is replicate k mod R of point k div R, seeded
// from (sweep seed, point, replicate) with rng.Derive, so results never
// depend on how many workers ran them or in what order. Execute runs a sweep
// (or a shard of it: the runs k with k mod N = I) on a worker pool,
// appending each finished run to a journal synced to disk, so an
// interrupted sweep resumes where it stopped; Merge combines the journals of
// shards. Both end with runs.csv, summary.csv and a chart that depend only
// on the set of finished runs.
package sweep
