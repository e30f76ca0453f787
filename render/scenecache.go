package render

import (
	"github.com/go-gl/gl/v3.3-core/gl"
	"github.com/mnist-explorer/mnist-explorer/shaders"
)

// sceneCache keeps the drawn sprites in an RGBA8 texture the size of the
// viewport, premultiplied over transparent black, and copies it onto the
// framebuffer. Blending premultiplied sprites into transparent black and
// then the result over the background is the same "over" operation as
// blending them over the background directly (it is associative), up to
// 8-bit rounding.
type sceneCache struct {
	prog    program
	vao     vertexArray // empty: the triangle comes from gl_VertexID
	uScene  int32
	fbo     uint32
	tex     texture
	w, h    int // texture size; 0 before the first draw
	key     cacheKey
	valid   bool
	draft   bool     // drawn with the moving scene's level of detail
	failed  bool     // the framebuffer was incomplete: draw directly
	redraws int      // times the sprites were drawn into the texture (for tests)
	vp      [4]int32 // scratch: the caller's viewport
	prevFBO int32    // scratch: the caller's framebuffer
}

// transparentBlack is the cache's clear colour (a variable: cgo would move
// a local to the heap on every clear).
var transparentBlack [4]float32

// cacheKey is everything the cached picture depends on.
type cacheKey struct {
	cx, cy, zoom float64
	w, h         int32
	size, mix    float32
	gen          uint64
	opts         Options
}

// init links the copy program.
func (c *sceneCache) init() error {
	var err error
	if c.prog, err = newProgram("composite", shaders.CompositeVert, shaders.CompositeFrag); err != nil {
		return err
	}
	if c.uScene, err = c.prog.uniform("uScene"); err != nil {
		return err
	}
	c.vao = newVertexArray()
	return nil
}

// draw redraws the cache when the key changed, then copies it into the
// caller's viewport.
func (c *sceneCache) draw(r *SpriteRenderer, cam *Camera, size float32) {
	gl.GetIntegerv(gl.VIEWPORT, &c.vp[0])
	w, h := c.vp[2], c.vp[3]
	if w <= 0 || h <= 0 {
		return
	}
	key := cacheKey{cam.CenterX, cam.CenterY, cam.Zoom, w, h, size, r.mix, r.gen, r.opts}
	changed := !c.valid || key != c.key
	if changed || c.draft {
		// A changed scene is drawn as it moves; an unchanged draft again
		// at full quality.
		draft := changed && r.usesPoints(cam, size) && r.tierFor(float32(cam.Zoom)*size, true) != r.tierFor(float32(cam.Zoom)*size, false)
		if !c.redraw(r, cam, size, int(w), int(h), draft) {
			r.drawSprites(cam, size, false)
			return
		}
		c.key, c.valid, c.draft = key, true, draft
		c.redraws++
	}
	gl.UseProgram(uint32(c.prog))
	gl.Uniform1i(c.uScene, 0)
	gl.ActiveTexture(gl.TEXTURE0)
	gl.BindTexture(gl.TEXTURE_2D, uint32(c.tex))
	gl.Enable(gl.BLEND)
	gl.BlendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA)
	gl.BindVertexArray(uint32(c.vao))
	gl.DrawArrays(gl.TRIANGLES, 0, 3)
	gl.BindVertexArray(0)
	gl.BindTexture(gl.TEXTURE_2D, 0)
}

// redraw draws the sprites into the cache texture (with the LOD tier if
// draft), (re)allocating it at w x h, and restores the caller's framebuffer and viewport. It reports
// false, and marks the cache failed, if the framebuffer is incomplete.
func (c *sceneCache) redraw(r *SpriteRenderer, cam *Camera, size float32, w, h int, draft bool) bool {
	gl.GetIntegerv(gl.DRAW_FRAMEBUFFER_BINDING, &c.prevFBO)
	if c.fbo == 0 {
		gl.GenFramebuffers(1, &c.fbo)
		c.tex = newTexture()
	}
	gl.BindFramebuffer(gl.DRAW_FRAMEBUFFER, c.fbo)
	if w != c.w || h != c.h {
		gl.BindTexture(gl.TEXTURE_2D, uint32(c.tex))
		gl.TexImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, int32(w), int32(h), 0, gl.RGBA, gl.UNSIGNED_BYTE, nil)
		gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST)
		gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST)
		gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAX_LEVEL, 0)
		gl.BindTexture(gl.TEXTURE_2D, 0)
		gl.FramebufferTexture2D(gl.DRAW_FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, uint32(c.tex), 0)
		c.w, c.h = w, h
		if gl.CheckFramebufferStatus(gl.DRAW_FRAMEBUFFER) != gl.FRAMEBUFFER_COMPLETE {
			c.failed = true
			gl.BindFramebuffer(gl.DRAW_FRAMEBUFFER, uint32(c.prevFBO))
			return false
		}
	}
	gl.Viewport(0, 0, int32(w), int32(h))
	gl.ClearBufferfv(gl.COLOR, 0, &transparentBlack[0])
	r.drawSprites(cam, size, draft)
	gl.BindFramebuffer(gl.DRAW_FRAMEBUFFER, uint32(c.prevFBO))
	gl.Viewport(c.vp[0], c.vp[1], c.vp[2], c.vp[3])
	return true
}

// delete releases the cache's GL objects.
func (c *sceneCache) delete() {
	if c.fbo != 0 {
		gl.DeleteFramebuffers(1, &c.fbo)
		c.fbo = 0
	}
	c.tex.Delete()
	c.vao.Delete()
	c.prog.Delete()
	c.valid = false
}
