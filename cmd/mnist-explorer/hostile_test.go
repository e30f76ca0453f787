package main

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/clitest"
	"github.com/mnist-explorer/mnist-explorer/mnist"
)

// The hostile-file sweep runs the real binary's loader on damaged and
// malicious dataset directories. Each must end quickly with exit status 1
// and one line that names the offending file: no panic, no stack trace, no
// hang, no attempt to allocate what a header claims. The loader runs before
// any window opens, so no display is needed; DISPLAY is cleared so that a
// directory the loader wrongly accepted fails visibly on the display
// instead of opening a window.

const (
	hostileTimeout = 20 * time.Second // the run is killed after this
	hostileSlow    = 5 * time.Second  // and fails the test after this
)

// idxFile builds an IDX file of unsigned bytes.
var idxFile = clitest.IDX

func gzipped(b []byte) []byte {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// goodFiles is a valid 5-image 28x28 dataset with a test split of 2 and
// labels up to 9 (so a short classes.txt is wrong).
func goodFiles() map[string][]byte {
	pix := make([]byte, 5*28*28)
	for i := range pix {
		pix[i] = byte(i)
	}
	return map[string][]byte{
		mnist.TrainImages: idxFile([]uint32{5, 28, 28}, pix),
		mnist.TrainLabels: idxFile([]uint32{5}, []byte{0, 1, 2, 3, 9}),
		mnist.TestImages:  idxFile([]uint32{2, 28, 28}, pix[:2*28*28]),
		mnist.TestLabels:  idxFile([]uint32{2}, []byte{4, 5}),
	}
}

// hostileCase is a dataset directory and the file its error must name.
type hostileCase struct {
	name  string
	files map[string][]byte // file name -> content
	bad   string            // file name the error must contain
	setup func(t *testing.T, dir string)
	args  []string // more flags
}

// with returns goodFiles with name's content replaced by data.
func with(name string, data []byte) map[string][]byte {
	f := goodFiles()
	f[name] = data
	return f
}

// withGz replaces name by name.gz holding data.
func withGz(name string, data []byte) map[string][]byte {
	f := goodFiles()
	delete(f, name)
	f[name+".gz"] = data
	return f
}

func hostileCases() []hostileCase {
	good := goodFiles()
	gzImages := gzipped(good[mnist.TrainImages])
	crc := append([]byte(nil), gzImages...)
	crc[len(crc)-8] ^= 0x55
	cases := []hostileCase{
		{name: "zero-byte train images", files: with(mnist.TrainImages, []byte{}), bad: mnist.TrainImages},
		{name: "zero-byte train labels", files: with(mnist.TrainLabels, []byte{}), bad: mnist.TrainLabels},
		{name: "zero-byte test images", files: with(mnist.TestImages, []byte{}), bad: mnist.TestImages},
		{name: "zero-byte test labels", files: with(mnist.TestLabels, []byte{}), bad: mnist.TestLabels},
		{name: "zero-byte gzip images", files: withGz(mnist.TrainImages, []byte{}), bad: mnist.TrainImages + ".gz"},
		{name: "gzip magic only", files: withGz(mnist.TrainImages, []byte{0x1f, 0x8b}), bad: mnist.TrainImages + ".gz"},
		{name: "2^28 images claimed", files: with(mnist.TrainImages, idxFile([]uint32{1 << 28, 28, 28}, make([]byte, 3*784))), bad: mnist.TrainImages},
		{name: "2^28 images of 1024x1024 claimed", files: with(mnist.TrainImages, idxFile([]uint32{1 << 28, 1024, 1024}, make([]byte, 4096))), bad: mnist.TrainImages},
		{name: "2^32-1 everything", files: with(mnist.TrainImages, idxFile([]uint32{0xffffffff, 0xffffffff, 0xffffffff}, nil)), bad: mnist.TrainImages},
		{name: "absurd image side", files: with(mnist.TrainImages, idxFile([]uint32{5, 1 << 20, 28}, nil)), bad: mnist.TrainImages},
		{name: "zero image side", files: with(mnist.TrainImages, idxFile([]uint32{5, 0, 28}, nil)), bad: mnist.TrainImages},
		{name: "2^28 labels claimed", files: with(mnist.TrainLabels, idxFile([]uint32{1 << 28}, []byte{1, 2, 3})), bad: mnist.TrainLabels},
		{name: "2^32-1 labels claimed", files: with(mnist.TrainLabels, idxFile([]uint32{0xffffffff}, nil)), bad: mnist.TrainLabels},
		{name: "zero labels", files: with(mnist.TrainLabels, idxFile([]uint32{0}, nil)), bad: mnist.TrainLabels},
		{name: "labels file as images", files: with(mnist.TrainImages, good[mnist.TrainLabels]), bad: mnist.TrainImages},
		{name: "images file as labels", files: with(mnist.TrainLabels, good[mnist.TrainImages]), bad: mnist.TrainLabels},
		{name: "int32 elements", files: with(mnist.TrainLabels, []byte{0, 0, 0x0c, 1, 0, 0, 0, 1, 0, 0, 0, 7}), bad: mnist.TrainLabels},
		{name: "a zip file", files: with(mnist.TrainImages, []byte("PK\x03\x04\x14\x00\x00\x00\x08\x00")), bad: mnist.TrainImages},
		{name: "truncated images", files: with(mnist.TrainImages, good[mnist.TrainImages][:16+3*784+5]), bad: mnist.TrainImages},
		{name: "truncated header", files: with(mnist.TrainImages, good[mnist.TrainImages][:9]), bad: mnist.TrainImages},
		{name: "truncated gzip stream", files: withGz(mnist.TrainImages, gzImages[:len(gzImages)/2]), bad: mnist.TrainImages + ".gz"},
		{name: "gzip cut in its trailer", files: withGz(mnist.TrainImages, gzImages[:len(gzImages)-3]), bad: mnist.TrainImages + ".gz"},
		{name: "gzip with a bad checksum", files: withGz(mnist.TrainImages, crc), bad: mnist.TrainImages + ".gz"},
		{name: "gzip header only", files: withGz(mnist.TrainImages, gzImages[:10]), bad: mnist.TrainImages + ".gz"},
		{name: "train count mismatch", files: with(mnist.TrainLabels, idxFile([]uint32{4}, []byte{1, 2, 3, 4})), bad: mnist.TrainLabels},
		{name: "test count mismatch", files: with(mnist.TestLabels, idxFile([]uint32{3}, []byte{1, 2, 3})), bad: mnist.TestLabels},
		{name: "test image size differs", files: with(mnist.TestImages, idxFile([]uint32{2, 28, 27}, make([]byte, 2*28*27))), bad: mnist.TestImages},
		{name: "test labels missing", files: func() map[string][]byte { f := goodFiles(); delete(f, mnist.TestLabels); return f }(), bad: mnist.TestLabels},
		{name: "classes.txt too few names", files: with(mnist.ClassesFile, []byte("zero\none\n")), bad: mnist.ClassesFile},
		{name: "classes.txt empty", files: with(mnist.ClassesFile, []byte("\n \n")), bad: mnist.ClassesFile},
		{name: "classes.txt binary line of 1 MB", files: with(mnist.ClassesFile, bytes.Repeat([]byte{0xff}, 1<<20)), bad: mnist.ClassesFile},
		{name: "classes.txt with 300 names", files: with(mnist.ClassesFile, []byte(strings.Repeat("x\n", 300))), bad: mnist.ClassesFile},
		{name: "over --max-data-mb", files: with(mnist.TrainImages, idxFile([]uint32{5, 256, 256}, make([]byte, 5*256*256))), bad: mnist.TrainImages, args: []string{"--max-data-mb", "1"}},
		{name: "raw images damaged, .gz good", files: func() map[string][]byte {
			f := with(mnist.TrainImages, good[mnist.TrainImages][:100])
			f[mnist.TrainImages+".gz"] = gzImages
			return f
		}(), bad: mnist.TrainImages},
		{name: "images are a directory", files: goodFiles(), bad: mnist.TrainImages, setup: func(t *testing.T, dir string) {
			replaceWith(t, filepath.Join(dir, mnist.TrainImages), func(p string) error { return os.Mkdir(p, 0o755) })
		}},
		{name: "classes.txt is a directory", files: goodFiles(), bad: mnist.ClassesFile, setup: func(t *testing.T, dir string) {
			replaceWith(t, filepath.Join(dir, mnist.ClassesFile), func(p string) error { return os.Mkdir(p, 0o755) })
		}},
		{name: "labels are a dangling link", files: goodFiles(), bad: mnist.TrainLabels, setup: func(t *testing.T, dir string) {
			replaceWith(t, filepath.Join(dir, mnist.TrainLabels), func(p string) error { return os.Symlink("nowhere", p) })
		}},
		{name: "images are /dev/zero", files: goodFiles(), bad: mnist.TrainImages, setup: func(t *testing.T, dir string) {
			replaceWith(t, filepath.Join(dir, mnist.TrainImages), func(p string) error { return os.Symlink("/dev/zero", p) })
		}},
		{name: "classes.txt is a named pipe", files: goodFiles(), bad: mnist.ClassesFile, setup: func(t *testing.T, dir string) {
			replaceWith(t, filepath.Join(dir, mnist.ClassesFile), func(p string) error { return syscall.Mkfifo(p, 0o644) })
		}},
		{name: "images are a named pipe", files: goodFiles(), bad: mnist.TrainImages, setup: func(t *testing.T, dir string) {
			replaceWith(t, filepath.Join(dir, mnist.TrainImages), func(p string) error { return syscall.Mkfifo(p, 0o644) })
		}},
	}
	return cases
}

// replaceWith removes path and makes something else there.
func replaceWith(t *testing.T, path string, make func(string) error) {
	t.Helper()
	if err := os.Remove(path); err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	if err := make(path); err != nil {
		t.Fatal(err)
	}
}

// corpusCases turns the committed fuzz corpus of the IDX readers into
// dataset directories: every entry the reader rejects, written as the
// images (or labels) file of an otherwise valid dataset.
func corpusCases(t *testing.T) []hostileCase {
	var cases []hostileCase
	for _, c := range []struct{ target, file string }{
		{"FuzzReadImages", mnist.TrainImages},
		{"FuzzReadLabels", mnist.TrainLabels},
	} {
		dir := filepath.Join("..", "..", "mnist", "testdata", "fuzz", c.target)
		entries, err := os.ReadDir(dir)
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatalf("the fuzz corpus: %v", err)
		}
		tmp := t.TempDir()
		for _, e := range entries {
			data, err := clitest.ReadCorpusEntry(filepath.Join(dir, e.Name()))
			if err != nil {
				t.Fatalf("%s: %v", e.Name(), err)
			}
			probe := filepath.Join(tmp, e.Name())
			os.WriteFile(probe, data, 0o600)
			var rerr error
			if c.file == mnist.TrainImages {
				_, _, _, _, rerr = mnist.ReadImages(probe)
			} else {
				_, rerr = mnist.ReadLabels(probe)
			}
			if rerr == nil {
				continue // a valid file: not hostile on its own
			}
			cases = append(cases, hostileCase{name: c.target + "/" + e.Name(), files: with(c.file, data), bad: c.file})
		}
	}
	if len(cases) == 0 {
		t.Fatal("no rejected entries in the fuzz corpus")
	}
	return cases
}

// loaderEnv clears the display, so that a directory the loader wrongly
// accepted fails visibly instead of opening a window, and points the cache
// and log at fresh directories.
func loaderEnv(t *testing.T) []string {
	return []string{"DISPLAY=", "WAYLAND_DISPLAY=", "XDG_CACHE_HOME=" + t.TempDir(), "XDG_STATE_HOME=" + t.TempDir()}
}

func TestHostileDatasets(t *testing.T) {
	cases := append(hostileCases(), corpusCases(t)...)
	if testing.Short() {
		// Keep every hand-written case and a sample of the corpus.
		n := len(hostileCases())
		for i := len(cases) - 1; i >= n; i-- {
			if i%4 != 0 {
				cases = append(cases[:i], cases[i+1:]...)
			}
		}
	}
	binary(t) // build once, outside the timed runs
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			for name, data := range c.files {
				if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if c.setup != nil {
				c.setup(t, dir)
			}
			r := clitest.Run(t, hostileTimeout, loaderEnv(t), binary(t), append([]string{"--data", dir, "--layout", "pca", "--no-cache"}, c.args...)...)
			clitest.WantOneLineError(t, r, filepath.Join(dir, c.bad), hostileSlow)
		})
	}
}
