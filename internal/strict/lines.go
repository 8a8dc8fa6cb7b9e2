package strict

import "bytes"

// maxDepth bounds the nesting of arrays and inline tables the line scanner
// follows; deeper values are skipped to the end of their line.
const maxDepth = 100

// Lines returns the line of every table, key and array element of a
// TOML text, by path ("regions[2].zeal", "phases[1].deadlines"). It reads
// only as much TOML as it needs to follow the structure and never fails:
// what it cannot read it skips to the end of the line.
func Lines(data []byte) map[string]int {
	sc := &lineScanner{s: data, line: 1, lines: map[string]int{}, arrays: map[string]int{}}
	sc.document()
	return sc.lines
}

// lineScanner is the state of Lines.
type lineScanner struct {
	s      []byte
	i      int // next byte
	line   int // line of s[i]
	depth  int
	lines  map[string]int
	arrays map[string]int // elements so far of each array of tables
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
	table := ""
	for {
		sc.skipBlank()
		if sc.eof() {
			return
		}
		if sc.s[sc.i] == '[' {
			if p, ok := sc.header(); ok {
				table = p
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
		sc.i++
		sc.skipSpace()
		sc.value(sc.keyPath(table, segs, line))
		sc.skipLine()
	}
}

// header reads a [table] or [[array.of.tables]] header and returns the path
// of the table it opens.
func (sc *lineScanner) header() (string, bool) {
	line := sc.line
	sc.i++
	array := sc.peek(0) == '['
	if array {
		sc.i++
	}
	segs, ok := sc.key()
	if !ok || sc.peek(0) != ']' || array && sc.peek(1) != ']' {
		return "", false
	}
	p := ""
	for k, seg := range segs {
		p = JoinKey(p, seg)
		if array && k == len(segs)-1 {
			n := sc.arrays[p]
			sc.arrays[p] = n + 1
			sc.mark(p, line)
			p = IndexKey(p, n)
		} else if n := sc.arrays[p]; n > 0 {
			p = IndexKey(p, n-1)
		}
		sc.mark(p, line)
	}
	return p, true
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

// value reads the value of the key at path.
func (sc *lineScanner) value(path string) {
	if sc.depth >= maxDepth {
		sc.skipLine()
		return
	}
	switch c := sc.peek(0); {
	case sc.eof():
	case (c == '"' || c == '\'') && sc.peek(1) == c && sc.peek(2) == c:
		sc.multiline()
	case c == '"' || c == '\'':
		sc.quoted()
	case c == '[':
		sc.depth++
		sc.array(path)
		sc.depth--
	case c == '{':
		sc.depth++
		sc.inline(path)
		sc.depth--
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

// array reads [a, b, …], recording the line of each element.
func (sc *lineScanner) array(path string) {
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
		sc.mark(p, sc.line)
		start := sc.i
		sc.value(p)
		if sc.i == start {
			sc.advance()
		}
	}
}

// inline reads an inline table { a = 1, b.c = 2 }.
func (sc *lineScanner) inline(path string) {
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
		sc.i++
		sc.skipSpace()
		sc.value(sc.keyPath(path, segs, line))
	}
}
