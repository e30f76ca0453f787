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

// Fit centres the world rectangle [minX,maxX] x [minY,maxY] and zooms so it
// fills the viewport less margin pixels on every side. A rectangle of zero
// width or height is fitted on its other axis; a single point keeps the zoom.
func (c *Camera) Fit(minX, minY, maxX, maxY, margin float64) {
	c.CenterX, c.CenterY = (minX+maxX)/2, (minY+maxY)/2
	w := math.Max(float64(c.Width)-2*margin, 1)
	h := math.Max(float64(c.Height)-2*margin, 1)
	z := math.Inf(1)
	if dx := maxX - minX; dx > 0 {
		z = w / dx
	}
	if dy := maxY - minY; dy > 0 {
		z = math.Min(z, h/dy)
	}
	if !math.IsInf(z, 1) {
		c.Zoom = z
	}
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
