// Package atlas packs many small grayscale images into texture pages for a
// 2D array texture, and maps an image index to its page (layer), pixel cell
// and texture coordinates.
//
// Each image sits in a square-ish cell whose width and height are powers of
// two, centred, with a gutter of zero (transparent) pixels on every side.
// Cells are aligned on multiples of their size inside a page, so mip level k
// averages aligned 2^k x 2^k blocks that never straddle two cells as long as
// k <= MaxMipLevel. Linear filtering at an image's edge reads the gutter's
// zeros, never a neighbour.
//
// The package knows nothing of OpenGL: Pages hold R8 bytes ready for upload
// with glTexSubImage3D, layer by layer, row 0 first.
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
}

// Atlas is the result of Pack: every page has PageW x PageH R8 pixels.
type Atlas struct {
	N              int       // number of images packed
	ImageW, ImageH int       // size of each image in pixels
	CellW, CellH   int       // size of each cell (powers of two)
	OffX, OffY     int       // image origin inside its cell (the left and top gutters)
	PageW, PageH   int       // size of each page in pixels
	Layers         int       // number of pages
	CellsPerRow    int       // cells across a page
	CellsPerLayer  int       // cells in a full page
	Pages          [][]uint8 // one R8 page per layer, row-major, PageW*PageH bytes
}

// Pack copies n images of w x h uint8 pixels (row-major, concatenated in
// images) into pages. Image i goes to cell i: layer i/CellsPerLayer, then
// left to right, top to bottom.
func Pack(images []uint8, n, w, h int, o Options) (*Atlas, error) {
	if n <= 0 || w <= 0 || h <= 0 {
		return nil, fmt.Errorf("atlas: need n, w, h > 0, got n=%d w=%d h=%d", n, w, h)
	}
	if len(images) != n*w*h {
		return nil, fmt.Errorf("atlas: %d bytes of images, want n*w*h = %d*%d*%d = %d",
			len(images), n, w, h, n*w*h)
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
	a := &Atlas{N: n, ImageW: w, ImageH: h}
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
		a.Pages[l] = make([]uint8, a.PageW*a.PageH)
	}
	for i := 0; i < n; i++ {
		layer, x, y := a.Cell(i)
		dst, src := a.Pages[layer], images[i*w*h:(i+1)*w*h]
		for r := 0; r < h; r++ {
			copy(dst[(y+r)*a.PageW+x:(y+r)*a.PageW+x+w], src[r*w:(r+1)*w])
		}
	}
	return a, nil
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
