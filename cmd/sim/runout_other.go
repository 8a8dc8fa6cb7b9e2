//go:build !linux

package main

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// makeTempDir makes a temporary folder in parent whose name starts with
// prefix.
func makeTempDir(parent, prefix string) (dir string, release func(), err error) {
	dir, err = os.MkdirTemp(parent, prefix+"*")
	return dir, func() {}, err
}

// removeOrphans removes the folders of parent whose name starts with
// prefix and that are more than an hour old: without flock on folders, a
// folder that old is taken to be left by a run that was killed (a run
// writes its outputs in seconds).
func removeOrphans(parent, prefix string) {
	ents, _ := os.ReadDir(parent)
	for _, e := range ents {
		if !e.IsDir() || !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		if fi, err := e.Info(); err == nil && time.Since(fi.ModTime()) > time.Hour {
			os.RemoveAll(filepath.Join(parent, e.Name()))
		}
	}
}

// swapDirs puts the folder tmp in place of dir; afterwards tmp holds what
// dir held.
func swapDirs(tmp, dir string) error { return swapByRenames(tmp, dir) }
