package render

import (
	"image"
	"image/color"
	"strconv"
	"testing"

	"github.com/go-gl/gl/v3.3-core/gl"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// referenceText draws s with golang.org/x/image/font's Drawer at the same
// size and hinting as a TextRenderer, its line box's top-left corner at
// (x, y), and returns the coverage.
func referenceText(t *testing.T, w, h int, x, y, ascent, sizePx float64, s string) *image.Alpha {
	t.Helper()
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		t.Fatal(err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: sizePx, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		t.Fatal(err)
	}
	dst := image.NewAlpha(image.Rect(0, 0, w, h))
	d := font.Drawer{Dst: dst, Src: image.Opaque, Face: face, Dot: fixed.P(int(x), int(y+ascent))}
	d.DrawString(s)
	return dst
}

func TestTextMatchesRasteriser(t *testing.T) {
	needGL(t)
	const size = 17
	tr, err := NewTextRenderer(size)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Delete()
	s := "Hello, MNIST: 7 × 8 · 0.97 — kNN{}@%"
	red := [4]float32{1, 0.2, 0.1, 1}
	blue := [4]float32{0.2, 0.4, 1, 0.5}
	x, y := 100.0, 60.0

	Clear(testFBW, testFBH, 0, 0, 0)
	tr.Begin(testFBW, testFBH)
	w := tr.Add(x, y, s, red)
	tr.Add(x, y+100, "second\nline", blue) // a second string and colour, same call
	tr.End()
	gl.Finish()
	img := ReadPixels(testFBW, testFBH)
	if err := glError("drawing text"); err != nil {
		t.Fatal(err)
	}
	if w != tr.Measure(s) || !(w > 200) {
		t.Errorf("Add returned width %v, Measure %v", w, tr.Measure(s))
	}

	// Every pixel equals red times the reference coverage (black elsewhere).
	ref := referenceText(t, testFBW, testFBH, x, y, tr.Ascent(), size, s)
	bad, lit := 0, 0
	for py := int(y) - 10; py < int(y+tr.LineHeight())+10; py++ {
		for px := int(x) - 10; px < int(x+w)+10; px++ {
			a := float64(ref.AlphaAt(px, py).A) / 255
			want := color.RGBA{uint8(255*a + 0.5), uint8(0.2*255*a + 0.5), uint8(0.1*255*a + 0.5), 255}
			got := img.RGBAAt(px, py)
			if a > 0.5 {
				lit++
			}
			if !closeTo(got, want, 2) {
				if bad < 5 {
					t.Errorf("pixel (%d,%d) = %v, want %v", px, py, got, want)
				}
				bad++
			}
		}
	}
	if bad > 0 || lit < 100 {
		t.Errorf("%d pixels differ from the rasteriser; %d well covered", bad, lit)
		_ = SavePNG(t.TempDir()+"/text.png", img)
	}

	// The second string: its own colour, on two lines.
	blueSeen := func(y0, y1 int) bool {
		for py := y0; py < y1; py++ {
			for px := int(x); px < int(x)+100; px++ {
				c := img.RGBAAt(px, py)
				if c.B > 100 && c.B > 2*c.R && c.G > c.R {
					return true
				}
			}
		}
		return false
	}
	lh := int(tr.LineHeight())
	if !blueSeen(int(y)+100, int(y)+100+lh) || !blueSeen(int(y)+100+lh, int(y)+100+2*lh) {
		t.Error("the two-line blue string is missing a line")
	}
}

func TestTextSteadyFrameAllocatesNothing(t *testing.T) {
	needGL(t)
	tr, err := NewMonoTextRenderer(13)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Delete()
	labels := []string{"PCA", "UMAP", "t-SNE", "kNN accuracy 0.97", "hover: #12345 label 7",
		"a status line well over thirty-two bytes long · 70,000 of 70,000 shown"}
	var num []byte
	status := []byte("UMAP · 70,000 of 70,000 shown · 16.7 ms/frame · H for help")
	frame := func() {
		tr.Begin(testFBW, testFBH)
		for i, s := range labels {
			tr.Add(10, float64(20*i), s, [4]float32{1, 1, 1, 1})
		}
		for i := 0; i < 200; i++ { // a column of numbers, formatted into a reused buffer
			num = strconv.AppendInt(num[:0], int64(i*37), 10)
			tr.AddBytes(300, float64(4*i), num, [4]float32{0.8, 0.8, 0.8, 1})
		}
		tr.AddBytes(10, 200, status, [4]float32{1, 1, 1, 1})
		tr.End()
	}
	frame()
	if allocs := testing.AllocsPerRun(20, frame); allocs != 0 {
		t.Errorf("a steady text frame allocates %v times, want 0", allocs)
	}
	gl.Finish()
	if err := glError("text frames"); err != nil {
		t.Error(err)
	}
}

// BenchmarkText times a frame of 100 strings (about 2,000 glyphs): batching
// on the CPU, upload and draw, with glFinish; then the CPU batching alone.
func BenchmarkText(b *testing.B) {
	needGL(b)
	tr, err := NewTextRenderer(14)
	if err != nil {
		b.Fatal(err)
	}
	defer tr.Delete()
	runGL(b, "100x20", func(b *testing.B) {
		for b.Loop() {
			tr.Begin(testFBW, testFBH)
			for i := 0; i < 100; i++ {
				tr.Add(10, float64(8*i), "the quick brown fox.", [4]float32{1, 1, 1, 1})
			}
			tr.End()
			gl.Finish()
		}
	})
	runGL(b, "100x20/batch-only", func(b *testing.B) {
		for b.Loop() {
			tr.Begin(testFBW, testFBH)
			for i := 0; i < 100; i++ {
				tr.Add(10, float64(8*i), "the quick brown fox.", [4]float32{1, 1, 1, 1})
			}
		}
	})
}
