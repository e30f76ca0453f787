package layoutcache

import (
	"encoding/binary"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// An entry that is a symbolic link is foreign, even to a valid entry; Put
// then replaces the link itself and leaves its target alone.
func TestSymlinkEntryIsInvalidAndReplaced(t *testing.T) {
	c := &Cache{Dir: t.TempDir()}
	target := filepath.Join(t.TempDir(), "elsewhere")
	good := Encode(key(), []float32{1, 2, 3, 4, 5, 6})
	if err := os.WriteFile(target, good, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(target, c.Path(key())); err != nil {
		t.Skip("no symbolic links:", err)
	}
	if _, err := c.Get(key()); !errors.Is(err, ErrInvalid) {
		t.Fatalf("symlinked entry: err = %v, want ErrInvalid", err)
	}
	if err := c.Put(key(), []float32{7, 8, 9, 10, 11, 12}); err != nil {
		t.Fatal(err)
	}
	if st, err := os.Lstat(c.Path(key())); err != nil || !st.Mode().IsRegular() {
		t.Errorf("after Put the entry is %v (%v), want a regular file", st.Mode(), err)
	}
	if got, err := c.Get(key()); err != nil || got[0] != 7 {
		t.Errorf("after Put: %v, %v", got, err)
	}
	if b, _ := os.ReadFile(target); string(b) != string(good) {
		t.Error("Put wrote through the link into its target")
	}
}

// hostileEnv names the case a child process of TestHostileEntriesAreBounded
// reads; the child runs TestHostileChild.
const hostileEnv = "LAYOUTCACHE_HOSTILE"

// hostileMemoryKB is the child's address-space limit: room for the Go
// runtime and a test binary, far below the 2 GB an unbounded read takes.
const hostileMemoryKB = 1 << 20

// Entries that would make an unbounded reader allocate gigabytes are
// refused after reading at most a header: each is read by a child process
// under `ulimit -v` (1 GB), which dies out of memory if Get reads them
// whole. The cases: a link to /dev/zero (endless), and 2 GB sparse files
// whose header matches the key (the size gives them away) or claims 2^28
// rows.
func TestHostileEntriesAreBounded(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector's shadow memory does not fit under ulimit -v")
	}
	if runtime.GOOS != "linux" {
		t.Skip("needs /dev/zero, sparse files and sh's ulimit")
	}
	for _, name := range []string{"devzero", "sparse-layout", "sparse-graph", "claims-2^28-rows"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			if err := writeHostile(&Cache{Dir: dir}, name); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("sh", "-c", fmt.Sprintf(`ulimit -v %d && exec "$0" -test.run='^TestHostileChild$' -test.v`, hostileMemoryKB), os.Args[0])
			cmd.Env = append(os.Environ(), hostileEnv+"="+name+":"+dir)
			out, err := cmd.CombinedOutput()
			if err != nil || !strings.Contains(string(out), "refused: ") {
				t.Fatalf("child reading %s: %v\n%s", name, err, head(out))
			}
			t.Log(strings.TrimSpace(strings.Split(string(out), "refused: ")[1]))
		})
	}
}

// writeHostile puts the named hostile entry in c.
func writeHostile(c *Cache, name string) error {
	const twoGB = 2 << 30
	switch name {
	case "devzero":
		return os.Symlink("/dev/zero", c.Path(key()))
	case "sparse-layout":
		return sparse(c.Path(key()), Encode(key(), []float32{1, 2, 3, 4, 5, 6}), twoGB)
	case "sparse-graph":
		return sparse(c.GraphPath(graphKey()), EncodeGraph(graphKey(), []int32{1, 2, 0, 2, 1, 0}), twoGB)
	case "claims-2^28-rows":
		e := Encode(key(), []float32{1, 2, 3, 4, 5, 6})
		rowsAt := len(magic) + 4 + 32 + 4 + len(key().Method) + 4 + len(key().Settings)
		binary.LittleEndian.PutUint64(e[rowsAt:], 1<<28)
		return sparse(c.Path(key()), e, twoGB)
	}
	return fmt.Errorf("unknown case %q", name)
}

// sparse writes head at the start of path and extends it to size bytes
// without writing them (a sparse file on most file systems).
func sparse(path string, head []byte, size int64) error {
	if err := os.WriteFile(path, head, 0o644); err != nil {
		return err
	}
	return os.Truncate(path, size)
}

// TestHostileChild is the child of TestHostileEntriesAreBounded: it reads
// one hostile entry and prints how it was refused.
func TestHostileChild(t *testing.T) {
	spec, ok := os.LookupEnv(hostileEnv)
	if !ok {
		t.Skip("run by TestHostileEntriesAreBounded")
	}
	name, dir, _ := strings.Cut(spec, ":")
	c := &Cache{Dir: dir}
	var err error
	if name == "sparse-graph" {
		_, err = c.GetGraph(graphKey())
	} else {
		_, err = c.Get(key())
	}
	if !errors.Is(err, ErrInvalid) {
		t.Fatalf("%s: err = %v, want ErrInvalid", name, err)
	}
	fmt.Printf("refused: %v\n", err)
}

// head returns the start of a child's output, where a Go runtime's fatal
// error is.
func head(b []byte) string {
	return string(b[:min(len(b), 2000)])
}
