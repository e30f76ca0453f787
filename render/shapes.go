package render

import (
	"math"

	"github.com/mnist-explorer/mnist-explorer/shaders"
)

// ShapeRenderer draws filled rectangles and anti-aliased lines in screen
// space (framebuffer pixels, origin top-left, y down), batched between
// Begin and End into one vertex buffer and drawn with one call in the order
// added. Lines with world endpoints are placed with a Camera at the time
// they are added, so their width stays in pixels at every zoom. Once the
// batch has grown to a frame's size nothing allocates. Methods must be
// called on the GL thread.
type ShapeRenderer struct {
	batch *quadBatch
}

// NewShapeRenderer returns a shape renderer. Call Delete to free its GL
// objects.
func NewShapeRenderer() (*ShapeRenderer, error) {
	b, err := newQuadBatch("shape", shaders.ShapeFrag)
	if err != nil {
		return nil, err
	}
	return &ShapeRenderer{batch: b}, nil
}

// Begin starts a batch for a framebuffer of fbW x fbH pixels (the viewport
// the caller has set). It discards anything added but not drawn.
func (s *ShapeRenderer) Begin(fbW, fbH int) { s.batch.begin(fbW, fbH) }

// Rect queues the filled rectangle with corners (x0, y0) and (x1, y1) in
// colour c (straight alpha, components in [0,1]). Edges are not rounded:
// pass whole pixels for crisp edges.
func (s *ShapeRenderer) Rect(x0, y0, x1, y1 float64, c [4]float32) {
	s.batch.rect(float32(x0), float32(y0), float32(x1), float32(y1), 0, 1, 0, 1, 0, rgba8(c))
}

// RectOutline queues the outline of the rectangle (x0, y0)-(x1, y1) as four
// bands of width px pixels inside its edge, in colour c.
func (s *ShapeRenderer) RectOutline(x0, y0, x1, y1, px float64, c [4]float32) {
	if x0 > x1 {
		x0, x1 = x1, x0
	}
	if y0 > y1 {
		y0, y1 = y1, y0
	}
	px = math.Min(px, math.Min(x1-x0, y1-y0)/2)
	if !(px > 0) {
		return
	}
	s.Rect(x0, y0, x1, y0+px, c)       // top
	s.Rect(x0, y1-px, x1, y1, c)       // bottom
	s.Rect(x0, y0+px, x0+px, y1-px, c) // left
	s.Rect(x1-px, y0+px, x1, y1-px, c) // right
}

// Line queues a segment from (x0, y0) to (x1, y1) in screen pixels, width
// px pixels (anti-aliased across its width, square-cut at its ends), in
// colour c. A zero-length segment draws nothing.
func (s *ShapeRenderer) Line(x0, y0, x1, y1, px float64, c [4]float32) {
	dx, dy := x1-x0, y1-y0
	l := math.Hypot(dx, dy)
	if !(l > 0) || !(px > 0) || math.IsInf(l, 0) {
		return
	}
	hw := px / 2
	e := hw + 1 // quad half-extent: one more pixel for the anti-aliased edge
	nx, ny := -dy/l*e, dx/l*e
	col, fhw, fe := rgba8(c), float32(hw), float32(e)
	v := func(x, y, side float64) uiVertex {
		return uiVertex{float32(x), float32(y), fe * float32(side), fhw, 0, col}
	}
	s.batch.quad(v(x0+nx, y0+ny, 1), v(x1+nx, y1+ny, 1), v(x0-nx, y0-ny, -1), v(x1-nx, y1-ny, -1))
}

// LineWorld queues a segment between world points (x0, y0) and (x1, y1),
// placed on screen by cam, px pixels wide, in colour c.
func (s *ShapeRenderer) LineWorld(cam *Camera, x0, y0, x1, y1, px float64, c [4]float32) {
	sx0, sy0 := cam.WorldToScreen(x0, y0)
	sx1, sy1 := cam.WorldToScreen(x1, y1)
	s.Line(sx0, sy0, sx1, sy1, px, c)
}

// End uploads the queued shapes and draws them with one call, blended
// (premultiplied alpha) over the framebuffer. It leaves blending enabled
// with glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA). Begin, the adds and
// End may run several times a frame, to layer shapes between other draws.
func (s *ShapeRenderer) End() { s.batch.flush() }

// Delete releases the renderer's GL objects. The renderer is unusable
// after; deleting it again does nothing. A nil renderer may be deleted.
func (s *ShapeRenderer) Delete() {
	if s != nil {
		s.batch.delete()
	}
}
