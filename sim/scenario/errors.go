package scenario

import "github.com/collsim/collsim/internal/strict"

// Error is one problem in a scenario: its file, line and dotted key, what is
// wrong and a hint. Error formats it as "FILE:LINE: KEY: MSG (hint: HINT)",
// or for an override as "--set KEY=VALUE: KEY: MSG (hint: HINT)".
type Error = strict.Error

// ErrorList is every problem found in a scenario, in file order, one per line.
type ErrorList = strict.ErrorList
