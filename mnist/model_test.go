package mnist

import (
	"image"
	"image/color"
	"math"
	"strings"
	"testing"
)

// The model's colour rows: Dims and Rows count every channel, Rows
// premultiplies colour by alpha, Head keeps paths and metadata, Hash tells
// a grey dataset from an RGBA one, and Original gives the cell for a
// dataset without source files.
func TestRGBAModel(t *testing.T) {
	d := &Dataset{Width: 1, Height: 2, Channels: 4, Labels: []uint8{0, 1},
		Pixels: []uint8{255, 0, 0, 255, 200, 100, 0, 0, 0, 0, 255, 51, 10, 20, 30, 255},
		Paths:  []string{"a", "b"}, Meta: [][]string{{"x"}, {"y"}}, Columns: []string{"c"}}
	if n, dim := d.Dims(); n != 2 || dim != 8 {
		t.Fatalf("Dims %d, %d", n, dim)
	}
	rows := make([]float32, 16)
	d.Rows(rows, 0, 2)
	want := []float32{1, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0.2, 0.2}
	for i, w := range want {
		if math.Abs(float64(rows[i]-w)) > 1e-6 {
			t.Fatalf("Rows[%d] = %v, want %v", i, rows[i], w)
		}
	}
	if h := d.Head(1); len(h.Pixels) != 8 || len(h.Paths) != 1 || len(h.Meta) != 1 {
		t.Errorf("Head(1): %d values, %d paths, %d meta", len(h.Pixels), len(h.Paths), len(h.Meta))
	}
	grey := *d
	grey.Channels, grey.Width, grey.Pixels = 1, 4, d.Pixels[:8]
	if grey.Hash() == d.Hash() {
		t.Error("a 4x2 grey dataset hashes as a 1x2 RGBA one of the same bytes")
	}
	d.Paths = nil
	img, err := d.Original(1)
	if c, ok := img.(*image.NRGBA); err != nil || !ok || c.NRGBAAt(0, 1) != (color.NRGBA{10, 20, 30, 255}) {
		t.Errorf("Original(1): %v %v", img, err)
	}
}

// Open reads an IDX folder as LoadWith does, refuses a labels file for
// it, and CellFor follows its documented table.
func TestOpenIDXAndCellFor(t *testing.T) {
	dir, err := DefaultDir()
	if err != nil {
		t.Fatal(err)
	}
	d, err := Open(dir, Options{})
	if err != nil || d.Kind != KindIDX || d.Hash() != realMNIST(t).Hash() {
		t.Fatalf("Open(IDX): %v", err)
	}
	if _, err := Open(dir, Options{Labels: "x.csv"}); err == nil || !strings.Contains(err.Error(), "IDX dataset has its own labels") {
		t.Errorf("labels for IDX: %v", err)
	}
	for _, c := range []struct{ n, ch, want int }{
		{1, 4, 60}, {24576, 4, 60}, {24577, 4, 28}, {98304, 4, 28}, {98305, 4, 12}, {10_000_000, 4, 12},
		{98304, 1, 60}, {98305, 1, 28}, {393216, 1, 28}, {393217, 1, 12}, {70000, 1, 60}, {70000, 4, 28},
	} {
		if got := CellFor(c.n, c.ch); got != c.want {
			t.Errorf("CellFor(%d, %d) = %d, want %d", c.n, c.ch, got, c.want)
		}
	}
}
