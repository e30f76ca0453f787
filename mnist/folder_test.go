package mnist

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

var (
	mnistOnce sync.Once
	mnistSet  *Dataset
	mnistErr  error
)

// realMNIST returns the real MNIST dataset, loaded once per test binary.
func realMNIST(tb testing.TB) *Dataset {
	tb.Helper()
	mnistOnce.Do(func() { mnistSet, mnistErr = LoadDefault() })
	if mnistErr != nil {
		tb.Fatal(mnistErr)
	}
	return mnistSet
}

// writeMNISTFolder writes the first n rows of d as grey PNG files in class
// folders named after their labels, dir/<label>/<row, 5 digits>.png.
func writeMNISTFolder(tb testing.TB, dir string, d *Dataset, n int) {
	tb.Helper()
	for c := range 10 {
		if err := os.MkdirAll(filepath.Join(dir, strconv.Itoa(c)), 0o755); err != nil {
			tb.Fatal(err)
		}
	}
	var buf bytes.Buffer
	for i := range n {
		img := &image.Gray{Pix: d.Image(i), Stride: d.Width, Rect: image.Rect(0, 0, d.Width, d.Height)}
		buf.Reset()
		if err := png.Encode(&buf, img); err != nil {
			tb.Fatal(err)
		}
		p := filepath.Join(dir, strconv.Itoa(int(d.Labels[i])), fmt.Sprintf("%05d.png", i))
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			tb.Fatal(err)
		}
	}
}

// rowOf returns the MNIST row a file written by writeMNISTFolder holds.
func rowOf(t *testing.T, path string) int {
	t.Helper()
	i, err := strconv.Atoi(strings.TrimSuffix(filepath.Base(path), ".png"))
	if err != nil {
		t.Fatalf("path %s: %v", path, err)
	}
	return i
}

// MNIST's first 2,000 rows written as PNG files in class folders open as
// the same images with the same labels, one row per file in sorted path
// order, classes named after the folders; the cell chosen for them is
// their own size.
func TestFolderOfMNISTPNGs(t *testing.T) {
	const n = 2000
	src := realMNIST(t)
	dir := t.TempDir()
	writeMNISTFolder(t, dir, src, n)
	for _, cell := range []int{28, 0} {
		d, err := Open(dir, Options{Cell: cell, NoCache: true, Workers: 3})
		if err != nil {
			t.Fatal(err)
		}
		if d.Kind != KindFolder || d.Len() != n || len(d.Skipped) != 0 || d.Unlabelled {
			t.Fatalf("cell %d: kind %q, %d rows, skipped %v", cell, d.Kind, d.Len(), d.Skipped)
		}
		if d.Width != 28 || d.Height != 28 || d.NumChannels() != 1 {
			t.Fatalf("cell %d: %dx%d cells of %d channels, want 28x28 grey", cell, d.Width, d.Height, d.Channels)
		}
		if want := []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}; !slices.Equal(d.Classes, want) {
			t.Fatalf("classes %q", d.Classes)
		}
		if !slices.IsSortedFunc(d.Paths, strings.Compare) {
			t.Error("rows are not in sorted path order")
		}
		for i := range d.Len() {
			r := rowOf(t, d.Paths[i])
			if d.ClassName(d.Labels[i]) != strconv.Itoa(int(src.Labels[r])) {
				t.Fatalf("%s: class %q, want %d", d.Paths[i], d.ClassName(d.Labels[i]), src.Labels[r])
			}
			if !bytes.Equal(d.Image(i), src.Image(r)) {
				t.Fatalf("%s: pixels differ from MNIST row %d", d.Paths[i], r)
			}
		}
	}
}

// The thumbnail cache serves a second open with the same dataset, misses
// when a file changes, and ignores a damaged entry and anything but a
// regular file in an entry's place (a symbolic link, a named pipe that
// would block a reader).
func TestThumbnailCache(t *testing.T) {
	src := realMNIST(t)
	dir := t.TempDir()
	writeMNISTFolder(t, dir, src, 300)
	open := func(o Options) *Dataset {
		t.Helper()
		done := make(chan *Dataset)
		go func() {
			d, err := Open(dir, o)
			if err != nil {
				t.Error(err)
			}
			done <- d
		}()
		select {
		case d := <-done:
			if d == nil {
				t.FailNow()
			}
			return d
		case <-time.After(60 * time.Second):
			t.Fatal("Open blocked")
		}
		return nil
	}
	o := Options{CacheDir: t.TempDir()}
	first, second := open(o), open(o)
	if first.FromCache || !second.FromCache {
		t.Fatalf("from cache: first %v, second %v", first.FromCache, second.FromCache)
	}
	if second.Hash() != first.Hash() || !slices.Equal(second.Paths, first.Paths) || !slices.Equal(second.Classes, first.Classes) ||
		second.Width != first.Width || second.Channels != first.Channels {
		t.Fatal("the cached dataset differs")
	}
	later := time.Now().Add(time.Hour)
	os.Chtimes(first.Paths[7], later, later)
	if d := open(o); d.FromCache || d.Hash() != first.Hash() {
		t.Errorf("after a file changed: from cache %v", d.FromCache)
	}

	for name, damage := range map[string]func(entry string, good []byte){
		"flipped byte": func(e string, b []byte) { b[len(b)/2] ^= 1; os.WriteFile(e, b, 0o644) },
		"truncated":    func(e string, b []byte) { os.WriteFile(e, b[:len(b)-1], 0o644) },
		"longer":       func(e string, b []byte) { os.WriteFile(e, append(b, 0), 0o644) },
		"symlink":      func(e string, b []byte) { os.WriteFile(e+".real", b, 0o644); os.Symlink(e+".real", e) },
		"fifo":         func(e string, b []byte) { syscall.Mkfifo(e, 0o644) },
	} {
		o := Options{CacheDir: t.TempDir()}
		d0 := open(o)
		entries, _ := filepath.Glob(filepath.Join(o.CacheDir, "*.thumbs"))
		if len(entries) != 1 {
			t.Fatalf("cache holds %q", entries)
		}
		good, _ := os.ReadFile(entries[0])
		os.Remove(entries[0])
		damage(entries[0], good)
		if d := open(o); d.FromCache || d.Hash() != d0.Hash() {
			t.Errorf("%s entry: from cache %v", name, d.FromCache)
		}
	}
}

// A flat folder is unlabelled; labels.csv labels its files and its further
// columns become metadata; more classes than labels can hold is an error.
func TestFlatFolderAndLabelsCSV(t *testing.T) {
	dir := t.TempDir()
	for i := range 4 {
		writeTestPNG(t, filepath.Join(dir, fmt.Sprintf("img%d.png", i)), greyImage(8, 8, uint8(60*i)))
	}
	d, err := Open(dir, Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if !d.Unlabelled || d.Len() != 4 || !slices.Equal(d.Classes, []string{UnlabelledClass}) || d.Meta != nil {
		t.Fatalf("flat folder: unlabelled %v, %d rows, classes %q", d.Unlabelled, d.Len(), d.Classes)
	}
	csv := "path,label,source,note\nimg0.png,cat,web,a\n.\\img2.png,dog,cam,\"b, c\"\n" // a path as written on Windows
	os.WriteFile(filepath.Join(dir, LabelsCSV), []byte(csv), 0o644)
	d, err = Open(dir, Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	if d.Unlabelled || !slices.Equal(d.Classes, []string{"cat", "dog", UnlabelledClass}) {
		t.Fatalf("labelled: unlabelled %v, classes %q", d.Unlabelled, d.Classes)
	}
	wantClass := []string{"cat", UnlabelledClass, "dog", UnlabelledClass}
	for i := range 4 {
		if d.ClassName(d.Labels[i]) != wantClass[i] {
			t.Errorf("row %d (%s): class %q, want %q", i, d.Paths[i], d.ClassName(d.Labels[i]), wantClass[i])
		}
	}
	if !slices.Equal(d.Columns, []string{"source", "note"}) || !slices.Equal(d.Meta[2], []string{"cam", "b, c"}) || d.Meta[1] != nil {
		t.Errorf("columns %q, meta %q", d.Columns, d.Meta)
	}
	if !slices.Equal(d.Files, []string{filepath.Join(dir, LabelsCSV)}) {
		t.Errorf("Files = %q", d.Files)
	}

	var many strings.Builder
	for i := range 300 {
		name := fmt.Sprintf("m%03d.png", i)
		writeTestPNG(t, filepath.Join(dir, name), greyImage(2, 2, 1))
		fmt.Fprintf(&many, "%s,class%d\n", name, i)
	}
	os.WriteFile(filepath.Join(dir, LabelsCSV), []byte(many.String()), 0o644)
	if _, err := Open(dir, Options{NoCache: true}); err == nil || !strings.Contains(err.Error(), "301 classes, more than the 256") {
		t.Errorf("301 classes: err = %v", err)
	}
}

func greyImage(w, h int, v uint8) *image.Gray {
	g := image.NewGray(image.Rect(0, 0, w, h))
	for i := range g.Pix {
		g.Pix[i] = v
	}
	return g
}

func writeTestPNG(t testing.TB, p string, img image.Image) {
	t.Helper()
	var b bytes.Buffer
	if err := png.Encode(&b, img); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Rows come in torchvision's order: the root's files, then class folders
// by name, each folder's own files before its subfolders'.
func TestFolderRowOrder(t *testing.T) {
	dir := t.TempDir()
	files := []string{"b/z.png", "b/sub/a.png", "a/x.png", "root.png", "a-b/y.png", "b/a.png"}
	for _, f := range files {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, f)), 0o755)
		writeTestPNG(t, filepath.Join(dir, f), greyImage(3, 3, 9))
	}
	d, err := Open(dir, Options{NoCache: true})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range d.Paths {
		r, _ := filepath.Rel(dir, p)
		got = append(got, filepath.ToSlash(r))
	}
	want := []string{"root.png", "a/x.png", "a-b/y.png", "b/a.png", "b/z.png", "b/sub/a.png"}
	if !slices.Equal(got, want) {
		t.Errorf("rows %q, want %q", got, want)
	}
	if want := []string{"a", "a-b", "b", UnlabelledClass}; !slices.Equal(d.Classes, want) {
		t.Errorf("classes %q, want %q", d.Classes, want)
	}
}

// Decoding gives the same dataset on any number of workers, tells
// Progress every file in order up to the total, and refuses a folder over
// the memory budget: from the file count before decoding, and when a
// colour image makes the cells RGBA.
func TestFolderOptions(t *testing.T) {
	src := realMNIST(t)
	dir := t.TempDir()
	writeMNISTFolder(t, dir, src, 200)
	var seen []int
	one, err := Open(dir, Options{NoCache: true, Workers: 1, Progress: func(done, total int) {
		if total != 200 {
			t.Errorf("total %d", total)
		}
		seen = append(seen, done)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 200 || !slices.IsSorted(seen) || seen[199] != 200 {
		t.Errorf("progress %v", seen)
	}
	many, err := Open(dir, Options{NoCache: true, Workers: 7})
	if err != nil || many.Hash() != one.Hash() || !slices.Equal(many.Paths, one.Paths) {
		t.Fatalf("7 workers: %v, or another dataset than 1 worker's", err)
	}

	_, err = Open(dir, Options{NoCache: true, Cell: 28, MaxBytes: need(200, 28, 28, 1) - 1})
	if err == nil || !strings.Contains(err.Error(), "200 images in cells of 28x28 need") || !strings.Contains(err.Error(), "over the budget") {
		t.Errorf("over budget: %v", err)
	}
	// A chosen cell steps down to fit the budget.
	if d, err := Open(dir, Options{NoCache: true, MaxBytes: need(200, 12, 12, 1)}); err != nil || d.Width != 12 {
		t.Errorf("a budget for 12x12 cells: %v", err)
	}
	writeTestPNG(t, filepath.Join(dir, "0", "colour.png"), disc(28, 28, color.NRGBA{255, 0, 0, 255}, color.NRGBA{}))
	_, err = Open(dir, Options{NoCache: true, Cell: 28, MaxBytes: need(201, 28, 28, 1)})
	if err == nil || !strings.Contains(err.Error(), "its colour images as RGBA need") {
		t.Errorf("colour over budget: %v", err)
	}
	if d, err := Open(dir, Options{NoCache: true, Cell: 28}); err != nil || d.NumChannels() != 4 {
		t.Fatalf("one colour image: %v", err)
	} else if r := slices.Index(d.Paths, one.Paths[3]); !bytes.Equal(d.Image(r)[4*(14*28+14):][:4], []uint8{one.Image(3)[14*28+14], one.Image(3)[14*28+14], one.Image(3)[14*28+14], 255}) {
		t.Errorf("a grey image among colour ones is not grey on opaque")
	}
}

// A cancelled load stops with an error that says so, for folders and
// arrays alike.
func TestOpenCancelled(t *testing.T) {
	dir := t.TempDir()
	writeTestPNG(t, filepath.Join(dir, "a.png"), greyImage(4, 4, 1))
	path := filepath.Join(dir, "x.npy")
	os.WriteFile(path, npyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (1, 2, 2), }", []byte{1, 2, 3, 4}), 0o644)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	for _, p := range []string{dir, path} {
		if _, err := OpenContext(ctx, p, Options{NoCache: true}); !errors.Is(err, context.Canceled) || !strings.Contains(err.Error(), "loading stopped") {
			t.Errorf("%s: err = %v", p, err)
		}
	}
}
