package render

import (
	"fmt"
	"image"
	"math/rand/v2"
	"testing"

	"github.com/go-gl/gl/v3.3-core/gl"
)

// picDiff compares two pictures channel by channel (R, G, B): the mean
// absolute difference, the 99th percentile and the percentage of values
// that differ by more than 16 (of 255).
type picDiff struct {
	mae    float64
	p99    int
	over16 float64
}

func (d picDiff) String() string {
	return fmt.Sprintf("mean |diff| %.2f, 99th percentile %d, %.1f%% over 16", d.mae, d.p99, d.over16)
}

func comparePictures(a, b *image.RGBA) picDiff {
	var hist [256]int
	sum, total := 0, 0
	for i := 0; i < len(a.Pix); i += 4 {
		for c := 0; c < 3; c++ {
			d := int(a.Pix[i+c]) - int(b.Pix[i+c])
			d = max(d, -d)
			hist[d]++
			sum += d
			total++
		}
	}
	var out picDiff
	out.mae = float64(sum) / float64(total)
	acc := 0
	out.p99 = -1
	for d, n := range hist {
		acc += n
		if out.p99 < 0 && 100*acc >= 99*total {
			out.p99 = d
		}
		if d > 16 {
			out.over16 += float64(n)
		}
	}
	out.over16 = 100 * out.over16 / float64(total)
	return out
}

// lodScene is 20,000 MNIST digits spread over [-50,50]^2, 6 pixels wide in
// a camera fitted to them.
func lodScene(t *testing.T) (r *SpriteRenderer, fitted Camera, size float32) {
	t.Helper()
	a, labels := mnistAtlas(t)
	const n = 20000
	rng := rand.New(rand.NewPCG(5, 6))
	pos := make([]float32, 2*n)
	for i := range pos {
		pos[i] = rng.Float32()*100 - 50
	}
	r, err := NewSpriteRenderer(a, labels[:n])
	if err != nil {
		t.Fatal(err)
	}
	r.SetPositions(pos)
	cam := NewCamera(testFBW, testFBH)
	cam.FitRect([4]float64{-50, -50, 50, 50}, [4]float64{0, 0, float64(testFBW), float64(testFBH)}, 0.025)
	return r, *cam, float32(6 / cam.Zoom)
}

// frame draws one frame with options o; moving makes it a frame of a
// zoom in progress (a frame 1% further out is drawn first).
func frame(r *SpriteRenderer, cam *Camera, size float32, o Options, moving bool) *image.RGBA {
	r.SetOptions(o)
	if moving {
		before := *cam
		before.ZoomAbout(float64(cam.Width)/2, float64(cam.Height)/2, 0.99)
		r.Draw(&before, size)
	}
	Clear(testFBW, testFBH, testBG[0], testBG[1], testBG[2])
	r.Draw(cam, size)
	gl.Finish()
	return ReadPixels(testFBW, testFBH)
}

// TestLevelOfDetailWithinTolerance compares every way of drawing against
// the renderer before issue 17 (instanced quads, trilinear, straight into
// the framebuffer) at the zooms where each is used. Full quality (points
// instead of quads, through the scene cache) must match within the
// rounding of one 8-bit blend; dots (under 2 px, moving or still) within
// a fraction of a level on average; the moving scene's one-texel lookup is
// a visible approximation, bounded at each size so that a mip level off by
// one fails.
func TestLevelOfDetailWithinTolerance(t *testing.T) {
	needGL(t)
	r, fitted, size := lodScene(t)
	defer r.Delete()
	// Measured on llvmpipe: full quality 0.02-0.04 / 1 / 0.00%; dots
	// 0.02-0.15 / 5 / 0.0%; the moving lookup 1.2 / 28 / 2.7% at 3 px,
	// 4.5 / 49 / 10.2% at 6 px, 8.1 / 71 / 17.6% at 12 px. One mip level
	// too coarse gives 8.2 / 73 / 18.3% at 6 px and 12.3 / 88 / 26.2% at
	// 12 px; dots of the image's mean instead of its cell's 0.23 / 8 /
	// 0.2% at 1.9 px.
	// Measured on llvmpipe (mean, 99th percentile, share over 16): full
	// quality 0.01-0.04 / 0-1 / 0.00%; dots 0.02-0.15 / 0-5 / 0.0%; the
	// one-texel lookup 1.2 / 26 / 2.4% at 3 px, 4.5 / 49 / 10.2% at 6 px,
	// 8.1 / 71 / 17.6% at 12 px, 5.8 / 62 / 12.5% at 18 px, 3.8 / 54 /
	// 8.4% at 48 px; at half resolution 6.3 / 66 / 13.9% at 48 px and 3.9
	// / 45 / 8.5% at 240 px. One mip level too coarse gives 8.2 / 73 /
	// 18.3% at 6 px and 12.3 / 88 / 26.2% at 12 px; dots of the image's
	// mean instead of its cell's 0.23 / 8 / 0.2% at 1.9 px.
	full := picDiff{mae: 0.5, p99: 1, over16: 0.01}
	dots := picDiff{mae: 0.3, p99: 6, over16: 0.05}
	lodOnly := Options{FullResMoving: true}
	for _, tt := range []struct {
		zoom   float64 // times the fitted zoom (6 px sprites at 1)
		opts   Options
		moving bool
		want   picDiff
	}{
		{1.0 / 6, Options{}, false, dots},                           // 1 px
		{1.5 / 6, Options{}, true, dots},                            // 1.5 px
		{1.9 / 6, Options{}, false, dots},                           // 1.9 px
		{0.5, Options{}, true, picDiff{mae: 2, p99: 40, over16: 5}}, // 3 px: the 4x4 level
		{1, Options{}, true, picDiff{mae: 6, p99: 60, over16: 14}},  // 6 px: the 4x4 level
		{2, Options{}, true, picDiff{mae: 10, p99: 80, over16: 22}}, // 12 px: one texel
		{3, Options{}, true, picDiff{mae: 7, p99: 75, over16: 16}},  // 18 px
		{8, lodOnly, true, picDiff{mae: 5, p99: 65, over16: 11}},    // 48 px
		{8, Options{}, true, picDiff{mae: 8, p99: 80, over16: 18}},  // 48 px, half resolution
		{40, Options{}, true, picDiff{mae: 5, p99: 55, over16: 11}}, // 240 px: quads (wider than llvmpipe's largest point), half resolution
		{40, lodOnly, true, full},                                   // 240 px: quads have no level of detail
		{1, Options{}, false, full},                                 // 6 px, still: redrawn at full quality
		{8, Options{}, false, full},                                 // 48 px
		{40, Options{}, false, full},                                // 240 px
	} {
		name := fmt.Sprintf("%.1f px, moving %v, %+v", 6*tt.zoom, tt.moving, tt.opts)
		cam := fitted
		cam.ZoomAbout(float64(testFBW)/2, float64(testFBH)/2, tt.zoom)
		ref := frame(r, &cam, size, Options{Quads: true}, false)
		o := tt.opts
		o.RedrawZooms = true // the levels of detail, not a zoom draft (TestZoomDraftWithinTolerance)
		got := frame(r, &cam, size, o, true)
		if tt.moving && r.Refining() != (tt.want != dots && tt.want != full) {
			t.Errorf("%s: Refining() = %v after a moving frame", name, r.Refining())
		}
		if !tt.moving {
			got = frame(r, &cam, size, o, false) // the refined frame
		}
		d := comparePictures(ref, got)
		t.Logf("%s: %v", name, d)
		if d.mae > tt.want.mae || d.p99 > tt.want.p99 || d.over16 > tt.want.over16 {
			dir := t.TempDir()
			_ = SavePNG(dir+"/want.png", ref)
			_ = SavePNG(dir+"/got.png", got)
			t.Errorf("%s: %v, want at most %v (pictures in %s)", name, d, tt.want, dir)
		}
	}
}

// TestStillFrameRefinesToFullQuality checks the hand-over from the moving
// level of detail to full quality: Refining reports the draft, and the
// next Draw with nothing changed replaces it.
func TestStillFrameRefinesToFullQuality(t *testing.T) {
	needGL(t)
	r, cam, size := lodScene(t)
	defer r.Delete()
	ref := frame(r, &cam, size, Options{NoCache: true}, false)
	moving := frame(r, &cam, size, Options{}, true)
	if !r.Refining() {
		t.Error("after a changed frame of 6 px sprites Refining() = false, want true")
	}
	if d := comparePictures(ref, moving); d.mae < 1 {
		t.Errorf("the moving frame matches full quality (%v): was the level of detail used?", d)
	}
	still := frame(r, &cam, size, Options{}, false)
	if r.Refining() {
		t.Error("after the still frame Refining() = true, want false")
	}
	if d := comparePictures(ref, still); d.p99 > 1 || d.mae > 0.5 {
		t.Errorf("still frame against full quality: %v", d)
	}
	// A change of data is drawn at full quality at once, so is the end of a
	// transition; a mix between two layouts is motion.
	for _, step := range []struct {
		name   string
		change func()
		want   bool
	}{
		{"flags set", func() { r.SetFlags(make([]uint8, r.Len())) }, false},
		{"mix 0.5", func() { r.SetMix(0.5) }, true},
		{"mix 0.6", func() { r.SetMix(0.6) }, true},
		{"mix 1", func() { r.SetMix(1) }, false},
	} {
		step.change()
		frame(r, &cam, size, Options{}, false)
		if r.Refining() != step.want {
			t.Errorf("%s: Refining() = %v, want %v", step.name, r.Refining(), step.want)
		}
	}
	// Dots are the same moving or still: nothing to refine once drawn
	// (a zoom draft, the picture scaled, is refined; RedrawZooms draws
	// them at once).
	cam.ZoomAbout(float64(testFBW)/2, float64(testFBH)/2, 0.25)
	frame(r, &cam, size, Options{RedrawZooms: true}, true)
	if r.Refining() {
		t.Error("1.5 px sprites: Refining() = true, want false")
	}
}
