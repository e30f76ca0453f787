package render

import (
	"fmt"
	"image"
	"image/draw"
	"os"
	"testing"
)

// TestZoomDraftsUntilTheBounds zooms a still picture step by step, in and
// out, and checks which frames are zoom drafts (the picture scaled) and
// which draw the sprites again: past 1.4 times the picture's zoom either
// way, or with less than half the viewport covered; the still frame after
// them is drawn at full quality.
func TestZoomDraftsUntilTheBounds(t *testing.T) {
	needGL(t)
	r := newTestRenderer(t, testSprites(), []uint8{0, 1, 2, 3})
	defer r.Delete()
	r.SetPositions([]float32{-20, 10, 0, 10, 20, 10, -20, -10})
	cam := &Camera{Zoom: 10, Width: testFBW, Height: testFBH}
	size := float32(3)
	draw := func() (redraws, scales int) {
		redraws, scales = r.cache.redraws, r.cache.scales
		Clear(cam.Width, cam.Height, testBG[0], testBG[1], testBG[2])
		r.Draw(cam, size)
		return r.cache.redraws - redraws, r.cache.scales - scales
	}
	cx, cy := float64(testFBW)/2, float64(testFBH)/2
	steps := []struct {
		name            string
		change          func()
		redraws, scales int
		refining        bool
	}{
		{"first frame", func() {}, 1, 0, false},
		{"zoom in 1.1", func() { cam.ZoomAbout(cx, cy, 1.1) }, 0, 1, true},
		{"zoom in 1.21", func() { cam.ZoomAbout(cx, cy, 1.1) }, 0, 1, true},
		{"zoom in 1.33", func() { cam.ZoomAbout(cx, cy, 1.1) }, 0, 1, true},
		{"zoom in 1.46: past the bound", func() { cam.ZoomAbout(cx, cy, 1.1) }, 1, 0, true},
		{"zoom in 1.1 from there", func() { cam.ZoomAbout(100, 50, 1.1) }, 0, 1, true},
		{"still: full quality", func() {}, 1, 0, false},
		{"nothing changed", func() {}, 0, 0, false},
		{"zoom out 1/1.2", func() { cam.ZoomAbout(cx, cy, 1/1.2) }, 0, 1, true},
		{"zoom out 1/1.44: past the bound", func() { cam.ZoomAbout(cx, cy, 1/1.2) }, 1, 0, true},
		{"pan while zoomed out: the half-resolution picture scaled", func() { cam.PanPixels(5, 0) }, 0, 1, true},
		{"zoom 1.1 about a corner: a third covered", func() { cam.ZoomAbout(0, 0, 1.1); cam.PanPixels(-900, 0) }, 1, 0, true},
		{"still again", func() {}, 1, 0, false},
		{"zoom with RedrawZooms", func() { r.SetOptions(Options{RedrawZooms: true}); draw(); cam.ZoomAbout(cx, cy, 1.1) }, 1, 0, true},
	}
	for _, s := range steps {
		s.change()
		redraws, scales := draw()
		if redraws != s.redraws || scales != s.scales || r.Refining() != s.refining {
			t.Errorf("%s: %d redraws, %d zoom drafts, Refining() = %v; want %d, %d, %v",
				s.name, redraws, scales, r.Refining(), s.redraws, s.scales, s.refining)
		}
	}
}

// TestZoomDraftWithinTolerance compares zoom drafts (the full-quality
// picture scaled by 1.1 and 1.4, in and out, about the centre and about
// another point, with the sprites drawn where it does not reach) against
// the renderer before issue 17 at the new camera, with 20,000 MNIST digits
// of 6, 18 and 48 px; then the still frame after each against full
// quality.
func TestZoomDraftWithinTolerance(t *testing.T) {
	needGL(t)
	r, fitted, size := lodScene(t)
	defer r.Delete()
	// Zoom drafts as drawn on a GPU: on llvmpipe, a zoom out that would
	// need strips is a CPU draft instead (TestCPUDraftReplacesStrips).
	zd := Options{NoCPUDrafts: true}
	full := picDiff{mae: 0.5, p99: 1, over16: 0.01}
	// With RENDER_DRAFT_PNG set, the rows zoomed in by 1.4 about the centre
	// are saved there side by side (full quality left, the draft right) for
	// BENCHMARKS.md.
	out := os.Getenv("RENDER_DRAFT_PNG")
	sheet := image.NewRGBA(image.Rect(0, 0, 2*360, 3*240))
	row := 0
	for _, tt := range []struct {
		zoom  float64 // the picture's, times the fitted zoom (6 px sprites at 1)
		by    float64 // the draft's zoom, times the picture's
		about [2]float64
		want  picDiff
	}{
		// Measured on llvmpipe (mean, 99th percentile, share over 16):
		// 6 px: 3.1 / 30 / 4.6% by 1.1, 5.7 / 43 / 11.0% by 1.4, 1.5 / 19 /
		// 1.4% by 1/1.1, 0.9 / 13 / 0.5% by 1/1.4 (the strips are mostly
		// empty margin); 18 px: 5.0 / 43 / 11.1% by 1.4, 5.2 / 62 / 9.7% by
		// 1/1.4; 48 px: 0.7 / 11 / 0.3% by 1.4, 2.1 / 41 / 4.1% by 1/1.4.
		// The still frame after each: 0.01-0.05 / 0-1 / 0.0%.
		{1, 1.1, [2]float64{640, 400}, picDiff{mae: 4, p99: 40, over16: 7}},
		{1, 1.4, [2]float64{640, 400}, picDiff{mae: 7, p99: 55, over16: 14}},
		{1, 1 / 1.1, [2]float64{640, 400}, picDiff{mae: 2.5, p99: 30, over16: 3}},
		{1, 1 / 1.4, [2]float64{200, 700}, picDiff{mae: 1.5, p99: 25, over16: 1.5}},
		{3, 1.4, [2]float64{900, 100}, picDiff{mae: 6.5, p99: 55, over16: 14}},
		{3, 1.4, [2]float64{640, 400}, picDiff{mae: 6.5, p99: 55, over16: 14}},
		{3, 1 / 1.4, [2]float64{640, 400}, picDiff{mae: 6.5, p99: 75, over16: 13}},
		{8, 1.4, [2]float64{640, 400}, picDiff{mae: 1.5, p99: 20, over16: 1}},
		{8, 1 / 1.4, [2]float64{300, 300}, picDiff{mae: 3, p99: 50, over16: 6}},
	} {
		name := fmt.Sprintf("%.0f px scaled by %.2f about %v", 6*tt.zoom, tt.by, tt.about)
		cam := fitted
		cam.ZoomAbout(float64(testFBW)/2, float64(testFBH)/2, tt.zoom)
		frame(r, &cam, size, zd, false)
		frame(r, &cam, size, zd, false) // the full-quality picture
		cam.ZoomAbout(tt.about[0], tt.about[1], tt.by)
		scales := r.cache.scales
		got := frame(r, &cam, size, zd, false)
		if r.cache.scales != scales+1 || !r.Refining() {
			t.Errorf("%s: %d zoom drafts, Refining() = %v; want 1 and true", name, r.cache.scales-scales, r.Refining())
		}
		still := frame(r, &cam, size, zd, false)
		ref := frame(r, &cam, size, Options{Quads: true}, false)
		if tt.by == 1.4 && tt.about == [2]float64{640, 400} && row < 3 {
			crop := image.Rect(testFBW/2-180, testFBH/2-120, testFBW/2+180, testFBH/2+120)
			draw.Draw(sheet, image.Rect(0, 240*row, 360, 240*row+240), ref, crop.Min, draw.Src)
			draw.Draw(sheet, image.Rect(360, 240*row, 720, 240*row+240), got, crop.Min, draw.Src)
			row++
		}
		d, ds := comparePictures(ref, got), comparePictures(ref, still)
		t.Logf("%s: %v; still frame after it: %v", name, d, ds)
		if d.mae > tt.want.mae || d.p99 > tt.want.p99 || d.over16 > tt.want.over16 ||
			ds.mae > full.mae || ds.p99 > full.p99 || ds.over16 > full.over16 {
			dir := t.TempDir()
			_ = SavePNG(dir+"/want.png", ref)
			_ = SavePNG(dir+"/got.png", got)
			_ = SavePNG(dir+"/still.png", still)
			t.Errorf("%s: %v, want at most %v; still frame %v, want at most %v (pictures in %s)", name, d, tt.want, ds, full, dir)
		}
	}
	if out != "" {
		if err := SavePNG(out, sheet); err != nil {
			t.Error(err)
		}
	}
}

// TestTransitionDraftWithinTolerance compares the frames of a transition
// (the mix moving between two layouts of 20,000 MNIST digits: drawn at half
// resolution from 4 to 12 px, with the levels of detail) against the
// renderer before issue 17 at the same mix, at 3, 6, 12 and 18 px, and the transition's
// last frame (mix 1) against full quality.
func TestTransitionDraftWithinTolerance(t *testing.T) {
	needGL(t)
	r, fitted, size := lodScene(t)
	defer r.Delete()
	other := make([]float32, 2*r.Len())
	for i := range other {
		other[i] = float32(i%200) - 100 // a grid: far from the random layout
	}
	r.SetPositionsFrom(other)
	full := picDiff{mae: 0.5, p99: 1, over16: 0.01}
	for _, tt := range []struct {
		zoom    float64 // times the fitted zoom (6 px sprites at 1)
		halfRes bool
		opts    Options
		want    picDiff
	}{
		// Measured on llvmpipe (mean, 99th percentile, share over 16): 3
		// px 1.1 / 26 / 2.3%; 6 px at half resolution 5.1 / 53 / 11.0%; 12
		// px 8.0 / 70 / 17.5%; 18 px 7.3 / 66 / 15.8% (at half resolution
		// 13.6 / 86 / 29.4%: not used); the last frame 0.02-0.04 / 1 / 0.0%.
		// On llvmpipe the 3 and 6 px drafts are drawn on the CPU (CPU
		// drafts, at full resolution: 6 px 3.9 / 47 / 8.7%); with
		// NoCPUDrafts the 6 px one is GL's at half resolution.
		{0.5, false, Options{}, picDiff{mae: 2, p99: 40, over16: 5}},
		{1, true, Options{NoCPUDrafts: true}, picDiff{mae: 6.5, p99: 65, over16: 14}},
		{1, false, Options{}, picDiff{mae: 4.5, p99: 55, over16: 10}},
		{2, false, Options{}, picDiff{mae: 10, p99: 80, over16: 22}},
		{3, false, Options{}, picDiff{mae: 9, p99: 80, over16: 20}},
	} {
		name := fmt.Sprintf("%.0f px", 6*tt.zoom)
		if tt.opts.NoCPUDrafts {
			name += ", no CPU drafts"
		}
		cam := fitted
		cam.ZoomAbout(float64(testFBW)/2, float64(testFBH)/2, tt.zoom)
		r.SetMix(0.5)
		ref := frame(r, &cam, size, Options{Quads: true}, false)
		r.SetMix(0.49)
		frame(r, &cam, size, tt.opts, false)
		r.SetMix(0.5)
		got := frame(r, &cam, size, tt.opts, false)
		if !r.Refining() || (r.cache.shown == &r.cache.half) != tt.halfRes {
			t.Errorf("%s: Refining() = %v, half resolution %v; want true, %v", name, r.Refining(), r.cache.shown == &r.cache.half, tt.halfRes)
		}
		r.SetMix(1)
		last := frame(r, &cam, size, Options{}, false)
		lastRef := frame(r, &cam, size, Options{Quads: true}, false)
		d, dl := comparePictures(ref, got), comparePictures(lastRef, last)
		t.Logf("%s: %v; the last frame: %v", name, d, dl)
		if d.mae > tt.want.mae || d.p99 > tt.want.p99 || d.over16 > tt.want.over16 ||
			dl.mae > full.mae || dl.p99 > full.p99 || dl.over16 > full.over16 || r.Refining() {
			dir := t.TempDir()
			_ = SavePNG(dir+"/want.png", ref)
			_ = SavePNG(dir+"/got.png", got)
			t.Errorf("%s: %v, want at most %v; last frame %v (Refining %v), want at most %v (pictures in %s)", name, d, tt.want, dl, r.Refining(), full, dir)
		}
	}
}

// TestClippedPanAndZoomMatchAFreshPicture pans and zooms the left half of
// the window, clipped as one pane of the split view, and compares the pane
// with a picture drawn from scratch: the part of the pane a pan or a zoom
// draft brings in from beyond the pane's edge (where the cached picture
// holds nothing) must be drawn.
func TestClippedPanAndZoomMatchAFreshPicture(t *testing.T) {
	needGL(t)
	r, fitted, size := lodScene(t)
	defer r.Delete()
	cam := fitted
	cam.ZoomAbout(float64(testFBW)/2, float64(testFBH)/2, 3) // 18 px
	pane := image.Rect(0, 0, testFBW/2, testFBH)             // the left half (the same rows in GL and image coordinates)
	clipped := func(o Options) *image.RGBA {
		Clip(0, 0, testFBW/2, testFBH)
		defer NoClip()
		img := frame(r, &cam, size, o, false)
		out := image.NewRGBA(pane)
		draw.Draw(out, pane, img, pane.Min, draw.Src)
		return out
	}
	clipped(Options{})
	clipped(Options{})
	for _, step := range []struct {
		name string
		move func()
		want picDiff
	}{
		{"pan 40 px left", func() { cam.PanPixels(-40, 0) }, picDiff{mae: 0.5, p99: 1, over16: 0.01}},
		{"zoom out by 1/1.2 about the pane's centre", func() { cam.ZoomAbout(float64(testFBW)/4, float64(testFBH)/2, 1/1.2) },
			picDiff{mae: 6.5, p99: 75, over16: 13}},
	} {
		step.move()
		got := clipped(Options{})
		want := clipped(Options{NoCache: true})
		clipped(Options{}) // the still frame: full quality again
		d := comparePictures(want, got)
		t.Logf("%s: %v", step.name, d)
		if d.mae > step.want.mae || d.p99 > step.want.p99 || d.over16 > step.want.over16 {
			dir := t.TempDir()
			_ = SavePNG(dir+"/want.png", want)
			_ = SavePNG(dir+"/got.png", got)
			t.Errorf("%s: %v against a fresh picture, want at most %v (pictures in %s)", step.name, d, step.want, dir)
		}
	}
}
