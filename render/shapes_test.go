package render

import (
	"image/color"
	"testing"

	"github.com/go-gl/gl/v3.3-core/gl"
)

func TestShapesRectsAndLines(t *testing.T) {
	needGL(t)
	s, err := NewShapeRenderer()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Delete()
	green := [4]float32{0, 1, 0, 1}
	Clear(testFBW, testFBH, 0, 0, 0)
	s.Begin(testFBW, testFBH)
	s.Rect(100, 100, 200, 150, green)
	s.Rect(150, 100, 250, 150, [4]float32{1, 0, 0, 0.5})         // half-transparent red over it
	s.RectOutline(300, 100, 400, 200, 3, [4]float32{1, 1, 1, 1}) // 3-pixel white frame
	s.Line(100, 300, 300, 300, 4, [4]float32{0, 0, 1, 1})        // horizontal, rows 298..301
	cam := &Camera{Zoom: 10, Width: testFBW, Height: testFBH}
	s.LineWorld(cam, -20, -20, 20, 20, 3, [4]float32{1, 1, 0, 1}) // diagonal through the centre
	s.End()
	gl.Finish()
	img := ReadPixels(testFBW, testFBH)
	if err := glError("drawing shapes"); err != nil {
		t.Fatal(err)
	}
	black := color.RGBA{0, 0, 0, 255}
	cx, cy := testFBW/2, testFBH/2
	for _, p := range []struct {
		name string
		x, y int
		want color.RGBA
	}{
		{"rect", 120, 120, color.RGBA{0, 255, 0, 255}},
		{"rect first row", 100, 100, color.RGBA{0, 255, 0, 255}},
		{"rect last row", 199, 149, color.RGBA{128, 128, 0, 255}},
		{"below rect", 120, 150, black},
		{"left of rect", 99, 120, black},
		{"blend", 175, 125, color.RGBA{128, 128, 0, 255}},
		{"red alone", 225, 125, color.RGBA{128, 0, 0, 255}},
		{"outline top", 350, 101, color.RGBA{255, 255, 255, 255}},
		{"outline left", 302, 150, color.RGBA{255, 255, 255, 255}},
		{"outline right", 397, 150, color.RGBA{255, 255, 255, 255}},
		{"outline bottom", 350, 197, color.RGBA{255, 255, 255, 255}},
		{"inside outline", 350, 150, black},
		{"inside outline edge", 303, 150, black},
		{"line centre", 200, 300, color.RGBA{0, 0, 255, 255}},
		{"line top row", 200, 298, color.RGBA{0, 0, 255, 255}},
		{"line bottom row", 200, 301, color.RGBA{0, 0, 255, 255}},
		{"above line", 200, 296, black},
		{"below line", 200, 303, black},
		{"past line end", 303, 300, black},
		{"world line centre", cx, cy, color.RGBA{255, 255, 0, 255}},
		{"world line", cx + 100, cy - 100, color.RGBA{255, 255, 0, 255}},
		{"off world line", cx + 100, cy - 110, black},
		{"past world line end", cx + 210, cy - 210, black},
	} {
		if got := img.RGBAAt(p.x, p.y); !closeTo(got, p.want, 2) {
			t.Errorf("%s: pixel (%d,%d) = %v, want %v", p.name, p.x, p.y, got, p.want)
		}
	}
	// The anti-aliased edge of the diagonal is partly covered.
	partial := 0
	for dx := -4; dx <= 4; dx++ {
		if c := img.RGBAAt(cx+50+dx, cy-50); c.R > 10 && c.R < 245 {
			partial++
		}
	}
	if partial == 0 {
		t.Error("the diagonal line has no anti-aliased edge pixels")
	}
	if t.Failed() {
		_ = SavePNG(t.TempDir()+"/shapes.png", img)
	}
}

func TestShapesSteadyFrameAllocatesNothing(t *testing.T) {
	needGL(t)
	s, err := NewShapeRenderer()
	if err != nil {
		t.Fatal(err)
	}
	defer s.Delete()
	cam := &Camera{Zoom: 10, Width: testFBW, Height: testFBH}
	frame := func() {
		s.Begin(testFBW, testFBH)
		s.Rect(0, 0, 300, 800, [4]float32{0, 0, 0, 0.8})
		for i := 0; i < 10; i++ {
			s.LineWorld(cam, 0, 0, float64(i), float64(10-i), 1.5, [4]float32{1, 1, 1, 0.7})
			s.RectOutline(10, float64(20*i), 30, float64(20*i+15), 1, [4]float32{1, 1, 1, 1})
		}
		s.End()
		// A second layer in the same frame.
		s.Begin(testFBW, testFBH)
		s.Rect(400, 400, 500, 420, [4]float32{0.3, 0.6, 0.9, 1})
		s.End()
	}
	frame()
	if allocs := testing.AllocsPerRun(20, frame); allocs != 0 {
		t.Errorf("a steady shape frame allocates %v times, want 0", allocs)
	}
	gl.Finish()
}

// BenchmarkShapes times a frame of an inspector's shapes: 10 world lines,
// 40 rectangles and 10 outlines, uploaded and drawn with glFinish.
func BenchmarkShapes(b *testing.B) {
	needGL(b)
	s, err := NewShapeRenderer()
	if err != nil {
		b.Fatal(err)
	}
	defer s.Delete()
	cam := &Camera{Zoom: 10, Width: testFBW, Height: testFBH}
	runGL(b, "60", func(b *testing.B) {
		for b.Loop() {
			s.Begin(testFBW, testFBH)
			for i := 0; i < 10; i++ {
				s.LineWorld(cam, 0, 0, float64(i), float64(10-i), 1.5, [4]float32{1, 1, 1, 0.7})
				s.RectOutline(10, float64(20*i), 30, float64(20*i+15), 1, [4]float32{1, 1, 1, 1})
			}
			for i := 0; i < 40; i++ {
				s.Rect(float64(i), 0, float64(i)+20, 20, [4]float32{0.2, 0.2, 0.2, 0.9})
			}
			s.End()
			gl.Finish()
		}
	})
}
