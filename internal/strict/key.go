package strict

import (
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// isBare reports whether k can be written as a bare TOML key.
func isBare(k string) bool {
	if k == "" {
		return false
	}
	for i := 0; i < len(k); i++ {
		if !isBareByte(k[i]) {
			return false
		}
	}
	return true
}

func isBareByte(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '_' || c == '-'
}

// JoinKey appends the key k to the dotted path p, quoting k if it is not bare.
func JoinKey(p, k string) string {
	if !isBare(k) {
		k = QuoteString(k)
	}
	if p == "" {
		return k
	}
	return p + "." + k
}

// IndexKey appends an array index to the path p: "regions[2]".
func IndexKey(p string, i int) string { return p + "[" + strconv.Itoa(i) + "]" }

// ParentKey returns the path p without its last key or index ("" at the top).
func ParentKey(p string) string {
	cut, quoted := 0, false
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case quoted && c == '\\':
			i++
		case c == '"':
			quoted = !quoted
		case !quoted && (c == '.' || c == '['):
			cut = i
		}
	}
	return p[:cut]
}

// SplitKey splits a dotted key as written in TOML or given to --set
// (household.fear_gain, regions."North Caucasus".zeal) into its parts; it
// reports false if s is not such a key.
func SplitKey(s string) ([]string, bool) {
	sc := &lineScanner{s: []byte(s)}
	segs, ok := sc.key()
	return segs, ok && sc.eof()
}

// QuoteString writes s as a TOML basic string.
func QuoteString(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		default:
			if r < 0x20 || r == 0x7f {
				fmt.Fprintf(&b, `\u%04X`, r)
			} else {
				b.WriteRune(r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// unescape replaces the escapes of a TOML basic string; it reports false
// for a malformed escape.
func unescape(s string) (string, bool) {
	if !strings.Contains(s, `\`) {
		return s, true
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '\\' {
			b.WriteByte(s[i])
			continue
		}
		i++
		if i >= len(s) {
			return s, false
		}
		n := 0
		switch s[i] {
		case 'b':
			b.WriteByte('\b')
		case 't':
			b.WriteByte('\t')
		case 'n':
			b.WriteByte('\n')
		case 'f':
			b.WriteByte('\f')
		case 'r':
			b.WriteByte('\r')
		case 'e':
			b.WriteByte(0x1b)
		case '"', '\\':
			b.WriteByte(s[i])
		case 'x':
			n = 2
		case 'u':
			n = 4
		case 'U':
			n = 8
		default:
			return s, false
		}
		if n == 0 {
			continue
		}
		if i+1+n > len(s) {
			return s, false
		}
		v, err := strconv.ParseUint(s[i+1:i+1+n], 16, 32)
		if err != nil || !utf8.ValidRune(rune(v)) {
			return s, false
		}
		b.WriteRune(rune(v))
		i += n
	}
	return b.String(), true
}

// editDistance returns the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Closest returns the known key nearest to k, or "" if none is close.
func Closest(k string, known []string) string {
	best, bestD := "", 0
	for _, c := range known {
		d := editDistance(strings.ToLower(k), strings.ToLower(c))
		if best == "" || d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" || bestD > max(2, len(k)/3) || bestD >= len(k) {
		return ""
	}
	return best
}
