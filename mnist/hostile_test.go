package mnist

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Files that are not regular files fail at once with an error naming them:
// a named pipe would otherwise block the loader forever.
func TestNotARegularFile(t *testing.T) {
	dir := t.TempDir()
	pipe := filepath.Join(dir, TrainImages)
	if err := syscall.Mkfifo(pipe, 0o644); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	sub := filepath.Join(dir, TrainLabels)
	os.Mkdir(sub, 0o755)
	done := make(chan error, 2)
	go func() { _, _, _, _, err := ReadImages(pipe); done <- err }()
	go func() { _, err := ReadLabels(sub); done <- err }()
	for range 2 {
		select {
		case err := <-done:
			if err == nil || !strings.Contains(err.Error(), "not a regular file") || !strings.Contains(err.Error(), dir) {
				t.Errorf("err = %v, want not a regular file, naming it", err)
			}
		case <-time.After(5 * time.Second):
			t.Fatal("blocked on a named pipe")
		}
	}
}

// Errors from the gzip layer name the file too.
func TestBadGzipNamesTheFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), TrainImages+".gz")
	os.WriteFile(path, []byte{0x1f, 0x8b}, 0o644)
	if _, _, _, _, err := ReadImages(path); err == nil || !strings.Contains(err.Error(), path) ||
		!strings.Contains(err.Error(), "bad gzip stream") {
		t.Errorf("err = %v", err)
	}
}
