package mnist

import (
	"bytes"
	"image"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"codeberg.org/sbinet/npyio/npy"
	"codeberg.org/sbinet/npyio/npz"
)

// images3D returns rows [lo, hi) of d as N x H x W nested slices.
func images3D(d *Dataset, lo, hi int) [][][]uint8 {
	out := make([][][]uint8, 0, hi-lo)
	for i := lo; i < hi; i++ {
		img := d.Image(i)
		rows := make([][]uint8, d.Height)
		for y := range rows {
			rows[y] = img[y*d.Width : (y+1)*d.Width]
		}
		out = append(out, rows)
	}
	return out
}

// writeNPY writes v with npyio.
func writeNPY(t *testing.T, path string, v any) {
	t.Helper()
	var b bytes.Buffer
	if err := npy.Write(&b, v); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// MNIST's first 2,000 rows in an .npz of Keras' layout (written by npyio)
// open as the same rows, labels and split; Original reads a row back.
func TestKerasNPZ(t *testing.T) {
	src := realMNIST(t)
	path := filepath.Join(t.TempDir(), "mnist.npz")
	err := npz.Write(path, map[string]any{
		"x_train.npy": images3D(src, 0, 1500), "y_train.npy": slices.Clone(src.Labels[:1500]),
		"x_test.npy": images3D(src, 1500, 2000), "y_test.npy": slices.Clone(src.Labels[1500:2000]),
	})
	if err != nil {
		t.Fatal(err)
	}
	var progress []int
	d, err := Open(path, Options{Progress: func(done, total int) {
		if total != 2000 || len(progress) > 0 && done <= progress[len(progress)-1] {
			t.Errorf("progress %d of %d after %v", done, total, progress[max(0, len(progress)-1):])
		}
		progress = append(progress, done)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if len(progress) != 2000 {
		t.Errorf("%d progress calls", len(progress))
	}
	if d.Kind != KindNPZ || d.Len() != 2000 || d.NumTrain != 1500 || d.Width != 28 || d.NumChannels() != 1 || d.Unlabelled {
		t.Fatalf("kind %q, %d rows (%d train) of %dx%d, %d channels", d.Kind, d.Len(), d.NumTrain, d.Width, d.Height, d.Channels)
	}
	if !bytes.Equal(d.Pixels, src.Pixels[:2000*784]) || !bytes.Equal(d.Labels, src.Labels[:2000]) {
		t.Fatal("pixels or labels differ from MNIST's")
	}
	if !slices.Equal(d.Classes, []string{"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}) {
		t.Errorf("classes %q", d.Classes)
	}
	img, err := d.Original(1700)
	if g, ok := img.(*image.Gray); err != nil || !ok || !bytes.Equal(g.Pix, src.Image(1700)) {
		t.Errorf("Original(1700): %v", err)
	}
	if h := d.Head(10); h.Len() != 10 || h.NumTrain != 10 {
		t.Errorf("Head(10): %d rows, %d train", h.Len(), h.NumTrain)
	}
}

// A .npy of float RGB images of another size than the cell opens as RGBA,
// fitted, with labels from a CSV whose further column becomes metadata;
// the same with integer labels from a .npy, and flat N x D grey images.
func TestNPYImagesAndLabels(t *testing.T) {
	dir := t.TempDir()
	const n, h, w = 5, 6, 10
	imgs := make([][][][]float32, n)
	for i := range imgs {
		imgs[i] = make([][][]float32, h)
		for y := range h {
			imgs[i][y] = make([][]float32, w)
			for x := range w {
				imgs[i][y][x] = []float32{float32(i) / 4, float32(y) / 5, 0.5}
			}
		}
	}
	path := filepath.Join(dir, "images.npy")
	writeNPY(t, path, imgs)
	csv := filepath.Join(dir, "labels.csv")
	os.WriteFile(csv, []byte("label,source\ncat,a\ndog,b\ncat,c\nemu,d\ndog\n"), 0o644)
	d, err := Open(path, Options{Labels: csv})
	if err != nil {
		t.Fatal(err)
	}
	if d.Kind != KindNPY || d.NumChannels() != 4 || d.Width != 10 || d.Len() != n || d.NumTrain != n {
		t.Fatalf("kind %q, %d channels, cell %d, %d rows", d.Kind, d.Channels, d.Width, d.Len())
	}
	if !slices.Equal(d.Classes, []string{"cat", "dog", "emu"}) || d.ClassName(d.Labels[3]) != "emu" || d.ClassName(d.Labels[4]) != "dog" {
		t.Errorf("classes %q, labels %v", d.Classes, d.Labels)
	}
	if !slices.Equal(d.Columns, []string{"source"}) || !slices.Equal(d.Meta[1], []string{"b"}) || d.Meta[4] != nil ||
		len(d.Skipped) != 1 || !strings.Contains(d.Skipped[0].Reason, "line 6: 1 fields, want 2") {
		t.Errorf("columns %q, meta %q, skipped %v", d.Columns, d.Meta, d.Skipped)
	}
	// Row 2, pixel (x 4, y 5) of the 10x6 image, drawn at y 2+5 in the 10x10 cell.
	if p := d.Image(2)[4*(7*10+4):][:4]; !slices.Equal(p, []uint8{128, 255, 128, 255}) {
		t.Errorf("pixel %v, want [128 255 128 255]", p)
	}
	if p := d.Image(2)[:4]; !slices.Equal(p, []uint8{0, 0, 0, 0}) {
		t.Errorf("padding %v, want transparent", p)
	}
	img, err := d.Original(2)
	if err != nil || img.Bounds().Dx() != w || img.Bounds().Dy() != h {
		t.Fatalf("Original: %v %v", err, img)
	}

	lpath := filepath.Join(dir, "labels.npy")
	writeNPY(t, lpath, []int64{3, 0, 3, 1, 7})
	if d, err = Open(path, Options{Labels: lpath}); err != nil || d.ClassName(d.Labels[4]) != "7" || len(d.Classes) != 8 {
		t.Errorf("npy labels: %v, classes %q", err, d.Classes)
	}
	writeNPY(t, lpath, []int64{3, 0, 3, 1})
	if _, err = Open(path, Options{Labels: lpath}); err == nil || !strings.Contains(err.Error(), "want 5 integer labels") {
		t.Errorf("4 labels for 5 images: %v", err)
	}
	writeNPY(t, lpath, []int64{3, 0, 3, 1, 256})
	if _, err = Open(path, Options{Labels: lpath}); err == nil || !strings.Contains(err.Error(), "label 4 is 256") {
		t.Errorf("label 256: %v", err)
	}

	flat := make([][]uint8, 3)
	for i := range flat {
		flat[i] = make([]uint8, 16)
		flat[i][5] = uint8(i + 1)
	}
	writeNPY(t, path, flat)
	if d, err = Open(path, Options{}); err != nil || d.Width != 4 || d.Image(2)[5] != 3 || !d.Unlabelled {
		t.Errorf("flat 3 x 16: %v", err)
	}
}

// Float images outside [0, 1], NaN among them, are refused naming the
// image; an archive without images says what it expected.
func TestNPYValues(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.npy")
	for _, v := range []float64{1.5, -0.25, math.NaN()} {
		writeNPY(t, path, [][][]float64{{{0, 0.5}}, {{1, v}}})
		if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), "image 1 holds") || !strings.Contains(err.Error(), "outside [0, 1]") {
			t.Errorf("value %v: err = %v", v, err)
		}
	}
	zpath := filepath.Join(dir, "x.npz")
	npz.Write(zpath, map[string]any{"a": []float32{1, 2}})
	if _, err := Open(zpath, Options{}); err == nil || !strings.Contains(err.Error(), "no image array") || !strings.Contains(err.Error(), "it holds a") {
		t.Errorf("npz without images: %v", err)
	}
	// A generic archive: the first image array and the integer array
	// with one value per image.
	npz.Write(zpath, map[string]any{"a_images": [][][]uint8{{{1}}, {{2}}}, "b_ids": []float32{1, 2}, "c_labels": []uint8{4, 2}})
	if d, err := Open(zpath, Options{}); err != nil || !slices.Equal(d.Labels, []uint8{4, 2}) || d.NumTrain != 2 {
		t.Errorf("generic npz: %v", err)
	}
}

// Features are read row-aligned, as float32, and refused with a clear
// error when their rows do not match, their shape or dtype is wrong, or a
// value is not finite.
func TestReadFeatures(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.npy")
	feats := [][]float64{{1, 2, 3}, {4, 5, 6}}
	writeNPY(t, path, feats)
	data, d, err := ReadFeatures(path, 2)
	if err != nil || d != 3 || !slices.Equal(data, []float32{1, 2, 3, 4, 5, 6}) {
		t.Fatalf("%v, %d, %v", data, d, err)
	}
	writeNPY(t, path, [][]float32{{1, 2}, {3, 4}})
	if data, d, err = ReadFeatures(path, 2); err != nil || d != 2 || data[3] != 4 {
		t.Errorf("float32: %v %d %v", data, d, err)
	}
	for name, c := range map[string]struct {
		v    any
		n    int
		want string
	}{
		"rows":  {[][]float32{{1}, {2}}, 3, "2 rows of features for a dataset of 3 rows"},
		"nan":   {[][]float32{{1, 2}, {3, float32(math.NaN())}}, 2, "row 1, column 1 is NaN"},
		"inf":   {[][]float64{{math.Inf(1)}}, 1, "row 0, column 0 is +Inf"},
		"shape": {[][][]float32{{{1}}}, 1, "want N x D float32 or float64"},
		"dtype": {[][]uint8{{1}}, 1, "want N x D float32 or float64"},
	} {
		writeNPY(t, path, c.v)
		if _, _, err := ReadFeatures(path, c.n); err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: err = %v, want %q", name, err, c.want)
		}
	}
}
