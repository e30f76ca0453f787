package export

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// A write that fails half-way (here: the file-size limit, ulimit -f, hit
// while writing) leaves the previous file as it was and no temporary file.
// The export runs in a child process so the limit binds nothing else.
func TestFailedWriteLeavesNoPartialFile(t *testing.T) {
	if dir := os.Getenv("EXPORT_TEST_FSIZE_DIR"); dir != "" {
		failingExport(dir)
		return
	}
	dir := t.TempDir()
	old := []byte("row,split,label,x,y,id\n0,train,3,,,\n")
	for _, name := range []string{"sel.csv", "rows.npy", "labels.npy", "labels.idx"} {
		if err := os.WriteFile(filepath.Join(dir, name), old, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestFailedWriteLeavesNoPartialFile$")
	cmd.Env = append(os.Environ(), "EXPORT_TEST_FSIZE_DIR="+dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child: %v\n%s", err, out)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 4 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("directory holds %q, want only the 4 old files", names)
	}
	for _, name := range []string{"sel.csv", "rows.npy", "labels.npy", "labels.idx"} {
		if got, _ := os.ReadFile(filepath.Join(dir, name)); !bytes.Equal(got, old) {
			t.Errorf("%s: %d bytes after a failed export, want the old %d", name, len(got), len(old))
		}
	}
}

// failingExport limits file sizes to 4 KiB, then overwrites each file with
// a larger export, each of which must fail.
func failingExport(dir string) {
	if err := syscall.Setrlimit(syscall.RLIMIT_FSIZE, &syscall.Rlimit{Cur: 4096, Max: 1 << 62}); err != nil {
		println("setrlimit:", err.Error())
		os.Exit(2)
	}
	n := 10000
	src := Source{Labels: make([]uint8, n)}
	rows := make([]int32, n)
	for i := range rows {
		rows[i] = int32(i)
	}
	for name, f := range map[string]func(string) (Result, error){
		"sel.csv":    func(p string) (Result, error) { return SelectionCSV(p, src, rows, nil) },
		"rows.npy":   func(p string) (Result, error) { return SelectionNPY(p, rows) },
		"labels.npy": func(p string) (Result, error) { return LabelsNPY(p, src.Labels) },
		"labels.idx": func(p string) (Result, error) { return LabelsIDX(p, src.Labels) },
	} {
		if res, err := f(filepath.Join(dir, name)); err == nil {
			println(name, "written past the file-size limit:", res.String())
			os.Exit(1)
		}
	}
	os.Exit(0)
}
