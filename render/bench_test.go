package render

import (
	"fmt"
	"math"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/go-gl/gl/v3.3-core/gl"
	"github.com/mnist-explorer/mnist-explorer/atlas"
	"github.com/mnist-explorer/mnist-explorer/mnist"
)

// benchAtlas returns 4096 random 28x28 images: every texel inked, the
// scenes measured before issue 17.
func benchAtlas(b *testing.B) *atlas.Atlas {
	b.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	const images = 4096
	pix := make([]uint8, images*28*28)
	for i := range pix {
		pix[i] = uint8(rng.IntN(256))
	}
	a, err := atlas.Pack(pix, images, 28, 28, atlas.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return a
}

// mnistData loads the real MNIST images and labels once per test binary.
var mnistData = sync.OnceValues(func() (*mnist.Dataset, error) { return mnist.LoadDefault() })

// mnistAtlas returns the 70,000 MNIST digits packed as the app packs them.
func mnistAtlas(tb testing.TB) (*atlas.Atlas, []uint8) {
	tb.Helper()
	ds, err := mnistData()
	if err != nil {
		tb.Fatal(err)
	}
	a, err := atlas.Pack(ds.Pixels, ds.Len(), ds.Width, ds.Height, atlas.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return a, ds.Labels
}

// benchRenderer makes n sprites over atlas a (sprite i shows image i%a.N,
// label labels[i%len(labels)] or i%10), uniformly spread over
// [-50,50]^2, with a second layout in the "from" buffer for transitions,
// and a camera fitted to them at 1280x800.
func benchRenderer(b *testing.B, a *atlas.Atlas, labels []uint8, n int) (*SpriteRenderer, *Camera) {
	b.Helper()
	rng := rand.New(rand.NewPCG(1, 2))
	lab := make([]uint8, n)
	pos := make([]float32, 2*n)
	other := make([]float32, 2*n)
	for i := range lab {
		lab[i] = uint8(i % 10)
		if labels != nil {
			lab[i] = labels[i%len(labels)]
		}
		pos[2*i], pos[2*i+1] = rng.Float32()*100-50, rng.Float32()*100-50
		other[2*i], other[2*i+1] = rng.Float32()*100-50, rng.Float32()*100-50
	}
	r, err := NewSpriteRenderer(a, lab)
	if err != nil {
		b.Fatal(err)
	}
	r.SetPositionsFrom(other)
	r.SetPositions(pos)
	cam := NewCamera(testFBW, testFBH)
	cam.FitRect([4]float64{-50, -50, 50, 50}, [4]float64{0, 0, float64(testFBW), float64(testFBH)}, 0.025)
	return r, cam
}

// appSpriteSize is the app's sprite edge for n points spread over a
// 100 x 100 box: 2.2 mean spacings (cmd/mnist-explorer's defaultSpriteSize).
func appSpriteSize(n int) float64 { return 2.2 * 100 / math.Sqrt(float64(n)) }

// motion is what changes from one benchmark frame to the next.
type motion int

const (
	still   motion = iota // nothing: the scene cache only copies its picture
	pan                   // the camera pans 8 px, alternately right and left
	redraw                // the zoom changes by 0.1% back and forth (in a transition, the mix by 0.01)
	zoomRun               // an op is 20 frames zooming 4% a frame about the centre, 10 in then 10 out (the app's --timings zoom)
)

// zoomRunFrames is the frames of one zoomRun op.
const zoomRunFrames = 20

// benchMode is how a scene's frames are drawn.
type benchMode struct {
	name   string
	opts   Options
	heap   int // malloc trim threshold set for the run
	motion motion
}

// The modes compared in one run: the renderer before issue 17 (instanced
// quads straight into the framebuffer, glibc's default trim threshold,
// every frame drawn in full as the camera moves); a pan (the cached
// picture shifted, the uncovered strips drawn); a moving frame (zoom by
// 0.1%: a zoom draft, the cached picture scaled; transition: every sprite
// drawn, as a draft with the levels of detail); the same zoom with every
// sprite drawn again (RedrawZooms: the moving frame of 2026-11-29); the
// transition at full resolution (no half-resolution draft); the app's
// zoom of 4% a frame (zoom drafts, the sprites drawn again past 1.4x); the
// same at full quality (points and the trim threshold only, to show what
// the levels of detail buy); and a still frame (the cached picture
// copied).
var (
	modeBefore  = benchMode{"before", Options{Quads: true}, 128 << 10, redraw}
	modePan     = benchMode{"pan", Options{}, SoftwareHeapKeep, pan}
	modeMoving  = benchMode{"moving", Options{}, SoftwareHeapKeep, redraw}
	modeRedraw  = benchMode{"moving-redrawn", Options{RedrawZooms: true}, SoftwareHeapKeep, redraw}
	modeFullRes = benchMode{"moving-fullres", Options{RedrawZooms: true, FullResMoving: true}, SoftwareHeapKeep, redraw}
	modeZoomRun = benchMode{"zoom4", Options{}, SoftwareHeapKeep, zoomRun}
	modeNoLOD   = benchMode{"moving-fullquality", Options{LODPx: -1, DotPx: -1, FullResMoving: true, RedrawZooms: true}, SoftwareHeapKeep, redraw}
	modeStill   = benchMode{"still", Options{}, SoftwareHeapKeep, still}
	// The same motions with every sprite drawn by GL (no CPU drafts): the
	// frames of the run of 2026-11-30.
	modeMovingGL  = benchMode{"moving-gl", Options{NoCPUDrafts: true}, SoftwareHeapKeep, redraw}
	modeRedrawGL  = benchMode{"moving-redrawn-gl", Options{RedrawZooms: true, NoCPUDrafts: true}, SoftwareHeapKeep, redraw}
	modeZoomRunGL = benchMode{"zoom4-gl", Options{NoCPUDrafts: true}, SoftwareHeapKeep, zoomRun}
)

// benchScene is one camera on one renderer.
type benchScene struct {
	name       string
	px         float64 // sprite edge in pixels at the fitted zoom
	zoom       float64 // times the fitted zoom
	transition bool    // the mix moves around 0.5 instead of the camera
	modes      []benchMode
}

// BenchmarkFrame times whole frames (clear, draw, glFinish) at 1280x800 so
// the rasteriser's work is counted. The scenes of issue 17 show real MNIST
// digits at the app's sprite size (2.2 mean spacings: 6.3 px for 70,000 in
// the fitted view, 1.7 px for 1,000,000); the earlier scenes show noise
// images at 5 px whatever the count. Each scene runs in several modes in
// the same run (see benchMode).
func BenchmarkFrame(b *testing.B) {
	needGL(b)
	defer setHeapKeep(SoftwareHeapKeep)
	runGL(b, "empty", func(b *testing.B) {
		for b.Loop() {
			Clear(testFBW, testFBH, 0, 0, 0)
			gl.Finish()
		}
	})
	all := []benchMode{modeBefore, modePan, modeMoving, modeRedraw, modeRedrawGL, modeZoomRun, modeZoomRunGL, modeNoLOD, modeStill}
	transition := []benchMode{modeBefore, modeMoving, modeMovingGL, modeFullRes, modeNoLOD, modeStill}
	short := []benchMode{modeBefore, modePan, modeMoving, modeStill}
	mnistA, labels := mnistAtlas(b)
	noiseA := benchAtlas(b)
	for _, set := range []struct {
		name   string
		a      *atlas.Atlas
		labels []uint8
		n      int
		scenes []benchScene
	}{
		{"mnist", mnistA, labels, 70000, []benchScene{
			{"fitted", -1, 1, false, all},
			{"zoom=8", -1, 8, false, all},
			{"transition", -1, 1, true, transition},
		}},
		{"mnist", mnistA, labels, 1000000, []benchScene{
			{"fitted", -1, 1, false, all},
			{"zoom=8", -1, 8, false, all},
		}},
		{"noise", noiseA, nil, 70000, []benchScene{
			{"px=5", 5, 1, false, short},
			{"px=5/zoom=8", 5, 8, false, short},
			{"px=5/transition", 5, 1, true, []benchMode{modeBefore, modeMoving, modeStill}},
		}},
		{"noise", noiseA, nil, 1000000, []benchScene{
			{"px=5", 5, 1, false, short},
			{"px=5/zoom=8", 5, 8, false, short},
			{"px=5/transition", 5, 1, true, []benchMode{modeBefore, modeMoving, modeStill}},
		}},
	} {
		r, cam := benchRenderer(b, set.a, set.labels, set.n)
		fitted := *cam
		for _, sc := range set.scenes {
			size := float32(appSpriteSize(set.n))
			if sc.px > 0 {
				size = float32(sc.px / fitted.Zoom)
			}
			for _, m := range sc.modes {
				name := fmt.Sprintf("%s/n=%d/%s/%s", set.name, set.n, sc.name, m.name)
				runGL(b, name, func(b *testing.B) {
					setHeapKeep(m.heap)
					r.SetOptions(m.opts)
					*cam = fitted
					cam.ZoomAbout(float64(testFBW)/2, float64(testFBH)/2, sc.zoom)
					r.SetMix(1)
					if sc.transition {
						r.SetMix(0.5)
					}
					benchFrames(b, r, cam, size, sc.transition, m.motion)
					b.ReportMetric(float64(cam.Zoom)*float64(size), "px")
					b.ReportMetric(coverage(), "%covered")
				})
			}
		}
		r.Delete()
	}
}

// benchFrames draws frames until b says stop, with motion m between them
// (see motion).
func benchFrames(b *testing.B, r *SpriteRenderer, cam *Camera, size float32, transition bool, m motion) {
	frame := func() {
		Clear(testFBW, testFBH, 0, 0, 0)
		r.Draw(cam, size)
		gl.Finish()
	}
	cx, cy := float64(cam.Width)/2, float64(cam.Height)/2
	zoomStep := func(i int) {
		f := 1.04
		if i >= zoomRunFrames/2 {
			f = 1 / f
		}
		cam.ZoomAbout(cx, cy, f)
	}
	t := 0
	step := func() {
		s := float64(1 - 2*(t&1))
		t++
		switch {
		case m == pan:
			cam.PanPixels(8*s, 0)
		case m == redraw && transition:
			r.SetMix(0.5 + 0.01*float32(s))
		case m == redraw:
			cam.ZoomAbout(cx, cy, math.Pow(1.001, s))
		}
	}
	frame() // warm: shader variants are compiled on first use
	// One round of the motion, untimed: what grows to the scene once (the
	// CPU drafts' picture and tile runs) has grown, so the timed frames
	// show what every frame costs, allocations included.
	for i := range zoomRunFrames {
		if m == zoomRun {
			zoomStep(i)
		} else {
			step()
		}
		frame()
	}
	frame() // a still frame: the full-quality redraw after a draft
	if m == zoomRun {
		var longest, sum time.Duration
		for b.Loop() {
			for i := range zoomRunFrames {
				zoomStep(i)
				start := time.Now()
				frame()
				d := time.Since(start)
				sum += d
				longest = max(longest, d)
			}
		}
		b.ReportMetric(float64(sum.Microseconds())/1000/float64(b.N*zoomRunFrames), "ms/frame")
		b.ReportMetric(float64(longest.Microseconds())/1000, "longest-ms")
		return
	}
	for b.Loop() {
		step()
		frame()
	}
}

// coverage returns the percentage of framebuffer pixels that are not black,
// proving that the timed frames drew something.
func coverage() float64 {
	img := ReadPixels(testFBW, testFBH)
	lit := 0
	for i := 0; i < len(img.Pix); i += 4 {
		if img.Pix[i]|img.Pix[i+1]|img.Pix[i+2] != 0 {
			lit++
		}
	}
	return 100 * float64(lit) / float64(testFBW*testFBH)
}
