package render

import (
	"image"
	"image/color"
	"math"
	"strings"
	"testing"

	"github.com/go-gl/gl/v3.3-core/gl"
	"github.com/mnist-explorer/mnist-explorer/atlas"
	"github.com/mnist-explorer/mnist-explorer/shaders"
)

var testBG = [3]float32{0.05, 0.05, 0.08}

// testSprites returns four 8x8 images: solid, top half, left half, solid.
func testSprites() []uint8 {
	const w = 8
	imgs := make([]uint8, 4*w*w)
	for r := 0; r < w; r++ {
		for c := 0; c < w; c++ {
			imgs[0*w*w+r*w+c] = 255
			if r < w/2 {
				imgs[1*w*w+r*w+c] = 255
			}
			if c < w/2 {
				imgs[2*w*w+r*w+c] = 255
			}
			imgs[3*w*w+r*w+c] = 255
		}
	}
	return imgs
}

// pixelAt returns the colour of the pixel containing screen point (sx, sy).
func pixelAt(img *image.RGBA, sx, sy float64) color.RGBA {
	return img.RGBAAt(int(math.Floor(sx)), int(math.Floor(sy)))
}

func closeTo(got, want color.RGBA, tol int) bool {
	d := func(a, b uint8) bool { return int(a)-int(b) <= tol && int(b)-int(a) <= tol }
	return d(got.R, want.R) && d(got.G, want.G) && d(got.B, want.B)
}

func bgColor() color.RGBA {
	return color.RGBA{uint8(testBG[0]*255 + 0.5), uint8(testBG[1]*255 + 0.5), uint8(testBG[2]*255 + 0.5), 255}
}

// drawScene clears, draws r and reads the framebuffer back.
func drawScene(r *SpriteRenderer, cam *Camera, size float32) *image.RGBA {
	Clear(testFBW, testFBH, testBG[0], testBG[1], testBG[2])
	r.Draw(cam, size)
	gl.Finish()
	return ReadPixels(testFBW, testFBH)
}

// probe is a world point and the colour expected there.
type probe struct {
	name string
	x, y float64 // world
	dx   float64 // screen offsets from (x, y) in pixels
	dy   float64
	want color.RGBA
}

func checkProbes(t *testing.T, img *image.RGBA, cam *Camera, probes []probe) {
	t.Helper()
	for _, p := range probes {
		sx, sy := cam.WorldToScreen(p.x, p.y)
		if got := pixelAt(img, sx+p.dx, sy+p.dy); !closeTo(got, p.want, 3) {
			t.Errorf("%s: pixel (%.0f,%.0f) = %v, want %v", p.name, sx+p.dx, sy+p.dy, got, p.want)
		}
	}
}

func TestSpritesDrawAtTheirPositions(t *testing.T) {
	needGL(t)
	for _, page := range []int{0, 16} { // one layer; one cell per layer (4 layers)
		a, err := atlas.Pack(testSprites(), 4, 8, 8, atlas.Options{PageSize: page})
		if err != nil {
			t.Fatal(err)
		}
		r, err := NewSpriteRenderer(a, []uint8{0, 1, 2, 13})
		if err != nil {
			t.Fatal(err)
		}
		pos := []float32{-20, 10, 0, 10, 20, 10, -20, -10}
		r.SetPositions(pos)
		cam := &Camera{Zoom: 10, Width: testFBW, Height: testFBH}
		img := drawScene(r, cam, 8) // 80-pixel sprites
		bg := bgColor()
		checkProbes(t, img, cam, []probe{
			{"solid label 0", -20, 10, 0, 0, Palette[0]},
			{"solid corner", -20, 10, -30, 30, Palette[0]},
			{"outside solid", -20, 10, -45, 0, bg},
			{"top half, top", 0, 10, 0, -20, Palette[1]},
			{"top half, bottom", 0, 10, 0, 20, bg},
			{"left half, left", 20, 10, -20, 0, Palette[2]},
			{"left half, right", 20, 10, 20, 0, bg},
			{"label 13 has its own colour", -20, -10, 0, 0, ClassColour(13)},
			{"between sprites", 10, 0, 0, 0, bg},
			{"origin", 0, 0, 0, 0, bg},
		})
		if t.Failed() && page == 0 {
			_ = SavePNG(t.TempDir()+"/sprites.png", img)
		}

		// Flags: hide sprite 0, highlight sprite 3.
		r.SetFlags([]uint8{FlagHidden, 0, 0, FlagHighlighted})
		img = drawScene(r, cam, 8)
		p3 := ClassColour(13)
		light := func(c uint8) uint8 { return uint8(float64(c)*0.8 + 255*0.2 + 0.5) }
		checkProbes(t, img, cam, []probe{
			{"hidden", -20, 10, 0, 0, bg},
			{"highlighted", -20, -10, 0, 0, color.RGBA{light(p3.R), light(p3.G), light(p3.B), 255}},
			{"unflagged", 0, 10, 0, -20, Palette[1]},
		})
		r.SetFlags(make([]uint8, 4))

		// Relabelling recolours: sprite 0 takes label 5's colour.
		r.SetLabels([]uint8{5, 1, 2, 13})
		img = drawScene(r, cam, 8)
		checkProbes(t, img, cam, []probe{{"relabelled", -20, 10, 0, 0, Palette[5]}})
		r.SetLabels([]uint8{0, 1, 2, 13})

		// Another palette: label 0 draws in its first colour.
		var ramp [10]color.RGBA
		for i := range ramp {
			ramp[i] = color.RGBA{uint8(20 * i), 200, uint8(255 - 20*i), 255}
		}
		r.SetPalette(ramp[:])
		img = drawScene(r, cam, 8)
		checkProbes(t, img, cam, []probe{{"ramp colour", -20, 10, 0, 0, ramp[0]}})
		r.SetPalette(ClassColours(PaletteSize))

		// Interpolation between two layouts: half way, then each end.
		to := []float32{-20, 10, 0, 10, 20, 10, 20, -10} // sprite 3 moves right
		r.SetPositionsFrom(pos)
		r.SetPositionsTo(to)
		r.SetMix(0.5)
		img = drawScene(r, cam, 8)
		checkProbes(t, img, cam, []probe{
			{"mix 0.5 midpoint", 0, -10, 0, 0, ClassColour(13)},
			{"mix 0.5 not at from", -20, -10, 0, 0, bg},
		})
		r.SetMix(0)
		img = drawScene(r, cam, 8)
		checkProbes(t, img, cam, []probe{{"mix 0 shows from", -20, -10, 0, 0, ClassColour(13)}})
		r.SetMix(1)
		img = drawScene(r, cam, 8)
		checkProbes(t, img, cam, []probe{{"mix 1 shows to", 20, -10, 0, 0, ClassColour(13)}})
		r.Delete()
	}
}

func TestSpritesTinyUseMipmaps(t *testing.T) {
	needGL(t)
	a, err := atlas.Pack(testSprites(), 4, 8, 8, atlas.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewSpriteRenderer(a, []uint8{4, 4, 4, 4})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Delete()
	r.SetPositions([]float32{0, 0, 0, 0, 0, 0, 0, 0})
	// 8x8 image (16x16 cell) at 2 pixels: minified to mip level ~2..3.
	cam := &Camera{Zoom: 1, Width: testFBW, Height: testFBH}
	img := drawScene(r, cam, 2)
	sx, sy := cam.WorldToScreen(0, 0)
	got := pixelAt(img, sx-0.5, sy-0.5)
	if closeTo(got, bgColor(), 3) {
		t.Errorf("a 2-pixel sprite left the background %v: mipmaps missing?", got)
	}
	if err := glError("drawing"); err != nil {
		t.Error(err)
	}
}

func TestSpritesDrawAllocatesNothing(t *testing.T) {
	needGL(t)
	a, err := atlas.Pack(testSprites(), 4, 8, 8, atlas.Options{})
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewSpriteRenderer(a, make([]uint8, 10))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Delete()
	for _, tt := range []struct {
		name   string
		opts   Options
		size   float32 // world units at zoom 10
		moving bool
	}{
		{"still, cached", Options{}, 1, false},
		{"moving, LOD", Options{}, 1, true},
		{"moving, dots", Options{}, 0.1, true},
		{"moving, full", Options{LODPx: -1}, 1, true},
		{"moving, quads (larger than a point)", Options{}, 30, true},
		{"no cache", Options{NoCache: true}, 1, true},
		{"old renderer", Options{Quads: true}, 1, true},
	} {
		r.SetOptions(tt.opts)
		cam := &Camera{Zoom: 10, Width: testFBW, Height: testFBH}
		frame := 0
		allocs := testing.AllocsPerRun(50, func() {
			if tt.moving {
				cam.PanPixels(float64(1-2*(frame&1)), 0)
				frame++
			}
			Clear(testFBW, testFBH, 0, 0, 0)
			r.Draw(cam, tt.size)
		})
		gl.Finish()
		if allocs != 0 {
			t.Errorf("%s: Draw allocates %v times a frame, want 0", tt.name, allocs)
		}
	}
}

func TestShaderErrorsNameStage(t *testing.T) {
	needGL(t)
	bad := "#version 330 core\nvoid main() { undefined_thing = 1.0; }\n"
	noMain := "#version 330 core\nout vec4 c;\nvoid helper() { c = vec4(1.0); }\n"
	tests := []struct {
		name, vert, frag, want string
	}{
		{"vertex", bad, shaders.SpriteFrag, "render: compiling t vertex shader: "},
		{"fragment", shaders.SpriteVert, bad, "render: compiling t fragment shader: "},
		{"link", shaders.SpriteVert, noMain, "render: linking t program: "},
	}
	for _, tt := range tests {
		p, err := newProgram("t", tt.vert, tt.frag)
		if err == nil {
			p.Delete()
			t.Errorf("%s: no error", tt.name)
			continue
		}
		if !strings.HasPrefix(err.Error(), tt.want) || len(err.Error()) <= len(tt.want) {
			t.Errorf("%s: error %q, want prefix %q and a driver log", tt.name, err, tt.want)
		}
	}
	p, err := newProgram("sprite", shaders.SpriteVert, shaders.SpriteFrag)
	if err != nil {
		t.Fatal(err)
	}
	p.Delete()
}

func TestCheckVersion(t *testing.T) {
	if err := checkVersion("4.5 (Core Profile) Mesa 24.2.8", "llvmpipe"); err != nil {
		t.Error(err)
	}
	if err := checkVersion("3.3.0 NVIDIA 550.54", "GeForce"); err != nil {
		t.Error(err)
	}
	err := checkVersion("3.1 Mesa 20.0.8", "llvmpipe (LLVM 10)")
	want := "render: OpenGL 3.3 core is required, this driver offers 3.1 (llvmpipe (LLVM 10))"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
	if err := checkVersion("OpenGL ES 2.0 Mesa", "x"); err == nil || !strings.Contains(err.Error(), "offers 2.0") {
		t.Errorf("ES 2.0: %v", err)
	}
	if err := checkVersion("garbage", "x"); err == nil {
		t.Error("garbage version accepted")
	}
}
