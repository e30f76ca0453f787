package atlas

import (
	"math/rand/v2"
	"testing"
)

// rgbaImages returns n w x h straight-alpha RGBA images of random values,
// a quarter of the pixels fully transparent, a quarter opaque.
func rgbaImages(n, w, h int, seed uint64) []uint8 {
	rng := rand.New(rand.NewPCG(seed, 1))
	p := make([]uint8, n*w*h*4)
	for i := 0; i < len(p); i += 4 {
		p[i], p[i+1], p[i+2] = uint8(rng.IntN(256)), uint8(rng.IntN(256)), uint8(rng.IntN(256))
		switch rng.IntN(4) {
		case 0:
			p[i+3] = 0
		case 1:
			p[i+3] = 255
		default:
			p[i+3] = uint8(rng.IntN(256))
		}
	}
	return p
}

// Every image pixel lands in its cell premultiplied (checked against the
// exact product, rounded), and everything outside the images is zero.
func TestPackRGBAPremultipliesAndKeepsGuttersClear(t *testing.T) {
	for _, sz := range [][2]int{{28, 28}, {5, 9}, {32, 32}} {
		w, h, n := sz[0], sz[1], 13
		imgs := rgbaImages(n, w, h, uint64(w*h))
		a, err := Pack(imgs, n, w, h, Options{PageSize: 128, Channels: 4})
		if err != nil {
			t.Fatalf("%dx%d: %v", w, h, err)
		}
		if a.Channels != 4 || len(a.Pages[0]) != a.PageW*a.PageH*4 {
			t.Fatalf("%dx%d: channels %d, page of %d bytes for %dx%d", w, h, a.Channels, len(a.Pages[0]), a.PageW, a.PageH)
		}
		owned := make([][]bool, a.Layers)
		for l := range owned {
			owned[l] = make([]bool, a.PageW*a.PageH)
		}
		for i := 0; i < n; i++ {
			l, x, y := a.Cell(i)
			for r := 0; r < h; r++ {
				for c := 0; c < w; c++ {
					src := imgs[4*(i*w*h+r*w+c):][:4]
					got := a.Pages[l][4*((y+r)*a.PageW+x+c):][:4]
					al := float64(src[3])
					for k := 0; k < 3; k++ {
						want := uint8(float64(src[k])*al/255 + 0.5)
						if got[k] != want {
							t.Fatalf("%dx%d image %d pixel (%d,%d) channel %d = %d, want %d (value %d alpha %d)",
								w, h, i, c, r, k, got[k], want, src[k], src[3])
						}
					}
					if got[3] != src[3] {
						t.Fatalf("%dx%d image %d pixel (%d,%d) alpha %d, want %d", w, h, i, c, r, got[3], src[3])
					}
					owned[l][(y+r)*a.PageW+x+c] = true
				}
			}
		}
		for l, page := range a.Pages {
			for k := range owned[l] {
				if !owned[l][k] && (page[4*k]|page[4*k+1]|page[4*k+2]|page[4*k+3]) != 0 {
					t.Fatalf("%dx%d gutter pixel layer %d (%d,%d) is not zero", w, h, l, k%a.PageW, k/a.PageW)
				}
			}
		}
	}
}

func TestPackRejectsOtherChannelCounts(t *testing.T) {
	for _, ch := range []int{2, 3, -1} {
		if _, err := Pack(make([]uint8, 4*4*ch*ch), 1, 4, 4, Options{Channels: ch}); err == nil {
			t.Errorf("%d channels accepted", ch)
		}
	}
	// Four channels want four bytes a pixel.
	if _, err := Pack(make([]uint8, 16), 1, 4, 4, Options{Channels: 4}); err == nil {
		t.Error("grey-sized images accepted as RGBA")
	}
}

// Means is each channel's mean over the cell (gutter included), against a
// brute-force sum, for grey and RGBA.
func TestMeansMatchBruteForce(t *testing.T) {
	const n, w, h = 9, 7, 5
	for _, ch := range []int{1, 4} {
		var imgs []uint8
		if ch == 1 {
			imgs = pattern(n, w, h)
		} else {
			imgs = rgbaImages(n, w, h, 3)
		}
		a, err := Pack(imgs, n, w, h, Options{PageSize: 32, Channels: ch})
		if err != nil {
			t.Fatal(err)
		}
		means := a.Means()
		if len(means) != n*ch {
			t.Fatalf("%d channels: %d means, want %d", ch, len(means), n*ch)
		}
		for i := 0; i < n; i++ {
			layer, x, y := a.Cell(i)
			x0, y0 := x-a.OffX, y-a.OffY
			for c := 0; c < ch; c++ {
				sum := 0
				for yy := y0; yy < y0+a.CellH; yy++ {
					for xx := x0; xx < x0+a.CellW; xx++ {
						sum += int(a.Pages[layer][(yy*a.PageW+xx)*ch+c])
					}
				}
				area := a.CellW * a.CellH
				if want := uint8((sum + area/2) / area); means[i*ch+c] != want {
					t.Errorf("%d channels: image %d channel %d mean %d, want %d", ch, i, c, means[i*ch+c], want)
				}
			}
		}
	}
	// A known case: one opaque red pixel in an 8x8 cell (no gutter) is a
	// mean of 255/64 red and alpha, nothing green or blue.
	img := make([]uint8, 8*8*4)
	img[0], img[3] = 255, 255
	a, err := Pack(img, 1, 8, 8, Options{Gutter: -1, Channels: 4})
	if err != nil {
		t.Fatal(err)
	}
	if got := a.Means(); got[0] != 4 || got[1] != 0 || got[2] != 0 || got[3] != 4 {
		t.Errorf("one red pixel: mean %v, want [4 0 0 4]", got)
	}
}

// DownsampleChannels filters each channel as Downsample filters a grey
// page, and RGBA mip levels stay inside their cells.
func TestDownsampleChannelsPerChannel(t *testing.T) {
	const w, h = 6, 4
	src := rgbaImages(1, w, h, 7)
	got := DownsampleChannels(nil, src, w, h, 4)
	for c := 0; c < 4; c++ {
		plane := make([]uint8, w*h)
		for i := range plane {
			plane[i] = src[4*i+c]
		}
		want := Downsample(nil, plane, w, h)
		for i, v := range want {
			if got[4*i+c] != v {
				t.Fatalf("channel %d texel %d = %d, want %d", c, i, got[4*i+c], v)
			}
		}
	}
	const n, side = 10, 5
	imgs := make([]uint8, n*side*side*4)
	for i := range imgs {
		imgs[i] = uint8(10 + 20*(i/(side*side*4)))
		if i%4 == 3 {
			imgs[i] = 255
		}
	}
	a, err := Pack(imgs, n, side, side, Options{Gutter: -1, PageSize: 32, Channels: 4})
	if err != nil {
		t.Fatal(err)
	}
	page, pw, ph := a.Pages[0], a.PageW, a.PageH
	for level := 1; level <= a.MaxMipLevel(); level++ {
		page, pw, ph = DownsampleChannels(nil, page, pw, ph, 4), pw/2, ph/2
		cw := a.CellW >> level
		for y := 0; y < ph; y++ {
			for x := 0; x < pw; x++ {
				cell := (y/cw)*a.CellsPerRow + x/cw
				for c := 0; c < 3; c++ {
					v := page[4*(y*pw+x)+c]
					if mx := uint8(10 + 20*cell); cell >= n && v != 0 || cell < n && v > mx {
						t.Fatalf("level %d texel (%d,%d) of cell %d channel %d = %d", level, x, y, cell, c, v)
					}
				}
			}
		}
	}
}
