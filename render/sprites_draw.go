package render

import (
	"math"

	"github.com/go-gl/gl/v3.3-core/gl"
	"github.com/mnist-explorer/mnist-explorer/atlas"
	"github.com/mnist-explorer/mnist-explorer/shaders"
)

// Defaults for the level-of-detail thresholds of Options, in framebuffer
// pixels of sprite edge (see BENCHMARKS.md for how they were chosen).
const (
	DefaultLODPx = math.MaxFloat32 // every size
	DefaultDotPx = 2
)

// Options say how SpriteRenderer.Draw draws. The zero value means the
// defaults: points, the scene cache, frames of a moving scene at half
// resolution with one texel per pixel, and dots below DefaultDotPx.
type Options struct {
	// Quads draws every sprite as an instanced quad with a trilinear
	// lookup, straight into the framebuffer: the renderer as it was before
	// points, levels of detail and the cache, kept to compare against. The
	// zero value draws sprites as points while they fit the driver's
	// largest point (quads above it).
	Quads bool
	// NoCache draws the sprites into the framebuffer on every Draw, at full
	// quality (LODPx does not apply). The zero value draws them into an
	// offscreen texture only when the camera, sprite size, mix, options or
	// uploaded data (positions, labels, flags) changed since the previous
	// Draw, and otherwise copies that texture: a still frame costs one
	// textured triangle.
	NoCache bool
	// LODPx is the sprite edge in framebuffer pixels below which, while
	// the scene changes from one Draw to the next, a point sprite takes one
	// unfiltered texel from the finest mip level whose texels cover a
	// pixel instead of a trilinear lookup (from the 4x4 level it carries
	// when that is the one). The first Draw after the scene stops
	// changing draws it again at full quality (see Refining). Zero means
	// DefaultLODPx, every size; negative means never.
	LODPx float32
	// FullResMoving draws the frames of a moving scene at full
	// resolution. The zero value draws them, when sprites are at least 24
	// pixels wide, at half the viewport's width and height, stretched over
	// it with bilinear filtering: a quarter of the pixels to fill. Still
	// frames are always drawn at full resolution.
	FullResMoving bool
	// RedrawPans draws every sprite again when the view pans. The zero
	// value shifts the last full-quality picture by the pan and draws the
	// sprites only into the strips it uncovered; a pan that is not a whole
	// number of pixels is shifted by the nearest one, and the next still
	// frame is drawn exactly.
	RedrawPans bool
	// RedrawZooms draws every sprite again when the view zooms. The zero
	// value shows, while the zoom stays within 1/1.4 to 1.4 times the zoom
	// of the last picture drawn, that picture scaled (bilinear), with the
	// sprites drawn, with the levels of detail, only where it does not
	// reach; the next still frame is drawn at full quality.
	RedrawZooms bool
	// DotPx is the sprite edge below which a point sprite is a flat dot of
	// its image's mean coverage, moving or still: at that size it differs
	// from the trilinear lookup by about one level in 255 on average (see
	// BENCHMARKS.md). Zero means DefaultDotPx; negative means never.
	DotPx float32
	// NoCPUDrafts draws every sprite with GL. The zero value, on a software
	// rasteriser (Mesa's llvmpipe), draws the pictures whose sprites are all
	// flat dots, or, while the scene moves, read their 4x4 level or one
	// texel of mip level 2, on the CPU instead (splat.go): the same picture
	// within rounding, at a fraction of the driver's cost for small points.
	// On a GPU it does nothing.
	NoCPUDrafts bool
	// Opacity multiplies every sprite's alpha (0 < Opacity <= 1), so that
	// where many sprites overlap the map is denser: a dense cluster shows
	// as such rather than as one opaque blob. Zero means 1, opaque.
	Opacity float32
}

// fade is 1 - the sprites' opacity, the shaders' uFade.
func (o Options) fade() float32 {
	if o.Opacity <= 0 || o.Opacity > 1 {
		return 0
	}
	return 1 - o.Opacity
}

// tier is one of the point programs, by sprite size.
type tier int

const (
	tierFull  tier = iota // trilinear lookup (point.frag)
	tierLOD               // one texel of a pre-filtered mip level (point_lod.frag)
	tierMicro             // one texel of the 4x4 level the sprite carries (point_micro.frag)
	tierDot               // flat dot of the mean coverage (point_dot.frag)
	tierCount
)

// pointProgram is a linked point program and its per-frame uniforms.
type pointProgram struct {
	prog program
	u    struct{ viewProj, mix, size, pxPerUnit, fade int32 }
}

// createPointPrograms links the three point programs and queries the
// largest point size.
func (r *SpriteRenderer) createPointPrograms(a *atlas.Atlas) error {
	frags := [tierCount]struct {
		name, src string
		atlas     int // atlas uniforms the program must use
	}{
		tierFull:  {"point", shaders.PointFrag, 6},
		tierLOD:   {"point LOD", shaders.PointLODFrag, 6},
		tierMicro: {"point micro", shaders.PointMicroFrag, 0},
		tierDot:   {"point dot", shaders.PointDotFrag, 0},
	}
	for t, f := range frags {
		p, err := newProgram(f.name, shaders.PointVert, f.src)
		if err != nil {
			return err
		}
		pp := &r.points[t]
		pp.prog = p
		for name, dst := range map[string]*int32{"uViewProj": &pp.u.viewProj, "uMix": &pp.u.mix,
			"uSize": &pp.u.size, "uPxPerUnit": &pp.u.pxPerUnit} {
			if *dst, err = p.uniform(name); err != nil {
				return err
			}
		}
		pp.u.fade = gl.GetUniformLocation(uint32(p), gl.Str("uFade\x00"))
		if err := setAtlasUniforms(p, a, f.atlas); err != nil {
			return err
		}
	}
	// The 4x4 level: image origin and size in its texels, and the widest
	// sprite whose pixels are each at least one of them (where the mip
	// level point_lod.frag would choose is the 4x4 one or coarser).
	qx, qy := float32(a.CellW)/4, float32(a.CellH)/4
	loc, err := r.points[tierMicro].prog.uniform("uMicro")
	if err != nil {
		return err
	}
	gl.UseProgram(uint32(r.points[tierMicro].prog))
	gl.Uniform4f(loc, float32(a.OffX)/qx, float32(a.OffY)/qy, float32(a.ImageW)/qx, float32(a.ImageH)/qy)
	gl.UseProgram(0)
	if a.CellW >= 4 && a.CellH >= 4 && r.channels == 1 { // colour atlases carry no 4x4 level
		r.microMaxPx = min(float32(a.ImageW)/qx*2, float32(a.ImageH)/qy*2)
	}
	var rng [2]float32
	gl.GetFloatv(gl.POINT_SIZE_RANGE, &rng[0])
	r.maxPointPx = rng[1]
	return nil
}

// SetOptions chooses how Draw draws (see Options).
func (r *SpriteRenderer) SetOptions(o Options) { r.opts = o }

// Options returns what SetOptions set.
func (r *SpriteRenderer) Options() Options { return r.opts }

// Draw draws every sprite, each a square of side spriteSize world units
// centred on its position, blended (premultiplied alpha) over what is in
// the framebuffer, in the current viewport (the camera's). With the scene
// cache (the default) it redraws the sprites into an offscreen texture only
// when something they depend on changed since the previous Draw, then
// copies that texture; the picture is the one drawing straight into the
// framebuffer gives, within the rounding of one more 8-bit blend. While the
// scene changes, small sprites use a level of detail (Options.LODPx) and
// the next unchanged Draw redraws them at full quality (Refining). It does
// no per-sprite work on the CPU and allocates nothing. It leaves blending
// enabled with glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA).
func (r *SpriteRenderer) Draw(cam *Camera, spriteSize float32) {
	if r.opts.NoCache || r.opts.Quads || r.cache.failed {
		r.drawSprites(cam, spriteSize, false)
		return
	}
	r.cache.draw(r, cam, spriteSize)
}

// Refining reports whether the last Draw showed the moving scene's level
// of detail, so that one more Draw with nothing changed would draw the
// full-quality picture: a loop that sleeps until the next input should
// draw once more first.
func (r *SpriteRenderer) Refining() bool { return r.cache.valid && r.cache.draft }

// tierFor returns the point program for sprites px pixels wide; the LOD
// tier only when moving.
func (r *SpriteRenderer) tierFor(px float32, moving bool) tier {
	dot, lod := r.opts.DotPx, r.opts.LODPx
	if dot == 0 {
		dot = DefaultDotPx
	}
	if lod == 0 {
		lod = DefaultLODPx
	}
	switch {
	case px < dot:
		return tierDot
	case !moving || px >= lod:
		return tierFull
	case px < r.microMaxPx:
		return tierMicro
	}
	return tierLOD
}

// usesPoints reports whether sprites of size world units are drawn as
// points (the largest, highlighted, one fits a point).
func (r *SpriteRenderer) usesPoints(cam *Camera, size float32) bool {
	return !r.opts.Quads && 1.6*float32(cam.Zoom)*size <= r.maxPointPx
}

// drawSprites draws the sprites into the bound framebuffer: as points when
// they fit a point, else as instanced quads. moving allows the LOD tier.
func (r *SpriteRenderer) drawSprites(cam *Camera, size float32, moving bool) {
	if !r.usesPoints(cam, size) {
		r.drawQuads(cam, size)
		return
	}
	px := float32(cam.Zoom) * size
	p := &r.points[r.tierFor(px, moving)]
	// Points are clipped by their centre: widen the viewport by half the
	// largest point on every side, so sprites straddling its edge are drawn
	// whole. The widened camera keeps the same pixels where they were.
	gl.GetIntegerv(gl.VIEWPORT, &r.viewport[0])
	m := int32(math.Ceil(float64(1.6*px)/2)) + 1
	wide := *cam
	wide.Width += 2 * int(m)
	wide.Height += 2 * int(m)
	r.mvp = wide.Matrix()
	v := r.viewport
	gl.Viewport(v[0]-m, v[1]-m, v[2]+2*m, v[3]+2*m)
	gl.UseProgram(uint32(p.prog))
	gl.UniformMatrix4fv(p.u.viewProj, 1, false, &r.mvp[0])
	gl.Uniform1f(p.u.mix, r.mix)
	gl.Uniform1f(p.u.size, size)
	gl.Uniform1f(p.u.pxPerUnit, float32(cam.Zoom))
	gl.Uniform1f(p.u.fade, r.opts.fade())
	r.bindTextures()
	gl.Enable(gl.BLEND)
	gl.BlendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA)
	gl.Enable(gl.PROGRAM_POINT_SIZE)
	gl.BindVertexArray(uint32(r.pvao))
	gl.DrawArrays(gl.POINTS, 0, int32(r.n))
	gl.BindVertexArray(0)
	gl.Viewport(v[0], v[1], v[2], v[3])
}

// drawQuads draws every sprite as an instanced quad (sprite.vert and
// sprite.frag): for sprites wider than the largest point, and the old
// renderer of Options.Quads.
func (r *SpriteRenderer) drawQuads(cam *Camera, size float32) {
	r.mvp = cam.Matrix()
	gl.UseProgram(uint32(r.prog))
	gl.UniformMatrix4fv(r.u.viewProj, 1, false, &r.mvp[0])
	gl.Uniform1f(r.u.mix, r.mix)
	gl.Uniform1f(r.u.size, size)
	gl.Uniform1f(r.u.fade, r.opts.fade())
	r.bindTextures()
	gl.Enable(gl.BLEND)
	gl.BlendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA)
	gl.BindVertexArray(uint32(r.vao))
	gl.DrawArraysInstanced(gl.TRIANGLE_STRIP, 0, 4, int32(r.n))
	gl.BindVertexArray(0)
}
