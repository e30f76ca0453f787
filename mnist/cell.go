package mnist

import (
	"image"
	"image/draw"

	xdraw "golang.org/x/image/draw"
)

// AtlasBudget is the GPU memory CellFor keeps a dataset's texture atlas
// within: 512 MiB.
const AtlasBudget = 512 << 20

// cellSizes are the cell sides Open chooses among, largest first. Each is
// a power of two less 4, so that a cell and the atlas's 2-pixel gutters
// (atlas.DefaultGutter) fill a power-of-two atlas cell exactly: 28 is
// MNIST's own size.
var cellSizes = [...]int{60, 28, 12}

// CellFor returns the cell side for n images of channels values a pixel
// (1 grey, 4 RGBA): the largest of 60, 28 and 12 pixels whose atlas fits
// AtlasBudget, counting for each image its atlas cell (the next power of
// two above the side plus 4 pixels of gutters, squared), channels bytes a
// texel and a third more for mipmaps; 12 when none fits.
//
// With the 512 MiB budget: RGBA images get 60 px up to 24,576 images, 28 px
// up to 98,304 and 12 px beyond; grey images four times as many (60 px up
// to 98,304, 28 px up to 393,216).
func CellFor(n, channels int) int {
	channels = max(channels, 1)
	for _, c := range cellSizes {
		side := int64(atlasSide(c))
		if int64(n)*side*side*int64(channels)*4 <= 3*AtlasBudget {
			return c
		}
	}
	return cellSizes[len(cellSizes)-1]
}

// atlasSide returns the side of the atlas cell a cell of side c takes: the
// next power of two at or above c plus two 2-pixel gutters.
func atlasSide(c int) int {
	s := 1
	for s < c+4 {
		s *= 2
	}
	return s
}

// chooseCell returns the cell Open uses for n images, the largest of which
// has side maxSide, guessed to have channels values a pixel: o.Cell when
// set, else CellFor capped at maxSide and stepped down cellSizes until the
// dataset fits o's memory budget (the smallest size when none does; the
// budget check then refuses it).
func chooseCell(n, maxSide, channels int, o Options) int {
	if o.Cell > 0 {
		return o.Cell
	}
	cell := min(CellFor(n, channels), max(maxSide, 1))
	budget, _ := o.budget()
	for _, c := range cellSizes {
		if c < cell && need(n, cell, cell, channels) > budget {
			cell = c
		}
	}
	return cell
}

// fitter fits images into square cells: aspect kept, centred, the rest
// transparent black. Each decoding goroutine owns one; it reuses its
// buffers.
type fitter struct {
	cell    int
	scratch *image.RGBA // the cell, premultiplied
	tmp     *image.RGBA // the fitted image before orientation
}

func newFitter(cell int) *fitter {
	return &fitter{cell: cell, scratch: image.NewRGBA(image.Rect(0, 0, cell, cell))}
}

// fittedSize returns the size an image of w x h takes in a cell of side
// cell: scaled (up or down) so that its longer side fills the cell.
func fittedSize(w, h, cell int) (fw, fh int) {
	if w >= h {
		return cell, max(1, (h*cell+w/2)/w)
	}
	return max(1, (w*cell+h/2)/h), cell
}

// fit draws src, turned by the EXIF orientation o (1..8; 0 means 1), into
// the scratch cell and returns the rectangle it covers. An image whose
// fitted size is its own is copied exactly; others are resampled with
// Catmull-Rom in premultiplied colour.
func (f *fitter) fit(src image.Image, o int) image.Rectangle {
	clear(f.scratch.Pix)
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if transposes(o) {
		w, h = h, w
	}
	fw, fh := fittedSize(w, h, f.cell)
	x0, y0 := (f.cell-fw)/2, (f.cell-fh)/2
	r := image.Rect(x0, y0, x0+fw, y0+fh)
	if o <= 1 || o > 8 {
		scaleInto(f.scratch, r, src)
		return r
	}
	sw, sh := fw, fh
	if transposes(o) {
		sw, sh = fh, fw
	}
	if f.tmp == nil || f.tmp.Rect.Dx() != sw || f.tmp.Rect.Dy() != sh {
		f.tmp = image.NewRGBA(image.Rect(0, 0, sw, sh))
	}
	scaleInto(f.tmp, f.tmp.Rect, src)
	orientInto(f.scratch, r, f.tmp, o)
	return r
}

// scaleInto draws src into dst's rectangle r, replacing what is there.
func scaleInto(dst *image.RGBA, r image.Rectangle, src image.Image) {
	b := src.Bounds()
	if b.Dx() == r.Dx() && b.Dy() == r.Dy() {
		draw.Draw(dst, r, src, b.Min, draw.Src)
		return
	}
	xdraw.CatmullRom.Scale(dst, r, src, b, xdraw.Src, nil)
}

// isGrey reports whether the scratch cell's rectangle r is opaque grey:
// every pixel has alpha 255 and equal red, green and blue.
func (f *fitter) isGrey(r image.Rectangle) bool {
	s := f.scratch
	for y := r.Min.Y; y < r.Max.Y; y++ {
		row := s.Pix[s.PixOffset(r.Min.X, y):s.PixOffset(r.Max.X, y)]
		for i := 0; i+3 < len(row); i += 4 {
			if row[i+3] != 255 || row[i] != row[i+1] || row[i] != row[i+2] {
				return false
			}
		}
	}
	return true
}

// storeGrey writes the scratch cell's red values into dst (cell*cell
// bytes): the grey image on black.
func (f *fitter) storeGrey(dst []uint8) {
	p := f.scratch.Pix
	for i := range dst {
		dst[i] = p[4*i]
	}
}

// storeColour writes the scratch cell into dst (cell*cell*4 bytes) as RGBA
// with straight alpha.
func (f *fitter) storeColour(dst []uint8) {
	p := f.scratch.Pix
	for i := 0; i+3 < len(p); i += 4 {
		switch a := uint32(p[i+3]); a {
		case 0:
			dst[i], dst[i+1], dst[i+2], dst[i+3] = 0, 0, 0, 0
		case 255:
			copy(dst[i:i+4], p[i:i+4])
		default:
			dst[i] = uint8(min(255, (uint32(p[i])*255+a/2)/a))
			dst[i+1] = uint8(min(255, (uint32(p[i+1])*255+a/2)/a))
			dst[i+2] = uint8(min(255, (uint32(p[i+2])*255+a/2)/a))
			dst[i+3] = uint8(a)
		}
	}
}

// greyToColour writes the grey cell g, whose image covers r, into dst as
// RGBA: grey on opaque inside r, transparent outside.
func greyToColour(dst, g []uint8, r image.Rectangle, cell int) {
	clear(dst)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			v := g[y*cell+x]
			i := 4 * (y*cell + x)
			dst[i], dst[i+1], dst[i+2], dst[i+3] = v, v, v, 255
		}
	}
}
