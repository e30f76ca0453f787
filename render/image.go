package render

import (
	"fmt"

	"github.com/go-gl/gl/v3.3-core/gl"
	"github.com/mnist-explorer/mnist-explorer/atlas"
	"github.com/mnist-explorer/mnist-explorer/shaders"
)

// ImageQuad is one atlas image drawn into a screen rectangle by
// ImageRenderer.
type ImageQuad struct {
	Sprite         int        // sprite index; it shows atlas image Sprite % atlas.N, as in the map
	X0, Y0, X1, Y1 float64    // top-left and bottom-right corners, framebuffer pixels
	Tint           [4]float32 // colour of full coverage, straight alpha; the zero value means opaque white
}

// ImageRenderer draws single images of a SpriteRenderer's atlas outside
// the instanced pass: enlarged thumbnails in screen rectangles (Begin, Add,
// End, batched into one call) and one emphasised sprite in the world
// (DrawOne). It samples the sprite renderer's texture and reads its
// per-sprite buffers, so it must not outlive it. Methods must be called on
// the GL thread.
type ImageRenderer struct {
	sprites *SpriteRenderer
	batch   *quadBatch
	sampler uint32 // GL_NEAREST magnification, mipmapped minification
	uAtlas  int32

	// Atlas geometry in texture coordinates.
	n             int // images in the atlas
	cellsPerRow   int
	cellsPerLayer int
	cellU, cellV  float32
	offU, offV    float32
	imgU, imgV    float32

	spot spot // DrawOne's program and vertex array
}

// NewImageRenderer returns an image renderer for s, which must have been
// created from atlas a (only a's geometry is kept, not its pages). Call
// Delete to free its GL objects.
func NewImageRenderer(s *SpriteRenderer, a *atlas.Atlas) (*ImageRenderer, error) {
	if s == nil || a == nil || a.N == 0 || a.PageW == 0 || a.PageH == 0 {
		return nil, fmt.Errorf("render: image renderer needs a sprite renderer and its non-empty atlas")
	}
	batch, err := newQuadBatch("image", shaders.ImageFrag)
	if err != nil {
		return nil, err
	}
	pw, ph := float32(a.PageW), float32(a.PageH)
	m := &ImageRenderer{
		sprites: s, batch: batch,
		n: a.N, cellsPerRow: a.CellsPerRow, cellsPerLayer: a.CellsPerLayer,
		cellU: float32(a.CellW) / pw, cellV: float32(a.CellH) / ph,
		offU: float32(a.OffX) / pw, offV: float32(a.OffY) / ph,
		imgU: float32(a.ImageW) / pw, imgV: float32(a.ImageH) / ph,
	}
	if m.uAtlas, err = batch.prog.uniform("uAtlas"); err != nil {
		m.Delete()
		return nil, err
	}
	if loc, err := batch.prog.uniform("uColour"); err == nil {
		gl.UseProgram(uint32(batch.prog))
		gl.Uniform1i(loc, int32(max(a.Channels, 1)/4)) // 1 for RGBA
		gl.UseProgram(0)
	}
	gl.GenSamplers(1, &m.sampler)
	gl.SamplerParameteri(m.sampler, gl.TEXTURE_MAG_FILTER, gl.NEAREST)
	gl.SamplerParameteri(m.sampler, gl.TEXTURE_MIN_FILTER, gl.LINEAR_MIPMAP_LINEAR)
	gl.SamplerParameteri(m.sampler, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE)
	gl.SamplerParameteri(m.sampler, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE)
	if err := m.spot.init(s, a); err != nil {
		m.Delete()
		return nil, err
	}
	if err := glError("creating image renderer"); err != nil {
		m.Delete()
		return nil, err
	}
	return m, nil
}

// Begin starts a batch of thumbnails for a framebuffer of fbW x fbH pixels
// (the viewport the caller has set).
func (m *ImageRenderer) Begin(fbW, fbH int) { m.batch.begin(fbW, fbH) }

// Add queues one image. For pixel-exact enlargement give the rectangle
// whole-pixel corners and a size that is a whole multiple of the image's.
// It panics if q.Sprite is negative.
func (m *ImageRenderer) Add(q ImageQuad) {
	if q.Sprite < 0 {
		panic(fmt.Sprintf("render: ImageRenderer.Add: sprite %d", q.Sprite))
	}
	img := q.Sprite % m.n
	layer, cell := img/m.cellsPerLayer, img%m.cellsPerLayer
	u0 := float32(cell%m.cellsPerRow)*m.cellU + m.offU
	v0 := float32(cell/m.cellsPerRow)*m.cellV + m.offV
	tint := q.Tint
	if tint == ([4]float32{}) {
		tint = [4]float32{1, 1, 1, 1}
	}
	m.batch.rect(float32(q.X0), float32(q.Y0), float32(q.X1), float32(q.Y1),
		u0, v0, u0+m.imgU, v0+m.imgV, float32(layer), rgba8(tint))
}

// End draws the queued images with one call, blended (premultiplied alpha)
// over the framebuffer, magnified with GL_NEAREST so each image pixel is a
// crisp block. It leaves blending enabled with glBlendFunc(GL_ONE,
// GL_ONE_MINUS_SRC_ALPHA) and texture unit 0 without a sampler object.
func (m *ImageRenderer) End() {
	if len(m.batch.verts) == 0 {
		return
	}
	gl.ActiveTexture(gl.TEXTURE0)
	gl.BindTexture(gl.TEXTURE_2D_ARRAY, uint32(m.sprites.tex))
	gl.BindSampler(0, m.sampler)
	gl.UseProgram(uint32(m.batch.prog))
	gl.Uniform1i(m.uAtlas, 0)
	m.batch.flush()
	gl.BindSampler(0, 0)
}

// DrawImages draws items with one call: Begin, Add for each, End.
func (m *ImageRenderer) DrawImages(fbW, fbH int, items []ImageQuad) {
	m.Begin(fbW, fbH)
	for _, q := range items {
		m.Add(q)
	}
	m.End()
}

// Delete releases the renderer's GL objects (not the sprite renderer's).
// The renderer is unusable after; deleting it again does nothing. A nil
// renderer may be deleted.
func (m *ImageRenderer) Delete() {
	if m == nil {
		return
	}
	m.spot.delete()
	if m.sampler != 0 {
		gl.DeleteSamplers(1, &m.sampler)
		m.sampler = 0
	}
	m.batch.delete()
}
