package sweep

import (
	"errors"
	"strings"
	"testing"
)

// journalHead is the header of a journal of a sweep of 2 points × 2
// replicates, seed 1, one parameter and one output.
func journalHead() string {
	h := header{Sweep: "j", Hash: "sha256:x", Version: "v", Seed: 1, Design: "grid", Points: 2, Replicates: 2,
		Shard: Shard{0, 1}, Params: []string{"a"}, Outputs: []string{"y"}}
	return string(h.encode())
}

// journalRow returns the line of run (p, r).
func journalRow(p, r int, y string) string {
	row := Row{Point: p, Replicate: r, Seed: RunSeed(1, p, r), Params: []string{"x,1"}}
	return strings.TrimSuffix(string(row.line()), "\n") + y + "\n"
}

func TestParseJournal(t *testing.T) {
	h := journalHead()
	r00, r01, r10 := journalRow(0, 0, ",0.5"), journalRow(0, 1, ",NaN"), journalRow(1, 0, ",7")
	tests := []struct {
		name  string
		data  string
		rows  int
		torn  bool
		error string
	}{
		{"empty", "", 0, false, errNoHeader.Error()},
		{"header cut short", h[:len(h)/2], 0, false, errNoHeader.Error()},
		{"header only", h, 0, false, ""},
		{"whole", h + r00 + r01 + r10, 3, false, ""},
		{"torn last line", h + r00 + r01 + r10[:7], 2, true, ""},
		{"garbled last line", h + r00 + "0,1,12\n", 1, true, ""},
		{"garbled line before the last", h + "0,1,12\n" + r00, 0, false, "j.csv:12: 3 fields, want 5"},
		{"a wrong seed", h + "0,1,5,a,1\n" + r00, 0, false, "j.csv:12: the seed of point 0, replicate 1 is not"},
		{"a run twice, the same", h + r00 + r00 + r01, 2, false, ""},
		{"a run twice, the same, the last line torn", h + r00 + r01 + r00[:5], 2, true, ""},
		{"a run twice, another result", h + r00 + r01 + strings.Replace(r00, ",0.5", ",0.6", 1) + r10, 0, false, "j.csv:14: the run is there twice, with another result than on line 12"},
		{"no such point", h + strings.Replace(r00, "0,0,", "5,0,", 1) + r01, 0, false, "j.csv:12: no point 5, replicate 0"},
		{"not a number", h + strings.Replace(r00, ",0.5", ",half", 1) + r01, 0, false, `j.csv:12: output "half" is not a number`},
		{"not a journal", "point,replicate\n", 0, false, "j.csv:1: not a collsim sweep journal"},
		{"a bad header", strings.Replace(h, "# points: 2", "# points: two", 1), 0, false, `points: "two" is not a count`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			jd, err := parseJournal("j.csv", []byte(tt.data))
			if tt.error != "" {
				if err == nil || !strings.Contains(err.Error(), tt.error) {
					t.Fatalf("error %v, want %q", err, tt.error)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(jd.rows) != tt.rows || jd.torn != tt.torn {
				t.Errorf("%d rows, torn %v; want %d, %v", len(jd.rows), jd.torn, tt.rows, tt.torn)
			}
			if want := len(tt.data); !tt.torn && jd.good != int64(want) {
				t.Errorf("good up to %d of %d bytes", jd.good, want)
			}
			if tt.torn && !strings.HasSuffix(tt.data[:jd.good], "\n") {
				t.Errorf("good part ends mid-line: %q", tt.data[:jd.good])
			}
		})
	}
	jd, _ := parseJournal("j.csv", []byte(h+r00))
	if r := jd.rows[0]; r.Params[0] != "x,1" || r.Outputs[0] != 0.5 {
		t.Errorf("row %+v", r)
	}
}

func TestShard(t *testing.T) {
	tests := []struct {
		in, out, dir, err string
	}{
		{"0/1", "0/1", "d/shard-0-of-1", ""},
		{"3/4", "3/4", "d/shard-3-of-4", ""},
		{"3/2", "", "", "I must be from 0 to 1"},
		{"-1/2", "", "", "I must be from 0 to 1"},
		{"0/0", "", "", "N must be at least 1"},
		{"1", "", "", "is not I/N"},
		{"a/b", "", "", "is not I/N"},
	}
	for _, tt := range tests {
		s, err := ParseShard(tt.in)
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("ParseShard(%q) = %v, %v; want error %q", tt.in, s, err, tt.err)
			}
			continue
		}
		if err != nil || s.String() != tt.out || s.Dir("d") != tt.dir {
			t.Errorf("ParseShard(%q) = %v (%s), %v", tt.in, s, s.Dir("d"), err)
		}
	}
	if (Shard{}).Dir("d") != "d" || !(Shard{}).Has(5) || (Shard{1, 3}).Has(5) || !(Shard{2, 3}).Has(5) {
		t.Error("the whole sweep or shard 2/3")
	}
}

// FuzzJournal checks that parseJournal never panics, keeps only whole
// lines and reads back what it accepts.
func FuzzJournal(f *testing.F) {
	h := journalHead()
	f.Add([]byte(h + journalRow(0, 0, ",0.5") + journalRow(1, 1, ",1e300")))
	f.Add([]byte(h + journalRow(0, 0, ",0.5")[:9]))
	f.Add([]byte(h[:40]))
	f.Fuzz(func(t *testing.T, data []byte) {
		jd, err := parseJournal("f.csv", data)
		if err != nil {
			if !errors.Is(err, errNoHeader) && !strings.HasPrefix(err.Error(), "f.csv:") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if jd.good > int64(len(data)) || jd.good > 0 && data[jd.good-1] != '\n' {
			t.Fatalf("good part %d of %d bytes does not end a line", jd.good, len(data))
		}
		again, err := parseJournal("f.csv", data[:jd.good])
		if err != nil || len(again.rows) != len(jd.rows) || again.torn {
			t.Fatalf("the good part reads back as %v rows (torn %v), %v; want %d", len(again.rows), again.torn, err, len(jd.rows))
		}
	})
}

// FuzzParseShard checks that ParseShard accepts only I/N with 0 ≤ I < N and
// that String writes back what it read.
func FuzzParseShard(f *testing.F) {
	for _, s := range []string{"0/1", "3/4", "3/2", "-1/2", "1", "a/b", "01/4", "+1/2"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		sh, err := ParseShard(s)
		if err != nil {
			return
		}
		if sh.Index < 0 || sh.Index >= sh.Count {
			t.Fatalf("ParseShard(%q) = %+v", s, sh)
		}
		again, err := ParseShard(sh.String())
		if err != nil || again != sh {
			t.Fatalf("%q reads as %v, written %q, read back as %v, %v", s, sh, sh.String(), again, err)
		}
	})
}
