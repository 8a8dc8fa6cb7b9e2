package sweep

import (
	"bytes"
	"fmt"

	"github.com/collsim/collsim/internal/strict"
)

// Encode writes the sweep file f as TOML that Parse reads back to the same
// File: the keys it sets (those different from a new file's defaults), in
// the order of the File's fields. Programs that plan sweeps (calibration,
// validation) write their sweeps with it, so that every sweep they run is a
// file that sim sweep can run again.
func (f *File) Encode() []byte {
	var b bytes.Buffer
	def := defaultFile()
	str := func(k, v string) {
		if v != "" {
			fmt.Fprintf(&b, "%s = %s\n", k, strict.QuoteString(v))
		}
	}
	num := func(k string, v, d int64) {
		if v != d {
			fmt.Fprintf(&b, "%s = %d\n", k, v)
		}
	}
	val := func(k string, v Value) {
		if !v.IsZero() {
			fmt.Fprintf(&b, "%s = %s\n", k, v.lit())
		}
	}
	str("name", f.Name)
	str("description", f.Description)
	str("base", f.Base)
	num("seed", f.Seed, def.Seed)
	num("replicates", int64(f.Replicates), int64(def.Replicates))
	if f.Design != def.Design {
		str("design", f.Design)
	}
	num("points", int64(f.Points), 0)
	num("trajectories", int64(f.Trajectories), 0)
	if f.Design == designMorris {
		num("levels", int64(f.Levels), int64(def.Levels))
	}
	num("samples", int64(f.Samples), 0)
	if f.CommonSeeds {
		b.WriteString("common_seeds = true\n")
	}
	if len(f.Set) > 0 {
		b.WriteString("set = [")
		for i, s := range f.Set {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(strict.QuoteString(s))
		}
		b.WriteString("]\n")
	}
	for _, p := range f.Parameters {
		b.WriteString("\n[[parameters]]\n")
		str("key", p.Key)
		if p.Values != nil {
			b.WriteString("values = [")
			for i, v := range p.Values {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(v.lit())
			}
			b.WriteString("]\n")
		}
		val("from", p.From)
		val("to", p.To)
		if p.Step != 0 {
			fmt.Fprintf(&b, "step = %s\n", strict.FormatFloat(p.Step))
		}
		str("distribution", p.Distribution)
		val("min", p.Min)
		val("max", p.Max)
		if p.Distribution == "normal" {
			fmt.Fprintf(&b, "mean = %s\nsd = %s\n", strict.FormatFloat(p.Mean), strict.FormatFloat(p.SD))
		}
	}
	for _, o := range f.Outputs {
		b.WriteString("\n[[outputs]]\n")
		str("name", o.Name)
		str("summary", o.Summary)
		str("timeseries", o.Timeseries)
		if o.Timeseries != "" {
			str("region", o.Region)
			fmt.Fprintf(&b, "date = %s\n", o.Date.lit())
		}
	}
	return b.Bytes()
}
