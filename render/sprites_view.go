package render

import (
	"fmt"

	"github.com/go-gl/gl/v3.3-core/gl"
)

// spriteShared is the state a sprite renderer shares with its views.
type spriteShared struct {
	gen     uint64                 // bumped by uploads of shared data (labels, flags, palette)
	palette [4 * PaletteSize]uint8 // the palette texture's texels
	cpu     *splatSprites          // the CPU's copy for CPU drafts; nil when they are off
}

// NewView returns a second renderer of the same sprites for another layout,
// such as the other pane of a split view: it has its own positions (from,
// to and mix), vertex arrays, options and scene cache, and shares
// everything else with r: the atlas texture, the programs, the labels, the
// flags and the palette, so SetLabels, SetFlags or SetPalette on either
// shows on both, and a view costs 16 bytes a sprite. A view of a view is a
// view of the same renderer. Positions start at the origin. Delete the
// views before r; a view must not outlive it.
func (r *SpriteRenderer) NewView() (*SpriteRenderer, error) {
	if r == nil || r.n == 0 {
		return nil, fmt.Errorf("render: NewView of an empty sprite renderer")
	}
	v := &SpriteRenderer{}
	*v = *r // programs, texture, shared buffers, uniforms, limits, options
	v.view, v.mix, v.gen, v.attribs = true, 1, 0, nil
	v.from, v.to, v.vao, v.pvao = 0, 0, 0, 0
	v.cache, v.splat = sceneCache{}, splatFrame{}
	if v.cpuTo != nil {
		v.cpuFrom, v.cpuTo = make([]float32, 2*v.n), make([]float32, 2*v.n)
	}
	if err := v.cache.init(); err != nil {
		return nil, err
	}
	zero := make([]uint8, 8*v.n)
	v.from = uploadNew(gl.Ptr(zero), len(zero), gl.DYNAMIC_DRAW)
	v.to = uploadNew(gl.Ptr(zero), len(zero), gl.DYNAMIC_DRAW)
	v.createVertexArrays()
	if err := glError("creating a sprite view"); err != nil {
		v.deleteView()
		return nil, err
	}
	return v, nil
}

// deleteView releases what a view owns.
func (r *SpriteRenderer) deleteView() {
	r.vao.Delete()
	r.pvao.Delete()
	r.from.Delete()
	r.to.Delete()
	r.cache.delete()
}

// attribList returns r's vertex layout, made once (DrawOneIn reads it every
// frame without allocating).
func (r *SpriteRenderer) attribList() []attrib {
	if r.attribs == nil {
		r.attribs = r.layout()
	}
	return r.attribs
}

// Clip restricts drawing to the rectangle x, y, w, h of the framebuffer
// (pixels, origin bottom-left, as glScissor) until NoClip: one pane of a
// split view. SpriteRenderer.Draw and its scene cache draw and copy only
// inside it.
func Clip(x, y, w, h int) {
	gl.Enable(gl.SCISSOR_TEST)
	gl.Scissor(int32(x), int32(y), int32(max(w, 0)), int32(max(h, 0)))
}

// NoClip lets drawing reach the whole framebuffer again.
func NoClip() { gl.Disable(gl.SCISSOR_TEST) }
