package sweep

import (
	"errors"
	"path/filepath"
)

// RelPath returns path relative to the folder dir, in slash form: how a
// file that a program writes into dir names another file (a sweep file's
// base scenario, a calibrated scenario's extends), so that the folder can
// move with it. Both are made absolute first; where path has no form
// relative to dir (another volume), it is the absolute path. The error is
// that of filepath.Abs.
func RelPath(dir, path string) (string, error) {
	absDir, err1 := filepath.Abs(dir)
	absPath, err2 := filepath.Abs(path)
	if err := errors.Join(err1, err2); err != nil {
		return "", err
	}
	rel, err := filepath.Rel(absDir, absPath)
	if err != nil {
		rel = absPath
	}
	return filepath.ToSlash(rel), nil
}
