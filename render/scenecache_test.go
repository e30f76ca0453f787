package render

import (
	"math"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/atlas"
)

// TestSceneCacheRedrawsOnlyWhenSomethingChanged counts the draws into the
// cache texture as each input of the picture changes, and checks that an
// unchanged frame only copies it.
func TestSceneCacheRedrawsOnlyWhenSomethingChanged(t *testing.T) {
	needGL(t)
	r := newTestRenderer(t, testSprites(), []uint8{0, 1, 2, 3})
	defer r.Delete()
	pos := []float32{-20, 10, 0, 10, 20, 10, -20, -10}
	r.SetPositions(pos)
	// Full quality at once: no drafts to refine (TestStillFrameRefinesToFullQuality).
	noDrafts := Options{LODPx: -1, FullResMoving: true, RedrawZooms: true}
	r.SetOptions(noDrafts)
	cam := &Camera{Zoom: 10, Width: testFBW, Height: testFBH}
	size := float32(8)
	draw := func() (redraws, shifts int) {
		redraws, shifts = r.cache.redraws, r.cache.shifts
		Clear(cam.Width, cam.Height, testBG[0], testBG[1], testBG[2])
		r.Draw(cam, size)
		return r.cache.redraws - redraws, r.cache.shifts - shifts
	}
	steps := []struct {
		name   string
		change func()
		want   int // redraws
		shifts int
	}{
		{"first frame", func() {}, 1, 0},
		{"nothing changed", func() {}, 0, 0},
		{"nothing changed again", func() {}, 0, 0},
		{"pan", func() { cam.PanPixels(3, -2) }, 0, 1},
		{"pan again", func() { cam.PanPixels(-30, 0) }, 0, 1},
		{"pan across the whole window", func() { cam.PanPixels(float64(testFBW), 0) }, 1, 0},
		{"zoom", func() { cam.ZoomAbout(100, 100, 1.1) }, 1, 0},
		{"sprite size", func() { size = 7 }, 1, 0},
		{"mix", func() { r.SetMix(0.5) }, 1, 0},
		{"positions", func() { r.SetPositionsTo(pos) }, 1, 0},
		{"labels", func() { r.SetLabels([]uint8{3, 2, 1, 0}) }, 1, 0},
		{"flags", func() { r.SetFlags([]uint8{0, FlagHidden, 0, 0}) }, 1, 0},
		{"options", func() { noDrafts.DotPx = 1; r.SetOptions(noDrafts) }, 1, 0},
		{"window size", func() { cam.SetViewport(testFBW-10, testFBH) }, 1, 0},
		{"nothing changed at last", func() {}, 0, 0},
	}
	for _, s := range steps {
		s.change()
		if got, shifts := draw(); got != s.want || shifts != s.shifts {
			t.Errorf("%s: %d redraws and %d shifts, want %d and %d", s.name, got, shifts, s.want, s.shifts)
		}
	}
}

// TestCachedFrameMatchesDirectFrame draws the same scene straight into the
// framebuffer and through the cache (a copy after the first frame).
func TestCachedFrameMatchesDirectFrame(t *testing.T) {
	needGL(t)
	r := newTestRenderer(t, testSprites(), []uint8{0, 1, 2, 3})
	defer r.Delete()
	r.SetPositions([]float32{-20, 10, 0, 10, 20, 10, -20, -10})
	r.SetFlags([]uint8{FlagDimmed, 0, FlagHighlighted, 0})
	cam := &Camera{Zoom: 10, Width: testFBW, Height: testFBH}
	direct := frame(r, cam, 8, Options{NoCache: true}, false)
	frame(r, cam, 8, Options{}, false)
	cached := frame(r, cam, 8, Options{}, false) // copied, not redrawn
	if d := comparePictures(direct, cached); d.p99 > 1 || d.mae > 0.5 {
		t.Errorf("cached against direct: %v", d)
	}
}

// TestPointsStraddlingTheViewportEdgeAreDrawn puts sprites whose centres
// lie just outside the viewport: points are clipped by their centre, so
// without the widened viewport their visible halves would vanish.
func TestPointsStraddlingTheViewportEdgeAreDrawn(t *testing.T) {
	needGL(t)
	r := newTestRenderer(t, testSprites()[:64], []uint8{0, 0, 0, 0}) // one solid image
	defer r.Delete()
	cam := &Camera{Zoom: 1, Width: testFBW, Height: testFBH}
	w, h := float32(testFBW)/2, float32(testFBH)/2
	// 60 px solid sprites centred 10 px beyond each edge.
	r.SetPositions([]float32{-w - 10, 0, w + 10, 0, 0, h + 10, 0, -h - 10})
	img := frame(r, cam, 60, Options{NoCache: true}, false)
	for _, p := range [][2]int{{5, testFBH / 2}, {testFBW - 6, testFBH / 2}, {testFBW / 2, 5}, {testFBW / 2, testFBH - 6}} {
		if got := img.RGBAAt(p[0], p[1]); !closeTo(got, Palette[0], 3) {
			t.Errorf("pixel %v = %v, want the sprite's %v", p, got, Palette[0])
		}
	}
}

// newTestRenderer packs 8x8 images pix and makes one sprite per label.
func newTestRenderer(t *testing.T, pix []uint8, labels []uint8) *SpriteRenderer {
	t.Helper()
	a, err := atlas.Pack(pix, len(pix)/64, 8, 8, atlas.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewSpriteRenderer(a, labels)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestHalfViewKeepsTheBottomLeftCorner checks the camera of a half
// resolution draft: half the zoom, half the size rounded up, and the
// viewport's bottom-left corner on the texture's, for odd sizes too.
func TestHalfViewKeepsTheBottomLeftCorner(t *testing.T) {
	for _, cam := range []Camera{
		{CenterX: 3, CenterY: -2, Zoom: 7, Width: 1280, Height: 800},
		{CenterX: -1.5, CenterY: 4, Zoom: 0.3, Width: 1281, Height: 799},
	} {
		v := halfView(&cam)
		if v.Zoom != cam.Zoom/2 || v.Width != (cam.Width+1)/2 || v.Height != (cam.Height+1)/2 {
			t.Errorf("%+v: half view %+v", cam, v)
		}
		x0, y0 := cam.ScreenToWorld(0, float64(cam.Height))
		x1, y1 := v.ScreenToWorld(0, float64(v.Height))
		if math.Abs(x0-x1) > 1e-9 || math.Abs(y0-y1) > 1e-9 {
			t.Errorf("%+v: bottom-left corner (%g, %g) in the half view, want (%g, %g)", cam, x1, y1, x0, y0)
		}
	}
}

// TestPanShiftsThePicture pans a still picture by whole pixels in both
// directions and checks it against a picture drawn from scratch; then by
// a fraction of a pixel, which is a draft until the next still frame.
func TestPanShiftsThePicture(t *testing.T) {
	needGL(t)
	r, fitted, size := lodScene(t)
	defer r.Delete()
	cam := fitted
	cam.ZoomAbout(float64(testFBW)/2, float64(testFBH)/2, 3) // 18 px sprites
	frame(r, &cam, size, Options{}, false)
	frame(r, &cam, size, Options{}, false) // full quality
	for _, p := range [][2]float64{{8, 0}, {-13, 21}, {0, -40}, {300, 200}} {
		cam.PanPixels(p[0], p[1])
		shifts := r.cache.shifts
		got := frame(r, &cam, size, Options{}, false)
		if r.cache.shifts != shifts+1 || r.Refining() {
			t.Errorf("pan by %v: %d shifts, Refining() = %v; want 1 shift and a finished picture", p, r.cache.shifts-shifts, r.Refining())
		}
		want := frame(r, &cam, size, Options{NoCache: true}, false)
		if d := comparePictures(want, got); d.p99 > 1 || d.mae > 0.5 || d.over16 > 0.01 {
			dir := t.TempDir()
			_ = SavePNG(dir+"/want.png", want)
			_ = SavePNG(dir+"/got.png", got)
			t.Errorf("pan by %v: %v against a fresh picture (in %s)", p, d, dir)
		}
		frame(r, &cam, size, Options{}, false) // back to the cached picture
	}
	cam.PanPixels(2.5, 0)
	frame(r, &cam, size, Options{}, false)
	if !r.Refining() {
		t.Error("pan by 2.5 px: Refining() = false, want true (shifted by a whole pixel)")
	}
	got := frame(r, &cam, size, Options{}, false)
	want := frame(r, &cam, size, Options{NoCache: true}, false)
	if d := comparePictures(want, got); r.Refining() || d.p99 > 1 || d.mae > 0.5 {
		t.Errorf("still frame after a pan by 2.5 px: Refining() = %v, %v against a fresh picture", r.Refining(), d)
	}
}
