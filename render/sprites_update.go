package render

import (
	"fmt"
	"unsafe"

	"github.com/go-gl/gl/v3.3-core/gl"
)

// Len returns the number of sprites.
func (r *SpriteRenderer) Len() int { return r.n }

// SetPositions shows one layout: pos holds N interleaved world x, y pairs.
// It uploads them into the "to" buffer with one glBufferSubData and sets the
// mix to 1. Call it only when positions change. It panics if len(pos) != 2N.
func (r *SpriteRenderer) SetPositions(pos []float32) {
	r.SetPositionsTo(pos)
	r.mix = 1
}

// SetPositionsFrom uploads the layout shown at mix 0.
func (r *SpriteRenderer) SetPositionsFrom(pos []float32) {
	upload(r.from, pos, 2*r.n, "SetPositionsFrom")
	copy(r.cpuFrom, pos)
	r.gen++
}

// SetPositionsTo uploads the layout shown at mix 1.
func (r *SpriteRenderer) SetPositionsTo(pos []float32) {
	upload(r.to, pos, 2*r.n, "SetPositionsTo")
	copy(r.cpuTo, pos)
	r.gen++
}

// SetMix sets the interpolation between the two layouts: each sprite is
// drawn at from + t*(to - from). 0 shows "from", 1 shows "to".
func (r *SpriteRenderer) SetMix(t float32) { r.mix = t }

// SetLabels replaces the per-sprite labels (palette indices), for example
// after the user relabels a sprite. It panics if len(labels) != N.
func (r *SpriteRenderer) SetLabels(labels []uint8) {
	upload(r.labels, labels, r.n, "SetLabels")
	if c := r.shared.cpu; c != nil {
		copy(c.labels, labels)
	}
	r.shared.gen++
}

// SetFlags replaces the per-sprite flags (FlagHidden, FlagHighlighted,
// FlagDimmed, or-ed). It panics if len(flags) != N.
func (r *SpriteRenderer) SetFlags(flags []uint8) {
	upload(r.flags, flags, r.n, "SetFlags")
	if c := r.shared.cpu; c != nil {
		copy(c.flags, flags)
		c.highlighted = 0
		for _, f := range flags {
			c.highlighted += int(f >> 2 & 1) // FlagHighlighted
		}
	}
	r.shared.gen++
}

// upload replaces the whole of buffer b with data, which must have want
// elements.
func upload[T float32 | uint8](b buffer, data []T, want int, op string) {
	if len(data) != want {
		panic(fmt.Sprintf("render: %s: got %d values, want %d", op, len(data), want))
	}
	gl.BindBuffer(gl.ARRAY_BUFFER, uint32(b))
	gl.BufferSubData(gl.ARRAY_BUFFER, 0, len(data)*int(unsafe.Sizeof(data[0])), unsafe.Pointer(&data[0]))
	gl.BindBuffer(gl.ARRAY_BUFFER, 0)
}

// Delete releases the renderer's GL objects. The renderer is unusable
// after; deleting it again does nothing. A nil renderer may be deleted, so
// a half-built set of renderers can be released in one loop.
func (r *SpriteRenderer) Delete() {
	if r == nil {
		return
	}
	if r.view {
		r.deleteView()
		return
	}
	r.vao.Delete()
	r.pvao.Delete()
	for _, b := range []*buffer{&r.quad, &r.from, &r.to, &r.cells, &r.means, &r.micro, &r.labels, &r.flags} {
		b.Delete()
	}
	r.tex.Delete()
	r.palette.Delete()
	r.prog.Delete()
	for i := range r.points {
		r.points[i].prog.Delete()
	}
	r.cache.delete()
}
