package strict

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// SetFile is the File of an Error in an override given on the command line.
const SetFile = "--set"

// Error is one problem in a file.
type Error struct {
	File string // "" if unknown; "--set" for an override
	Line int    // 0 if unknown; for an override, its number among the overrides (1-based)
	Key  string // dotted path, e.g. "household.fear_gain" or "regions[2].zeal" (0-based index)
	Msg  string
	Hint string // what to do, e.g. `did you mean "fear_gain"?`

	set string // the override as given, for File "--set"
}

// Error formats the problem as "FILE:LINE: KEY: MSG (hint: HINT)", or for
// an override as "--set KEY=VALUE: KEY: MSG (hint: HINT)".
func (e *Error) Error() string {
	var b strings.Builder
	switch {
	case e.File == SetFile && e.set != "":
		b.WriteString(SetFile + " " + e.set + ": ")
	case e.File != "" && e.File != SetFile && e.Line > 0:
		b.WriteString(e.File + ":" + strconv.Itoa(e.Line) + ": ")
	case e.File != "":
		b.WriteString(e.File + ": ")
	case e.Line > 0:
		b.WriteString("line " + strconv.Itoa(e.Line) + ": ")
	}
	if e.Key != "" {
		b.WriteString(e.Key + ": ")
	}
	b.WriteString(e.Msg)
	if e.Hint != "" {
		b.WriteString(" (hint: " + e.Hint + ")")
	}
	return b.String()
}

// ErrorList is every problem found in a file, in file order.
type ErrorList []*Error

// MaxErrors is the most problems ErrorList.Error writes; it says how many
// more there are.
const MaxErrors = 50

// Error returns the problems one per line, at most MaxErrors of them.
func (l ErrorList) Error() string {
	s := make([]string, 0, min(len(l), MaxErrors+1))
	for i, e := range l {
		if i == MaxErrors {
			s = append(s, fmt.Sprintf("… and %d more problems (fix these first)", len(l)-MaxErrors))
			break
		}
		s = append(s, e.Error())
	}
	return strings.Join(s, "\n")
}

// Sort orders the problems by file (main first, then other files by name,
// then overrides, then those without a file) and line; it keeps the order
// in which they were found otherwise.
func (l ErrorList) Sort(main string) {
	rank := func(e *Error) int {
		switch e.File {
		case main:
			return 0
		case SetFile:
			return 2
		case "":
			return 3
		}
		return 1
	}
	slices.SortStableFunc(l, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(rank(a), rank(b)), strings.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line))
	})
}

// Pos is where a value was set: a line of a file, or an override.
type Pos struct {
	File string
	Line int
	Set  string // the override as given, for File "--set"
}

// Error returns an Error at p.
func (p Pos) Error(key, msg, hint string) *Error {
	return &Error{File: p.File, Line: p.Line, Key: key, Msg: msg, Hint: hint, set: p.Set}
}

// Positions gives where each path of a bound value was set.
type Positions map[string]Pos

// Has reports whether the file (or an override) set the path key.
func (ps Positions) Has(key string) bool {
	_, ok := ps[key]
	return ok
}

// Error returns an Error at key, placed where key or its nearest ancestor
// was set; with nil Positions the Error has a key but no file or line.
func (ps Positions) Error(key, msg, hint string) *Error {
	at := Pos{}
	for k := key; ps != nil; k = ParentKey(k) {
		if p, ok := ps[k]; ok {
			at = p
			break
		}
		if k == "" {
			break
		}
	}
	return at.Error(key, msg, hint)
}
