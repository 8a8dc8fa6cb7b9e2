package sweep

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/collsim/collsim/sim/output"
)

// Merge combines the journals of the shards of a sweep, in the folders
// dirs, into out: runs.csv, summary.csv and the chart, byte for byte those
// of the sweep run unsharded, and a journal of the whole sweep (so that
// sim sweep --resume on out has nothing left to do). It checks that every
// journal is of the same sweep, run by the same version, and that every run
// is there exactly once; its error lists what is missing and which shard to
// run again. log, if not nil, gets notes (a torn last line left out).
func Merge(dirs []string, out string, log io.Writer) (*Table, error) {
	if len(dirs) == 0 {
		return nil, errors.New("no shard folders to merge")
	}
	var first *journalData
	var rows []Row
	seen := map[int]string{} // run → folder
	shards := map[int]string{}
	for _, dir := range dirs {
		path := filepath.Join(dir, JournalFile)
		jd, err := readJournal(path)
		switch {
		case errors.Is(err, errNoHeader):
			return nil, fmt.Errorf("%s holds no run", path)
		case err != nil:
			return nil, err
		}
		if jd.torn && log != nil {
			fmt.Fprintf(log, "%s: a torn last line is left out\n", path)
		}
		if first == nil {
			first = jd
		} else if why := first.sameSweep(&jd.header); why != "" {
			return nil, fmt.Errorf("%s is of %s than %s", path, why, filepath.Join(dirs[0], JournalFile))
		}
		if jd.Shard.Count != first.Shard.Count {
			return nil, fmt.Errorf("%s is shard %s, but %s is shard %s: merge shards of one split", path, jd.Shard, filepath.Join(dirs[0], JournalFile), first.Shard)
		}
		if d, dup := shards[jd.Shard.Index]; dup {
			return nil, fmt.Errorf("%s and %s are both shard %s", d, dir, jd.Shard)
		}
		shards[jd.Shard.Index] = dir
		// No run is in two journals: each holds only its shard's runs, each
		// once (parseJournal), and no shard is given twice.
		for _, r := range jd.rows {
			seen[r.Point*jd.Replicates+r.Replicate] = dir
			rows = append(rows, r)
		}
	}
	if missing := first.missing(seen, shards); missing != "" {
		return nil, &MissingError{missing}
	}
	if err := checkMergeOut(dirs, out, &first.header); err != nil {
		return nil, err
	}
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	unlock, err := Lock(out)
	if err != nil {
		return nil, err
	}
	defer unlock()
	if err := checkMergeOut(dirs, out, &first.header); err != nil {
		return nil, err // another process wrote it meanwhile
	}
	t := first.table()
	t.Rows = rows
	t.sort()
	for _, f := range []string{SweepCopy, BaseScenario} {
		if err := copyFile(filepath.Join(dirs[0], f), filepath.Join(out, f)); err != nil {
			return nil, err
		}
	}
	h := first.header
	h.Shard = Shard{0, 1}
	err = output.WriteFile(filepath.Join(out, JournalFile), func(w io.Writer) error {
		if _, err := w.Write(h.encode()); err != nil {
			return err
		}
		for i := range t.Rows {
			if _, err := w.Write(t.Rows[i].line()); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return t, t.WriteOutputs(out)
}

// checkMergeOut refuses an output folder that Merge would damage: one of
// the folders merged (its journal would be replaced), or one that holds a
// shard's journal, another sweep's results or results without a journal.
// A folder that holds this very sweep, merged or run whole, may be merged
// into again (a requeued merge job): its files get the same bytes.
func checkMergeOut(dirs []string, out string, h *header) error {
	for _, d := range dirs {
		if sameFolder(d, out) {
			return fmt.Errorf("--out %s is one of the folders to merge: its journal would be replaced (hint: merge into another folder, usually the shards' parent)", out)
		}
	}
	path := filepath.Join(out, JournalFile)
	jd, err := readJournal(path)
	switch {
	case errors.Is(err, os.ErrNotExist):
		for _, f := range []string{RunsFile, SummaryFile, SweepCopy, BaseScenario, ChartPNG, ChartSVG} {
			if _, err := os.Lstat(filepath.Join(out, f)); err == nil {
				return fmt.Errorf("--out %s holds results (%s) but no journal of this sweep: merging would replace them (hint: choose another --out)", out, f)
			}
		}
		return nil
	case err != nil:
		return fmt.Errorf("--out %s holds a journal that is not this sweep's (%v): merging would replace it (hint: choose another --out)", out, err)
	}
	if why := h.sameSweep(&jd.header); why != "" {
		return fmt.Errorf("--out %s holds the results of %s: merging would replace them (hint: choose another --out)", out, why)
	}
	if jd.Shard.Count > 1 {
		return fmt.Errorf("--out %s holds the journal of shard %s: merging would replace it (hint: merge into another folder, usually the shards' parent)", out, jd.Shard)
	}
	return nil
}

// sameFolder reports whether the paths a and b name the same existing folder.
func sameFolder(a, b string) bool {
	fa, err1 := os.Stat(a)
	fb, err2 := os.Stat(b)
	return err1 == nil && err2 == nil && os.SameFile(fa, fb)
}

// MissingError is the error of Merge when runs of the sweep are in none of
// the folders: their shards are unfinished (or not given).
type MissingError struct{ msg string }

func (e *MissingError) Error() string { return e.msg }

// missing describes the runs of the sweep of h not in seen, by shard, or
// returns "".
func (h *journalData) missing(seen map[int]string, shards map[int]string) string {
	n := h.Shard.Count
	byShard := make([][]int, n)
	count := 0
	for k := range h.runs() {
		if _, ok := seen[k]; !ok {
			byShard[k%n] = append(byShard[k%n], k)
			count++
		}
	}
	if count == 0 {
		return ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d runs are missing:", count, h.runs())
	for i, ks := range byShard {
		if len(ks) == 0 {
			continue
		}
		where := "no folder given"
		if d, ok := shards[i]; ok {
			where = d + " is unfinished"
		}
		fmt.Fprintf(&b, "\n  shard %d/%d (%s): %d runs: %s", i, n, where, len(ks), h.describeRuns(ks))
	}
	fmt.Fprintf(&b, "\nrun each such shard again with sim sweep FILE --shard I/%d --resume (same --out), then merge", n)
	return b.String()
}

// describeRuns lists runs as "run K (point P, replicate R)", at most ten.
func (h *journalData) describeRuns(ks []int) string {
	var s []string
	for i, k := range ks {
		if i == 10 {
			s = append(s, "…")
			break
		}
		s = append(s, "run "+strconv.Itoa(k)+" (point "+strconv.Itoa(k/h.Replicates)+", replicate "+strconv.Itoa(k%h.Replicates)+")")
	}
	return strings.Join(s, ", ")
}

// copyFile copies the file src to dst (written to a temporary file and
// renamed), unless they are the same file.
func copyFile(src, dst string) error {
	if a, b := absPath(src), absPath(dst); a == b {
		return nil
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	return output.WriteFile(dst, func(w io.Writer) error { _, err := w.Write(data); return err })
}

func absPath(p string) string {
	if a, err := filepath.Abs(p); err == nil {
		return a
	}
	return filepath.Clean(p)
}
