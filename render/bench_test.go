package render

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/go-gl/gl/v3.3-core/gl"
	"github.com/mnist-explorer/mnist-explorer/atlas"
)

// benchScene builds n sprites over a 4096-image atlas of random 28x28
// images, uniformly spread over [-50,50]^2, and a camera fitted to them.
func benchScene(b *testing.B, n int) (*SpriteRenderer, *Camera) {
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
	labels := make([]uint8, n)
	pos := make([]float32, 2*n)
	for i := range labels {
		labels[i] = uint8(i % 10)
		pos[2*i], pos[2*i+1] = rng.Float32()*100-50, rng.Float32()*100-50
	}
	r, err := NewSpriteRenderer(a, labels)
	if err != nil {
		b.Fatal(err)
	}
	r.SetPositions(pos)
	cam := NewCamera(testFBW, testFBH)
	cam.FitRect([4]float64{-50, -50, 50, 50}, [4]float64{0, 0, float64(testFBW), float64(testFBH)}, 0.025)
	return r, cam
}

// BenchmarkFrame times whole frames (clear, draw, glFinish) at 1280x800 so
// the GPU's work is counted: an empty frame, then n sprites drawn at
// px pixels across (the whole layout in view), then zoomed 8x.
func BenchmarkFrame(b *testing.B) {
	needGL(b)
	runGL(b, "empty", func(b *testing.B) {
		for b.Loop() {
			Clear(testFBW, testFBH, 0, 0, 0)
			gl.Finish()
		}
	})
	for _, n := range []int{70000, 1000000} {
		r, cam := benchScene(b, n)
		fitted := *cam
		for _, v := range []struct {
			name   string
			px     float64 // sprite size in pixels
			zoomed float64
		}{{"px=5", 5, 1}, {"px=5/zoom=8", 5, 8}} {
			runGL(b, fmt.Sprintf("n=%d/%s", n, v.name), func(b *testing.B) {
				*cam = fitted
				size := float32(v.px / cam.Zoom)
				cam.ZoomAbout(float64(testFBW)/2, float64(testFBH)/2, v.zoomed)
				for b.Loop() {
					Clear(testFBW, testFBH, 0, 0, 0)
					r.Draw(cam, size)
					gl.Finish()
				}
				b.ReportMetric(coverage(), "%covered")
			})
		}
		// A layout transition: both position buffers are live and the
		// vertex shader mixes them; nothing is uploaded per frame.
		other := make([]float32, 2*n)
		rng := rand.New(rand.NewPCG(3, 4))
		for i := range other {
			other[i] = rng.Float32()*100 - 50
		}
		r.SetPositionsFrom(other)
		runGL(b, fmt.Sprintf("n=%d/px=5/transition", n), func(b *testing.B) {
			*cam = fitted
			size := float32(5 / cam.Zoom)
			t := 0
			for b.Loop() {
				r.SetMix(float32(t%100) / 100)
				t++
				Clear(testFBW, testFBH, 0, 0, 0)
				r.Draw(cam, size)
				gl.Finish()
			}
			b.ReportMetric(coverage(), "%covered")
		})
		r.Delete()
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
