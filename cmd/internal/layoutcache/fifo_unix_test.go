//go:build unix

package layoutcache

import (
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"
	"time"
)

// hangLimit is how long a Get may take before the test calls it hung: far
// longer than any read of a small entry, so it never fails on a slow machine.
const hangLimit = 20 * time.Second

// A named pipe at an entry's path is refused at once: opening it for
// reading would wait for a writer that never comes.
func TestFIFOEntryDoesNotHang(t *testing.T) {
	c := &Cache{Dir: t.TempDir()}
	for name, path := range map[string]string{"layout": c.Path(key()), "graph": c.GraphPath(graphKey())} {
		if err := syscall.Mkfifo(path, 0o644); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() {
			var err error
			if name == "layout" {
				_, err = c.Get(key())
			} else {
				_, err = c.GetGraph(graphKey())
			}
			done <- err
		}()
		select {
		case err := <-done:
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "not a regular file") {
				t.Errorf("%s: err = %v, want ErrInvalid naming a non-regular file", name, err)
			}
		case <-time.After(hangLimit):
			t.Errorf("%s: Get still waiting on a named pipe after %v", name, hangLimit)
			// Release the reader: a writer that opens and closes the pipe.
			if w, err := os.OpenFile(path, os.O_WRONLY|syscall.O_NONBLOCK, 0); err == nil {
				w.Close()
			}
			<-done
		}
	}
}
