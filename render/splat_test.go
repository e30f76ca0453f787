package render

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
)

// TestCPUDraftMatchesGL draws the same frames with CPU drafts (the
// default on llvmpipe) and with every sprite drawn by GL (NoCPUDrafts),
// 20,000 MNIST digits, at the sizes where dots (still and moving) and the
// 4x4 level (moving) are used, with hidden, highlighted and dimmed
// sprites, at half opacity and halfway through a transition, and checks
// that the CPU drew them and that the pictures agree within the rounding
// of a pixel centre on a point's edge and of 8-bit blending.
func TestCPUDraftMatchesGL(t *testing.T) {
	needGL(t)
	if !softwareGL {
		t.Fatal("CPU drafts are for software rasterisers; this test needs llvmpipe")
	}
	r, fitted, size := lodScene(t)
	defer r.Delete()
	n := r.Len()
	flags := make([]uint8, n)
	for i := range flags {
		switch i % 13 {
		case 1:
			flags[i] = FlagHidden
		case 2:
			flags[i] = FlagHighlighted
		case 3, 4:
			flags[i] = FlagDimmed
		}
	}
	from := make([]float32, 2*n)
	for i := range from {
		from[i] = float32(i%97) - 48
	}
	for _, tt := range []struct {
		px      float64 // sprite edge in pixels
		moving  bool
		flags   bool
		opacity float32
		mix     float32
		gl      bool // expected to be left to GL
	}{
		{1.2, false, false, 0, 1, false},
		{1.7, true, true, 0, 1, false},
		{1.7, false, true, 0.5, 1, false},
		{3, true, false, 0, 1, false},
		{6, true, true, 0, 1, false},
		{6, true, true, 0.5, 1, false},
		{6.9, true, false, 0, 1, false},
		{8.5, true, true, 0, 1, false},
		// Highlighted sprites 14.4 px wide read mip level 1, not kept.
		{9, true, true, 0, 1, true},
		{9, true, false, 0, 1, false},
		{13.5, true, false, 0.5, 1, false},
		{6, true, false, 0, 0.5, false},
	} {
		name := fmt.Sprintf("%.1f px moving %v flags %v opacity %.1f mix %.1f", tt.px, tt.moving, tt.flags, tt.opacity, tt.mix)
		if tt.flags {
			r.SetFlags(flags)
		} else {
			r.SetFlags(make([]uint8, n))
		}
		r.SetPositionsFrom(from)
		r.SetMix(tt.mix)
		cam := fitted
		cam.ZoomAbout(float64(testFBW)/2, float64(testFBH)/2, tt.px/6)
		o := Options{RedrawZooms: true, Opacity: tt.opacity}
		gpu := o
		// GL draws transitions of 4-12 px sprites at half resolution, the
		// CPU at full: compare with GL at full resolution.
		gpu.NoCPUDrafts, gpu.FullResMoving = true, true
		want := frame(r, &cam, size, gpu, tt.moving)
		before := r.cache.cpuDrafts
		got := frame(r, &cam, size, o, tt.moving)
		if tt.gl {
			if r.cache.cpuDrafts != before {
				t.Errorf("%s: drawn on the CPU, want GL", name)
			}
			continue
		}
		if r.cache.cpuDrafts == before {
			t.Errorf("%s: the frame was not drawn on the CPU", name)
			continue
		}
		d := comparePictures(want, got)
		t.Logf("%s: CPU against GL: %v", name, d)
		if d.mae > 0.1 || d.p99 > 1 || d.over16 > 0.05 {
			t.Errorf("%s: CPU draft differs from GL: %v; want mean <= 0.1, 99th percentile <= 1, <= 0.05%% over 16", name, d)
		}
	}
}

// testSplat returns a CPU draft of n grey sprites with random positions
// in [-50, 50]^2, labels, means and 4x4 levels, at zoom pixels a unit in
// a w x h picture.
func testSplat(n, w, h int, zoom float64, edge float32, micro bool) *splatFrame {
	rng := rand.New(rand.NewPCG(3, 4))
	s := &splatSprites{labels: make([]uint8, n), flags: make([]uint8, n), means: make([]uint8, n),
		micro: make([]uint32, 4*n), channels: 1, microUV: [4]float32{0.125, 0.125, 3.5, 3.5}}
	s.palette = paletteTexels(ClassColours(PaletteSize))
	pos := make([]float32, 2*n)
	for i := range n {
		s.labels[i], s.means[i] = uint8(i%10), uint8(rng.IntN(256))
		for k := range 4 {
			s.micro[4*i+k] = rng.Uint32()
		}
		pos[2*i], pos[2*i+1] = rng.Float32()*100-50, rng.Float32()*100-50
	}
	f := &splatFrame{pix: make([]uint32, w*h), w: w, h: h, clip: [4]int{0, 0, w, h},
		from: pos, to: pos, mix: 1, zoom: zoom, edge: edge, kind: tierDot, sprites: s}
	if micro {
		f.kind = tierMicro
	}
	f.setTints(0)
	return f
}

// TestSplatCoverageAndOrder checks the CPU draft's rules on single
// sprites: a point covers the pixels whose centres fall inside its square,
// a later sprite is blended over an earlier one, hidden sprites are not
// drawn, highlighted ones are 1.6 times as wide, and nothing is drawn
// outside the clip box; and that bands of rows drawn apart give the
// picture drawn in one.
func TestSplatCoverageAndOrder(t *testing.T) {
	f := testSplat(3, 20, 10, 1, 3, false)
	s := f.sprites
	s.means = []uint8{255, 255, 255}
	// Sprite 0 centred on pixel (4, 4): pixels 3..5; sprite 1 on top of
	// it one pixel right; sprite 2 hidden.
	f.from = []float32{4.5 - 10, 4.5 - 5, 5.5 - 10, 4.5 - 5, 15, 0}
	f.to = f.from
	s.labels = []uint8{0, 1, 2}
	s.flags = []uint8{0, 0, FlagHidden}
	f.setTints(0)
	f.draw(0, f.h)
	lit := func(x, y int) bool { return f.pix[y*f.w+x]>>24 != 0 }
	colour := func(x, y int) [3]uint8 {
		p := f.pix[y*f.w+x]
		return [3]uint8{uint8(p), uint8(p >> 8), uint8(p >> 16)}
	}
	c0, c1 := ClassColour(0), ClassColour(1)
	for y := range f.h {
		for x := range f.w {
			want := x >= 3 && x <= 6 && y >= 3 && y <= 5
			if lit(x, y) != want {
				t.Errorf("pixel (%d, %d) drawn %v, want %v", x, y, lit(x, y), want)
			}
		}
	}
	if got := colour(3, 4); got != [3]uint8{c0.R, c0.G, c0.B} {
		t.Errorf("pixel (3, 4) = %v, want sprite 0's colour %v", got, c0)
	}
	if got := colour(5, 4); got != [3]uint8{c1.R, c1.G, c1.B} {
		t.Errorf("pixel (5, 4) = %v, want sprite 1's colour on top, %v", got, c1)
	}
	// Highlighted: 3 * 1.6 = 4.8 px, centred on a pixel centre: 5 pixels.
	s.flags = []uint8{FlagHighlighted, FlagHidden, FlagHidden}
	f.draw(0, f.h)
	n := 0
	for y := range f.h {
		for x := range f.w {
			if lit(x, y) {
				n++
			}
		}
	}
	if n != 25 {
		t.Errorf("highlighted 3 px sprite covers %d pixels, want 25", n)
	}
	f.clip = [4]int{0, 0, 4, 10}
	f.draw(0, f.h)
	if lit(4, 4) || !lit(3, 4) {
		t.Errorf("clip box x < 4: pixel (4, 4) drawn %v, (3, 4) %v; want false, true", lit(4, 4), lit(3, 4))
	}

	// The worker team (tiles, binned by several workers) against the
	// plain loop: 20,000 sprites of the 4x4 tier, some hidden and some
	// highlighted, over a picture that is not a whole number of tiles,
	// clipped.
	g := testSplat(20000, 300, 170, 2.5, 6, true)
	for i := range g.sprites.flags {
		g.sprites.flags[i] = []uint8{0, FlagHidden, FlagHighlighted, 0, FlagDimmed}[i%5]
	}
	g.clip = [4]int{7, 3, 290, 165}
	g.draw(0, g.h)
	whole := append([]uint32(nil), g.pix...)
	clear(g.pix)
	splatTeam.run(g)
	if !slices.Equal(whole, g.pix) {
		t.Error("the worker team's picture differs from the plain loop's")
	}
	drawn := 0
	for _, p := range whole {
		if p != 0 {
			drawn++
		}
	}
	if drawn < len(whole)/2 {
		t.Errorf("only %d of %d pixels drawn: the test draws too little to compare", drawn, len(whole))
	}
}

// BenchmarkSplat times CPU drafts on their own (no GL): the app's sprite
// sizes at 70,000 (6.3 px, the 4x4 level) and 1,000,000 (1.7 px, dots)
// fitted to 1280x800, in one band and in the worker team's bands.
func BenchmarkSplat(b *testing.B) {
	for _, c := range []struct {
		n     int
		edge  float32
		micro bool
	}{{70000, 6.3, true}, {1000000, 1.7, false}} {
		zoom := 780.0 / 100
		f := testSplat(c.n, 1280, 800, zoom, c.edge, c.micro)
		b.Run(fmt.Sprintf("n=%d/one-band", c.n), func(b *testing.B) {
			for b.Loop() {
				f.draw(0, f.h)
			}
		})
		b.Run(fmt.Sprintf("n=%d/team", c.n), func(b *testing.B) {
			for b.Loop() {
				splatTeam.run(f)
			}
		})
	}
}

// TestCPUDraftReplacesStrips zooms out of a still picture of 20,000 MNIST
// digits 6 px wide: on llvmpipe the frame is drawn afresh on the CPU
// (every point in one pass) rather than a zoom draft with strips (every
// point once a strip), within the moving scene's level-of-detail bounds
// of full quality; a zoom in, which needs no strips, stays a zoom draft.
func TestCPUDraftReplacesStrips(t *testing.T) {
	needGL(t)
	r, fitted, size := lodScene(t)
	defer r.Delete()
	cam := fitted
	frame(r, &cam, size, Options{}, false)
	frame(r, &cam, size, Options{}, false) // the full-quality picture
	cam.ZoomAbout(640, 400, 1/1.2)
	cpu, scales := r.cache.cpuDrafts, r.cache.scales
	got := frame(r, &cam, size, Options{}, false)
	if r.cache.cpuDrafts != cpu+1 || r.cache.scales != scales || !r.Refining() {
		t.Errorf("zoom out: %d CPU drafts, %d zoom drafts, Refining() = %v; want 1, 0, true",
			r.cache.cpuDrafts-cpu, r.cache.scales-scales, r.Refining())
	}
	ref := frame(r, &cam, size, Options{Quads: true}, false)
	// The moving scene's level of detail at 5 px (TestLevelOfDetailWithinTolerance).
	if d := comparePictures(ref, got); d.mae > 4 || d.p99 > 50 || d.over16 > 10 {
		t.Errorf("zoom out drawn on the CPU: %v against full quality, want at most 4 / 50 / 10%%", d)
	}
	frame(r, &cam, size, Options{}, false)
	cam.ZoomAbout(640, 400, 1.2)
	cpu, scales = r.cache.cpuDrafts, r.cache.scales
	frame(r, &cam, size, Options{}, false)
	if r.cache.cpuDrafts != cpu || r.cache.scales != scales+1 {
		t.Errorf("zoom in: %d CPU drafts, %d zoom drafts; want 0, 1", r.cache.cpuDrafts-cpu, r.cache.scales-scales)
	}
}
