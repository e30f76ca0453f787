package atlas

import (
	"strings"
	"testing"
)

// pattern fills n w x h images with pixel value 1 + (i*7 + r*w + c) % 251,
// so every image pixel is non-zero and images differ.
func pattern(n, w, h int) []uint8 {
	p := make([]uint8, n*w*h)
	for i := 0; i < n; i++ {
		for k := 0; k < w*h; k++ {
			p[i*w*h+k] = uint8(1 + (i*7+k)%251)
		}
	}
	return p
}

func TestPackPixelExact(t *testing.T) {
	for _, sz := range [][2]int{{28, 28}, {16, 16}, {32, 32}, {5, 9}} {
		w, h, n := sz[0], sz[1], 11
		imgs := pattern(n, w, h)
		a, err := Pack(imgs, n, w, h, Options{PageSize: 256})
		if err != nil {
			t.Fatalf("%dx%d: %v", w, h, err)
		}
		// Mark the pixels that belong to an image; everything else must be 0.
		owned := make([][]bool, a.Layers)
		for l := range owned {
			owned[l] = make([]bool, a.PageW*a.PageH)
		}
		for i := 0; i < n; i++ {
			l, x, y := a.Cell(i)
			for r := 0; r < h; r++ {
				for c := 0; c < w; c++ {
					got := a.Pages[l][(y+r)*a.PageW+x+c]
					if want := imgs[i*w*h+r*w+c]; got != want {
						t.Fatalf("%dx%d image %d pixel (%d,%d) = %d, want %d", w, h, i, c, r, got, want)
					}
					owned[l][(y+r)*a.PageW+x+c] = true
				}
			}
		}
		for l, page := range a.Pages {
			for k, v := range page {
				if !owned[l][k] && v != 0 {
					t.Fatalf("%dx%d gutter pixel layer %d (%d,%d) = %d, want 0", w, h, l, k%a.PageW, k/a.PageW, v)
				}
			}
		}
	}
}

func TestCellSizesAndGutters(t *testing.T) {
	tests := []struct {
		w, h, gutter       int
		cellW, cellH, offX int
	}{
		{28, 28, 0, 32, 32, 2}, // default gutter 2
		{16, 16, 0, 32, 32, 8},
		{32, 32, 0, 64, 64, 16},
		{32, 32, -1, 32, 32, 0}, // no gutter
		{28, 28, 4, 64, 64, 18},
		{5, 9, 1, 8, 16, 1},
	}
	for _, tt := range tests {
		a, err := Pack(make([]uint8, tt.w*tt.h), 1, tt.w, tt.h, Options{Gutter: tt.gutter})
		if err != nil {
			t.Fatal(err)
		}
		if a.CellW != tt.cellW || a.CellH != tt.cellH || a.OffX != tt.offX {
			t.Errorf("%dx%d gutter %d: cell %dx%d off %d, want %dx%d off %d",
				tt.w, tt.h, tt.gutter, a.CellW, a.CellH, a.OffX, tt.cellW, tt.cellH, tt.offX)
		}
	}
}

func TestMNISTSizedLayers(t *testing.T) {
	const n = 70000
	a, err := Pack(make([]uint8, n*28*28), n, 28, 28, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.CellW != 32 || a.PageW != 2048 || a.PageH != 2048 || a.CellsPerRow != 64 ||
		a.CellsPerLayer != 4096 || a.Layers != 18 || a.MaxMipLevel() != 5 {
		t.Fatalf("got cell %d page %dx%d perRow %d perLayer %d layers %d maxMip %d",
			a.CellW, a.PageW, a.PageH, a.CellsPerRow, a.CellsPerLayer, a.Layers, a.MaxMipLevel())
	}
	// Last cell of layer 0 and first of layer 1.
	if l, x, y := a.Cell(4095); l != 0 || x != 63*32+2 || y != 63*32+2 {
		t.Errorf("Cell(4095) = %d,%d,%d", l, x, y)
	}
	if l, x, y := a.Cell(4096); l != 1 || x != 2 || y != 2 {
		t.Errorf("Cell(4096) = %d,%d,%d", l, x, y)
	}
	if l, x, y := a.Cell(n - 1); l != 17 || x != (69999%4096)%64*32+2 || y != (69999%4096)/64*32+2 {
		t.Errorf("Cell(%d) = %d,%d,%d", n-1, l, x, y)
	}
	l, u0, v0, u1, v1 := a.UV(4096 + 65)
	if l != 1 || u0 != 34.0/2048 || v0 != 34.0/2048 || u1 != 62.0/2048 || v1 != 62.0/2048 {
		t.Errorf("UV(4161) = %d %v %v %v %v", l, u0, v0, u1, v1)
	}
	// Mip safety: pages are whole cells and cells are aligned on 2^MaxMipLevel.
	s := 1 << a.MaxMipLevel()
	if a.PageW%s != 0 || a.PageH%s != 0 || a.CellW%s != 0 || a.CellH%s != 0 {
		t.Errorf("page %dx%d cell %dx%d not aligned on %d", a.PageW, a.PageH, a.CellW, a.CellH, s)
	}
}

func TestSmallAtlasShrinks(t *testing.T) {
	a, err := Pack(make([]uint8, 5*28*28), 5, 28, 28, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if a.Layers != 1 || a.PageW != 5*32 || a.PageH != 32 || a.CellsPerRow != 5 {
		t.Fatalf("got %d layers, page %dx%d, %d per row", a.Layers, a.PageW, a.PageH, a.CellsPerRow)
	}
	a, err = Pack(make([]uint8, 100*28*28), 100, 28, 28, Options{PageSize: 256})
	if err != nil {
		t.Fatal(err)
	}
	if a.Layers != 2 || a.PageW != 256 || a.PageH != 256 || a.CellsPerLayer != 64 {
		t.Fatalf("got %d layers, page %dx%d, %d per layer", a.Layers, a.PageW, a.PageH, a.CellsPerLayer)
	}
	if l, x, y := a.Cell(63); l != 0 || x != 7*32+2 || y != 7*32+2 {
		t.Errorf("Cell(63) = %d,%d,%d", l, x, y)
	}
	if l, x, y := a.Cell(64); l != 1 || x != 2 || y != 2 {
		t.Errorf("Cell(64) = %d,%d,%d", l, x, y)
	}
}

func TestPackErrors(t *testing.T) {
	tests := []struct {
		name    string
		n, w, h int
		size    int
		o       Options
		want    string
	}{
		{"zero n", 0, 28, 28, 0, Options{}, "need n, w, h > 0"},
		{"zero w", 1, 0, 28, 0, Options{}, "need n, w, h > 0"},
		{"negative h", 1, 28, -1, 0, Options{}, "need n, w, h > 0"},
		{"short data", 2, 28, 28, 2*28*28 - 1, Options{}, "bytes of images"},
		{"cell too big", 1, 28, 28, 28 * 28, Options{PageSize: 16}, "does not fit"},
		{"negative page", 1, 28, 28, 28 * 28, Options{PageSize: -1}, "negative PageSize"},
	}
	for _, tt := range tests {
		_, err := Pack(make([]uint8, tt.size), tt.n, tt.w, tt.h, tt.o)
		if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "atlas: ") {
			t.Errorf("%s: err = %v, want %q", tt.name, err, tt.want)
		}
	}
}

func TestCellPanicsOutOfRange(t *testing.T) {
	a, _ := Pack(make([]uint8, 4), 1, 2, 2, Options{})
	defer func() {
		if recover() == nil {
			t.Error("Cell(1) did not panic")
		}
	}()
	a.Cell(1)
}
