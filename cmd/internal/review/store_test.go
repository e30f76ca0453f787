package review

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// journalOf runs steps 0..n-1 of the script in a journal at a new path and
// closes it.
func journalOf(t testing.TB, n int) (path string, mirror *Corrections) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "sub", "d.review")
	c, err := Open(path, dataset())
	if err != nil {
		t.Fatal(err)
	}
	runScript(t, tick(c), 0, n)
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	mirror = tick(New(dataset()))
	runScript(t, mirror, 0, n)
	return path, mirror
}

func TestStoreRoundTrip(t *testing.T) {
	const n = 299 // ends on an undo: both stacks hold steps
	path, mirror := journalOf(t, n)
	c, err := Open(path, dataset())
	if err != nil {
		t.Fatal(err)
	}
	sameState(t, c, mirror)
	if st, _ := os.Stat(path); st.Size() != headerSize+n*recordSize {
		t.Errorf("file of %d bytes, want %d", st.Size(), headerSize+n*recordSize)
	}
	if u, r := c.History(); u == 0 || r == 0 || c.Counts().Relabelled == 0 || c.Counts().Flagged == 0 {
		t.Fatalf("script too tame: history %d/%d, counts %+v", u, r, c.Counts())
	}
	// The history survived: undo and redo go on where they stopped, and
	// persist in turn.
	tick(c)
	for _, x := range []*Corrections{c, mirror} {
		x.Undo()
		x.Undo()
		x.Redo()
	}
	if err := c.Close(); err != nil {
		t.Fatal(err)
	}
	c, err = Load(path, dataset())
	if err != nil {
		t.Fatal(err)
	}
	sameState(t, c, mirror)
	if c.Path() != "" || c.Dropped() != 0 {
		t.Errorf("Load: path %q, dropped %d", c.Path(), c.Dropped())
	}
}

// Measures the cost of a durable decision (one write and one fsync).
func BenchmarkSet(b *testing.B) {
	c, err := Open(filepath.Join(b.TempDir(), "d.review"), dataset())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	for i := 0; b.Loop(); i++ {
		if err := scriptStep(c, i); err != nil {
			b.Fatal(err)
		}
	}
}

func TestOtherDatasetIsRefused(t *testing.T) {
	path, _ := journalOf(t, 20)
	before, _ := os.ReadFile(path)
	other := dataset()
	other.Hash[31] = 1
	fewer := dataset()
	fewer.Labels = fewer.Labels[:49]
	for name, d := range map[string]Dataset{"hash": other, "rows": fewer} {
		for _, open := range []func(string, Dataset) (*Corrections, error){Open, Load} {
			c, err := open(path, d)
			if !errors.Is(err, ErrOtherDataset) || c != nil || !strings.Contains(err.Error(), path) {
				t.Errorf("other %s: %v, %v", name, c, err)
			}
		}
	}
	if after, _ := os.ReadFile(path); !bytes.Equal(before, after) {
		t.Error("a refused file was changed")
	}
}

func TestDamagedJournals(t *testing.T) {
	const n = 12
	path, _ := journalOf(t, n)
	good, _ := os.ReadFile(path)
	prefix := func(k int) *Corrections { // the state after k records
		c := tick(New(dataset()))
		runScript(t, c, 0, k)
		return c
	}
	flip := func(at int) []byte {
		b := bytes.Clone(good)
		b[at] ^= 0x04
		return b
	}
	rec := func(i int) int { return headerSize + i*recordSize }
	// sealed returns good with record i replaced by r, sequence number seq
	// and a correct checksum.
	sealed := func(i int, r record, seq int) []byte {
		b := bytes.Clone(good)
		copy(b[rec(i):], encodeRecord(r, uint32(seq)))
		return b
	}
	version9 := bytes.Clone(good)
	version9[8] = 9
	binary.LittleEndian.PutUint32(version9[60:], crc32.Checksum(version9[:60], castagnoli))
	set := func(row int32, d Decision) record { return record{op: opSet, row: row, d: d} }

	cases := []struct {
		name string
		data []byte
		err  string // substring of the error; empty for a load
		keep int    // records loaded when err is empty
	}{
		{"empty", nil, "shorter than the header", 0},
		{"cut header", good[:40], "shorter than the header", 0},
		{"header only", good[:headerSize], "", 0},
		{"not a journal", append([]byte("MNXLAYT\x00"), good[8:]...), "not a review journal", 0},
		{"flip in header", flip(20), "header checksum", 0},
		{"unsealed version", flip(8), "header checksum", 0},
		{"sealed version", version9, "format version 9", 0},
		{"cut last record", good[:len(good)-5], "", n - 1},
		{"one byte of a record", good[:rec(n-3)+1], "", n - 3},
		{"flip in last record", flip(rec(n-1) + 6), "", n - 1},
		{"flip in a middle record", flip(rec(4) + 6), "record 5 of 12: checksum", 0},
		{"flip in the last but one", flip(rec(n-2) + 1), "record 11 of 12", 0},
		{"garbage after the end", append(bytes.Clone(good), bytes.Repeat([]byte{0xAA}, 30)...), "record 13 of 13", 0},
		{"zeros after the end", append(bytes.Clone(good), make([]byte, recordSize)...), "", n},
		{"record out of place", sealed(3, set(1, Decision{Kind: Flagged}), 5), "record 4 of 12: sequence number 5, want 3", 0},
		{"relabel to a missing class", sealed(0, set(1, Decision{Kind: Relabelled, Label: 10}), 0), "record 1 of 12: row 1: relabel", 0},
		{"relabel to its own label", sealed(0, set(1, Decision{Kind: Relabelled, Label: 1}), 0), "relabel from 1 to 1", 0},
		{"label on a flag", sealed(0, set(1, Decision{Kind: Flagged, Label: 3}), 0), "bad decision", 0},
		{"row out of range", sealed(0, set(50, Decision{Kind: Flagged}), 0), "row 50 of 50", 0},
		{"negative row", sealed(0, set(-1, Decision{Kind: Flagged}), 0), "row 4294967295", 0},
		{"unknown kind", sealed(0, set(1, Decision{Kind: 4}), 0), "bad decision", 0},
		{"decision that changes nothing", sealed(1, set(0, Decision{Kind: Kept}), 1), "changes nothing", 0},
		{"undo of nothing", sealed(0, record{op: opUndo, row: 0}, 0), "undo of row 0 does not match", 0},
		{"undo of another row", sealed(3, record{op: opUndo, row: 2}, 3), "undo of row 2 does not match", 0},
		{"redo of nothing", sealed(1, record{op: opRedo, row: 37}, 1), "redo of row 37 does not match", 0},
		{"unknown operation", sealed(1, record{op: 7, row: 1}, 1), "unknown operation", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := os.WriteFile(path, tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			c, err := Open(path, dataset())
			if tc.err != "" {
				if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.err) || !strings.Contains(err.Error(), path) || c != nil {
					t.Fatalf("got %v, want ErrInvalid naming %s and saying %q", err, path, tc.err)
				}
				if after, _ := os.ReadFile(path); !bytes.Equal(after, tc.data) {
					t.Error("a refused file was changed")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			sameState(t, c, prefix(tc.keep))
			if want := len(tc.data) - rec(tc.keep); c.Dropped() != want {
				t.Errorf("dropped %d bytes, want %d", c.Dropped(), want)
			}
			// The torn tail is cut off, and decisions go on after it.
			if st, _ := os.Stat(path); st.Size() != int64(rec(tc.keep)) {
				t.Errorf("file of %d bytes after open, want %d", st.Size(), rec(tc.keep))
			}
			tick(c)
			runScript(t, c, tc.keep, n+3)
			c.Close()
			again, err := Load(path, dataset())
			if err != nil {
				t.Fatal(err)
			}
			sameState(t, again, prefix(n+3))
		})
	}
}

func TestHugeFileIsRefusedUnread(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.review")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	f.Write(header(dataset()))
	if err := f.Truncate(MaxFileSize + 1); err != nil { // sparse: costs no disk
		t.Fatal(err)
	}
	f.Close()
	for _, open := range []func(string, Dataset) (*Corrections, error){Open, Load} {
		if _, err := open(path, dataset()); !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "more than") {
			t.Errorf("huge file: %v", err)
		}
	}
}

func TestDirectoryIsRefused(t *testing.T) {
	path := t.TempDir()
	if _, err := Open(path, dataset()); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("open a directory: %v", err)
	}
	if _, err := Load(path, dataset()); err == nil || !strings.Contains(err.Error(), "not a regular file (a directory)") {
		t.Errorf("load a directory: %v", err)
	}
	if _, err := Load(filepath.Join(path, "missing"), dataset()); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v, want fs.ErrNotExist", err)
	}
}

func TestFailedWriteChangesNothing(t *testing.T) {
	c, err := Open(filepath.Join(t.TempDir(), "d.review"), dataset())
	if err != nil {
		t.Fatal(err)
	}
	c.Set(1, Decision{Kind: Kept})
	c.j.f.Close() // every write now fails
	if err := c.Set(2, Decision{Kind: Flagged}); err == nil || c.Decision(2).Kind != Undecided {
		t.Fatalf("failed write: %v, decision %v", err, c.Decision(2))
	}
	if _, ok, err := c.Undo(); ok || err == nil || c.Decision(1).Kind != Kept {
		t.Fatalf("failed undo: %v %v", ok, err)
	}
	if u, r := c.History(); u != 1 || r != 0 {
		t.Errorf("history %d/%d, want 1/0", u, r)
	}
	c.j.f, _ = os.Open(os.DevNull) // a working file again: the error sticks
	if err := c.Set(2, Decision{Kind: Flagged}); err == nil {
		t.Error("a journal that failed once takes writes")
	}
	c.Close() // goes on in memory
	if err := c.Set(2, Decision{Kind: Flagged}); err != nil || c.Decision(2).Kind != Flagged || c.Path() != "" {
		t.Errorf("in memory after Close: %v", err)
	}
}

func TestJournalFull(t *testing.T) {
	c, err := Open(filepath.Join(t.TempDir(), "d.review"), dataset())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	c.j.off = MaxFileSize - recordSize + 1
	if err := c.Set(1, Decision{Kind: Kept}); !errors.Is(err, ErrFull) || c.Decision(1).Kind != Undecided {
		t.Errorf("full journal: %v", err)
	}
}

func TestCreateKeepsAnExistingFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "d.review")
	os.WriteFile(path, []byte("theirs"), 0o644)
	if err := create(path, []byte("mine")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path); string(b) != "theirs" {
		t.Errorf("file now holds %q", b)
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(path), ".*tmp*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestDefaultPath(t *testing.T) {
	h := [32]byte{0xab, 0xcd}
	t.Setenv("XDG_STATE_HOME", "/state")
	p, err := DefaultPath("MNIST (train) / ../x", h)
	if err != nil || p != "/state/mnist-explorer/reviews/MNIST__train____.._x-abcd000000000000.review" {
		t.Errorf("path %q, %v", p, err)
	}
	if p, _ := DefaultPath("..", h); filepath.Base(p) != "dataset-abcd000000000000.review" {
		t.Errorf("dots: %q", p)
	}
	if q, _ := DefaultPath("MNIST (train) / ../x", [32]byte{0xab, 0xce}); q == p {
		t.Error("two datasets share a path")
	}
	if runtime.GOOS != "linux" {
		return
	}
	t.Setenv("XDG_STATE_HOME", "relative/ignored")
	t.Setenv("HOME", "/home/u")
	if p, err := DefaultPath("mnist", h); p != "/home/u/.local/state/mnist-explorer/reviews/mnist-abcd000000000000.review" {
		t.Errorf("fallback %q, %v", p, err)
	}
	t.Setenv("HOME", "")
	if _, err := DefaultPath("mnist", h); err == nil {
		t.Error("no $HOME and no $XDG_STATE_HOME: no error")
	}
}

// guard fails the test if f does not return within a minute, so that a
// read that blocks is a failure, not a hang.
func guard(t *testing.T, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() { f(); close(done) }()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatalf("%s: still blocked after a minute", what)
	}
}

// Measures reading and replaying a journal of 10,000 operations.
func BenchmarkLoad10k(b *testing.B) {
	path, _ := journalOf(b, 10_000)
	for b.Loop() {
		if _, err := Load(path, dataset()); err != nil {
			b.Fatal(err)
		}
	}
}
