//go:build unix

package projection

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestReadLayoutFileFIFO checks that a named pipe is refused at once rather
// than opened (which would block until a writer came).
func TestReadLayoutFileFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "pipe.npy")
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("no FIFO: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, err := ReadLayoutFile(path, 0)
		done <- err
	}()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "not a regular file") || !strings.Contains(err.Error(), path) {
			t.Errorf("err = %v, want a refusal naming the file", err)
		}
	case <-time.After(10 * time.Second):
		// Release the reader blocked in open, then fail.
		if w, err := os.OpenFile(path, os.O_WRONLY, 0); err == nil {
			w.Close()
		}
		t.Fatal("ReadLayoutFile blocked on a named pipe")
	}
}
