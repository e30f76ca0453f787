package render

import (
	"math"

	"github.com/go-gl/gl/v3.3-core/gl"
)

// Zoom drafts: while the camera zooms, the scene cache shows its last
// picture scaled about the right point (one bilinear textured triangle)
// instead of drawing every sprite again, and draws the sprites only into
// the strips of the viewport the scaled picture does not reach (zooming
// out). The sprites are drawn again when the zoom leaves
// [zoomDraftMin, zoomDraftMax] times the picture's zoom or the picture
// covers less than zoomDraftMinCover of the viewport, and at full quality
// on the first frame with nothing changed (Refining).
const (
	zoomDraftMin      = 1 / 1.4
	zoomDraftMax      = 1.4
	zoomDraftMinCover = 0.5
)

// zoomed reports whether key differs from the frame shown only in the
// camera, with a picture whose zoom is within the draft's bounds of key's,
// so that a zoom draft may show it.
func (c *sceneCache) zoomed(key cacheKey) bool {
	k := c.key
	k.cx, k.cy, k.zoom = key.cx, key.cy, key.zoom
	s := key.zoom / c.picZoom
	return c.valid && k == key && !key.opts.RedrawZooms && s >= zoomDraftMin && s <= zoomDraftMax
}

// covers computes c.cover, the whole pixels of the viewport (inside the
// caller's scissor box) that show the picture under cam, and reports
// whether they are at least zoomDraftMinCover of it.
func (c *sceneCache) covers(cam *Camera) bool {
	pc := &c.pic
	// The picture's drawn part, mapped through the world to window pixels.
	toWindow := func(q, pcc, pn, cc, n float64, origin int32) float64 {
		world := pcc + (q-pn/2)/pc.Zoom
		return (world-cc)*cam.Zoom + n/2 + float64(origin)
	}
	v := c.picValid
	x0 := toWindow(v[0], pc.CenterX, float64(pc.Width), cam.CenterX, float64(cam.Width), c.vp[0])
	x1 := toWindow(v[2], pc.CenterX, float64(pc.Width), cam.CenterX, float64(cam.Width), c.vp[0])
	y0 := toWindow(v[1], pc.CenterY, float64(pc.Height), cam.CenterY, float64(cam.Height), c.vp[1])
	y1 := toWindow(v[3], pc.CenterY, float64(pc.Height), cam.CenterY, float64(cam.Height), c.vp[1])
	area := c.area()
	// Whole pixels only: those straddling the picture's edge are drawn
	// with the strips.
	r := [4]int32{clampPx(math.Ceil(x0)), clampPx(math.Ceil(y0)), clampPx(math.Floor(x1)), clampPx(math.Floor(y1))}
	r[0], r[1] = max(r[0], area[0]), max(r[1], area[1])
	r[2], r[3] = min(r[2], area[0]+area[2]), min(r[3], area[1]+area[3])
	c.cover = [4]int32{r[0], r[1], max(r[2]-r[0], 0), max(r[3]-r[1], 0)}
	return float64(c.cover[2])*float64(c.cover[3]) >= zoomDraftMinCover*float64(area[2])*float64(area[3])
}

// coversAll reports whether the zoom draft's picture covers the whole
// area drawn into, so that it needs no strips. Where the sprites can be
// drawn on the CPU (CPU drafts) a frame that would need strips is drawn
// afresh instead: every sprite on the CPU costs less than the strips,
// each of which makes a software rasteriser process every point again.
func (c *sceneCache) coversAll() bool {
	a := c.area()
	return c.cover[2] >= a[2] && c.cover[3] >= a[3]
}

// clampPx converts a window coordinate to int32, within a range no window
// reaches (NaN gives 0).
func clampPx(v float64) int32 {
	if !(v > -1<<20) {
		return -1 << 20
	}
	return int32(min(v, 1<<20))
}

// area returns where this Draw may draw (x, y, w, h in window pixels): the
// caller's scissor box, or the viewport when the scissor test is off.
func (c *sceneCache) area() [4]int32 {
	if c.clip != ([4]int32{}) {
		return c.clip
	}
	return c.vp
}

// drawUncovered draws the sprites, with the moving scene's levels of
// detail, straight into the framebuffer in the parts of the area that
// c.cover leaves: up to four strips (full-height columns left and right of
// it, rows below and above it), each scissored, since llvmpipe rejects
// the points outside the scissor box before rasterising them.
func (c *sceneCache) drawUncovered(r *SpriteRenderer, cam *Camera, size float32) {
	a, k := c.area(), c.cover
	gl.Enable(gl.SCISSOR_TEST)
	for _, s := range [4][4]int32{
		{a[0], a[1], k[0] - a[0], a[3]},
		{k[0] + k[2], a[1], a[0] + a[2] - k[0] - k[2], a[3]},
		{k[0], a[1], k[2], k[1] - a[1]},
		{k[0], k[1] + k[3], k[2], a[1] + a[3] - k[1] - k[3]},
	} {
		if s[2] > 0 && s[3] > 0 {
			gl.Scissor(s[0], s[1], s[2], s[3])
			r.drawSprites(cam, size, true)
		}
	}
	c.endScissor()
}
