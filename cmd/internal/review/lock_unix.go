//go:build linux || darwin || freebsd || netbsd || openbsd || dragonfly

package review

import (
	"errors"
	"os"
	"syscall"
)

// lock takes an advisory exclusive lock on f for as long as it is open, so
// that two processes never append to one journal. It fails only when
// another process holds the lock; file systems without locks are used
// unlocked.
func lock(f *os.File) error {
	err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return errors.New("in use by another process")
	}
	return nil
}
