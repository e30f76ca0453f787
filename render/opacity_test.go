package render

import (
	"image/color"
	"testing"

	"github.com/go-gl/gl/v3.3-core/gl"
)

// TestOpacityShowsDensity draws solid sprites at half opacity, as points
// and as quads, straight and through the scene cache: one sprite is half
// its colour over the background, two overlapping ones three quarters.
func TestOpacityShowsDensity(t *testing.T) {
	needGL(t)
	r := newTestRenderer(t, testSprites()[:64], []uint8{0, 0, 0}) // one solid image
	defer r.Delete()
	r.SetPositions([]float32{-100, 0, 100, 0, 100, 0}) // one alone, two stacked
	cam := &Camera{Zoom: 1, Width: testFBW, Height: testFBH}
	bg, c := bgColor(), Palette[0]
	blend := func(cover float64) color.RGBA {
		m := func(a, b uint8) uint8 { return uint8(float64(a)*cover + float64(b)*(1-cover) + 0.5) }
		return color.RGBA{m(c.R, bg.R), m(c.G, bg.G), m(c.B, bg.B), 255}
	}
	for _, o := range []Options{{Opacity: 0.5, NoCache: true}, {Opacity: 0.5}, {Opacity: 0.5, Quads: true}} {
		r.SetOptions(o)
		Clear(testFBW, testFBH, testBG[0], testBG[1], testBG[2])
		r.Draw(cam, 30)
		gl.Finish()
		img := ReadPixels(testFBW, testFBH)
		for _, p := range []probe{{"one sprite", -100, 0, 0, 0, blend(0.5)}, {"two sprites", 100, 0, 0, 0, blend(0.75)}} {
			sx, sy := cam.WorldToScreen(p.x, p.y)
			if got := pixelAt(img, sx, sy); !closeTo(got, p.want, 3) {
				t.Errorf("%+v: %s: %v, want %v", o, p.name, got, p.want)
			}
		}
	}
	r.SetOptions(Options{})
	Clear(testFBW, testFBH, testBG[0], testBG[1], testBG[2])
	r.Draw(cam, 30)
	gl.Finish()
	if got := pixelAt(ReadPixels(testFBW, testFBH), float64(testFBW)/2-100, float64(testFBH)/2); !closeTo(got, c, 3) {
		t.Errorf("the default is opaque: %v, want %v", got, c)
	}
}
