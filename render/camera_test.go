package render

import (
	"math"
	"testing"

	"github.com/go-gl/mathgl/mgl32"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol*math.Max(1, math.Abs(b)) }

func testCamera() *Camera {
	return &Camera{CenterX: 3.5, CenterY: -2, Zoom: 12.5, Width: 1280, Height: 800}
}

func TestCameraRoundTrip(t *testing.T) {
	c := testCamera()
	for _, p := range [][2]float64{{0, 0}, {3.5, -2}, {-40, 17}, {1e3, -1e3}} {
		sx, sy := c.WorldToScreen(p[0], p[1])
		x, y := c.ScreenToWorld(sx, sy)
		if !near(x, p[0], 1e-12) || !near(y, p[1], 1e-12) {
			t.Errorf("round trip %v -> (%v,%v) -> (%v,%v)", p, sx, sy, x, y)
		}
	}
	// The centre is in the middle of the viewport; world y up is screen y down.
	if sx, sy := c.WorldToScreen(3.5, -2); sx != 640 || sy != 400 {
		t.Errorf("centre at (%v,%v), want (640,400)", sx, sy)
	}
	if sx, sy := c.WorldToScreen(4.5, -1); sx != 652.5 || sy != 387.5 {
		t.Errorf("centre+(1,1) at (%v,%v), want (652.5,387.5)", sx, sy)
	}
}

func TestCameraMatrixMatchesWorldToScreen(t *testing.T) {
	c := testCamera()
	m := c.Matrix()
	for _, p := range [][2]float64{{0, 0}, {-40, 17}, {20, 5}} {
		clip := m.Mul4x1(mgl32.Vec4{float32(p[0]), float32(p[1]), 0, 1})
		sx := (float64(clip[0]) + 1) / 2 * float64(c.Width)
		sy := (1 - float64(clip[1])) / 2 * float64(c.Height)
		wx, wy := c.WorldToScreen(p[0], p[1])
		if !near(sx, wx, 1e-5) || !near(sy, wy, 1e-5) {
			t.Errorf("%v: matrix gives (%v,%v), WorldToScreen (%v,%v)", p, sx, sy, wx, wy)
		}
	}
}

func TestCameraZoomAboutKeepsPoint(t *testing.T) {
	c := testCamera()
	for _, z := range []struct{ sx, sy, f float64 }{{100, 700, 1.25}, {1279, 0, 0.5}, {640, 400, 3}, {13, 17, 1 / 1.1}} {
		x0, y0 := c.ScreenToWorld(z.sx, z.sy)
		zoom := c.Zoom
		c.ZoomAbout(z.sx, z.sy, z.f)
		x1, y1 := c.ScreenToWorld(z.sx, z.sy)
		if !near(x1, x0, 1e-12) || !near(y1, y0, 1e-12) || !near(c.Zoom, zoom*z.f, 1e-12) {
			t.Errorf("ZoomAbout(%v): point moved (%v,%v) -> (%v,%v), zoom %v", z, x0, y0, x1, y1, c.Zoom)
		}
	}
	zoom := c.Zoom
	c.ZoomAbout(10, 10, 0)
	c.ZoomAbout(10, 10, math.NaN())
	if c.Zoom != zoom {
		t.Errorf("bad factors changed zoom to %v", c.Zoom)
	}
}

func TestCameraPanFollowsDrag(t *testing.T) {
	c := testCamera()
	x, y := c.ScreenToWorld(300, 200)
	c.PanPixels(25, -40)
	if sx, sy := c.WorldToScreen(x, y); !near(sx, 325, 1e-12) || !near(sy, 160, 1e-12) {
		t.Errorf("after pan the point is at (%v,%v), want (325,160)", sx, sy)
	}
}

func TestCameraFit(t *testing.T) {
	for _, r := range [][4]float64{{-10, -5, 30, 5}, {0, 0, 1, 100}, {-1e-3, 2, 1e-3, 2.5}} {
		c := NewCamera(1280, 800)
		c.Fit(r[0], r[1], r[2], r[3], 20)
		x0, y0 := c.WorldToScreen(r[0], r[3]) // top-left
		x1, y1 := c.WorldToScreen(r[2], r[1]) // bottom-right
		const eps = 1e-9
		if x0 < 20-eps || y0 < 20-eps || x1 > 1260+eps || y1 > 780+eps {
			t.Errorf("fit %v: screen box (%v,%v)-(%v,%v) outside margins", r, x0, y0, x1, y1)
		}
		// One axis touches its margins.
		if !near(x0, 20, 1e-9) && !near(y0, 20, 1e-9) {
			t.Errorf("fit %v: box (%v,%v)-(%v,%v) touches no margin", r, x0, y0, x1, y1)
		}
	}
	// Degenerate boxes: a vertical line uses its height, a point keeps the zoom.
	c := NewCamera(1000, 500)
	c.Fit(2, 0, 2, 10, 0)
	if c.Zoom != 50 || c.CenterX != 2 || c.CenterY != 5 {
		t.Errorf("line fit: zoom %v centre (%v,%v)", c.Zoom, c.CenterX, c.CenterY)
	}
	c.Fit(7, 7, 7, 7, 0)
	if c.Zoom != 50 || c.CenterX != 7 || c.CenterY != 7 {
		t.Errorf("point fit: zoom %v centre (%v,%v)", c.Zoom, c.CenterX, c.CenterY)
	}
}

func TestCameraSetViewportKeepsCentre(t *testing.T) {
	c := testCamera()
	c.SetViewport(640, 480)
	if sx, sy := c.WorldToScreen(3.5, -2); sx != 320 || sy != 240 {
		t.Errorf("centre at (%v,%v) after resize", sx, sy)
	}
}
