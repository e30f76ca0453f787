package mnist

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// The IDX fuzz targets feed arbitrary bytes to ReadImages and ReadLabels
// through a file, so they exercise exactly what the app runs, gzip
// detection included. For every input the reader must return an error or a
// result consistent with the bytes given, never panic, and never allocate
// more than the file can hold: a header's claim is checked against the
// file's size (at most 1032:1 for gzip) before the body is allocated. Run them with `make fuzz` (or
// `go test ./mnist -run '^$' -fuzz FuzzReadImages -fuzztime 60s`); plain
// `go test` replays the seeds below and the corpus under
// testdata/fuzz/FuzzReadImages and testdata/fuzz/FuzzReadLabels.

// allocBudget bounds what reading an input of n bytes may allocate: the
// reader's fixed buffers (bufio, gzip) plus a multiple of the largest body
// the input can hold (deflate expands at most 1032:1).
func allocBudget(n int) uint64 { return 8<<20 + 4*1040*uint64(n) }

// fuzzFile writes data to a fresh file in dir and returns its path.
func fuzzFile(t *testing.T, dir string, seq *int, data []byte) string {
	t.Helper()
	*seq++
	path := filepath.Join(dir, "in-"+strconv.Itoa(*seq))
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.Remove(path) })
	return path
}

// readBounded writes data to a fresh file in dir, reads it with read, and
// fails t when reading allocated more than limit bytes.
func readBounded[T any](t *testing.T, dir string, seq *int, data []byte, limit uint64, read func(string) (T, error)) (path string, v T, err error) {
	t.Helper()
	path = fuzzFile(t, dir, seq, data)
	if a := allocated(func() { v, err = read(path) }); a > limit {
		t.Fatalf("allocated %d bytes for a %d-byte file (err %v)", a, len(data), err)
	}
	return path, v, err
}

// allocated returns the bytes allocated by f.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

func isGzip(data []byte) bool { return len(data) >= 2 && data[0] == 0x1f && data[1] == 0x8b }

// checkGzip fails when data, accepted by a reader, is a gzip stream that
// does not decompress cleanly to its end: a truncated or corrupted stream
// must not load as if it were whole.
func checkGzip(t *testing.T, data []byte) {
	t.Helper()
	if !isGzip(data) {
		return
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err == nil {
		_, err = io.Copy(io.Discard, io.LimitReader(zr, 1<<26))
	}
	if err != nil {
		t.Fatalf("accepted a damaged gzip stream: %v", err)
	}
}

func FuzzReadImages(f *testing.F) {
	pix := make([]byte, 3*4*5)
	for i := range pix {
		pix[i] = byte(i * 7)
	}
	good := idx(3, []uint32{3, 4, 5}, pix)
	f.Add(good)
	f.Add(gz(good))
	f.Add(gz(good)[:30])                          // truncated gzip stream
	f.Add(good[:len(good)-1])                     // truncated data
	f.Add(good[:10])                              // truncated header
	f.Add(idx(3, []uint32{1 << 28, 28, 28}, pix)) // huge claim, tiny body
	f.Add(idx(3, []uint32{0xffffffff, 0xffffffff, 0xffffffff}, nil))
	f.Add(idx(3, []uint32{1, 1024, 1024}, pix))
	f.Add(idx(3, []uint32{0, 28, 28}, nil))
	f.Add(idx(1, []uint32{3}, []byte{1, 2, 3})) // labels, not images
	f.Add([]byte{0, 0, 0x0d, 3, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0})
	f.Add(gz(idx(3, []uint32{1, 1024, 1024}, make([]byte, 1<<20)))) // honest 1 MB in 1 KB
	f.Add(gz(idx(3, []uint32{1 << 20, 28, 28}, pix)))               // more than the gzip can hold
	f.Add([]byte{})
	f.Add([]byte{0x1f, 0x8b})
	dir := f.TempDir()
	seq := 0
	f.Fuzz(func(t *testing.T, data []byte) {
		path := fuzzFile(t, dir, &seq, data)
		var (
			pixels     []uint8
			n, w, h    int
			err        error
			allocBytes = allocated(func() { pixels, n, w, h, err = ReadImages(path) })
		)
		if allocBytes > allocBudget(len(data)) {
			t.Fatalf("allocated %d bytes for a %d-byte file (err %v)", allocBytes, len(data), err)
		}
		if err != nil {
			if pixels != nil || n != 0 || w != 0 || h != 0 {
				t.Fatalf("error %v with a result (%d pixels, %d images of %dx%d)", err, len(pixels), n, w, h)
			}
			if !bytes.Contains([]byte(err.Error()), []byte("mnist: ")) {
				t.Fatalf("error %q lacks the package prefix", err)
			}
			return
		}
		if n < 1 || n > MaxItems || w < 1 || w > MaxImageSide || h < 1 || h > MaxImageSide {
			t.Fatalf("accepted %d images of %dx%d", n, w, h)
		}
		if len(pixels) != n*w*h {
			t.Fatalf("%d pixels for %d images of %dx%d", len(pixels), n, w, h)
		}
		checkGzip(t, data)
		if !isGzip(data) {
			if len(data) < 16+len(pixels) {
				t.Fatalf("%d pixels from a %d-byte file", len(pixels), len(data))
			}
			if !bytes.Equal(pixels, data[16:16+len(pixels)]) {
				t.Fatal("pixels differ from the file's body")
			}
		}
	})
}

func FuzzReadLabels(f *testing.F) {
	good := idx(1, []uint32{5}, []byte{0, 1, 2, 9, 255})
	f.Add(good)
	f.Add(gz(good))
	f.Add(gz(good)[:20])
	f.Add(good[:len(good)-1])
	f.Add(good[:6])
	f.Add(idx(1, []uint32{1 << 28}, []byte{1, 2}))
	f.Add(idx(1, []uint32{0xffffffff}, nil))
	f.Add(gz(idx(1, []uint32{1 << 20}, make([]byte, 1<<20)))) // honest 1 MB in 1 KB
	f.Add(gz(idx(1, []uint32{1 << 28}, []byte{1, 2})))        // more than the gzip can hold
	f.Add(idx(1, []uint32{0}, nil))
	f.Add(idx(3, []uint32{1, 1, 1}, []byte{7})) // images, not labels
	f.Add([]byte{})
	f.Add([]byte("PK\x03\x04"))
	dir := f.TempDir()
	seq := 0
	f.Fuzz(func(t *testing.T, data []byte) {
		_, labels, err := readBounded(t, dir, &seq, data, allocBudget(len(data)), ReadLabels)
		if err != nil {
			if labels != nil {
				t.Fatalf("error %v with %d labels", err, len(labels))
			}
			if !bytes.Contains([]byte(err.Error()), []byte("mnist: ")) {
				t.Fatalf("error %q lacks the package prefix", err)
			}
			return
		}
		if len(labels) < 1 || len(labels) > MaxItems {
			t.Fatalf("accepted %d labels", len(labels))
		}
		checkGzip(t, data)
		if !isGzip(data) && (len(data) < 8+len(labels) || !bytes.Equal(labels, data[8:8+len(labels)])) {
			t.Fatalf("%d labels from a %d-byte file do not match its body", len(labels), len(data))
		}
	})
}

// A gzip file cut inside its trailer, or with a damaged checksum, holds the
// whole body but is not whole: it must not load (found by FuzzReadImages).
func TestGzipTrailerIsVerified(t *testing.T) {
	good := gz(idx(1, []uint32{5}, []byte{0, 1, 2, 3, 4}))
	crc := append([]byte(nil), good...)
	crc[len(crc)-8] ^= 1
	for name, c := range map[string]struct {
		data []byte
		want string
	}{
		"cut trailer": {good[:len(good)-4], "truncated gzip stream"},
		"bad crc":     {crc, "bad gzip stream"},
		"garbage":     {append(append([]byte(nil), good...), "junk"...), "gzip stream"},
	} {
		path := filepath.Join(t.TempDir(), TrainLabels+".gz")
		if err := os.WriteFile(path, c.data, 0o600); err != nil {
			t.Fatal(err)
		}
		if _, err := ReadLabels(path); err == nil || !bytes.Contains([]byte(err.Error()), []byte(c.want)) ||
			!bytes.Contains([]byte(err.Error()), []byte(path)) {
			t.Errorf("%s: err = %v, want %q naming the file", name, err, c.want)
		}
	}
	path := filepath.Join(t.TempDir(), TrainLabels+".gz")
	os.WriteFile(path, good, 0o600)
	if l, err := ReadLabels(path); err != nil || len(l) != 5 {
		t.Errorf("good file: %v, %v", l, err)
	}
}

// FuzzReadClasses feeds arbitrary bytes to the classes.txt reader: it must
// return an error naming the file or 1..256 clipped, trimmed, non-empty
// names, from a file of at most MaxClassesFileSize bytes.
func FuzzReadClasses(f *testing.F) {
	f.Add([]byte("zero\none\ntwo\n"))
	f.Add([]byte("  a \r\n\n\tb\r\n"))
	f.Add([]byte(strings.Repeat("é", 50) + "\n"))
	f.Add([]byte(strings.Repeat("x\n", 257)))
	f.Add([]byte("\n \n"))
	f.Add(bytes.Repeat([]byte{0xff}, MaxClassesFileSize+1))
	f.Add([]byte{})
	dir := f.TempDir()
	seq := 0
	f.Fuzz(func(t *testing.T, data []byte) {
		path, names, err := readBounded(t, dir, &seq, data, 1<<20, readClasses)
		if err != nil {
			if names != nil || !strings.HasPrefix(err.Error(), "mnist: "+path) {
				t.Fatalf("error %q with %d names; want the prefix and the path", err, len(names))
			}
			return
		}
		if len(data) > MaxClassesFileSize || len(names) < 1 || len(names) > 256 {
			t.Fatalf("%d names from a %d-byte file", len(names), len(data))
		}
		for _, n := range names {
			if n == "" || n != strings.TrimSpace(n) || utf8.RuneCountInString(n) > MaxClassNameLen {
				t.Fatalf("name %q", n)
			}
		}
	})
}
