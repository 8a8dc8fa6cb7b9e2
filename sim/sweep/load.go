package sweep

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/collsim/collsim/internal/strict"
	"github.com/collsim/collsim/sim/scenario"
)

// Sweep is a sweep file resolved: the base scenario with the file's
// overrides, the points of the design and the outputs to summarise.
type Sweep struct {
	Name       string
	Path       string // the sweep file
	File       File   // as written
	Design     string // grid or lhs
	Seed       uint64
	Replicates int
	Base       *scenario.Scenario // the base scenario, every default filled in and the overrides applied
	Params     []Param
	Points     [][]Value // Points[point][parameter]
	Outputs    []Output

	// Unit holds, for a Latin hypercube, Morris or Sobol design, each
	// point's coordinates in the unit cube, from which its values are the
	// parameters' quantiles; nil for a grid or a list.
	Unit [][]float64

	// SeedBlock is how many consecutive points share their replicates'
	// seeds: 1 (each point its own seeds), all the points (common_seeds),
	// a Morris trajectory (k+1) or a row of a Sobol design (k+2).
	SeedBlock int

	// Hash identifies the sweep: the SHA-256 of the sweep file and of the
	// resolved base scenario. A journal records it, and resuming or merging
	// refuses a journal of another sweep.
	Hash string

	data     []byte // the sweep file as read
	baseTOML []byte // Base, encoded: what every run starts from
}

// BaseName is the name of the resolved base scenario in messages and in an
// output folder.
const BaseName = "base.toml"

// Load reads the sweep file at path strictly and resolves it. Its error is a
// strict.ErrorList whose errors name the file, the line and the key.
func Load(path string) (*Sweep, error) {
	data, err := strict.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return Parse(path, data)
}

// Parse is Load from bytes: name is used in messages and to find the base
// scenario (relative to filepath.Dir(name)).
func Parse(name string, data []byte) (*Sweep, error) {
	root, errs := strict.Decode(name, data)
	if len(errs) > 0 {
		return nil, errs
	}
	f := defaultFile()
	pos, errs := schema.Bind(reflect.ValueOf(&f).Elem(), root)
	c := &checker{pos: pos, errs: errs}
	schema.Ranges(reflect.ValueOf(&f).Elem(), func(key, msg string) { c.fail(key, msg, "") })
	if len(c.errs) == 0 {
		c.shape(&f)
	}
	if len(c.errs) > 0 {
		c.errs.Sort(name)
		return nil, c.errs
	}
	sw := &Sweep{Path: name, File: f, Design: f.Design, Seed: uint64(f.Seed), Replicates: f.Replicates, data: data}
	sw.Name = f.Name
	if sw.Name == "" {
		sw.Name = strings.TrimSuffix(filepath.Base(name), filepath.Ext(name))
	}
	if msg, hint := scenario.CheckName(sw.Name); msg != "" {
		if f.Name == "" {
			msg = "the file's name gives the sweep's: " + msg
		}
		c.fail("name", msg, hint)
		c.errs.Sort(name)
		return nil, c.errs
	}
	for _, step := range []func(*checker){sw.base, sw.params, sw.points, sw.outputs} {
		step(c)
		if len(c.errs) > 0 {
			c.errs.Sort(name)
			return nil, c.errs
		}
	}
	h := sha256.New()
	fmt.Fprintf(h, "collsim sweep\x00%d\x00", len(data))
	h.Write(data)
	h.Write(sw.baseTOML)
	sw.Hash = "sha256:" + hex.EncodeToString(h.Sum(nil))
	return sw, nil
}

// checker collects the problems of a sweep file.
type checker struct {
	pos  strict.Positions
	errs strict.ErrorList
}

// fail records a problem at key, placed where key or its nearest ancestor
// was set.
func (c *checker) fail(key, msg, hint string) {
	c.errs = append(c.errs, c.pos.Error(key, msg, hint))
}

// scenarioErrors records the problems of a scenario that an override at key
// of the sweep file caused, each at key, its message after prefix.
func (c *checker) scenarioErrors(key, prefix string, err error) {
	var list strict.ErrorList
	if !errors.As(err, &list) {
		c.fail(key, prefix+err.Error(), "")
		return
	}
	for _, e := range list {
		msg := e.Msg
		if e.Key != "" {
			msg = e.Key + ": " + msg
		}
		c.fail(key, prefix+msg, e.Hint)
	}
}

// knownKey reports whether the override set names a parameter of the
// scenario base; if it does not, it records why at key.
func (c *checker) knownKey(key, set string, base []byte) bool {
	_, err := scenario.Parse(BaseName, base, set)
	var list strict.ErrorList
	errors.As(err, &list)
	for _, e := range list {
		if e.File == strict.SetFile && (e.Msg == "unknown key" || e.Msg == "not a key" || strings.HasPrefix(e.Msg, "no element named")) {
			c.fail(key, e.Key+": "+e.Msg, e.Hint)
			return false
		}
	}
	return true
}

// shape checks what the file says without the base scenario: the design,
// and that each parameter and output says one thing.
func (c *checker) shape(f *File) {
	// Keys that belong to one design only.
	only := map[string]string{"points": designLHS, "trajectories": designMorris, "levels": designMorris, "samples": designSobol}
	for _, k := range []string{"points", "trajectories", "levels", "samples"} {
		if c.pos.Has(k) && f.Design != only[k] {
			c.fail(k, fmt.Sprintf("%s are for design = %q", k, only[k]), "")
		}
	}
	switch f.Design {
	case designGrid, designList:
	case designLHS:
		if f.Points < 1 {
			c.fail("design", "a Latin hypercube needs points = N (at least 1)", "")
		} else if f.Points > maxPoints {
			c.fail("points", fmt.Sprintf("%d points are more than %d", f.Points, maxPoints), "")
		}
	case designMorris:
		switch {
		case f.Trajectories < 1:
			c.fail("design", "a Morris design needs trajectories = R (at least 1)", "10 to 20 trajectories are usual for screening")
		case f.Trajectories*(len(f.Parameters)+1) > maxPoints:
			c.fail("trajectories", fmt.Sprintf("%d trajectories of %d points are more than %d points", f.Trajectories, len(f.Parameters)+1, maxPoints), "")
		}
		if f.Levels < 2 || f.Levels%2 != 0 || f.Levels > 100 {
			c.fail("levels", fmt.Sprintf("%d levels: want an even number from 2 to 100", f.Levels), "4 is usual")
		}
	case designSobol:
		switch {
		case f.Samples < 2:
			c.fail("design", "a Sobol design needs samples = N (at least 2; a power of two is best)", "")
		case f.Samples*(len(f.Parameters)+2) > maxPoints:
			c.fail("samples", fmt.Sprintf("%d samples of %d points are more than %d points", f.Samples, len(f.Parameters)+2, maxPoints), "")
		}
		if len(f.Parameters) > maxSobolParams {
			c.fail("parameters", fmt.Sprintf("a Sobol design takes at most %d parameters, not %d", maxSobolParams, len(f.Parameters)), "screen them first with design = \"morris\"")
		}
	default:
		c.fail("design", fmt.Sprintf("unknown design %q", f.Design), `want "grid", "lhs", "list", "morris" or "sobol"`)
	}
	if f.Base == "" {
		c.fail("base", "no base scenario", `set base = "../historical-1929.toml" (relative to the sweep file)`)
	}
	if len(f.Parameters) == 0 && f.Design != designList {
		c.fail("parameters", "no parameters to vary", `add a [[parameters]] table with a key and values (only design = "list" may have none: it runs the base scenario alone)`)
	}
	if f.Design == designList {
		for i, p := range f.Parameters {
			if n, n0 := len(p.Values), len(f.Parameters[0].Values); n != n0 && c.pos.Has(strict.IndexKey("parameters", i)+".values") {
				c.fail(strict.IndexKey("parameters", i)+".values", fmt.Sprintf("%d values, but parameters[0] has %d", n, n0), "in a list design point k takes the k-th value of every parameter")
			}
		}
	}
	if len(f.Outputs) == 0 {
		c.fail("outputs", "no outputs to summarise", `add an [[outputs]] table, e.g. summary = "peak_share"`)
	}
	for i, p := range f.Parameters {
		key := strict.IndexKey("parameters", i)
		has := func(k string) bool { return c.pos.Has(key + "." + k) }
		given := func(ks ...string) []string {
			var g []string
			for _, k := range ks {
				if has(k) {
					g = append(g, k)
				}
			}
			return g
		}
		list, rng, dist := has("values"), len(given("from", "to", "step")) > 0, has("distribution")
		switch {
		case p.Key == "":
			c.fail(key, "no key", `name the scenario parameter to vary, e.g. key = "household.fear_decay"`)
			continue
		case !list && !rng && !dist:
			c.fail(key, "no values for "+p.Key, `give values = [...], a range (from, to, step) or a distribution (design = "lhs")`)
			continue
		case list && rng || list && dist || rng && dist:
			c.fail(key, "give one of values, a range (from, to, step) or a distribution", "")
			continue
		case f.Design == designList && !list:
			c.fail(key, "a list design takes values only", "point k takes the k-th value of every parameter")
			continue
		case list:
			if len(p.Values) == 0 {
				c.fail(key+".values", "empty list of values", "")
			}
			if g := given("min", "max", "mean", "sd"); len(g) > 0 {
				c.fail(key+"."+g[0], "only a distribution has "+g[0], "")
			}
		case rng:
			for _, k := range []string{"from", "to", "step"} {
				if !has(k) {
					c.fail(key, "a range needs from, to and step; "+k+" is missing", "")
				}
			}
			if has("step") && !(p.Step > 0) {
				c.fail(key+".step", "the step must be above 0", "")
			}
			if g := given("min", "max", "mean", "sd"); len(g) > 0 {
				c.fail(key+"."+g[0], "only a distribution has "+g[0], "")
			}
		case dist:
			need, ok := distributions[p.Distribution]
			switch {
			case !ok:
				c.fail(key+".distribution", fmt.Sprintf("unknown distribution %q", p.Distribution), "want uniform, loguniform or normal")
			case !sampled(f.Design):
				c.fail(key+".distribution", "a distribution is sampled: it needs design = \"lhs\", \"morris\" or \"sobol\"", "for a grid give values or a range")
			case p.Distribution == "normal" && (f.Design == designMorris || f.Design == designSobol) && (!has("min") || !has("max")):
				c.fail(key, "a "+f.Design+" design covers a bounded range: give the normal distribution min and max", "")
			case p.Distribution == "normal" && (!has("mean") || !has("sd") || p.SD <= 0):
				c.fail(key, "a normal distribution needs mean and sd above 0", "")
			case p.Distribution != "normal" && (!has("min") || !has("max")):
				c.fail(key, "a "+p.Distribution+" distribution needs "+need, "")
			case p.Distribution != "normal" && len(given("mean", "sd")) > 0:
				c.fail(key+"."+given("mean", "sd")[0], "only a normal distribution has "+given("mean", "sd")[0], "")
			}
		}
	}
	for i, o := range f.Outputs {
		key := strict.IndexKey("outputs", i)
		switch {
		case o.Summary == "" && o.Timeseries == "":
			c.fail(key, "no output named", `give summary = "peak_share" (a key of summary.json) or timeseries = "collective_share" with region and date`)
		case o.Summary != "" && o.Timeseries != "":
			c.fail(key, "give one of summary and timeseries", "")
		case o.Summary != "" && (c.pos.Has(key+".region") || c.pos.Has(key+".date")):
			c.fail(key, "region and date are for a timeseries output", "name a region in the key: regions.Moscow.peak_share")
		case o.Timeseries != "" && o.Date.IsZero():
			c.fail(key, "a timeseries output needs a date", `e.g. date = "1930-06-01" (the last step on or before it)`)
		}
	}
}

// base reads the base scenario and applies the overrides of set.
func (sw *Sweep) base(c *checker) {
	path := sw.File.Base
	if !filepath.IsAbs(path) {
		path = filepath.Join(filepath.Dir(sw.Path), path)
	}
	if fi, err := os.Stat(path); err != nil || !fi.Mode().IsRegular() {
		msg := "not a regular file"
		if err != nil {
			msg = err.Error()
			if pe, ok := errors.AsType[*fs.PathError](err); ok {
				msg = pe.Err.Error()
			}
		}
		c.fail("base", fmt.Sprintf("cannot read %s: %s", path, msg), "")
		return
	}
	for i, s := range sw.File.Set {
		k, _, _ := strings.Cut(s, "=")
		if segs, ok := strict.SplitKey(strings.TrimSpace(k)); ok && len(segs) == 1 && segs[0] == "seed" {
			c.fail(strict.IndexKey("set", i), "the seed is set for each run from the sweep seed", "set seed = N at the top of the sweep file")
		}
	}
	s, err := scenario.Load(path, sw.File.Set...)
	if err != nil {
		var list strict.ErrorList
		if !errors.As(err, &list) {
			c.fail("base", err.Error(), "")
			return
		}
		for _, e := range list {
			if e.File == strict.SetFile && e.Line >= 1 && e.Line <= len(sw.File.Set) {
				c.fail(strict.IndexKey("set", e.Line-1), e.Error(), "")
			} else {
				c.errs = append(c.errs, e)
			}
		}
		return
	}
	var b bytes.Buffer
	if err := s.EncodeTOML(&b); err != nil {
		c.fail("base", err.Error(), "")
		return
	}
	sw.Base, sw.baseTOML = s, b.Bytes()
}

// Scenario returns the scenario of a point with the given seed: the base
// scenario with the point's values and the seed set. The point is -1 for
// the base scenario alone.
func (sw *Sweep) Scenario(point int, seed int64) (*scenario.Scenario, error) {
	var sets []string
	if point >= 0 {
		sets = sw.Sets(point)
	}
	return scenario.Parse(BaseName, sw.baseTOML, append(sets, fmt.Sprintf("seed=%d", seed))...)
}

// Sets returns the overrides of a point, in the --set syntax.
func (sw *Sweep) Sets(point int) []string {
	sets := make([]string, len(sw.Params))
	for i, p := range sw.Params {
		sets[i] = p.Key + "=" + sw.Points[point][i].lit()
	}
	return sets
}

// params resolves each parameter: its type, its levels or distribution,
// each level and bound checked on the base scenario.
func (sw *Sweep) params(c *checker) {
	seen := map[string]int{}
	for i, ps := range sw.File.Parameters {
		key := strict.IndexKey("parameters", i)
		segs, ok := strict.SplitKey(ps.Key)
		switch {
		case !ok:
			c.fail(key+".key", fmt.Sprintf("%q is not a key", ps.Key), `separate parts with dots and quote a part that holds dots or spaces: 'regions."North Caucasus".zeal'`)
			continue
		case len(segs) == 1 && segs[0] == "seed":
			c.fail(key+".key", "the seed is not a parameter: each run's seed derives from the sweep seed", "vary replicates instead")
			continue
		}
		if j, dup := seen[ps.Key]; dup {
			c.fail(key+".key", fmt.Sprintf("%s is varied twice", ps.Key), fmt.Sprintf("parameters[%d] varies it too", j))
			continue
		}
		seen[ps.Key] = i
		p := Param{Key: ps.Key, Type: paramType(segs)}
		check := func(vkey string, v Value) {
			lit := v.lit()
			if strings.ContainsAny(lit, "\n\r") {
				c.fail(vkey, "a value may not hold a line break", "")
				return
			}
			if _, err := scenario.Parse(BaseName, sw.baseTOML, ps.Key+"="+lit); err != nil {
				c.scenarioErrors(vkey, "", err)
			}
		}
		switch {
		case ps.Values != nil:
			p.Levels = ps.Values
			if !c.knownKey(key+".key", ps.Key+"="+ps.Values[0].lit(), sw.baseTOML) {
				continue
			}
			for j, v := range ps.Values {
				check(strict.IndexKey(key+".values", j), v)
			}
		case ps.Distribution == "":
			vs, k, msg := levels(ps.From, ps.To, ps.Step)
			if msg != "" {
				c.fail(key+"."+k, msg, "")
				continue
			}
			p.Levels = vs
			if !c.knownKey(key+".key", ps.Key+"="+vs[0].lit(), sw.baseTOML) {
				continue
			}
			check(key+".from", vs[0])
			check(key+".to", vs[len(vs)-1])
		default:
			d, k, msg := newDistribution(&ps, p.Type)
			if msg != "" {
				c.fail(key+"."+k, msg, "")
				continue
			}
			p.dist = d
			if !c.knownKey(key+".key", ps.Key+"="+p.sample(0.5).lit(), sw.baseTOML) {
				continue
			}
			if !math.IsInf(d.lo, -1) {
				check(key+".min", p.sample(0))
			}
			if !math.IsInf(d.hi, 1) {
				check(key+".max", p.sample(math.Nextafter(1, 0)))
			}
		}
		sw.Params = append(sw.Params, p)
	}
}

// newDistribution returns the distribution of ps, a parameter of type typ.
func newDistribution(ps *ParamSpec, typ string) (*distribution, string, string) {
	d := &distribution{kind: ps.Distribution, mean: ps.Mean, sd: ps.SD, lo: math.Inf(-1), hi: math.Inf(1)}
	if a, ok := ps.Min.date(); ok && d.kind == "uniform" {
		b, ok := ps.Max.date()
		switch {
		case !ok:
			return nil, "max", "want a date like min, got " + describe(ps.Max)
		case b.Before(a):
			return nil, "max", fmt.Sprintf("max %s is before min %s", b, a)
		}
		d.dates, d.start, d.days = true, a, b.DaysSince(a)
		return d, "", ""
	}
	for _, b := range []struct {
		k string
		v Value
		x *float64
	}{{"min", ps.Min, &d.lo}, {"max", ps.Max, &d.hi}} {
		if b.v.IsZero() {
			continue
		}
		x, ok := b.v.number()
		if !ok || math.IsNaN(x) {
			return nil, b.k, "want a number, got " + describe(b.v)
		}
		*b.x = x
	}
	switch {
	case d.kind == "loguniform" && d.lo <= 0:
		return nil, "min", "the bounds of a loguniform distribution are above 0"
	case d.hi < d.lo:
		return nil, "max", fmt.Sprintf("max %s is below min %s", strict.FormatFloat(d.hi), strict.FormatFloat(d.lo))
	case d.kind == "normal" && (math.IsNaN(d.mean) || math.IsInf(d.mean, 0) || math.IsInf(d.sd, 0)):
		return nil, "mean", "the mean and sd of a normal distribution are finite numbers"
	case d.kind == "normal" && d.hi-d.lo < 1e-9*d.sd:
		return nil, "max", "min and max leave nothing of the normal distribution"
	}
	if d.kind == "normal" {
		n := d.quantile(0.5)
		if math.IsNaN(n) || math.IsInf(n, 0) {
			return nil, "mean", "min and max lie too far in a tail of the normal distribution"
		}
	}
	return d, "", ""
}

// points makes the points of the design and checks each on the base scenario.
func (sw *Sweep) points(c *checker) {
	var err string
	switch sw.Design {
	case designLHS:
		sw.Points, sw.Unit = lhs(sw.Params, sw.File.Points, sw.Seed)
	case designList:
		sw.Points = list(sw.Params)
	case designMorris, designSobol:
		sw.Points, sw.Unit, err = screening(sw.Design, sw.Params, &sw.File, sw.Seed)
	default:
		sw.Points, err = grid(sw.Params)
	}
	if err != "" {
		c.fail("parameters", err, "")
		return
	}
	sw.SeedBlock = 1
	switch {
	case sw.Design == designMorris:
		sw.SeedBlock = len(sw.Params) + 1
	case sw.Design == designSobol:
		sw.SeedBlock = len(sw.Params) + 2
	case sw.File.CommonSeeds:
		sw.SeedBlock = len(sw.Points)
	}
	if len(sw.Points)*sw.Replicates > maxRuns {
		c.fail("replicates", fmt.Sprintf("%d points × %d replicates are more than %d runs", len(sw.Points), sw.Replicates, maxRuns), "")
		return
	}
	// Each point is checked on its own (points valid alone may break a rule
	// together), on every CPU: a Sobol design has thousands. The first five
	// bad points are reported, in order.
	errs := make([]error, len(sw.Points))
	var next atomic.Int64
	var wg sync.WaitGroup
	for range max(1, min(runtime.NumCPU(), len(sw.Points)/64)) {
		wg.Go(func() {
			for k := int(next.Add(1) - 1); k < len(sw.Points); k = int(next.Add(1) - 1) {
				_, errs[k] = scenario.Parse(BaseName, sw.baseTOML, sw.Sets(k)...)
			}
		})
	}
	wg.Wait()
	bad := 0
	for k, err := range errs {
		if err != nil {
			c.scenarioErrors("parameters", fmt.Sprintf("point %d (%s): ", k, strings.Join(sw.Sets(k), ", ")), err)
			if bad++; bad == 5 {
				c.fail("parameters", "…and maybe more points", "")
				return
			}
		}
	}
}

// maxRuns bounds the runs of a sweep.
const maxRuns = 10_000_000

// outputs resolves and checks each output against the base scenario.
func (sw *Sweep) outputs(c *checker) {
	names := map[string]string{"point": "a column of its own", "replicate": "a column of its own", "seed": "a column of its own"}
	for _, p := range sw.Params {
		names[p.Key] = "a parameter"
	}
	for i, spec := range sw.File.Outputs {
		key := strict.IndexKey("outputs", i)
		o, k, msg, hint := newOutput(spec, sw.Base)
		if msg != "" {
			c.fail(key+"."+k, msg, hint)
			continue
		}
		if what, dup := names[o.Name]; dup {
			c.fail(key, fmt.Sprintf("the column %q is %s already", o.Name, what), "give the output another name")
			continue
		}
		names[o.Name] = "another output"
		sw.Outputs = append(sw.Outputs, o)
	}
}

// Runs returns every run of the sweep, point by point, replicate by
// replicate: run k is replicate k mod R of point k div R.
func (sw *Sweep) Runs() []Run {
	runs := make([]Run, 0, len(sw.Points)*sw.Replicates)
	for p := range sw.Points {
		for r := range sw.Replicates {
			runs = append(runs, sw.Run(p*sw.Replicates+r))
		}
	}
	return runs
}
