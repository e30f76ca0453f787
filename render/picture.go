package render

import (
	"fmt"
	"image"
	"unsafe"

	"github.com/go-gl/gl/v3.3-core/gl"
	"github.com/mnist-explorer/mnist-explorer/shaders"
)

// Picture is one RGBA image in its own mipmapped 2D texture, drawn into
// screen rectangles: the inspector's image at its original resolution,
// whatever the atlas's cell size. Methods must be called on the GL thread.
type Picture struct {
	W, H     int // size in pixels
	tex      texture
	batch    *quadBatch
	uPicture int32
}

// NewPicture uploads img (premultiplied, as image.RGBA holds it) with
// mipmaps, so a large picture shrinks without aliasing. It fails, without
// allocating GL memory, when img is empty or larger than
// GL_MAX_TEXTURE_SIZE. Call Delete to free it.
func NewPicture(img *image.RGBA) (*Picture, error) {
	b := img.Bounds()
	w, h := b.Dx(), b.Dy()
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("render: empty picture")
	}
	if maxSize := getInt(gl.MAX_TEXTURE_SIZE); w > maxSize || h > maxSize {
		return nil, fmt.Errorf("render: picture %dx%d exceeds GL_MAX_TEXTURE_SIZE %d", w, h, maxSize)
	}
	batch, err := newQuadBatch("picture", shaders.PictureFrag)
	if err != nil {
		return nil, err
	}
	p := &Picture{W: w, H: h, batch: batch}
	if p.uPicture, err = batch.prog.uniform("uPicture"); err != nil {
		p.Delete()
		return nil, err
	}
	p.tex = newTexture()
	gl.BindTexture(gl.TEXTURE_2D, uint32(p.tex))
	gl.PixelStorei(gl.UNPACK_ALIGNMENT, 4)
	gl.PixelStorei(gl.UNPACK_ROW_LENGTH, int32(img.Stride/4))
	gl.TexImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, int32(w), int32(h), 0, gl.RGBA, gl.UNSIGNED_BYTE,
		unsafe.Pointer(&img.Pix[img.PixOffset(b.Min.X, b.Min.Y)]))
	gl.PixelStorei(gl.UNPACK_ROW_LENGTH, 0)
	gl.GenerateMipmap(gl.TEXTURE_2D)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR_MIPMAP_LINEAR)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE)
	gl.BindTexture(gl.TEXTURE_2D, 0)
	if err := glError("uploading a picture"); err != nil {
		p.Delete()
		return nil, err
	}
	return p, nil
}

// Fit returns the largest rectangle with the picture's aspect centred in
// the rectangle (x0, y0)-(x1, y1), never larger than the picture itself
// times maxScale (0: no limit), in whole pixels.
func (p *Picture) Fit(x0, y0, x1, y1, maxScale float64) (fx0, fy0, fx1, fy1 float64) {
	return fitRect(p.W, p.H, x0, y0, x1, y1, maxScale)
}

// fitRect is Picture.Fit for a w x h picture.
func fitRect(w, h int, x0, y0, x1, y1, maxScale float64) (fx0, fy0, fx1, fy1 float64) {
	s := min((x1-x0)/float64(w), (y1-y0)/float64(h))
	if maxScale > 0 {
		s = min(s, maxScale)
	}
	fw, fh := float64(w)*s, float64(h)*s
	fx0 = float64(int(x0 + (x1-x0-fw)/2 + 0.5))
	fy0 = float64(int(y0 + (y1-y0-fh)/2 + 0.5))
	return fx0, fy0, fx0 + float64(int(fw+0.5)), fy0 + float64(int(fh+0.5))
}

// Draw draws the picture into the framebuffer rectangle (x0, y0)-(x1, y1)
// (pixels, origin top-left) of a fbW x fbH viewport, blended
// (premultiplied) over what is there. It leaves blending enabled with
// glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA).
func (p *Picture) Draw(fbW, fbH int, x0, y0, x1, y1 float64) {
	p.batch.begin(fbW, fbH)
	p.batch.rect(float32(x0), float32(y0), float32(x1), float32(y1), 0, 0, 1, 1, 0, [4]uint8{255, 255, 255, 255})
	gl.ActiveTexture(gl.TEXTURE0)
	gl.BindTexture(gl.TEXTURE_2D, uint32(p.tex))
	gl.UseProgram(uint32(p.batch.prog))
	gl.Uniform1i(p.uPicture, 0)
	p.batch.flush()
	gl.BindTexture(gl.TEXTURE_2D, 0)
}

// Delete releases the picture's GL objects; a nil picture has none, and
// deleting twice does nothing.
func (p *Picture) Delete() {
	if p == nil {
		return
	}
	p.tex.Delete()
	p.batch.delete()
	p.batch = nil
}
