package sweep

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/collsim/collsim/sim/output"
)

// A journal is the record of a sweep (or of one shard of it) in progress:
// a header saying which sweep it is, then one line per finished run, in the
// order the runs finished, each line written and synced to disk before the
// run is reported done. It is what --resume continues and sim merge reads.
//
//	# collsim sweep journal
//	# sweep: quick
//	# hash: sha256:…
//	…
//	point,replicate,seed,<parameters>,<outputs>
//	0,2,1520398357416582061,0.1,1930-03-02,0.5634
//	…

// journalTitle is the first line of every journal.
const journalTitle = "# collsim sweep journal: one line per finished run, in the order they finished"

// header is what a journal says of its sweep.
type header struct {
	Sweep      string
	Hash       string
	Version    string
	Seed       uint64
	Design     string
	Points     int
	Replicates int
	SeedBlock  int // points sharing their replicates' seeds (1: none)
	Shard      Shard
	Params     []string
	Outputs    []string
}

// header returns the journal header of the sweep or of one shard of it.
func (sw *Sweep) header(version string, shard Shard) header {
	h := header{Sweep: sw.Name, Hash: sw.Hash, Version: version, Seed: sw.Seed, Design: sw.Design,
		Points: len(sw.Points), Replicates: sw.Replicates, SeedBlock: max(1, sw.SeedBlock), Shard: shard.norm()}
	for _, p := range sw.Params {
		h.Params = append(h.Params, p.Key)
	}
	for _, o := range sw.Outputs {
		h.Outputs = append(h.Outputs, o.Name)
	}
	return h
}

// table returns an empty table of the sweep of h.
func (h *header) table() *Table {
	return &Table{Name: h.Sweep, Design: h.Design, Params: h.Params, Outputs: h.Outputs}
}

// runs returns the number of runs of the whole sweep.
func (h *header) runs() int { return h.Points * h.Replicates }

// encode writes the header, ending with the line of column names.
func (h *header) encode() []byte {
	var b bytes.Buffer
	b.WriteString(journalTitle + "\n")
	for _, kv := range [][2]string{
		{"sweep", h.Sweep},
		{"hash", h.Hash},
		{"version", h.Version},
		{"seed", strconv.FormatUint(h.Seed, 10)},
		{"design", h.Design},
		{"points", strconv.Itoa(h.Points)},
		{"replicates", strconv.Itoa(h.Replicates)},
		{"seed block", strconv.Itoa(max(1, h.SeedBlock))},
		{"parameters", strconv.Itoa(len(h.Params))},
		{"shard", h.Shard.String()},
	} {
		if kv[0] == "seed block" && kv[1] == "1" {
			continue // the default, and journals before seed blocks have no such line
		}
		b.WriteString("# " + kv[0] + ": " + kv[1] + "\n")
	}
	writeRecord(&b, h.table().columns())
	return b.Bytes()
}

// sameSweep reports how g differs from h as a sweep, or "" if it does not
// (their shards may differ).
func (h *header) sameSweep(g *header) string {
	switch {
	case h.Hash != g.Hash:
		return "another sweep file or base scenario (hash " + g.Hash + ", not " + h.Hash + ")"
	case h.Version != g.Version:
		return "another version of collsim (" + g.Version + ", not " + h.Version + ")"
	case h.Seed != g.Seed || h.Design != g.Design || h.Points != g.Points || h.Replicates != g.Replicates || h.SeedBlock != g.SeedBlock ||
		!slices.Equal(h.Params, g.Params) || !slices.Equal(h.Outputs, g.Outputs) || h.Sweep != g.Sweep:
		return "another sweep"
	}
	return ""
}

// writeRecord writes one CSV line.
func writeRecord(b *bytes.Buffer, rec []string) {
	cw := csv.NewWriter(b)
	cw.Write(rec)
	cw.Flush()
}

// journal is a journal open for appending.
type journal struct {
	f *os.File
}

// createJournal creates the journal at path with the header h, synced to
// disk with its folder. It fails if the file exists.
func createJournal(path string, h header) (*journal, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	j := &journal{f: f}
	if _, err := f.Write(h.encode()); err != nil {
		f.Close()
		return nil, err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return nil, err
	}
	return j, output.SyncDir(filepath.Dir(path))
}

// appendJournal opens the journal at path for appending.
func appendJournal(path string) (*journal, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND, 0)
	if err != nil {
		return nil, err
	}
	return &journal{f: f}, nil
}

// line returns the journal line of a finished run: its line of runs.csv.
func (r *Row) line() []byte {
	var b bytes.Buffer
	writeRecord(&b, r.record())
	return b.Bytes()
}

// add appends the line of a finished run and syncs it to disk.
func (j *journal) add(r *Row) error {
	if _, err := j.f.Write(r.line()); err != nil {
		return err
	}
	return j.f.Sync()
}

func (j *journal) close() error { return j.f.Close() }

// errNoHeader is the error of a journal cut short before its header ended
// (a crash as it was created): it holds no run.
var errNoHeader = errors.New("the journal's header is incomplete")

// journalData is a journal as read.
type journalData struct {
	header
	rows  []Row
	lines []int // the line of each row
	good  int64 // bytes up to the end of the last good line
	torn  bool  // a last line was cut short (or garbled) and left out
}

// readJournal reads the journal at path. A last line cut short (no newline,
// or not a whole row) is left out and reported as torn; any other bad line
// is an error naming its line.
func readJournal(path string) (*journalData, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return parseJournal(path, data)
}

// parseJournal is readJournal from bytes.
func parseJournal(path string, data []byte) (*journalData, error) {
	j := &journalData{}
	fail := func(line int, format string, args ...any) error {
		return fmt.Errorf("%s:%d: %s", path, line, fmt.Sprintf(format, args...))
	}
	lines := strings.SplitAfter(string(data), "\n")
	if !strings.HasSuffix(lines[len(lines)-1], "\n") {
		j.torn = lines[len(lines)-1] != ""
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 || strings.TrimSuffix(lines[0], "\n") != journalTitle {
		if len(lines) == 0 && strings.HasPrefix(journalTitle, string(data)) {
			return nil, errNoHeader
		}
		return nil, fail(1, "not a collsim sweep journal")
	}
	n := 1
	var params int
	fields := map[string]string{}
	for ; n < len(lines) && strings.HasPrefix(lines[n], "# "); n++ {
		k, v, ok := strings.Cut(strings.TrimSpace(lines[n][2:]), ": ")
		if !ok {
			return nil, fail(n+1, "a header line is not \"# key: value\"")
		}
		fields[k] = v
	}
	if n == len(lines) {
		return nil, errNoHeader
	}
	h := &j.header
	h.Sweep, h.Hash, h.Version, h.Design = fields["sweep"], fields["hash"], fields["version"], fields["design"]
	var errs []error
	for _, k := range []string{"sweep", "hash", "version", "seed", "design", "points", "replicates", "parameters", "shard"} {
		if _, ok := fields[k]; !ok {
			return nil, fail(n, "the header has no \"# %s:\" line (hint: the journal was edited; restore it, or start afresh in another --out)", k)
		}
	}
	num := func(k string) int {
		x, err := strconv.Atoi(fields[k])
		if err != nil || x < 0 {
			errs = append(errs, fmt.Errorf("%s: %q is not a count", k, fields[k]))
		}
		return x
	}
	h.Points, h.Replicates, params = num("points"), num("replicates"), num("parameters")
	h.SeedBlock = 1
	if _, ok := fields["seed block"]; ok {
		if h.SeedBlock = num("seed block"); h.SeedBlock < 1 {
			errs = append(errs, fmt.Errorf("seed block: %d is not a count of points", h.SeedBlock))
		}
	}
	seed, err := strconv.ParseUint(fields["seed"], 10, 64)
	errs = append(errs, err)
	h.Seed = seed
	h.Shard, err = ParseShard(fields["shard"])
	errs = append(errs, err)
	if err := errors.Join(errs...); err != nil {
		return nil, fail(n, "the header is not that of a sweep journal: %v", err)
	}
	if h.Hash == "" {
		return nil, fail(n, "the header's hash is empty")
	}
	cols, err := csv.NewReader(strings.NewReader(lines[n])).Read()
	if err != nil || len(cols) < 3+params || !slices.Equal(cols[:3], []string{"point", "replicate", "seed"}) {
		return nil, fail(n+1, "the line of column names is not point,replicate,seed,…")
	}
	h.Params, h.Outputs = cols[3:3+params], cols[3+params:]
	off := int64(0)
	for _, l := range lines[:n+1] {
		off += int64(len(l))
	}
	j.good = off
	seen := map[int]int{} // run → line
	for i := n + 1; i < len(lines); i++ {
		r, err := h.parseRow(lines[i])
		dup := false
		if l, ok := seen[r.Point*h.Replicates+r.Replicate]; ok && err == nil {
			// A run done twice (by two processes before the folder was
			// locked) is harmless if it gave the same line: runs are
			// deterministic.
			dup = true
			if lines[i] != lines[l-1] {
				err = fmt.Errorf("the run is there twice, with another result than on line %d", l)
			}
		}
		if err != nil {
			if i == len(lines)-1 {
				j.torn = true
				break
			}
			return nil, fail(i+1, "%v", err)
		}
		j.good += int64(len(lines[i]))
		if dup {
			continue
		}
		seen[r.Point*h.Replicates+r.Replicate] = i + 1
		j.rows = append(j.rows, r)
		j.lines = append(j.lines, i+1)
	}
	return j, nil
}

// parseRow reads a line of a journal.
func (h *header) parseRow(line string) (Row, error) {
	rec, err := csv.NewReader(strings.NewReader(line)).Read()
	if err != nil {
		return Row{}, err
	}
	if want := 3 + len(h.Params) + len(h.Outputs); len(rec) != want {
		return Row{}, fmt.Errorf("%d fields, want %d", len(rec), want)
	}
	var r Row
	p, err1 := strconv.Atoi(rec[0])
	q, err2 := strconv.Atoi(rec[1])
	s, err3 := strconv.ParseInt(rec[2], 10, 64)
	if err := errors.Join(err1, err2, err3); err != nil {
		return Row{}, err
	}
	r.Point, r.Replicate, r.Seed = p, q, s
	switch k := p*h.Replicates + q; {
	case p < 0 || p >= h.Points || q < 0 || q >= h.Replicates:
		return Row{}, fmt.Errorf("no point %d, replicate %d in a sweep of %d points × %d replicates", p, q, h.Points, h.Replicates)
	case s != RunSeed(h.Seed, p/max(1, h.SeedBlock), q):
		return Row{}, fmt.Errorf("the seed of point %d, replicate %d is not %d", p, q, s)
	case !h.Shard.Has(k):
		return Row{}, fmt.Errorf("run %d (point %d, replicate %d) is not in shard %s", k, p, q, h.Shard)
	}
	r.Params = rec[3 : 3+len(h.Params)]
	for i, c := range rec[3+len(h.Params):] {
		x, err := strconv.ParseFloat(c, 64)
		switch {
		case err != nil:
			return Row{}, fmt.Errorf("output %q is not a number", c)
		case math.IsInf(x, 0):
			return Row{}, fmt.Errorf("output %s is %s: no run gives an infinite value", h.Outputs[i], c)
		case formatNumber(x) != c:
			// Runs write each number one way (formatNumber); another
			// spelling was written by hand.
			return Row{}, fmt.Errorf("output %s is written %q, not as sim writes it (%s)", h.Outputs[i], c, formatNumber(x))
		}
		r.Outputs = append(r.Outputs, x)
	}
	return r, nil
}

// Shard is one of Count parts of a sweep: the runs k with k mod Count =
// Index. The zero Shard is the whole sweep.
type Shard struct {
	Index, Count int
}

// ParseShard reads a shard written I/N, with 0 ≤ I < N.
func ParseShard(s string) (Shard, error) {
	i, n, ok := strings.Cut(s, "/")
	a, err1 := strconv.Atoi(i)
	b, err2 := strconv.Atoi(n)
	switch {
	case !ok || err1 != nil || err2 != nil:
		return Shard{}, fmt.Errorf("shard %q is not I/N (e.g. 0/4)", s)
	case b < 1:
		return Shard{}, fmt.Errorf("shard %q: N must be at least 1", s)
	case a < 0 || a >= b:
		return Shard{}, fmt.Errorf("shard %q: I must be from 0 to %d", s, b-1)
	}
	return Shard{a, b}, nil
}

// norm returns the shard with the whole sweep written 0/1.
func (s Shard) norm() Shard {
	if s.Count == 0 {
		return Shard{0, 1}
	}
	return s
}

// String returns the shard as I/N.
func (s Shard) String() string {
	s = s.norm()
	return strconv.Itoa(s.Index) + "/" + strconv.Itoa(s.Count)
}

// Has reports whether run k belongs to the shard.
func (s Shard) Has(k int) bool {
	s = s.norm()
	return k%s.Count == s.Index
}

// Dir returns the folder of the shard under the sweep's folder dir:
// dir/shard-I-of-N, or dir itself for the whole sweep.
func (s Shard) Dir(dir string) string {
	if s.Count == 0 {
		return dir
	}
	return filepath.Join(dir, fmt.Sprintf("shard-%d-of-%d", s.Index, s.Count))
}
