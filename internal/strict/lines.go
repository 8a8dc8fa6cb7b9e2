package strict

import "bytes"

// MaxDepth bounds how deeply the values of a file nest: each part of a
// table header or a dotted key is one level, and so is each array or inline
// table a value opens ("a.b = [[1]]" reaches level 4). collsim's own files
// need at most 5. Decode refuses deeper files before the TOML parser, whose
// time and memory grow with the square of the depth, sees them.
const MaxDepth = 64

// Lines returns the line of every table, key and array element of a
// TOML text, by path ("regions[2].zeal", "phases[1].deadlines"). It reads
// only as much TOML as it needs to follow the structure and never fails:
// what it cannot read it skips to the end of the line. It stops at the
// first value nested deeper than MaxDepth.
func Lines(data []byte) map[string]int {
	return scan(data).lines
}

// scan runs the line scanner over data.
func scan(data []byte) *lineScanner {
	sc := &lineScanner{s: data, line: 1, lines: map[string]int{}, arrays: map[string]int{}}
	sc.document()
	return sc
}

// lineScanner is the state of Lines.
type lineScanner struct {
	s      []byte
	i      int // next byte
	line   int // line of s[i]
	lines  map[string]int
	arrays map[string]int // elements so far of each array of tables

	deepLine int    // line of the first value nested deeper than MaxDepth, or 0
	deepKey  string // its path, shortened
}

// tooDeep records that the value at path, on line, nests deeper than
// MaxDepth, and stops the scan.
func (sc *lineScanner) tooDeep(path string, line int) {
	if sc.deepLine == 0 {
		sc.deepLine, sc.deepKey = line, shortKey(path)
	}
	sc.i = len(sc.s)
}

// shortKey cuts a long path to its first 60 bytes or so, for messages.
func shortKey(p string) string {
	const max = 60
	if len(p) <= max {
		return p
	}
	cut := max
	for cut > 0 && p[cut] != '.' && p[cut] != '[' {
		cut--
	}
	if cut == 0 {
		cut = max
	}
	return p[:cut] + "…"
}

// peek returns the byte k ahead of the next one, or 0 past the end.
func (sc *lineScanner) peek(k int) byte {
	if sc.i+k < len(sc.s) {
		return sc.s[sc.i+k]
	}
	return 0
}

func (sc *lineScanner) eof() bool { return sc.i >= len(sc.s) }

// advance moves past one byte, counting lines.
func (sc *lineScanner) advance() {
	if sc.i < len(sc.s) {
		if sc.s[sc.i] == '\n' {
			sc.line++
		}
		sc.i++
	}
}

// mark records the line of path unless it already has one.
func (sc *lineScanner) mark(path string, line int) {
	if _, ok := sc.lines[path]; !ok {
		sc.lines[path] = line
	}
}

// skipSpace skips spaces and tabs.
func (sc *lineScanner) skipSpace() {
	for c := sc.peek(0); !sc.eof() && (c == ' ' || c == '\t'); c = sc.peek(0) {
		sc.i++
	}
}

// skipLine moves to the end of the line (before its newline).
func (sc *lineScanner) skipLine() {
	for !sc.eof() && sc.s[sc.i] != '\n' {
		sc.i++
	}
}

// skipBlank skips whitespace, newlines and comments.
func (sc *lineScanner) skipBlank() {
	for !sc.eof() {
		switch sc.s[sc.i] {
		case ' ', '\t', '\r', '\n':
			sc.advance()
		case '#':
			sc.skipLine()
		default:
			return
		}
	}
}

// document scans the whole text.
func (sc *lineScanner) document() {
	if bytes.HasPrefix(sc.s, []byte("\xef\xbb\xbf")) {
		sc.i = 3
	}
	table, depth := "", 0
	for {
		sc.skipBlank()
		if sc.eof() {
			return
		}
		if sc.s[sc.i] == '[' {
			if p, d, ok := sc.header(); ok {
				table, depth = p, d
			}
			sc.skipLine()
			continue
		}
		line := sc.line
		segs, ok := sc.key()
		sc.skipSpace()
		if !ok || sc.peek(0) != '=' {
			sc.skipLine()
			continue
		}
		if depth+len(segs) > MaxDepth {
			sc.tooDeep(JoinKey(table, segs[0]), line)
			return
		}
		sc.i++
		sc.skipSpace()
		sc.value(sc.keyPath(table, segs, line), depth+len(segs))
		sc.skipLine()
	}
}

// header reads a [table] or [[array.of.tables]] header and returns the path
// of the table it opens and its depth.
func (sc *lineScanner) header() (string, int, bool) {
	line := sc.line
	sc.i++
	array := sc.peek(0) == '['
	if array {
		sc.i++
	}
	segs, ok := sc.key()
	if !ok || sc.peek(0) != ']' || array && sc.peek(1) != ']' {
		return "", 0, false
	}
	if len(segs) > MaxDepth {
		sc.tooDeep(JoinKey("", segs[0]), line)
		return "", 0, false
	}
	p, depth := "", 0
	for k, seg := range segs {
		p = JoinKey(p, seg)
		depth++
		if array && k == len(segs)-1 {
			n := sc.arrays[p]
			sc.arrays[p] = n + 1
			sc.mark(p, line)
			p = IndexKey(p, n)
			depth++
		} else if n := sc.arrays[p]; n > 0 {
			p = IndexKey(p, n-1)
			depth++
		}
		if depth > MaxDepth {
			sc.tooDeep(p, line)
			return "", 0, false
		}
		sc.mark(p, line)
	}
	return p, depth, true
}

// keyPath records the line of a dotted key (and of the tables it implies)
// under table and returns its path.
func (sc *lineScanner) keyPath(table string, segs []string, line int) string {
	p := table
	for _, seg := range segs {
		p = JoinKey(p, seg)
		sc.mark(p, line)
	}
	return p
}

// key reads a dotted key of bare, "basic" and 'literal' parts, and the
// spaces after it.
func (sc *lineScanner) key() ([]string, bool) {
	var segs []string
	for {
		sc.skipSpace()
		var seg string
		switch c := sc.peek(0); {
		case sc.eof():
			return nil, false
		case c == '"' || c == '\'':
			start := sc.i + 1
			if !sc.quoted() {
				return nil, false
			}
			seg = string(sc.s[start : sc.i-1])
			if c == '"' {
				seg, _ = unescape(seg)
			}
		case isBareByte(c):
			start := sc.i
			for !sc.eof() && isBareByte(sc.s[sc.i]) {
				sc.i++
			}
			seg = string(sc.s[start:sc.i])
		default:
			return nil, false
		}
		segs = append(segs, seg)
		sc.skipSpace()
		if sc.peek(0) != '.' {
			return segs, true
		}
		sc.i++
	}
}

// quoted reads a one-line string and reports whether it was closed.
func (sc *lineScanner) quoted() bool {
	q := sc.s[sc.i]
	sc.i++
	for !sc.eof() {
		c := sc.s[sc.i]
		switch {
		case c == '\n':
			return false
		case c == '\\' && q == '"':
			sc.i++
			if sc.eof() || sc.s[sc.i] == '\n' {
				return false
			}
		case c == q:
			sc.i++
			return true
		}
		sc.i++
	}
	return false
}

// multiline reads a multi-line string, literal or basic.
func (sc *lineScanner) multiline() {
	q := sc.s[sc.i]
	sc.i += 3
	for !sc.eof() {
		c := sc.s[sc.i]
		if c == '\\' && q == '"' {
			sc.advance()
			sc.advance()
			continue
		}
		if c == q && sc.peek(1) == q && sc.peek(2) == q {
			sc.i += 3
			for k := 0; k < 2 && sc.peek(0) == q; k++ {
				sc.i++
			}
			return
		}
		sc.advance()
	}
}

// value reads the value of the key at path, at depth.
func (sc *lineScanner) value(path string, depth int) {
	switch c := sc.peek(0); {
	case sc.eof():
	case (c == '"' || c == '\'') && sc.peek(1) == c && sc.peek(2) == c:
		sc.multiline()
	case c == '"' || c == '\'':
		sc.quoted()
	case c == '[':
		sc.array(path, depth)
	case c == '{':
		sc.inline(path, depth)
	default:
		for !sc.eof() {
			switch sc.s[sc.i] {
			case ',', ']', '}', '#', '\n':
				return
			}
			sc.i++
		}
	}
}

// array reads [a, b, …], the value at path and depth, recording the line of
// each element.
func (sc *lineScanner) array(path string, depth int) {
	sc.i++
	for n := 0; ; {
		sc.skipBlank()
		if sc.eof() {
			return
		}
		switch sc.s[sc.i] {
		case ']':
			sc.i++
			return
		case ',':
			sc.i++
			n++
			continue
		}
		p := IndexKey(path, n)
		if depth+1 > MaxDepth {
			sc.tooDeep(p, sc.line)
			return
		}
		sc.mark(p, sc.line)
		start := sc.i
		sc.value(p, depth+1)
		if sc.i == start {
			sc.advance()
		}
	}
}

// inline reads an inline table { a = 1, b.c = 2 }, the value at path and
// depth.
func (sc *lineScanner) inline(path string, depth int) {
	sc.i++
	for {
		sc.skipBlank()
		if sc.eof() {
			return
		}
		switch sc.s[sc.i] {
		case '}':
			sc.i++
			return
		case ',':
			sc.i++
			continue
		}
		line, start := sc.line, sc.i
		segs, ok := sc.key()
		if !ok || sc.peek(0) != '=' {
			if sc.i == start {
				sc.advance()
			}
			continue
		}
		if depth+len(segs) > MaxDepth {
			sc.tooDeep(JoinKey(path, segs[0]), line)
			return
		}
		sc.i++
		sc.skipSpace()
		sc.value(sc.keyPath(path, segs, line), depth+len(segs))
	}
}
