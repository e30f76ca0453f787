package render

import (
	"fmt"

	"github.com/go-gl/gl/v3.3-core/gl"
	"github.com/go-gl/mathgl/mgl32"
	"github.com/mnist-explorer/mnist-explorer/atlas"
	"github.com/mnist-explorer/mnist-explorer/shaders"
)

// Emphasis says how DrawOne draws a sprite. The zero value means the
// documented defaults: twice the map's size, a 2-pixel white outline, no
// backdrop.
type Emphasis struct {
	// Scale multiplies the sprite's edge. Zero means 2.
	Scale float32
	// MinPx is the smallest edge in framebuffer pixels, so a hovered sprite
	// stays legible when the map is zoomed out. Zero means no minimum.
	MinPx float32
	// OutlinePx is the width of the outline around the image square in
	// framebuffer pixels. Zero means 2; negative means no outline.
	OutlinePx float32
	// Outline is the outline's colour, straight alpha. The zero value means
	// opaque white.
	Outline [4]float32
	// Backdrop fills the image square under the digit, straight alpha, so
	// the sprites beneath do not show through. The zero value means none.
	Backdrop [4]float32
}

// spot is DrawOne's program and vertex array: the sprite renderer's
// buffers, pointed at one sprite.
type spot struct {
	prog program
	vao  vertexArray
	mvp  mgl32.Mat4
	u    struct{ viewProj, mix, size, pad, outline, backdrop int32 }
}

// init links the spot program, sets its constant uniforms from a and
// creates its vertex array.
func (sp *spot) init(s *SpriteRenderer, a *atlas.Atlas) error {
	var err error
	if sp.prog, err = newProgram("spot", shaders.SpotVert, shaders.SpotFrag); err != nil {
		return err
	}
	p := sp.prog
	for name, dst := range map[string]*int32{"uViewProj": &sp.u.viewProj, "uMix": &sp.u.mix,
		"uSize": &sp.u.size, "uPad": &sp.u.pad, "uOutline": &sp.u.outline, "uBackdrop": &sp.u.backdrop} {
		if *dst, err = p.uniform(name); err != nil {
			return err
		}
	}
	if err := setAtlasUniforms(p, a, 6); err != nil {
		return err
	}
	sp.vao = newVertexArray()
	return nil
}

// delete releases the spot's GL objects.
func (sp *spot) delete() {
	sp.vao.Delete()
	sp.prog.Delete()
}

// bindAt points the spot vertex array's attributes at sprite i: per-
// instance attributes start at element i, per-vertex ones at 0.
func (sp *spot) bindAt(attribs []attrib, i int) {
	gl.BindVertexArray(uint32(sp.vao))
	for _, a := range attribs {
		elem := int(a.size)
		if a.typ != gl.UNSIGNED_BYTE {
			elem *= 4
		}
		off := uintptr(0)
		if a.divisor != 0 {
			off = uintptr(i * elem)
		}
		gl.BindBuffer(gl.ARRAY_BUFFER, uint32(*a.buf))
		gl.EnableVertexAttribArray(a.loc)
		if a.integer {
			gl.VertexAttribIPointerWithOffset(a.loc, a.size, a.typ, 0, off)
		} else {
			gl.VertexAttribPointerWithOffset(a.loc, a.size, a.typ, false, 0, off)
		}
		gl.VertexAttribDivisor(a.loc, a.divisor)
	}
	gl.BindBuffer(gl.ARRAY_BUFFER, 0)
}

// DrawOne draws sprite i alone, on top of whatever is drawn before it, at
// its current position (the sprite renderer's two layouts and mix), with
// its label's colour and flags: hidden sprites stay hidden, highlighted
// ones are lightened. spriteSize is the map's edge in world units (as
// passed to SpriteRenderer.Draw); e enlarges it, outlines it and puts a
// backdrop under it. Like the image quads it magnifies with GL_NEAREST, so
// an enlarged digit shows crisp pixels. Call it after SpriteRenderer.Draw, once per emphasised
// sprite. It allocates nothing and leaves blending enabled with
// glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA). It panics if i is out of
// range.
func (m *ImageRenderer) DrawOne(i int, cam *Camera, spriteSize float32, e Emphasis) {
	m.DrawOneIn(m.sprites, i, cam, spriteSize, e)
}

// DrawOneIn is DrawOne at sprite i's position in s: m's sprite renderer
// or one of its views (SpriteRenderer.NewView).
func (m *ImageRenderer) DrawOneIn(s *SpriteRenderer, i int, cam *Camera, spriteSize float32, e Emphasis) {
	if i < 0 || i >= s.n {
		panic(fmt.Sprintf("render: DrawOne: sprite %d out of range [0,%d)", i, s.n))
	}
	scale, outline, pad := e.Scale, e.Outline, e.OutlinePx
	if scale == 0 {
		scale = 2
	}
	if outline == ([4]float32{}) {
		outline = [4]float32{1, 1, 1, 1}
	}
	if pad == 0 {
		pad = 2
	}
	pad = max(pad, 0)
	zoom := float32(cam.Zoom)
	px := max(spriteSize*scale*zoom, e.MinPx)
	if !(px > 0) {
		return
	}
	sp := &m.spot
	sp.mvp = cam.Matrix()
	gl.UseProgram(uint32(sp.prog))
	gl.UniformMatrix4fv(sp.u.viewProj, 1, false, &sp.mvp[0])
	gl.Uniform1f(sp.u.mix, s.mix)
	gl.Uniform1f(sp.u.size, px/zoom)
	gl.Uniform1f(sp.u.pad, pad/px)
	gl.Uniform4f(sp.u.outline, outline[0], outline[1], outline[2], outline[3])
	b := e.Backdrop
	gl.Uniform4f(sp.u.backdrop, b[0], b[1], b[2], b[3])
	s.bindTextures()
	gl.BindSampler(0, m.sampler)
	gl.Enable(gl.BLEND)
	gl.BlendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA)
	sp.bindAt(s.attribList(), i)
	gl.DrawArraysInstanced(gl.TRIANGLE_STRIP, 0, 4, 1)
	gl.BindVertexArray(0)
	gl.BindSampler(0, 0)
}
