package render

import (
	"image/color"
	"testing"

	"github.com/go-gl/gl/v3.3-core/gl"
	"github.com/mnist-explorer/mnist-explorer/atlas"
)

// colourSprites returns four 8x8 straight-alpha RGBA images: opaque red,
// opaque blue, green on the left half with a transparent white right half,
// and red at half alpha.
func colourSprites() []uint8 {
	const w = 8
	imgs := make([]uint8, 4*w*w*4)
	set := func(i, r, c int, px [4]uint8) { copy(imgs[4*(i*w*w+r*w+c):], px[:]) }
	for r := 0; r < w; r++ {
		for c := 0; c < w; c++ {
			set(0, r, c, [4]uint8{255, 0, 0, 255})
			set(1, r, c, [4]uint8{0, 0, 255, 255})
			if c < w/2 {
				set(2, r, c, [4]uint8{0, 255, 0, 255})
			} else {
				set(2, r, c, [4]uint8{255, 255, 255, 0})
			}
			set(3, r, c, [4]uint8{255, 0, 0, 128})
		}
	}
	return imgs
}

// over composites premultiplied colour p (values 0..255, alpha pa) over
// the test background.
func over(p [3]float64, pa float64) color.RGBA {
	bg := bgColor()
	f := func(v float64, b uint8) uint8 { return uint8(v + float64(b)*(1-pa/255) + 0.5) }
	return color.RGBA{f(p[0], bg.R), f(p[1], bg.G), f(p[2], bg.B), 255}
}

// A colour atlas draws each sprite in its own colours, transparent pixels
// composited, inside a thin frame of its label's colour; the same as
// points (full quality and the moving scene's level of detail) and as
// quads; dots take the image's mean colour.
func TestColourSpritesKeepTheirColours(t *testing.T) {
	needGL(t)
	a, err := atlas.Pack(colourSprites(), 4, 8, 8, atlas.Options{Channels: 4})
	if err != nil {
		t.Fatal(err)
	}
	labels := []uint8{0, 1, 2, 200}
	r, err := NewSpriteRenderer(a, labels)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Delete()
	if !r.Colour() {
		t.Fatal("an RGBA atlas gave a grey renderer")
	}
	r.SetPositions([]float32{-20, 10, 0, 10, 20, 10, -20, -10})
	cam := &Camera{Zoom: 10, Width: testFBW, Height: testFBH}
	red, blue, green := color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}, color.RGBA{0, 255, 0, 255}
	bg := bgColor()
	// 80-pixel sprites: the frame is 3% of the edge, 2.4 pixels.
	probes := []probe{
		{"red centre", -20, 10, 0, 0, red},
		{"red inside its frame", -20, 10, 30, 30, red},
		{"red's frame, label 0", -20, 10, 39, 0, ClassColour(0)},
		{"blue centre", 0, 10, 0, 0, blue},
		{"blue's frame, label 1", 0, 10, 0, -39.5, ClassColour(1)},
		{"green half", 20, 10, -20, 0, green},
		{"transparent half shows the background", 20, 10, 20, 0, bg},
		{"half-alpha red composited", -20, -10, 0, 0, over([3]float64{128, 0, 0}, 128)},
		{"label 200's frame", -20, -10, -39, 0, ClassColour(200)},
		{"between sprites", 10, 0, 0, 0, bg},
	}
	for _, o := range []struct {
		name string
		opts Options
	}{{"points", Options{}}, {"quads", Options{Quads: true}}, {"no cache", Options{NoCache: true}}} {
		r.SetOptions(o.opts)
		img := drawScene(r, cam, 8)
		t.Run(o.name, func(t *testing.T) { checkProbes(t, img, cam, probes) })
		if t.Failed() {
			_ = SavePNG(t.TempDir()+"/colour-"+o.name+".png", img)
		}
	}

	// The moving scene's level of detail (one texel of a mip level) keeps
	// the colours and the frame.
	img := frame(r, cam, 8, Options{FullResMoving: true}, true)
	if !r.Refining() {
		t.Error("the moving frame was not drawn at its level of detail")
	}
	checkProbes(t, img, cam, []probe{
		{"moving: red", -20, 10, 0, 0, red},
		{"moving: blue", 0, 10, 10, 10, blue},
		{"moving: blue's frame", 0, 10, 39, 0, ClassColour(1)},
	})
	r.SetOptions(Options{})

	// Dots (under DefaultDotPx): the cell's mean premultiplied colour. The
	// 8x8 image fills a quarter of its 16x16 cell.
	small := &Camera{Zoom: 1, Width: testFBW, Height: testFBH}
	img = frame(r, small, 1.5, Options{}, false)
	checkProbes(t, img, small, []probe{
		{"red dot", -20, 10, 0, 0, over([3]float64{64, 0, 0}, 64)},
		{"blue dot", 0, 10, 0, 0, over([3]float64{0, 0, 64}, 64)},
		{"half-green dot", 20, 10, 0, 0, over([3]float64{0, 32, 0}, 32)},
	})

	// Dimmed colour sprites fade and turn mostly grey, like grey ones.
	r.SetFlags([]uint8{FlagDimmed, 0, 0, 0})
	img = drawScene(r, cam, 8)
	sx, sy := cam.WorldToScreen(-20, 10)
	got := pixelAt(img, sx, sy)
	if int(got.R)-int(bg.R) > 40 || closeTo(got, bg, 2) {
		t.Errorf("dimmed red sprite %v: want a faint greyish tint over %v", got, bg)
	}
	r.SetFlags(make([]uint8, 4))
	if err := glError("drawing colour sprites"); err != nil {
		t.Error(err)
	}
}

// The image renderer draws a colour atlas's thumbnails and emphasised
// sprite in their own colours (the tint's alpha only).
func TestColourImagesAndDrawOne(t *testing.T) {
	needGL(t)
	a, err := atlas.Pack(colourSprites(), 4, 8, 8, atlas.Options{Channels: 4})
	if err != nil {
		t.Fatal(err)
	}
	s, err := NewSpriteRenderer(a, []uint8{0, 1, 2, 3})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Delete()
	m, err := NewImageRenderer(s, a)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Delete()
	s.SetPositions([]float32{-20, 0, 20, 0, 100, 100, 100, 100})
	cam := &Camera{Zoom: 10, Width: testFBW, Height: testFBH}
	Clear(testFBW, testFBH, testBG[0], testBG[1], testBG[2])
	m.DrawImages(testFBW, testFBH, []ImageQuad{
		{Sprite: 0, X0: 10, Y0: 10, X1: 90, Y1: 90, Tint: [4]float32{0.3, 0.6, 0.9, 1}},
		{Sprite: 2, X0: 100, Y0: 10, X1: 180, Y1: 90},
	})
	s.Draw(cam, 8)
	m.DrawOne(1, cam, 8, Emphasis{})
	gl.Finish()
	img := ReadPixels(testFBW, testFBH)
	red, blue, green := color.RGBA{255, 0, 0, 255}, color.RGBA{0, 0, 255, 255}, color.RGBA{0, 255, 0, 255}
	for _, p := range []struct {
		name string
		x, y int
		want color.RGBA
	}{
		{"red thumbnail, not tinted", 50, 50, red},
		{"green half of a thumbnail", 120, 50, green},
		{"transparent half of a thumbnail", 160, 50, bgColor()},
	} {
		if got := img.RGBAAt(p.x, p.y); !closeTo(got, p.want, 3) {
			t.Errorf("%s: pixel (%d,%d) = %v, want %v", p.name, p.x, p.y, got, p.want)
		}
	}
	checkProbes(t, img, cam, []probe{
		{"DrawOne in its own colour", 20, 0, 0, 0, blue},
		{"DrawOne enlarged", 20, 0, 70, 0, blue},
		{"DrawOne's white outline", 20, 0, 81, 0, color.RGBA{255, 255, 255, 255}},
	})
}
