package main

import (
	"image/color"
	"image/png"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/render"
)

// The icon's colours are the app's: render.Palette is the source of truth.
// (The test may import render; the command must not, to stay free of GL.)
func TestPaletteMatchesRender(t *testing.T) {
	if palette != render.Palette {
		t.Errorf("palette %v differs from render.Palette %v", palette, render.Palette)
	}
}

// syntheticData writes a dataset of 18 28x28 images, two per label 0-8,
// each a filled square: enough to test drawing without the real data.
func syntheticData(t *testing.T) string {
	dir := t.TempDir()
	const n = 18
	pix := make([]byte, n*28*28)
	lbl := make([]byte, n)
	for i := range n {
		lbl[i] = byte(i % 9)
		for y := 8; y < 20; y++ {
			for x := 8; x < 20; x++ {
				pix[i*784+y*28+x] = 255
			}
		}
	}
	hdr := func(dims ...uint32) []byte {
		b := []byte{0, 0, 8, byte(len(dims))}
		for _, d := range dims {
			b = append(b, byte(d>>24), byte(d>>16), byte(d>>8), byte(d))
		}
		return b
	}
	os.WriteFile(filepath.Join(dir, mnist.TrainImages), append(hdr(n, 28, 28), pix...), 0o644)
	os.WriteFile(filepath.Join(dir, mnist.TrainLabels), append(hdr(n), lbl...), 0o644)
	return dir
}

// The icon is drawn from the real MNIST digits; with -short (the race
// run, where decoding all of MNIST is slow) from synthetic ones.
func TestIconFromDigits(t *testing.T) {
	var data []string
	if testing.Short() {
		data = []string{"--data", syntheticData(t)}
	}
	for _, size := range []int{256, 48} {
		path := filepath.Join(t.TempDir(), "icon.png")
		if code := run(append([]string{"--size", strconv.Itoa(size), "--out", path}, data...), io.Discard); code != 0 {
			t.Fatalf("size %d: exit %d", size, code)
		}
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(f)
		f.Close()
		if err != nil {
			t.Fatal(err)
		}
		if b := img.Bounds(); b.Dx() != size || b.Dy() != size {
			t.Fatalf("icon is %v, want %dx%d", b, size, size)
		}
		if _, _, _, a := img.At(0, 0).RGBA(); a != 0 {
			t.Errorf("size %d: corner is not transparent", size)
		}
		// Each grid cell's most inked pixel leans towards its label's colour
		// more than towards any other palette colour: the digits are drawn.
		s := float64(size)
		gridLo := (inset + padding) * s
		cell := ((1-inset-padding)*s - gridLo - 2*gap*s) / 3
		for k, l := range labels {
			x0 := int(gridLo + float64(k%3)*(cell+gap*s))
			y0 := int(gridLo + float64(k/3)*(cell+gap*s))
			var best [3]float64
			for y := y0; y < y0+int(cell); y++ {
				for x := x0; x < x0+int(cell); x++ {
					d := fromBackground(img.At(x, y))
					if norm(d) > norm(best) {
						best = d
					}
				}
			}
			if norm(best) < 60 {
				t.Errorf("size %d: cell %d has no ink", size, k)
				continue
			}
			lean, arg := -2.0, -1
			for i, p := range palette {
				if c := cosine(best, fromBackground(p)); c > lean {
					lean, arg = c, i
				}
			}
			if arg != int(l) {
				t.Errorf("size %d: cell %d leans towards label %d's colour, want %d", size, k, arg, l)
			}
		}
	}
}

func fromBackground(c color.Color) [3]float64 {
	r, g, b, _ := c.RGBA()
	return [3]float64{float64(r>>8) - float64(background.R), float64(g>>8) - float64(background.G), float64(b>>8) - float64(background.B)}
}

func norm(v [3]float64) float64 { return math.Sqrt(v[0]*v[0] + v[1]*v[1] + v[2]*v[2]) }

func cosine(a, b [3]float64) float64 {
	return (a[0]*b[0] + a[1]*b[1] + a[2]*b[2]) / (norm(a) * norm(b))
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{}, {"--size", "8", "--out", "x.png"}, {"--out", "x.png", "stray"}} {
		if code := run(args, io.Discard); code != 2 {
			t.Errorf("%v: exit %d, want 2", args, code)
		}
	}
}
