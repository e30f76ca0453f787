package render

import (
	"math"
	"unsafe"

	"github.com/go-gl/gl/v3.3-core/gl"
	"github.com/mnist-explorer/mnist-explorer/atlas"
)

// softwareGL is set by Init when the driver is a software rasteriser: the
// renderers made after it keep the CPU copies CPU drafts need (splat.go).
var softwareGL bool

// newSplatSprites returns the CPU copy of the static per-sprite data of n
// sprites over atlas a, or nil when CPU drafts are off (not a software
// rasteriser).
func newSplatSprites(a *atlas.Atlas, labels, means []uint8, micro []uint32) *splatSprites {
	if !softwareGL {
		return nil
	}
	splatTeam.start() // now, so that no frame pays for it
	s := &splatSprites{
		labels:   append([]uint8(nil), labels...),
		flags:    make([]uint8, len(labels)),
		means:    means,
		micro:    micro,
		channels: max(a.Channels, 1),
	}
	if a.CellW >= 4 && a.CellH >= 4 {
		qx, qy := float32(a.CellW)/4, float32(a.CellH)/4
		s.microUV = [4]float32{float32(a.OffX) / qx, float32(a.OffY) / qy, float32(a.ImageW) / qx, float32(a.ImageH) / qy}
	}
	return s
}

// cpuDraft reports whether the sprites of view at size world units are
// drawn on the CPU: a software rasteriser, CPU drafts not turned off, the
// sprites points of the dot tier, or of the 4x4 tier when moving.
func (r *SpriteRenderer) cpuDraft(view *Camera, size float32, moving bool) bool {
	if r.shared.cpu == nil || r.opts.NoCPUDrafts || r.cpuTo == nil || !r.usesPoints(view, size) {
		return false
	}
	px := float32(view.Zoom) * size
	switch r.tierFor(px, moving) {
	case tierDot, tierMicro:
		return true
	case tierLOD: // each sprite's level is its own: highlighted ones are wider
		c := r.shared.cpu
		return c.lodLevel(px) == 2 && (c.highlighted == 0 || c.lodLevel(1.6*px) == 2)
	}
	return false
}

// setLevel2 keeps mip level 2 of grey atlas a (its pages, from
// uploadAtlas) for CPU drafts of the sprites whose point_lod.frag level it
// is; nil pages leave them to GL.
func (s *splatSprites) setLevel2(a *atlas.Atlas, pages [][]uint8) {
	if len(pages) == 0 || a.CellW < 8 || a.CellH < 8 || a.CellW%4 != 0 || a.CellH%4 != 0 {
		return
	}
	s.level2, s.level2W = pages, a.PageW/4
	s.images, s.cellsPerLayer, s.cellsRow = a.N, a.CellsPerLayer, a.CellsPerRow
	s.cellW, s.cellH = a.CellW, a.CellH
	s.imgX, s.imgY, s.imgW, s.imgH = float64(a.OffX), float64(a.OffY), float64(a.ImageW), float64(a.ImageH)
	s.imageTexels = float32(max(a.ImageW, a.ImageH))
	s.maxLevel = a.MaxMipLevel()
}

// lodLevel is the mip level point_lod.frag reads for sprites px pixels
// wide: the finest whose texels are at least a pixel; -1 when level 2 is
// not kept.
func (s *splatSprites) lodLevel(px float32) int {
	if s.level2 == nil {
		return -1
	}
	l := int(math.Ceil(math.Log2(float64(s.imageTexels / px))))
	return min(max(l, 0), s.maxLevel)
}

// splatInto draws the sprites on the CPU for view into target t's texture
// (view's size), inside valid (x0, y0, x1, y1 in its pixels), and uploads
// them.
func (r *SpriteRenderer) splatInto(t *target, view *Camera, size float32, moving bool, valid [4]float64) {
	w, h := view.Width, view.Height
	f := &r.splat
	if cap(f.pix) < w*h {
		f.pix = make([]uint32, w*h)
	}
	px := float32(view.Zoom) * size
	clip := [4]int{int(valid[0]), int(valid[1]), int(valid[2]), int(valid[3])}
	*f = splatFrame{
		pix: f.pix[:w*h], w: w, h: h, clip: clip,
		from: r.cpuFrom, to: r.cpuTo, mix: r.mix,
		cx: view.CenterX, cy: view.CenterY, zoom: view.Zoom,
		edge: px, kind: r.tierFor(px, moving),
		sprites: r.shared.cpu,
	}
	f.setTints(r.opts.fade())
	splatTeam.run(f)
	gl.BindTexture(gl.TEXTURE_2D, uint32(t.tex))
	gl.PixelStorei(gl.UNPACK_ALIGNMENT, 4)
	gl.TexSubImage2D(gl.TEXTURE_2D, 0, 0, 0, int32(w), int32(h), gl.RGBA, gl.UNSIGNED_BYTE, unsafe.Pointer(&f.pix[0]))
	gl.BindTexture(gl.TEXTURE_2D, 0)
}
