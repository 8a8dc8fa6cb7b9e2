//go:build unix

package sweep

import (
	"errors"
	"os"
	"syscall"
)

// tryLock opens (creating) the lock file at path and takes an exclusive
// flock on it, without waiting: errLocked if another open file holds it.
// The kernel releases the lock when the process ends, however it ends.
func tryLock(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, errLocked
		}
		return nil, err
	}
	return f, nil
}

// unlockFile releases the lock (closing the file releases the flock).
func unlockFile(f *os.File, path string) {
	f.Close()
}
