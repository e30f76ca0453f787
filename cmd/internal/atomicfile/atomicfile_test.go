package atomicfile

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// onlyFile fails t unless dir holds exactly the file name: no temporary
// file is left behind.
func onlyFile(t *testing.T, dir, name string) {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != name {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %v, want only %s", names, name)
	}
}

func TestWriteReplacesContent(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.bin")
	if err := os.WriteFile(path, []byte("old content"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteBytes(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "new" {
		t.Fatalf("content %q, %v; want %q", got, err, "new")
	}
	if fi, _ := os.Stat(path); runtime.GOOS != "windows" && fi.Mode().Perm() != Mode {
		t.Errorf("mode %v, want %v", fi.Mode().Perm(), os.FileMode(Mode))
	}
	onlyFile(t, dir, "f.bin")
}

func TestWriteFailureKeepsOldFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.bin")
	os.WriteFile(path, []byte("old"), 0o644)
	boom := errors.New("boom")
	err := Write(path, func(w io.Writer) error {
		w.Write(bytes.Repeat([]byte("x"), 1<<20)) // more than the buffer: reaches the file
		return boom
	})
	if !errors.Is(err, boom) || !strings.Contains(err.Error(), path) {
		t.Errorf("err = %v, want it to wrap the fill's error and name %s", err, path)
	}
	if got, _ := os.ReadFile(path); string(got) != "old" {
		t.Errorf("a failed write changed the file to %d bytes", len(got))
	}
	onlyFile(t, dir, "f.bin")

	if err := WriteBytes(filepath.Join(dir, "missing", "f"), nil); err == nil {
		t.Error("writing into a missing directory succeeded")
	}
}

// TestWriteSyncsBeforeRename checks that the data reaches the disk before
// the new file replaces the old one: when the sync runs, the temporary
// file is complete and the target still old.
func TestWriteSyncsBeforeRename(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.bin")
	os.WriteFile(path, []byte("old"), 0o644)
	synced := 0
	syncFile = func(f *os.File) error {
		synced++
		tmp, _ := os.ReadFile(f.Name())
		target, _ := os.ReadFile(path)
		if string(tmp) != "new" || string(target) != "old" {
			t.Errorf("at sync: temporary %q, target %q", tmp, target)
		}
		return f.Sync()
	}
	defer func() { syncFile = (*os.File).Sync }()
	if err := WriteBytes(path, []byte("new")); err != nil {
		t.Fatal(err)
	}
	if synced != 1 {
		t.Errorf("synced %d times, want 1", synced)
	}
}

// TestWriteNeverPartial reads the file while it is rewritten again and
// again with one of two large contents: every read sees one of them whole.
func TestWriteNeverPartial(t *testing.T) {
	path := filepath.Join(t.TempDir(), "f.bin")
	a, b := bytes.Repeat([]byte("a"), 1<<20), bytes.Repeat([]byte("b"), 3<<19)
	if err := WriteBytes(path, a); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-done:
				return
			default:
			}
			got, err := os.ReadFile(path)
			if err != nil {
				if runtime.GOOS == "windows" {
					continue // a rename can briefly deny access there
				}
				t.Error(err)
				return
			}
			if !bytes.Equal(got, a) && !bytes.Equal(got, b) {
				t.Errorf("read %d bytes that are neither content", len(got))
				return
			}
		}
	}()
	for i := range 40 {
		data := a
		if i%2 == 0 {
			data = b
		}
		if err := WriteBytes(path, data); err != nil {
			t.Fatal(err)
		}
	}
	close(done)
	wg.Wait()
}
