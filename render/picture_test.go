package render

import (
	"image"
	"image/color"
	"testing"

	"github.com/go-gl/gl/v3.3-core/gl"
)

func TestFitRectKeepsAspect(t *testing.T) {
	for _, tc := range []struct {
		w, h           int
		x0, y0, x1, y1 float64
		maxScale       float64
		want           [4]float64
	}{
		{640, 480, 0, 0, 320, 320, 0, [4]float64{0, 40, 320, 280}},    // wide: full width, centred
		{100, 400, 10, 10, 210, 210, 0, [4]float64{85, 10, 135, 210}}, // tall: full height
		{28, 28, 0, 0, 300, 300, 4, [4]float64{94, 94, 206, 206}},     // small: at most 4x
	} {
		x0, y0, x1, y1 := fitRect(tc.w, tc.h, tc.x0, tc.y0, tc.x1, tc.y1, tc.maxScale)
		if got := [4]float64{x0, y0, x1, y1}; got != tc.want {
			t.Errorf("%dx%d in (%v,%v)-(%v,%v): %v, want %v", tc.w, tc.h, tc.x0, tc.y0, tc.x1, tc.y1, got, tc.want)
		}
	}
}

// A picture draws its own pixels, scaled (nearest) into its rectangle,
// with transparent pixels composited.
func TestPictureDrawsItsPixels(t *testing.T) {
	needGL(t)
	img := image.NewRGBA(image.Rect(0, 0, 3, 2))
	cols := []color.RGBA{{255, 0, 0, 255}, {0, 255, 0, 255}, {0, 0, 255, 255}, {255, 255, 0, 255}, {0, 0, 0, 0}, {128, 0, 128, 128}}
	for i, c := range cols {
		img.SetRGBA(i%3, i/3, c)
	}
	p, err := NewPicture(img)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Delete()
	Clear(testFBW, testFBH, testBG[0], testBG[1], testBG[2])
	p.Draw(testFBW, testFBH, 100, 100, 400, 300) // 100x100 pixels per picture pixel
	gl.Finish()
	shot := ReadPixels(testFBW, testFBH)
	bg := bgColor()
	half := color.RGBA{128 + bg.R/2, bg.G / 2, 128 + bg.B/2, 255}
	for i, want := range []color.RGBA{cols[0], cols[1], cols[2], cols[3], bg, half} {
		x, y := 150+100*(i%3), 150+100*(i/3)
		if got := shot.RGBAAt(x, y); !closeTo(got, want, 3) {
			t.Errorf("picture pixel %d at (%d,%d) = %v, want %v", i, x, y, got, want)
		}
	}
	if got := shot.RGBAAt(90, 150); !closeTo(got, bg, 2) {
		t.Errorf("outside the picture %v, want the background", got)
	}
	if _, err := NewPicture(image.NewRGBA(image.Rect(0, 0, 0, 5))); err == nil {
		t.Error("an empty picture was accepted")
	}
	big := image.NewRGBA(image.Rect(0, 0, getInt(gl.MAX_TEXTURE_SIZE)+1, 1))
	if _, err := NewPicture(big); err == nil {
		t.Error("a picture wider than GL_MAX_TEXTURE_SIZE was accepted")
	}
}
