package render

import (
	"fmt"
	"math"
	"unicode/utf8"
	"unsafe"

	"github.com/go-gl/gl/v3.3-core/gl"
	"github.com/mnist-explorer/mnist-explorer/shaders"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
)

// TextRenderer draws text in screen space from a glyph atlas rasterised
// once at a fixed pixel size: printable ASCII plus a few symbols
// ("—–×·…•±°µ→←↑↓▲▼"); other runes show as '?'. Strings added between Begin
// and End are batched into one vertex buffer and drawn with one call. Glyph
// quads are snapped to whole pixels and sampled with GL_NEAREST, so text
// is exactly the rasterised coverage, never resampled.
//
// Sizes are in framebuffer pixels: on a HiDPI display pass the logical
// size times the content scale (framebuffer width / window width).
// Methods must be called on the GL thread.
type TextRenderer struct {
	atlas *glyphAtlas
	tex   texture
	batch *quadBatch
	uTex  int32
}

// NewTextRenderer returns a text renderer for the Go Regular font at
// sizePx framebuffer pixels per em. Call Delete to free its GL objects.
func NewTextRenderer(sizePx float64) (*TextRenderer, error) {
	return NewTextRendererTTF(goregular.TTF, sizePx)
}

// NewMonoTextRenderer is NewTextRenderer with the Go Mono font, for
// columns of numbers.
func NewMonoTextRenderer(sizePx float64) (*TextRenderer, error) {
	return NewTextRendererTTF(gomono.TTF, sizePx)
}

// NewTextRendererTTF returns a text renderer for a TrueType or OpenType
// font at sizePx framebuffer pixels per em.
func NewTextRendererTTF(ttf []byte, sizePx float64) (*TextRenderer, error) {
	a, err := newGlyphAtlas(ttf, sizePx)
	if err != nil {
		return nil, err
	}
	if maxSize := getInt(gl.MAX_TEXTURE_SIZE); a.w > maxSize || a.h > maxSize {
		return nil, fmt.Errorf("render: glyph atlas %dx%d at %v pixels exceeds GL_MAX_TEXTURE_SIZE %d", a.w, a.h, sizePx, maxSize)
	}
	batch, err := newQuadBatch("text", shaders.TextFrag)
	if err != nil {
		return nil, err
	}
	t := &TextRenderer{atlas: a, batch: batch}
	if t.uTex, err = batch.prog.uniform("uGlyphs"); err != nil {
		t.Delete()
		return nil, err
	}
	t.tex = newTexture()
	gl.BindTexture(gl.TEXTURE_2D, uint32(t.tex))
	gl.PixelStorei(gl.UNPACK_ALIGNMENT, 1)
	gl.TexImage2D(gl.TEXTURE_2D, 0, gl.R8, int32(a.w), int32(a.h), 0, gl.RED, gl.UNSIGNED_BYTE, unsafe.Pointer(&a.pix[0]))
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE)
	gl.BindTexture(gl.TEXTURE_2D, 0)
	if err := glError("creating text renderer"); err != nil {
		t.Delete()
		return nil, err
	}
	return t, nil
}

// LineHeight returns the distance between baselines in pixels, which is
// also the height of the line box that Add draws into.
func (t *TextRenderer) LineHeight() float64 { return t.atlas.lineHeight }

// Ascent returns the distance from the top of the line box to the
// baseline in pixels.
func (t *TextRenderer) Ascent() float64 { return t.atlas.ascent }

// Measure returns the width of s in pixels as Add would draw it: the
// advance of its widest line ('\n' starts a new line). It allocates
// nothing.
func (t *TextRenderer) Measure(s string) float64 {
	return measure(t.atlas, unsafe.Slice(unsafe.StringData(s), len(s)))
}

// MeasureBytes is Measure for a byte slice.
func (t *TextRenderer) MeasureBytes(b []byte) float64 { return measure(t.atlas, b) }

// Begin starts a frame's batch for a framebuffer of fbW x fbH pixels (the
// viewport the caller has set). It discards anything added but not drawn.
func (t *TextRenderer) Begin(fbW, fbH int) { t.batch.begin(fbW, fbH) }

// Add queues s with the top-left corner of its first line box at (x, y)
// framebuffer pixels (origin top-left, y down), in colour c (straight
// alpha, components in [0,1]), and returns its width as Measure does. '\n'
// starts a new line LineHeight below, at x again. Positions are rounded to
// whole pixels. Once the batch has grown to a frame's size, Add allocates
// nothing.
func (t *TextRenderer) Add(x, y float64, s string, c [4]float32) (width float64) {
	return addText(t, x, y, unsafe.Slice(unsafe.StringData(s), len(s)), c)
}

// AddBytes is Add for a byte slice, so that numbers formatted with
// strconv.AppendInt into a reused buffer draw without allocating.
func (t *TextRenderer) AddBytes(x, y float64, b []byte, c [4]float32) (width float64) {
	return addText(t, x, y, b, c)
}

// addText implements Add and AddBytes. It decodes the bytes in place: a
// range over string(s) would copy s on the heap for longer texts.
func addText(t *TextRenderer, x, y float64, s []byte, c [4]float32) float64 {
	a, col := t.atlas, rgba8(c)
	left := math.Round(x)
	pen, base := left, math.Round(y)+a.ascent
	w := 0.0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRune(s[i:])
		i += size
		if r == '\n' {
			w = math.Max(w, pen-left)
			pen, base = left, base+a.lineHeight
			continue
		}
		g := a.lookup(r)
		if g.x1 > g.x0 {
			px, py := float32(math.Round(pen)), float32(base)
			t.batch.rect(px+g.x0, py+g.y0, px+g.x1, py+g.y1, g.u0, g.v0, g.u1, g.v1, 0, col)
		}
		pen += g.adv
	}
	return math.Max(w, pen-left)
}

// End uploads the queued glyphs and draws them with one call, blended
// (premultiplied alpha) over the framebuffer. It leaves blending enabled
// with glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA). Begin, Add and End may
// run several times a frame, for example to put text over a later panel.
func (t *TextRenderer) End() {
	if len(t.batch.verts) == 0 {
		return
	}
	gl.ActiveTexture(gl.TEXTURE0)
	gl.BindTexture(gl.TEXTURE_2D, uint32(t.tex))
	gl.UseProgram(uint32(t.batch.prog))
	gl.Uniform1i(t.uTex, 0)
	t.batch.flush()
}

// Delete releases the renderer's GL objects. The renderer is unusable
// after; deleting it again does nothing. A nil renderer may be deleted.
func (t *TextRenderer) Delete() {
	if t == nil {
		return
	}
	t.tex.Delete()
	t.batch.delete()
}
