package render

import (
	"math"
	"unsafe"

	"github.com/go-gl/gl/v3.3-core/gl"
	"github.com/mnist-explorer/mnist-explorer/shaders"
)

// uiVertex is one vertex of a screen-space batch (shaders.UIVert).
type uiVertex struct {
	x, y    float32  // framebuffer pixels, origin top-left, y down
	u, v, l float32  // texture coordinate and layer, or line distances
	c       [4]uint8 // straight-alpha colour
}

// Vertex attribute locations, as fixed in shaders.UIVert.
const (
	locUIPos   = 0
	locUIUV    = 1
	locUIColor = 2
)

// quadBatch collects screen-space quads, two triangles each, into one
// vertex slice and draws them with one call. The slice and the GL buffer
// keep their capacity between frames, so a steady frame allocates nothing.
// It is the common core of TextRenderer, ShapeRenderer and ImageRenderer.
type quadBatch struct {
	prog     program
	vao      vertexArray
	vbo      buffer
	capBytes int // size of the GL buffer's data store
	verts    []uiVertex
	uScreen  int32
	fbW, fbH int
}

// newQuadBatch links shaders.UIVert with frag and creates the vertex
// array. name appears in shader errors.
func newQuadBatch(name, frag string) (*quadBatch, error) {
	prog, err := newProgram(name, shaders.UIVert, frag)
	if err != nil {
		return nil, err
	}
	b := &quadBatch{prog: prog}
	if b.uScreen, err = prog.uniform("uScreen"); err != nil {
		b.delete()
		return nil, err
	}
	b.vao = newVertexArray()
	b.vbo = newBuffer()
	gl.BindVertexArray(uint32(b.vao))
	gl.BindBuffer(gl.ARRAY_BUFFER, uint32(b.vbo))
	stride := int32(unsafe.Sizeof(uiVertex{}))
	gl.EnableVertexAttribArray(locUIPos)
	gl.VertexAttribPointerWithOffset(locUIPos, 2, gl.FLOAT, false, stride, unsafe.Offsetof(uiVertex{}.x))
	gl.EnableVertexAttribArray(locUIUV)
	gl.VertexAttribPointerWithOffset(locUIUV, 3, gl.FLOAT, false, stride, unsafe.Offsetof(uiVertex{}.u))
	gl.EnableVertexAttribArray(locUIColor)
	gl.VertexAttribPointerWithOffset(locUIColor, 4, gl.UNSIGNED_BYTE, true, stride, unsafe.Offsetof(uiVertex{}.c))
	gl.BindVertexArray(0)
	gl.BindBuffer(gl.ARRAY_BUFFER, 0)
	return b, nil
}

// begin empties the batch for a framebuffer of w x h pixels.
func (b *quadBatch) begin(w, h int) {
	b.verts = b.verts[:0]
	b.fbW, b.fbH = w, h
}

// quad appends the quad with corners tl, tr, bl, br (top-left, top-right,
// bottom-left, bottom-right) as two triangles.
func (b *quadBatch) quad(tl, tr, bl, br uiVertex) {
	b.verts = append(b.verts, tl, tr, bl, bl, tr, br)
}

// rect appends an axis-aligned rectangle from (x0, y0) to (x1, y1) with
// texture coordinates (u0, v0) at the top-left and (u1, v1) at the
// bottom-right, all on layer l, in colour c.
func (b *quadBatch) rect(x0, y0, x1, y1, u0, v0, u1, v1, l float32, c [4]uint8) {
	b.quad(
		uiVertex{x0, y0, u0, v0, l, c}, uiVertex{x1, y0, u1, v0, l, c},
		uiVertex{x0, y1, u0, v1, l, c}, uiVertex{x1, y1, u1, v1, l, c})
}

// flush uploads the batch and draws it with its program bound, blending
// premultiplied colours over the framebuffer (glBlendFunc(GL_ONE,
// GL_ONE_MINUS_SRC_ALPHA), left enabled). Textures must already be bound.
// The batch is emptied.
func (b *quadBatch) flush() {
	n := len(b.verts)
	if n == 0 {
		return
	}
	size := n * int(unsafe.Sizeof(uiVertex{}))
	gl.BindBuffer(gl.ARRAY_BUFFER, uint32(b.vbo))
	if size > b.capBytes {
		b.capBytes = max(size, 2*b.capBytes, 64<<10)
	}
	// Orphan the old store so a draw still reading it never stalls us.
	gl.BufferData(gl.ARRAY_BUFFER, b.capBytes, nil, gl.STREAM_DRAW)
	gl.BufferSubData(gl.ARRAY_BUFFER, 0, size, unsafe.Pointer(&b.verts[0]))
	gl.BindBuffer(gl.ARRAY_BUFFER, 0)
	gl.UseProgram(uint32(b.prog))
	gl.Uniform2f(b.uScreen, float32(b.fbW), float32(b.fbH))
	gl.Enable(gl.BLEND)
	gl.BlendFunc(gl.ONE, gl.ONE_MINUS_SRC_ALPHA)
	gl.BindVertexArray(uint32(b.vao))
	gl.DrawArrays(gl.TRIANGLES, 0, int32(n))
	gl.BindVertexArray(0)
	b.verts = b.verts[:0]
}

// delete releases the batch's GL objects; a nil batch has none.
func (b *quadBatch) delete() {
	if b == nil {
		return
	}
	b.vao.Delete()
	b.vbo.Delete()
	b.prog.Delete()
}

// rgba8 converts a straight-alpha colour in [0,1] to bytes.
func rgba8(c [4]float32) [4]uint8 {
	var out [4]uint8
	for i, v := range c {
		out[i] = uint8(math.Round(float64(min(max(v, 0), 1)) * 255))
	}
	return out
}
