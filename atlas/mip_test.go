package atlas

import "testing"

func TestDownsample(t *testing.T) {
	src := []uint8{
		0, 4, 255, 255, 1, 2,
		8, 4, 255, 254, 3, 4,
	}
	got := Downsample(nil, src, 6, 2)
	want := []uint8{4, 255, 3} // (16+2)/4, (1019+2)/4, (10+2)/4
	if string(got) != string(want) {
		t.Errorf("Downsample = %v, want %v", got, want)
	}
	defer func() {
		if recover() == nil {
			t.Error("odd width did not panic")
		}
	}()
	Downsample(nil, make([]uint8, 6), 3, 2)
}

// Every texel of every mip level up to MaxMipLevel depends only on pixels of
// one cell: mark each cell with its own value and check levels stay pure.
func TestMipLevelsKeepCellsApart(t *testing.T) {
	const n, w = 10, 5
	imgs := make([]uint8, n*w*w)
	for i := range imgs {
		imgs[i] = uint8(10 + 20*(i/(w*w)))
	}
	a, err := Pack(imgs, n, w, w, Options{Gutter: -1, PageSize: 32}) // 8x8 cells, 4x4 per page
	if err != nil {
		t.Fatal(err)
	}
	if a.MaxMipLevel() != 3 || a.Layers != 1 || a.CellsPerRow != 4 {
		t.Fatalf("max mip %d, layers %d, per row %d", a.MaxMipLevel(), a.Layers, a.CellsPerRow)
	}
	page, pw, ph := a.Pages[0], a.PageW, a.PageH
	for level := 1; level <= a.MaxMipLevel(); level++ {
		page, pw, ph = Downsample(nil, page, pw, ph), pw/2, ph/2
		cw := a.CellW >> level
		for y := 0; y < ph; y++ {
			for x := 0; x < pw; x++ {
				cell := (y/cw)*a.CellsPerRow + x/cw
				v := page[y*pw+x]
				// A texel of cell c can only hold 0 (gutter) up to c's value.
				if max := uint8(10 + 20*cell); cell >= n && v != 0 || cell < n && v > max {
					t.Fatalf("level %d texel (%d,%d) of cell %d = %d", level, x, y, cell, v)
				}
			}
		}
	}
	// At the last level each cell is one texel: the mean of its 64 pixels.
	if got, want := page[0], uint8((25*10+32)/64); got != want {
		t.Errorf("cell 0 at level 3 = %d, want %d", got, want)
	}
}
