//go:build !unix

package sweep

import (
	"errors"
	"os"
)

// tryLock creates the lock file at path, failing with errLocked if it
// exists. Without flock a lock left by a process that was killed stays
// until it is deleted by hand; the error names its holder.
func tryLock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, errLocked
	}
	return f, err
}

// unlockFile releases the lock by deleting the lock file.
func unlockFile(f *os.File, path string) {
	f.Close()
	os.Remove(path)
}
