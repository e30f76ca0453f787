package main

import (
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/mnist"
)

// writeDigitFolder writes MNIST's first n digits as PNG files in class
// folders named after the digits, plus one file that is not an image.
func writeDigitFolder(t *testing.T, n int) (string, *mnist.Dataset) {
	t.Helper()
	ds, err := mnist.LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	ds = ds.Head(n)
	dir := t.TempDir()
	for i := 0; i < n; i++ {
		img := image.NewGray(image.Rect(0, 0, ds.Width, ds.Height))
		copy(img.Pix, ds.Image(i))
		sub := filepath.Join(dir, ds.ClassName(ds.Labels[i]))
		os.MkdirAll(sub, 0o755)
		f, err := os.Create(filepath.Join(sub, fmt.Sprintf("%05d.png", i)))
		if err != nil {
			t.Fatal(err)
		}
		png.Encode(f, img)
		f.Close()
	}
	os.WriteFile(filepath.Join(dir, "3", "broken.png"), []byte("not a png"), 0o644)
	return dir, ds
}

// A folder of images opens in the app: classes from the folder names, the
// labels of the files, the broken file skipped and reported.
func TestImageFolderOpens(t *testing.T) {
	needDisplay(t)
	dir, ds := writeDigitFolder(t, 400)
	state := filepath.Join(t.TempDir(), "s.json")
	code, _, errs := runApp(t, nil, "--data", dir, "--layout", "pca", "--no-cache", "--size", "800x600", "--script", "wait-layout; state "+state)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	st := readState(t, state)
	if strings.Join(st.Classes, ",") != "0,1,2,3,4,5,6,7,8,9" || st.Visible != 400 {
		t.Errorf("classes %v, %d digits", st.Classes, st.Visible)
	}
	if !strings.Contains(errs, "1 of 401 files could not be read") || !strings.Contains(errs, "broken.png") {
		t.Errorf("the broken file was not reported: %s", errs)
	}
	// The same labels: each class keeps its count.
	want := map[uint8]int{}
	for _, l := range ds.Labels {
		want[l]++
	}
	for l, n := range st.ClassCounts {
		if want[uint8(l)] != n {
			t.Errorf("class %d: %d rows, the IDX data has %d", l, n, want[uint8(l)])
		}
	}
}
