// Package atlas packs many small images, grey or RGBA, into texture pages
// for a 2D array texture, and maps an image index to its page (layer),
// pixel cell and texture coordinates.
//
// Each image sits in a square-ish cell whose width and height are powers of
// two, centred, with a gutter of zero (transparent) pixels on every side.
// Cells are aligned on multiples of their size inside a page, so mip level k
// averages aligned 2^k x 2^k blocks that never straddle two cells as long as
// k <= MaxMipLevel. Linear filtering at an image's edge reads the gutter's
// zeros, never a neighbour.
//
// The package knows nothing of OpenGL: Pages hold R8 bytes (grey) or RGBA8
// bytes with premultiplied alpha (colour) ready for upload with
// glTexSubImage3D, layer by layer, row 0 first. Premultiplied, a transparent
// pixel is all zeros like the gutter, so filtering and mip levels never
// bleed a transparent pixel's colour into its neighbours.
package atlas

import (
	"errors"
	"fmt"
)

// Defaults used when the matching Options field is zero.
const (
	DefaultGutter   = 2
	DefaultPageSize = 2048
)

// Options control packing. The zero value means the documented defaults.
type Options struct {
	// Gutter is the minimum number of zero pixels kept on every side of an
	// image inside its cell. Zero means DefaultGutter; use a negative value
	// for no gutter at all. The cell grows to the next power of two, so the
	// actual gutter may be larger (28x28 with gutter 2 gives 32x32 cells).
	Gutter int
	// PageSize is the largest width and height of a page in pixels. Zero
	// means DefaultPageSize. When all images fit in one page the page
	// shrinks to the rows and columns actually used.
	PageSize int
	// Channels is the number of values per pixel of the images given to
	// Pack: 1 (grey) or 4 (RGBA, straight alpha, as the mnist package keeps
	// them). Zero means 1. RGBA pages hold premultiplied alpha.
	Channels int
}

// Atlas is the result of Pack: every page has PageW x PageH pixels of
// Channels bytes each.
type Atlas struct {
	N              int       // number of images packed
	Channels       int       // bytes per pixel: 1 (R8 grey) or 4 (RGBA8, premultiplied alpha)
	ImageW, ImageH int       // size of each image in pixels
	CellW, CellH   int       // size of each cell (powers of two)
	OffX, OffY     int       // image origin inside its cell (the left and top gutters)
	PageW, PageH   int       // size of each page in pixels
	Layers         int       // number of pages
	CellsPerRow    int       // cells across a page
	CellsPerLayer  int       // cells in a full page
	Pages          [][]uint8 // one page per layer, row-major, PageW*PageH*Channels bytes
}

// Pack copies n images of w x h pixels of o.Channels uint8 values
// (row-major, channels interleaved, concatenated in images) into pages,
// premultiplying RGBA by its alpha. Image i goes to cell i: layer
// i/CellsPerLayer, then left to right, top to bottom.
func Pack(images []uint8, n, w, h int, o Options) (*Atlas, error) {
	ch := o.Channels
	if ch == 0 {
		ch = 1
	}
	if ch != 1 && ch != 4 {
		return nil, fmt.Errorf("atlas: %d channels; want 1 (grey) or 4 (RGBA)", o.Channels)
	}
	if n <= 0 || w <= 0 || h <= 0 {
		return nil, fmt.Errorf("atlas: need n, w, h > 0, got n=%d w=%d h=%d", n, w, h)
	}
	if len(images) != n*w*h*ch {
		return nil, fmt.Errorf("atlas: %d bytes of images, want n*w*h*channels = %d*%d*%d*%d = %d",
			len(images), n, w, h, ch, n*w*h*ch)
	}
	gutter, page := o.Gutter, o.PageSize
	if gutter == 0 {
		gutter = DefaultGutter
	}
	if gutter < 0 {
		gutter = 0
	}
	if page == 0 {
		page = DefaultPageSize
	}
	if page < 0 {
		return nil, errors.New("atlas: negative PageSize")
	}
	a := &Atlas{N: n, Channels: ch, ImageW: w, ImageH: h}
	a.CellW = nextPow2(w + 2*gutter)
	a.CellH = nextPow2(h + 2*gutter)
	if a.CellW > page || a.CellH > page {
		return nil, fmt.Errorf("atlas: %dx%d cell (image %dx%d, gutter %d) does not fit a %d-pixel page",
			a.CellW, a.CellH, w, h, gutter, page)
	}
	a.OffX = (a.CellW - w) / 2
	a.OffY = (a.CellH - h) / 2
	cols, rows := page/a.CellW, page/a.CellH
	a.CellsPerRow = cols
	a.CellsPerLayer = cols * rows
	a.Layers = (n + a.CellsPerLayer - 1) / a.CellsPerLayer
	if a.Layers == 1 {
		// Shrink a lone page to the cells used.
		if n < cols {
			cols = n
		}
		rows = (n + cols - 1) / cols
		a.CellsPerRow = cols
		a.CellsPerLayer = cols * rows
	}
	a.PageW, a.PageH = cols*a.CellW, rows*a.CellH
	a.Pages = make([][]uint8, a.Layers)
	for l := range a.Pages {
		a.Pages[l] = make([]uint8, a.PageW*a.PageH*ch)
	}
	rowLen, stride := w*ch, a.PageW*ch
	for i := 0; i < n; i++ {
		layer, x, y := a.Cell(i)
		dst, src := a.Pages[layer], images[i*h*rowLen:(i+1)*h*rowLen]
		for r := 0; r < h; r++ {
			d := dst[(y+r)*stride+x*ch : (y+r)*stride+(x+w)*ch]
			if ch == 1 {
				copy(d, src[r*rowLen:(r+1)*rowLen])
			} else {
				premultiply(d, src[r*rowLen:(r+1)*rowLen])
			}
		}
	}
	return a, nil
}

// premultiply writes the straight-alpha RGBA pixels of src into dst with
// each colour value multiplied by its alpha (rounded).
func premultiply(dst, src []uint8) {
	for i := 0; i+3 < len(src); i += 4 {
		switch al := uint32(src[i+3]); al {
		case 255:
			copy(dst[i:i+4], src[i:i+4])
		case 0:
			dst[i], dst[i+1], dst[i+2], dst[i+3] = 0, 0, 0, 0
		default:
			dst[i] = uint8((uint32(src[i])*al + 127) / 255)
			dst[i+1] = uint8((uint32(src[i+1])*al + 127) / 255)
			dst[i+2] = uint8((uint32(src[i+2])*al + 127) / 255)
			dst[i+3] = uint8(al)
		}
	}
}

// Cell returns the page and the pixel origin (top-left, row 0 first) of
// image i inside that page. It panics if i is out of range.
func (a *Atlas) Cell(i int) (layer, x, y int) {
	if i < 0 || i >= a.N {
		panic(fmt.Sprintf("atlas: image %d out of range [0,%d)", i, a.N))
	}
	layer, c := i/a.CellsPerLayer, i%a.CellsPerLayer
	return layer, (c%a.CellsPerRow)*a.CellW + a.OffX, (c/a.CellsPerRow)*a.CellH + a.OffY
}

// UV returns the page and the normalised texture coordinates of image i's
// outer pixel edges: (u0, v0) is the top-left corner (row 0) and (u1, v1)
// the bottom-right, with v growing with the row index as uploaded.
func (a *Atlas) UV(i int) (layer int, u0, v0, u1, v1 float32) {
	layer, x, y := a.Cell(i)
	pw, ph := float32(a.PageW), float32(a.PageH)
	return layer, float32(x) / pw, float32(y) / ph, float32(x+a.ImageW) / pw, float32(y+a.ImageH) / ph
}

// Means returns, for each image, the mean of every channel over its whole
// cell, gutter included, rounded to a byte: N*Channels values (for RGBA,
// premultiplied). It is the colour a trilinear lookup approaches as the
// image shrinks to a pixel, so a sprite drawn as a dot shows it.
func (a *Atlas) Means() []uint8 {
	ch := a.Channels
	means := make([]uint8, a.N*ch)
	area := uint64(a.CellW * a.CellH)
	var sums [4]uint64
	for i := 0; i < a.N; i++ {
		layer, x0, y0 := a.Cell(i)
		x0, y0 = x0-a.OffX, y0-a.OffY // the cell's corner
		page := a.Pages[layer]
		sums = [4]uint64{}
		for y := 0; y < a.CellH; y++ {
			row := page[((y0+y)*a.PageW+x0)*ch : ((y0+y)*a.PageW+x0+a.CellW)*ch]
			for k, v := range row {
				sums[k%ch] += uint64(v)
			}
		}
		for c := 0; c < ch; c++ {
			means[i*ch+c] = uint8((sums[c] + area/2) / area)
		}
	}
	return means
}

// MaxMipLevel is the highest mip level that still keeps every texel inside
// one cell: log2 of the smaller cell side. Clamp GL_TEXTURE_MAX_LEVEL to it.
func (a *Atlas) MaxMipLevel() int {
	s := min(a.CellW, a.CellH)
	l := 0
	for s > 1 {
		s >>= 1
		l++
	}
	return l
}

// nextPow2 returns the smallest power of two >= v (v >= 1).
func nextPow2(v int) int {
	p := 1
	for p < v {
		p <<= 1
	}
	return p
}
