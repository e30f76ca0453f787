package render

import (
	"math"

	"github.com/go-gl/gl/v3.3-core/gl"
	"github.com/mnist-explorer/mnist-explorer/shaders"
)

// sceneCache keeps the drawn sprites in an RGBA8 texture, premultiplied
// over transparent black, and copies it onto the framebuffer. Blending
// premultiplied sprites into transparent black and then the result over
// the background is the same "over" operation as blending them over the
// background directly (it is associative), up to 8-bit rounding.
//
// A frame where only the camera's centre moved (a pan) shifts the last
// full-resolution picture and draws only the strips it uncovered, at full
// quality. A frame where only the camera moved and the zoom changed by
// less than a bounded factor (a zoom) is a zoom draft (zoomdraft.go): the
// last picture scaled about the right point, and the sprites drawn only
// where it does not reach. Other motion (see moved), or a zoom beyond
// those bounds, makes a draft: drawn with the moving scene's levels of
// detail, at half resolution into its own texture when the sprites are
// large enough, and stretched over the viewport. The next frame with
// nothing changed draws the full-quality picture into a viewport-sized
// texture.
type sceneCache struct {
	prog      program
	vao       vertexArray // empty: the triangle comes from gl_VertexID
	uScene    int32
	uUVScale  int32
	uUVOffset int32
	linear    uint32     // sampler object: bilinear, for zoom drafts of a full target
	full      [2]target  // the viewport's size; a pan copies one into the other
	cur       int        // the full target holding the latest full-resolution picture
	half      target     // half the viewport's width and height: large moving sprites
	shown     *target    // the picture: full[cur] or half
	pic       Camera     // the camera shown was drawn with (halfView's for half)
	picZoom   float64    // the zoom of the camera the picture was drawn for
	picValid  [4]float64 // the part of shown drawn into (x0, y0, x1, y1 in its pixels): the clip box
	cover     [4]int32   // a zoom draft's picture on screen (x, y, w, h), the rest drawn as strips
	key       cacheKey
	valid     bool
	draft     bool     // the frame shown is a draft
	scaled    bool     // the frame shown is a zoom draft: the picture scaled, strips drawn around it
	failed    bool     // a framebuffer was incomplete: draw directly
	redraws   int      // times all sprites were drawn into a texture (for tests)
	shifts    int      // times a pan shifted the picture (for tests)
	scales    int      // zoom drafts drawn (for tests)
	cpuDrafts int      // pictures drawn on the CPU (for tests)
	vp        [4]int32 // scratch: the caller's viewport
	clip      [4]int32 // scratch: the caller's scissor box, zero when the test is off
	prevFBO   int32    // scratch: the caller's draw framebuffer
	prevRead  int32    // scratch: the caller's read framebuffer
}

// target is a framebuffer with one RGBA8 colour texture.
type target struct {
	fbo    uint32
	tex    texture
	w, h   int // texture size; 0 before the first use
	filter int32
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
	clip         [4]int32 // the scissor box; zero when the scissor test is off
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
	if c.uUVScale, err = c.prog.uniform("uUVScale"); err != nil {
		return err
	}
	if c.uUVOffset, err = c.prog.uniform("uUVOffset"); err != nil {
		return err
	}
	gl.GenSamplers(1, &c.linear)
	for _, p := range [][2]int32{{gl.TEXTURE_MIN_FILTER, gl.LINEAR}, {gl.TEXTURE_MAG_FILTER, gl.LINEAR},
		{gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE}, {gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE}} {
		gl.SamplerParameteri(c.linear, uint32(p[0]), p[1])
	}
	c.vao = newVertexArray()
	c.full[0].filter, c.full[1].filter, c.half.filter = gl.NEAREST, gl.NEAREST, gl.LINEAR
	return glError("creating the scene cache")
}

// draw redraws the cache when the key changed (a draft) or when the last
// picture was a draft, then copies the picture into the caller's viewport.
func (c *sceneCache) draw(r *SpriteRenderer, cam *Camera, size float32) {
	gl.GetIntegerv(gl.VIEWPORT, &c.vp[0])
	w, h := c.vp[2], c.vp[3]
	if w <= 0 || h <= 0 {
		return
	}
	key := cacheKey{cam.CenterX, cam.CenterY, cam.Zoom, w, h, size, r.mix, r.gen + r.shared.gen, r.opts, c.clipBox()}
	changed := !c.valid || key != c.key
	c.scaled = false
	switch {
	case changed && c.panned(key) && c.shift(r, cam, size):
		c.key = key
		c.shifts++
	case changed && c.zoomed(key) && c.covers(cam) && (c.coversAll() || !r.cpuDraft(cam, size, true)):
		c.key, c.draft, c.scaled = key, true, true
		c.scales++
	case changed || c.draft:
		halfRes, draft := false, false
		if changed && c.moved(key) {
			halfRes, draft = r.draftKind(cam, size)
			// A CPU draft costs little at full resolution.
			halfRes = halfRes && !r.cpuDraft(cam, size, true)
		}
		t, view := &c.full[c.cur], *cam
		if halfRes {
			t, view = &c.half, halfView(cam)
		}
		if !c.redraw(r, t, &view, size, draft) {
			r.drawSprites(cam, size, false)
			return
		}
		c.shown, c.pic, c.picZoom, c.key, c.valid, c.draft = t, view, cam.Zoom, key, true, draft
		c.redraws++
	}
	c.composite(cam)
	if c.scaled {
		c.drawUncovered(r, cam, size)
	}
}

// composite draws the picture over the framebuffer, each pixel showing the
// point of the picture with the same world position under cam: a copy
// when cam is the picture's camera; a zoom draft, bilinear and scissored
// to the part the picture covers, when c.scaled.
func (c *sceneCache) composite(cam *Camera) {
	t, pc := c.shown, &c.pic
	w, h := float64(cam.Width), float64(cam.Height)
	pw, ph := float64(pc.Width), float64(pc.Height)
	gl.UseProgram(uint32(c.prog))
	gl.Uniform1i(c.uScene, 0)
	gl.Uniform2f(c.uUVScale, float32(w*pc.Zoom/(cam.Zoom*pw)), float32(h*pc.Zoom/(cam.Zoom*ph)))
	gl.Uniform2f(c.uUVOffset, float32(0.5+(cam.CenterX-pc.CenterX-w/(2*cam.Zoom))*pc.Zoom/pw),
		float32(0.5+(cam.CenterY-pc.CenterY-h/(2*cam.Zoom))*pc.Zoom/ph))
	gl.ActiveTexture(gl.TEXTURE0)
	gl.BindTexture(gl.TEXTURE_2D, uint32(t.tex))
	if c.scaled {
		gl.BindSampler(0, c.linear)
		gl.Enable(gl.SCISSOR_TEST)
		gl.Scissor(c.cover[0], c.cover[1], c.cover[2], c.cover[3])
	}
	gl.Enable(gl.BLEND)
	gl.BlendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA)
	gl.BindVertexArray(uint32(c.vao))
	gl.DrawArrays(gl.TRIANGLES, 0, 3)
	gl.BindVertexArray(0)
	gl.BindTexture(gl.TEXTURE_2D, 0)
	if c.scaled {
		gl.BindSampler(0, 0)
		c.endScissor()
	}
}

// endScissor puts back the caller's scissor state after drawing scissored.
func (c *sceneCache) endScissor() {
	if c.clip == ([4]int32{}) {
		gl.Disable(gl.SCISSOR_TEST)
		return
	}
	c.restoreClip()
}

// clipBox records and returns the caller's scissor box, or zeros when the
// scissor test is off: a clipped Draw (one pane of a split view) draws and
// copies only inside it.
func (c *sceneCache) clipBox() [4]int32 {
	c.clip = [4]int32{}
	if gl.IsEnabled(gl.SCISSOR_TEST) {
		gl.GetIntegerv(gl.SCISSOR_BOX, &c.clip[0])
	}
	return c.clip
}

// restoreClip sets the caller's scissor box again after drawing strips or
// a half-resolution picture.
func (c *sceneCache) restoreClip() {
	if c.clip != ([4]int32{}) {
		gl.Scissor(c.clip[0], c.clip[1], c.clip[2], c.clip[3])
	}
}

// halfView returns a camera for a texture of half cam's width and height
// (rounded up) whose bottom-left corner shows cam's bottom-left corner.
func halfView(cam *Camera) Camera {
	v := Camera{Zoom: cam.Zoom / 2, Width: (cam.Width + 1) / 2, Height: (cam.Height + 1) / 2}
	left := cam.CenterX - float64(cam.Width)/2/cam.Zoom
	bottom := cam.CenterY - float64(cam.Height)/2/cam.Zoom
	v.CenterX = left + float64(v.Width)/2/v.Zoom
	v.CenterY = bottom + float64(v.Height)/2/v.Zoom
	return v
}

// redraw draws the sprites into target t at view's size (with the moving
// scene's levels of detail if draft), (re)allocating it as needed, and
// restores the caller's framebuffer and viewport. It reports false, and
// marks the cache failed, if the framebuffer is incomplete.
func (c *sceneCache) redraw(r *SpriteRenderer, t *target, view *Camera, size float32, draft bool) bool {
	gl.GetIntegerv(gl.DRAW_FRAMEBUFFER_BINDING, &c.prevFBO)
	ok := t.bind(view.Width, view.Height)
	if ok {
		gl.Viewport(0, 0, int32(view.Width), int32(view.Height))
		c.picValid = [4]float64{0, 0, float64(view.Width), float64(view.Height)}
		if cl := c.clip; cl != ([4]int32{}) {
			c.picValid = [4]float64{float64(cl[0]), float64(cl[1]), float64(cl[0] + cl[2]), float64(cl[1] + cl[3])}
			if t == &c.half {
				// Half resolution: the clip's pixels, halved outwards.
				x0, y0, x1, y1 := cl[0]/2, cl[1]/2, (cl[0]+cl[2]+1)/2, (cl[1]+cl[3]+1)/2
				gl.Scissor(x0, y0, x1-x0, y1-y0)
				c.picValid = [4]float64{float64(x0), float64(y0), float64(x1), float64(y1)}
			}
		}
		if r.cpuDraft(view, size, draft) {
			r.splatInto(t, view, size, draft, c.picValid)
			c.cpuDrafts++
		} else {
			gl.ClearBufferfv(gl.COLOR, 0, &transparentBlack[0])
			r.drawSprites(view, size, draft)
		}
		c.restoreClip()
	}
	gl.BindFramebuffer(gl.DRAW_FRAMEBUFFER, uint32(c.prevFBO))
	gl.Viewport(c.vp[0], c.vp[1], c.vp[2], c.vp[3])
	c.failed = !ok
	return ok
}

// moved reports whether the change from the shown picture to key is motion
// (worth a draft, since more frames like it are likely to follow): only
// the camera, the mix and the sprite size changed, and the camera did or
// the mix is between the two layouts. A change of data, options or window
// size, or one that ends a transition (mix 0 or 1), is drawn at full
// quality at once, so that a single change never shows a draft, nor does
// a screenshot taken right after it.
func (c *sceneCache) moved(key cacheKey) bool {
	k := c.key
	if !c.valid || k.gen != key.gen || k.w != key.w || k.h != key.h || k.opts != key.opts || k.clip != key.clip {
		return false
	}
	camera := k.cx != key.cx || k.cy != key.cy || k.zoom != key.zoom
	return camera || key.mix > 0 && key.mix < 1
}

// panned reports whether key differs from the shown picture's only in the
// camera's centre, with a full-resolution picture shown that a pan may
// shift.
func (c *sceneCache) panned(key cacheKey) bool {
	k := c.key
	k.cx, k.cy, k.zoom = key.cx, key.cy, key.zoom
	return c.valid && c.shown == &c.full[c.cur] && c.pic.Zoom == key.zoom && k == key && !key.opts.RedrawPans
}

// shift moves the shown picture by the pan from c.pic to cam, rounded to
// whole pixels, into the other full target, and draws the sprites into
// the strips it uncovered (scissored: llvmpipe rejects the points outside
// them before rasterising). The picture is a draft if the pan was not a
// whole number of pixels. It reports false, having drawn nothing, when the
// pan is a viewport or more.
func (c *sceneCache) shift(r *SpriteRenderer, cam *Camera, size float32) bool {
	w, h := c.vp[2], c.vp[3]
	// The scene's shift in window pixels (x right, y up).
	fx := (c.pic.CenterX - cam.CenterX) * cam.Zoom
	fy := (c.pic.CenterY - cam.CenterY) * cam.Zoom
	sx, sy := int32(math.Round(fx)), int32(math.Round(fy))
	if sx <= -w || sx >= w || sy <= -h || sy >= h || math.IsNaN(fx) || math.IsNaN(fy) {
		return false
	}
	pic := c.pic
	pic.CenterX -= float64(sx) / cam.Zoom
	pic.CenterY -= float64(sy) / cam.Zoom
	src, dst := &c.full[c.cur], &c.full[1-c.cur]
	gl.GetIntegerv(gl.DRAW_FRAMEBUFFER_BINDING, &c.prevFBO)
	gl.GetIntegerv(gl.READ_FRAMEBUFFER_BINDING, &c.prevRead)
	ok := dst.bind(int(w), int(h))
	if ok {
		gl.BindFramebuffer(gl.READ_FRAMEBUFFER, src.fbo)
		gl.BlitFramebuffer(max(0, -sx), max(0, -sy), w-max(0, sx), h-max(0, sy),
			max(0, sx), max(0, sy), w-max(0, -sx), h-max(0, -sy), gl.COLOR_BUFFER_BIT, gl.NEAREST)
		gl.Viewport(0, 0, w, h)
		scissored := gl.IsEnabled(gl.SCISSOR_TEST)
		gl.Enable(gl.SCISSOR_TEST)
		// The uncovered columns of the area drawn into (the caller's
		// scissor box: beyond it the picture holds nothing), full height,
		// then the uncovered rows beside them: two strips that do not
		// overlap.
		a := c.area()
		ax, ay, aw, ah := a[0]-c.vp[0], a[1]-c.vp[1], a[2], a[3]
		x0, x1 := ax, ax+aw
		switch {
		case sx > 0:
			c.drawStrip(r, &pic, size, ax, ay, min(sx, aw), ah)
			x0 = ax + sx
		case sx < 0:
			c.drawStrip(r, &pic, size, max(ax+aw+sx, ax), ay, min(-sx, aw), ah)
			x1 = ax + aw + sx
		}
		switch {
		case sy > 0:
			c.drawStrip(r, &pic, size, x0, ay, x1-x0, min(sy, ah))
		case sy < 0:
			c.drawStrip(r, &pic, size, x0, max(ay+ah+sy, ay), x1-x0, min(-sy, ah))
		}
		if !scissored {
			gl.Disable(gl.SCISSOR_TEST)
		}
		c.restoreClip()
	}
	gl.BindFramebuffer(gl.READ_FRAMEBUFFER, uint32(c.prevRead))
	gl.BindFramebuffer(gl.DRAW_FRAMEBUFFER, uint32(c.prevFBO))
	gl.Viewport(c.vp[0], c.vp[1], c.vp[2], c.vp[3])
	if !ok {
		c.failed = true
		return false
	}
	c.cur, c.shown, c.pic = 1-c.cur, dst, pic
	c.draft = c.draft || math.Abs(fx-float64(sx)) > 1e-3 || math.Abs(fy-float64(sy)) > 1e-3
	return true
}

// drawStrip clears the rectangle (x, y, w, h) of the bound framebuffer and
// draws the sprites into it at full quality.
func (c *sceneCache) drawStrip(r *SpriteRenderer, view *Camera, size float32, x, y, w, h int32) {
	if w <= 0 || h <= 0 {
		return
	}
	gl.Scissor(x, y, w, h)
	gl.ClearBufferfv(gl.COLOR, 0, &transparentBlack[0])
	r.drawSprites(view, size, false)
}

// bind binds t's framebuffer for drawing, first (re)allocating its texture
// at w x h, and reports whether the framebuffer is complete.
func (t *target) bind(w, h int) bool {
	if t.fbo == 0 {
		gl.GenFramebuffers(1, &t.fbo)
		t.tex = newTexture()
	}
	gl.BindFramebuffer(gl.DRAW_FRAMEBUFFER, t.fbo)
	if w == t.w && h == t.h {
		return true
	}
	gl.BindTexture(gl.TEXTURE_2D, uint32(t.tex))
	gl.TexImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, int32(w), int32(h), 0, gl.RGBA, gl.UNSIGNED_BYTE, nil)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, t.filter)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, t.filter)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAX_LEVEL, 0)
	gl.BindTexture(gl.TEXTURE_2D, 0)
	gl.FramebufferTexture2D(gl.DRAW_FRAMEBUFFER, gl.COLOR_ATTACHMENT0, gl.TEXTURE_2D, uint32(t.tex), 0)
	t.w, t.h = w, h
	return gl.CheckFramebufferStatus(gl.DRAW_FRAMEBUFFER) == gl.FRAMEBUFFER_COMPLETE
}

// delete releases the target's GL objects.
func (t *target) delete() {
	if t.fbo != 0 {
		gl.DeleteFramebuffers(1, &t.fbo)
		t.fbo = 0
	}
	t.tex.Delete()
	t.w, t.h = 0, 0
}

// delete releases the cache's GL objects.
func (c *sceneCache) delete() {
	c.full[0].delete()
	c.full[1].delete()
	c.half.delete()
	if c.linear != 0 {
		gl.DeleteSamplers(1, &c.linear)
		c.linear = 0
	}
	c.vao.Delete()
	c.prog.Delete()
	c.valid = false
}

// halfResMinPx is the smallest sprite edge, in framebuffer pixels, drawn at
// half resolution while the scene moves. Smaller digits become unreadable
// blobs at half resolution (12 px ones differ from full quality by 13
// levels in 255 on average, against 8 with the one-texel lookup alone);
// from 24 px up they stay readable, and the frame costs a quarter of the
// pixels.
const halfResMinPx = 24

// In the frames of a transition (the mix between two layouts moving),
// sprites from halfResTransitionMinPx up to halfResTransitionMaxPx wide are
// drawn at half resolution too: every sprite moves, so no picture can be
// reused, and at half resolution their 4x4 level differs from full quality
// about as much as at full resolution (6 px: 5.1 against 4.5 levels in 255
// on average), while 18 px ones would differ by 13.6 instead of 5.8. The
// transition's last frame is drawn at full quality.
const (
	halfResTransitionMinPx = 4
	halfResTransitionMaxPx = 12
)

// draftKind says how a frame whose scene changed is drawn: at half
// resolution or not, and whether it is a draft at all (whether a still
// frame would draw something else).
func (r *SpriteRenderer) draftKind(cam *Camera, size float32) (halfRes, draft bool) {
	px := float32(cam.Zoom) * size
	transition := r.mix > 0 && r.mix < 1 && px >= halfResTransitionMinPx && px < halfResTransitionMaxPx
	halfRes = !r.opts.FullResMoving && (px >= halfResMinPx || transition) && !math.IsInf(float64(px), 0)
	if halfRes {
		return true, true
	}
	return false, r.usesPoints(cam, size) && r.tierFor(px, true) != r.tierFor(px, false)
}
