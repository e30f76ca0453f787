package render

import (
	"math"

	"github.com/go-gl/mathgl/mgl32"
)

// Camera maps world coordinates (y up) to screen pixels (origin top-left,
// y down) with a centre, a zoom and the viewport size. The zero value is not
// useful; start from NewCamera.
type Camera struct {
	CenterX, CenterY float64 // world point shown at the viewport centre
	Zoom             float64 // framebuffer pixels per world unit, > 0
	Width, Height    int     // viewport in framebuffer pixels
}

// NewCamera returns a camera for a w x h viewport centred on the world
// origin with one pixel per world unit.
func NewCamera(w, h int) *Camera {
	return &Camera{Zoom: 1, Width: w, Height: h}
}

// SetViewport records a new framebuffer size; the centre and zoom stay.
func (c *Camera) SetViewport(w, h int) {
	c.Width, c.Height = w, h
}

// WorldToScreen returns the screen position of world point (x, y).
func (c *Camera) WorldToScreen(x, y float64) (sx, sy float64) {
	sx = (x-c.CenterX)*c.Zoom + float64(c.Width)/2
	sy = float64(c.Height)/2 - (y-c.CenterY)*c.Zoom
	return sx, sy
}

// ScreenToWorld returns the world point under screen position (sx, sy).
func (c *Camera) ScreenToWorld(sx, sy float64) (x, y float64) {
	x = c.CenterX + (sx-float64(c.Width)/2)/c.Zoom
	y = c.CenterY - (sy-float64(c.Height)/2)/c.Zoom
	return x, y
}

// ZoomAbout multiplies the zoom by factor (> 1 zooms in) while keeping the
// world point under screen position (sx, sy) where it is.
func (c *Camera) ZoomAbout(sx, sy, factor float64) {
	if !(factor > 0) || math.IsInf(factor, 0) {
		return
	}
	x, y := c.ScreenToWorld(sx, sy)
	c.Zoom *= factor
	c.CenterX = x - (sx-float64(c.Width)/2)/c.Zoom
	c.CenterY = y + (sy-float64(c.Height)/2)/c.Zoom
}

// PanPixels moves the view so that the scene follows a drag of (dx, dy)
// screen pixels: content under the cursor stays under the cursor.
func (c *Camera) PanPixels(dx, dy float64) {
	c.CenterX -= dx / c.Zoom
	c.CenterY += dy / c.Zoom
}

// FitRect frames the world box b (minX, minY, maxX, maxY) in the screen
// rectangle r (left, top, right, bottom in framebuffer pixels), for example
// the part of the window a HUD leaves free. It shrinks r on every side by
// margin (a fraction, such as 0.04) times r's shorter side, then sets Zoom
// to the largest value at which b fits inside, keeping its aspect, and the
// centre so that b's centre lands on r's centre. A box of zero width or
// height is fitted by its other axis (extents are floored at 1e-9 world
// units, so a single point gets an enormous zoom). Set the viewport size
// first. FitRect leaves the camera unchanged when r has no area inside its
// margin or the box is not finite, so a minimised window never gets a zero
// zoom.
func (c *Camera) FitRect(b, r [4]float64, margin float64) {
	pad := margin * math.Min(r[2]-r[0], r[3]-r[1])
	left, top, right, bottom := r[0]+pad, r[1]+pad, r[2]-pad, r[3]-pad
	dx, dy := math.Max(b[2]-b[0], 1e-9), math.Max(b[3]-b[1], 1e-9)
	zoom := math.Min((right-left)/dx, (bottom-top)/dy)
	cx, cy := (b[0]+b[2])/2, (b[1]+b[3])/2
	if !(zoom > 0) || math.IsInf(zoom, 1) || !isFinite(cx) || !isFinite(cy) {
		return
	}
	sx, sy := (left+right)/2, (top+bottom)/2
	c.Zoom = zoom
	c.CenterX = cx - (sx-float64(c.Width)/2)/zoom
	c.CenterY = cy + (sy-float64(c.Height)/2)/zoom
}

// Matrix returns the column-major world-to-clip matrix for the shaders
// (world z is ignored and maps to 0).
func (c *Camera) Matrix() mgl32.Mat4 {
	sx := 2 * c.Zoom / float64(c.Width)
	sy := 2 * c.Zoom / float64(c.Height)
	return mgl32.Mat4{
		float32(sx), 0, 0, 0,
		0, float32(sy), 0, 0,
		0, 0, 1, 0,
		float32(-c.CenterX * sx), float32(-c.CenterY * sy), 0, 1,
	}
}
