package sweep

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// LockFile is the lock file of an output folder. Execute and Merge hold an
// exclusive lock on it while they write the folder, so that two processes
// (a requeued Slurm task and the one it replaced, a Kubernetes retry, two
// --resume by hand) never write one journal: the second is refused. It
// holds the pid and host of the holder, and stays behind when the lock is
// released.
const LockFile = ".lock"

// errLocked is the error of tryLock when another process holds the lock.
var errLocked = errors.New("locked")

// Lock takes the lock of the output folder dir (which must exist) for this
// process and returns the function that releases it. If another process
// holds it, the error names that process's pid and host.
func Lock(dir string) (unlock func(), err error) {
	path := filepath.Join(dir, LockFile)
	f, err := tryLock(path)
	if errors.Is(err, errLocked) {
		holder := "another process"
		// The holder writes its note just after it takes the lock.
		for try := 0; try < 5 && holder == "another process"; try++ {
			if b, err := os.ReadFile(path); err == nil {
				if h := describeHolder(string(b)); h != "" {
					holder = h
					break
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
		return nil, fmt.Errorf("%s is in use by %s (lock file %s): two processes must not write one sweep (hint: wait for it to finish or stop it; a requeued job whose old copy still runs should be cancelled)", dir, holder, path)
	}
	if err != nil {
		return nil, fmt.Errorf("locking %s: %w", dir, err)
	}
	host, _ := os.Hostname()
	note := fmt.Sprintf("pid %d\nhost %s\nsince %s\n", os.Getpid(), host, time.Now().UTC().Format(time.RFC3339))
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(note), 0)
	}
	return func() { unlockFile(f, path) }, nil
}

// describeHolder reads the note of a lock file: "pid 123 on host h since t".
func describeHolder(note string) string {
	kv := map[string]string{}
	for _, l := range strings.Split(note, "\n") {
		if k, v, ok := strings.Cut(l, " "); ok {
			kv[k] = v
		}
	}
	if _, err := strconv.Atoi(kv["pid"]); err != nil {
		return ""
	}
	s := "pid " + kv["pid"] + " on host " + kv["host"]
	if kv["since"] != "" {
		s += " (since " + kv["since"] + ")"
	}
	return s
}
