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

func TestCameraFitRect(t *testing.T) {
	nan, inf := math.NaN(), math.Inf(1)
	whole := [4]float64{0, 0, 1280, 800}
	tests := []struct {
		name         string
		box, rect    [4]float64
		margin       float64
		zoom, cx, cy float64 // want; zoom 0: the camera is left unchanged
	}{
		{"whole window, wide box", [4]float64{-10, -5, 30, 5}, whole, 0, 32, 10, 0},
		{"whole window, tall box, margin", [4]float64{5, -100, 6, 100}, whole, 0.05, 3.6, 5.5, 0},
		{"panel on the left", [4]float64{0, 0, 24, 12}, [4]float64{320, 40, 1280, 760}, 0, 40, 8, 6},
		{"bar on top", [4]float64{0, 0, 1, 7}, [4]float64{0, 100, 1280, 800}, 0, 100, 0.5, 4},
		{"rect and margin", [4]float64{-11, -3, 11, 3}, [4]float64{200, 100, 1200, 700}, 0.1, 40, -1.5, 0},
		{"vertical line", [4]float64{2, 0, 2, 10}, whole, 0, 80, 2, 5},
		{"point", [4]float64{7, 7, 7, 7}, whole, 0, 800 / 1e-9, 7, 7},
		{"rect of no width", [4]float64{0, 0, 1, 1}, [4]float64{640, 0, 640, 800}, 0, 0, 0, 0},
		{"margin eats the rect", [4]float64{0, 0, 1, 1}, whole, 0.5, 0, 0, 0},
		{"inverted rect", [4]float64{0, 0, 1, 1}, [4]float64{1280, 800, 0, 0}, 0, 0, 0, 0},
		{"NaN box", [4]float64{nan, 0, 1, 1}, whole, 0, 0, 0, 0},
		{"infinite box", [4]float64{-inf, 0, 1, 1}, whole, 0, 0, 0, 0},
	}
	for _, tt := range tests {
		c := &Camera{CenterX: -3, CenterY: 4, Zoom: 2, Width: 1280, Height: 800}
		c.FitRect(tt.box, tt.rect, tt.margin)
		if tt.zoom == 0 {
			if *c != (Camera{CenterX: -3, CenterY: 4, Zoom: 2, Width: 1280, Height: 800}) {
				t.Errorf("%s: camera changed to %+v", tt.name, *c)
			}
			continue
		}
		if !near(c.Zoom, tt.zoom, 1e-12) || !near(c.CenterX, tt.cx, 1e-12) || !near(c.CenterY, tt.cy, 1e-12) {
			t.Errorf("%s: zoom %v centre (%v,%v), want %v (%v,%v)", tt.name, c.Zoom, c.CenterX, c.CenterY, tt.zoom, tt.cx, tt.cy)
		}
		// On screen: the box's centre is at the rectangle's centre, the
		// box lies inside the rectangle less its margin and, unless it is
		// a point, touches it on one axis.
		r, b := tt.rect, tt.box
		pad := tt.margin * math.Min(r[2]-r[0], r[3]-r[1])
		if sx, sy := c.WorldToScreen((b[0]+b[2])/2, (b[1]+b[3])/2); !near(sx, (r[0]+r[2])/2, 1e-9) || !near(sy, (r[1]+r[3])/2, 1e-9) {
			t.Errorf("%s: box centre at (%v,%v), want the rectangle's centre", tt.name, sx, sy)
		}
		x0, y0 := c.WorldToScreen(b[0], b[3]) // top-left
		x1, y1 := c.WorldToScreen(b[2], b[1]) // bottom-right
		const eps = 1e-6
		if x0 < r[0]+pad-eps || y0 < r[1]+pad-eps || x1 > r[2]-pad+eps || y1 > r[3]-pad+eps {
			t.Errorf("%s: screen box (%v,%v)-(%v,%v) outside %v less %v", tt.name, x0, y0, x1, y1, r, pad)
		}
		if !near(x0, r[0]+pad, 1e-9) && !near(y0, r[1]+pad, 1e-9) && (b[2] > b[0] || b[3] > b[1]) {
			t.Errorf("%s: screen box (%v,%v)-(%v,%v) touches no side of %v less %v", tt.name, x0, y0, x1, y1, r, pad)
		}
	}
}

func TestCameraSetViewportKeepsCentre(t *testing.T) {
	c := testCamera()
	c.SetViewport(640, 480)
	if sx, sy := c.WorldToScreen(3.5, -2); sx != 320 || sy != 240 {
		t.Errorf("centre at (%v,%v) after resize", sx, sy)
	}
}
