package main

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"golang.org/x/sys/unix"
)

// makeTempDir makes a temporary folder in parent whose name starts with
// prefix and holds a flock on it until release, so that removeOrphans
// knows it is in use.
func makeTempDir(parent, prefix string) (dir string, release func(), err error) {
	dir, err = os.MkdirTemp(parent, prefix+"*")
	if err != nil {
		return "", nil, err
	}
	f, err := os.Open(dir)
	if err != nil {
		os.RemoveAll(dir)
		return "", nil, err
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		f.Close()
		os.RemoveAll(dir)
		return "", nil, err
	}
	return dir, func() { f.Close() }, nil
}

// removeOrphans removes the folders of parent whose name starts with
// prefix and that no process holds (makeTempDir): runs killed while they
// wrote them.
func removeOrphans(parent, prefix string) {
	ents, _ := os.ReadDir(parent)
	for _, e := range ents {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		p := filepath.Join(parent, e.Name())
		f, err := os.Open(p)
		if err != nil {
			continue
		}
		if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil {
			os.RemoveAll(p)
		}
		f.Close()
	}
}

// swapDirs puts the folder tmp in place of dir in one step (renameat2 with
// RENAME_EXCHANGE): afterwards tmp holds what dir held. If dir does not
// exist, tmp is renamed to it.
func swapDirs(tmp, dir string) error {
	err := unix.Renameat2(unix.AT_FDCWD, tmp, unix.AT_FDCWD, dir, unix.RENAME_EXCHANGE)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, syscall.ENOENT):
		return os.Rename(tmp, dir)
	case errors.Is(err, syscall.EINVAL) || errors.Is(err, syscall.ENOSYS):
		return swapByRenames(tmp, dir) // a file system without exchange
	}
	return err
}
