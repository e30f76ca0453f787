//go:build unix

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A named pipe with no reader as --log-file: opening it for writing would
// block for ever, so openLog must refuse it, naming the path, without
// opening it.
func TestOpenLogRefusesANamedPipe(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "app.log")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, _, closeLog, err := openLog(fifo, new(bytes.Buffer), nil)
		if err == nil {
			closeLog()
		}
		done <- err
	}()
	var err error
	select {
	case err = <-done:
	case <-time.After(10 * time.Second):
		// Give the blocked open a reader so that it returns, then fail.
		if r, rerr := os.OpenFile(fifo, os.O_RDONLY|syscall.O_NONBLOCK, 0); rerr == nil {
			<-done
			r.Close()
		}
		t.Fatalf("openLog(%s) still blocked after 10 s on a named pipe with no reader", fifo)
	}
	if err == nil || !strings.Contains(err.Error(), fifo) || !strings.Contains(err.Error(), "named pipe") {
		t.Errorf("err = %v, want a refusal that names %s as a named pipe", err, fifo)
	}
}
