//go:build unix

package main

import (
	"path/filepath"
	"syscall"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/clitest"
)

// TestEvalFIFO gives --eval a named pipe with no writer: it must be refused
// at once, not opened (which blocks until a writer comes).
func TestEvalFIFO(t *testing.T) {
	bin := layoutBinary(t)
	data := smallDataset(t)
	path := filepath.Join(t.TempDir(), "pipe.csv")
	if err := syscall.Mkfifo(path, 0o644); err != nil {
		t.Skipf("no FIFO: %v", err)
	}
	clitest.WantOneLineError(t, runEval(t, bin, data, path), path, evalSlow)
}
