package main

import (
	"math"

	"github.com/mnist-explorer/mnist-explorer/render"
)

// fitInto sets c's zoom and centre so that world bounds b fill the screen
// rectangle r (framebuffer pixels: x0, y0, x1, y1) less a margin, keeping
// the aspect ratio, with b's centre at r's centre.
func fitInto(c *render.Camera, b, r [4]float64) {
	w, h := float64(c.Width), float64(c.Height)
	pad := fitMargin * min(r[2]-r[0], r[3]-r[1])
	left, top, right, bottom := r[0]+pad, r[1]+pad, r[2]-pad, r[3]-pad
	dx, dy := math.Max(b[2]-b[0], 1e-9), math.Max(b[3]-b[1], 1e-9)
	c.Zoom = math.Min((right-left)/dx, (bottom-top)/dy)
	sx, sy := (left+right)/2, (top+bottom)/2
	c.CenterX = (b[0]+b[2])/2 - (sx-w/2)/c.Zoom
	c.CenterY = (b[1]+b[3])/2 + (sy-h/2)/c.Zoom
}

// bounds returns the bounding box (min x, min y, max x, max y) of the
// finite points of pos; (-1, -1, 1, 1) when there are none.
func bounds(pos []float32) [4]float64 {
	b := [4]float64{math.Inf(1), math.Inf(1), math.Inf(-1), math.Inf(-1)}
	for i := 0; i+1 < len(pos); i += 2 {
		x, y := float64(pos[i]), float64(pos[i+1])
		if math.IsNaN(x) || math.IsNaN(y) || math.IsInf(x, 0) || math.IsInf(y, 0) {
			continue
		}
		b[0], b[1] = math.Min(b[0], x), math.Min(b[1], y)
		b[2], b[3] = math.Max(b[2], x), math.Max(b[3], y)
	}
	if b[0] > b[2] {
		return [4]float64{-1, -1, 1, 1}
	}
	return b
}

func easeInOut(t float64) float64 { return t * t * (3 - 2*t) }

func lerp(a, b, t float64) float64 { return a + (b-a)*t }
