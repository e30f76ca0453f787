package main

import (
	"math"

	"github.com/go-gl/glfw/v3.3/glfw"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/region"
	"github.com/mnist-explorer/mnist-explorer/render"
)

// marquee is a lasso (Shift+drag) or a box (Ctrl+drag) being drawn over
// the map. On release the rows inside it join the chosen set by its op:
// replace; with Alt held as well, add; Shift+Ctrl+drag, a lasso that
// removes.
type marquee struct {
	active       bool
	box          bool
	op           region.Op
	pts          []float64 // world x, y: the lasso's vertices, or the box's two corners
	lastX, lastY float64   // screen position of the last lasso vertex
}

// lassoStep is how far (framebuffer pixels) the cursor moves before the
// lasso takes another vertex.
const lassoStep = 3

// marqueeFor returns what a left press with mods starts: a marquee, or
// ok false for a plain press (pan, click).
func marqueeFor(mods glfw.ModifierKey) (m marquee, ok bool) {
	shift, ctrl, alt := mods&glfw.ModShift != 0, mods&glfw.ModControl != 0, mods&glfw.ModAlt != 0
	switch {
	case shift && ctrl:
		return marquee{active: true, op: region.Remove}, true
	case shift:
		m = marquee{active: true}
	case ctrl:
		m = marquee{active: true, box: true}
	default:
		return marquee{}, false
	}
	if alt {
		m.op = region.Add
	}
	return m, true
}

// start begins the marquee at screen point (sx, sy).
func (m *marquee) start(cam *render.Camera, sx, sy float64) {
	x, y := cam.ScreenToWorld(sx, sy)
	m.pts = append(m.pts[:0], x, y)
	if m.box {
		m.pts = append(m.pts, x, y)
	}
	m.lastX, m.lastY = sx, sy
}

// drag follows the cursor to screen point (sx, sy).
func (m *marquee) drag(cam *render.Camera, sx, sy float64) {
	x, y := cam.ScreenToWorld(sx, sy)
	if m.box {
		m.pts[2], m.pts[3] = x, y
		return
	}
	if math.Hypot(sx-m.lastX, sy-m.lastY) >= lassoStep {
		m.pts = append(m.pts, x, y)
		m.lastX, m.lastY = sx, sy
	}
}

// shape returns the region the marquee encloses.
func (m *marquee) shape() region.Shape {
	if m.box {
		return region.BoxFrom(m.pts[0], m.pts[1], m.pts[2], m.pts[3])
	}
	return region.Polygon(append([]float64(nil), m.pts...))
}

// draw outlines the marquee in screen space.
func (m *marquee) draw(sh *render.ShapeRenderer, cam *render.Camera, px float64) {
	c := colSelect
	if m.op == region.Remove {
		c = colWarn
	}
	if m.box {
		x0, y0 := cam.WorldToScreen(m.pts[0], m.pts[1])
		x1, y1 := cam.WorldToScreen(m.pts[2], m.pts[3])
		sh.RectOutline(math.Min(x0, x1), math.Min(y0, y1), math.Max(x0, x1), math.Max(y0, y1), px, c)
		return
	}
	n := len(m.pts) / 2
	for i := 0; i < n; i++ {
		j := (i + 1) % n
		x0, y0 := cam.WorldToScreen(m.pts[2*i], m.pts[2*i+1])
		x1, y1 := cam.WorldToScreen(m.pts[2*j], m.pts[2*j+1])
		sh.Line(x0, y0, x1, y1, px, c)
	}
}
