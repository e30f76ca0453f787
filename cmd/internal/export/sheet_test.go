package export

import (
	"bytes"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"testing"
)

func decodePNG(t *testing.T, path string) image.Image {
	t.Helper()
	b, err := os.ReadFile(path)
	if err == nil {
		var img image.Image
		if img, err = png.Decode(bytes.NewReader(b)); err == nil {
			return img
		}
	}
	t.Fatalf("%s: %v", path, err)
	return nil
}

func rgba(c color.Color) color.RGBA {
	r, g, b, a := c.RGBA()
	return color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(b >> 8), uint8(a >> 8)}
}

func TestContactSheet(t *testing.T) {
	dir := inDir(t)
	src := source(testData())
	// Rows 2 ("four") and 0 ("three"): two columns of cells 7*5+8 = 43
	// wide (the caption is wider than the 8-pixel image) and
	// 6 + 13 + 8 = 27 high.
	res, err := ContactSheet("sheet.png", src, []int32{2, 0}, SheetOptions{})
	checkResult(t, res, err, filepath.Join(dir, "sheet.png"), 2)
	img := decodePNG(t, res.Path)
	if b := img.Bounds(); b.Dx() != 86 || b.Dy() != 27 {
		t.Fatalf("sheet is %v, want 86 x 27", b)
	}
	// Row 0 is the second image: its left edge is at 43 + (43-8)/2 = 60,
	// its top at 4; its pixel (x, y) = (3, 2) is 4*2 + 3 + 1 = 12 and
	// covers sheet pixels (66..67, 8..9) at scale 2.
	for _, p := range []image.Point{{66, 8}, {67, 9}} {
		if got := rgba(img.At(p.X, p.Y)); got != (color.RGBA{12, 12, 12, 255}) {
			t.Errorf("sheet pixel %v = %v, want grey 12", p, got)
		}
	}
	// Row 2's pixel (0, 0) is 21, at (17, 4).
	if got := rgba(img.At(17, 4)); got != (color.RGBA{21, 21, 21, 255}) {
		t.Errorf("sheet pixel (17, 4) = %v, want grey 21", got)
	}
	if n := captionPixels(img, image.Rect(43, 10, 86, 27)); n < 10 {
		t.Errorf("the caption under row 0 has %d lit pixels", n)
	}

	colors := make([]color.RGBA, 6)
	colors[3] = color.RGBA{255, 128, 0, 255}
	res, err = ContactSheet("tinted.png", src, []int32{2, 0}, SheetOptions{Colors: colors, Scale: 1, Columns: 1})
	checkResult(t, res, err, filepath.Join(dir, "tinted.png"), 2)
	img = decodePNG(t, res.Path)
	// One column, scale 1: cells 43 x 24; row 0 is below row 2, its image
	// at ((43-4)/2, 24 + 4) = (19, 28); pixel (3, 2) = 12 tinted
	// orange is (12, 6, 0).
	if b := img.Bounds(); b.Dx() != 43 || b.Dy() != 48 {
		t.Fatalf("tinted sheet is %v, want 43 x 48", b)
	}
	if got := rgba(img.At(19+3, 28+2)); got != (color.RGBA{12, 6, 0, 255}) {
		t.Errorf("tinted pixel = %v, want (12, 6, 0)", got)
	}
}

// captionPixels counts the pixels of r that are brighter than the
// background: the caption's glyphs.
func captionPixels(img image.Image, r image.Rectangle) int {
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if rgba(img.At(x, y)).R > 128 {
				n++
			}
		}
	}
	return n
}

func TestContactSheetHoldsAtMostMaxImages(t *testing.T) {
	dir := inDir(t)
	n := MaxSheetImages + 7
	src := Source{Labels: make([]uint8, n), Width: 1, Height: 1,
		Image: func(int) []uint8 { return []uint8{255} }}
	rows := make([]int32, n)
	for i := range rows {
		rows[i] = int32(i)
	}
	res, err := ContactSheet("big.png", src, rows, SheetOptions{})
	checkResult(t, res, err, filepath.Join(dir, "big.png"), MaxSheetImages)
	if res.Omitted != 7 {
		t.Errorf("%d omitted, want 7", res.Omitted)
	}
	// 2,000 images: 45 columns of 7+8 = 15 and 45 lines of 2+13+8 = 23.
	if b := decodePNG(t, res.Path).Bounds(); b.Dx() != 45*15 || b.Dy() != 45*23 {
		t.Errorf("sheet is %v, want %d x %d", b, 45*15, 45*23)
	}
}

func TestContactSheetRefuses(t *testing.T) {
	inDir(t)
	src := source(testData())
	bad := src
	bad.Image = func(int) []uint8 { return make([]uint8, 11) }
	huge := src
	huge.Width, huge.Height = 5000, 5000
	huge.Image = func(int) []uint8 { return make([]uint8, 25e6) }
	for name, f := range map[string]func() (Result, error){
		"no rows":    func() (Result, error) { return ContactSheet("x.png", src, nil, SheetOptions{}) },
		"row beyond": func() (Result, error) { return ContactSheet("x.png", src, []int32{5}, SheetOptions{}) },
		"no images": func() (Result, error) {
			return ContactSheet("x.png", Source{Labels: src.Labels}, []int32{0}, SheetOptions{})
		},
		"wrong size":     func() (Result, error) { return ContactSheet("x.png", bad, []int32{0}, SheetOptions{}) },
		"too many pixel": func() (Result, error) { return ContactSheet("x.png", huge, []int32{0, 1}, SheetOptions{}) },
	} {
		if _, err := f(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if _, err := os.Stat("x.png"); err == nil {
		t.Error("a refused sheet left a file")
	}
}
