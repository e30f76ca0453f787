package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

// shapeClass is one class of the generated colour dataset: a shape in a
// colour, saved in a format, on a transparent or an opaque background.
type shapeClass struct {
	name  string
	fill  color.NRGBA
	shape func(x, y float64) bool // (x, y) in [-1, 1]^2
	ext   string
	alpha bool // transparent background (PNG, GIF); else opaque grey-white
}

var shapeClasses = []shapeClass{
	{"red-disc", color.NRGBA{230, 30, 30, 255}, func(x, y float64) bool { return x*x+y*y < 0.75 }, ".png", true},
	{"blue-square", color.NRGBA{30, 60, 230, 255}, func(x, y float64) bool { return math.Abs(x) < 0.7 && math.Abs(y) < 0.7 }, ".jpg", false},
	{"green-triangle", color.NRGBA{30, 200, 40, 255}, func(x, y float64) bool { return y > -0.75 && y < 0.75 && math.Abs(x) < (0.75-y)/2 }, ".gif", true},
	{"yellow-ring", color.NRGBA{240, 220, 30, 255}, func(x, y float64) bool { r := x*x + y*y; return r < 0.8 && r > 0.3 }, ".png", true},
	{"purple-cross", color.NRGBA{160, 40, 200, 255}, func(x, y float64) bool { return math.Abs(x) < 0.22 || math.Abs(y) < 0.22 }, ".bmp", false},
	{"orange-diamond", color.NRGBA{250, 130, 20, 255}, func(x, y float64) bool { return math.Abs(x)+math.Abs(y) < 0.85 }, ".tif", false},
}

// writeShapesFolder writes perClass images of each shape class under dir
// in class folders: sizes from 20 to 120 pixels, not all square, shapes
// moved and scaled a little at random, half-transparent pixels along the
// edges of the transparent ones.
func writeShapesFolder(t testing.TB, dir string, perClass int) {
	t.Helper()
	rng := rand.New(rand.NewPCG(12, 34))
	for _, c := range shapeClasses {
		sub := filepath.Join(dir, c.name)
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		for i := range perClass {
			w, h := 20+rng.IntN(100), 20+rng.IntN(100)
			if i%3 == 0 {
				h = w
			}
			s, dx, dy := 0.8+0.4*rng.Float64(), 0.3*rng.Float64()-0.15, 0.3*rng.Float64()-0.15
			img := image.NewNRGBA(image.Rect(0, 0, w, h))
			for y := range h {
				for x := range w {
					// 4 samples a pixel: anti-aliased edges.
					in := 0
					for k := range 4 {
						px := (float64(x)+0.25+0.5*float64(k%2))/float64(w)*2 - 1
						py := (float64(y)+0.25+0.5*float64(k/2))/float64(h)*2 - 1
						if c.shape((px-dx)/s, (py-dy)/s) {
							in++
						}
					}
					switch {
					case c.alpha:
						px := c.fill
						px.A = uint8(255 * in / 4)
						img.SetNRGBA(x, y, px)
					default:
						bg := color.NRGBA{235, 235, 228, 255}
						f := float64(in) / 4
						mix := func(a, b uint8) uint8 { return uint8(float64(a)*f + float64(b)*(1-f) + 0.5) }
						img.SetNRGBA(x, y, color.NRGBA{mix(c.fill.R, bg.R), mix(c.fill.G, bg.G), mix(c.fill.B, bg.B), 255})
					}
				}
			}
			var b bytes.Buffer
			var err error
			switch c.ext {
			case ".png":
				err = png.Encode(&b, img)
			case ".jpg":
				err = jpeg.Encode(&b, img, &jpeg.Options{Quality: 92})
			case ".gif":
				err = gif.Encode(&b, paletted(img, c.fill), nil)
			case ".bmp":
				err = bmp.Encode(&b, img)
			case ".tif":
				err = tiff.Encode(&b, img, nil)
			}
			if err == nil {
				err = os.WriteFile(filepath.Join(sub, fmt.Sprintf("%03d%s", i, c.ext)), b.Bytes(), 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
}

// paletted converts img (the fill colour at some alpha) to a GIF's
// palette: index 0 transparent, then the fill at four alphas.
func paletted(img *image.NRGBA, fill color.NRGBA) *image.Paletted {
	pal := color.Palette{color.NRGBA{}}
	for k := 1; k <= 4; k++ {
		c := fill
		c.A = uint8(255 * k / 4)
		pal = append(pal, c)
	}
	p := image.NewPaletted(img.Bounds(), pal)
	for i := 0; i < len(img.Pix); i += 4 {
		p.Pix[i/4] = uint8((int(img.Pix[i+3])*4 + 127) / 255)
	}
	return p
}

// shapesEnv names a folder TestWriteShapesFolder fills for the README's
// screenshot (.ci/screenshots.sh).
const shapesEnv = "MNIST_EXPLORER_SHAPES"

// TestWriteShapesFolder writes the colour dataset of the README under
// $MNIST_EXPLORER_SHAPES; it is skipped when that is not set.
func TestWriteShapesFolder(t *testing.T) {
	dir := os.Getenv(shapesEnv)
	if dir == "" {
		t.Skip("set " + shapesEnv + " to write the colour dataset")
	}
	writeShapesFolder(t, dir, 150)
}

// countNear counts the pixels of img within tol of c in every channel.
func countNear(img image.Image, c color.NRGBA, tol int) int {
	n := 0
	b := img.Bounds()
	near := func(v uint32, w uint8) bool { d := int(v>>8) - int(w); return d <= tol && -d <= tol }
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near(r, c.R) && near(g, c.G) && near(bl, c.B) {
				n++
			}
		}
	}
	return n
}

// A folder of coloured shapes in six formats, mixed sizes, some with
// alpha, opens; the screenshot shows each class in its own colour (a grey
// atlas tinted by the label palette would show none of these colours), and
// the log names the classes from the folders.
func TestColourDatasetShowsItsColours(t *testing.T) {
	needDisplay(t)
	dir := t.TempDir()
	writeShapesFolder(t, dir, 40)
	shot := filepath.Join(t.TempDir(), "shapes.png")
	code, _, errs := runApp(t, []string{"XDG_CACHE_HOME=" + t.TempDir()}, "--data", dir, "--layout", "pca", "--size", "800x500",
		"--zoom", "1.6", "--no-cache", "--screenshot", shot)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	if strings.Contains(errs, "could not be read") {
		t.Errorf("files were skipped: %s", errs)
	}
	img := readPNG(t, shot)
	for _, c := range shapeClasses {
		if n := countNear(img, c.fill, 40); n < 150 {
			t.Errorf("%s: %d pixels near %v in the screenshot, want its own colour on screen (>= 150)", c.name, n, c.fill)
		}
	}
	if t.Failed() {
		keep := filepath.Join(os.TempDir(), "colour-dataset-failed.png")
		if data, err := os.ReadFile(shot); err == nil && os.WriteFile(keep, data, 0o644) == nil {
			t.Logf("screenshot kept at %s", keep)
		}
	}
}

// writeManyClasses writes perClass images in each of n class folders
// named "class-000" ...: the shapes' images, copied round.
func writeManyClasses(t *testing.T, dir string, n, perClass int) {
	t.Helper()
	src := t.TempDir()
	writeShapesFolder(t, src, 4)
	var files []string
	for _, c := range shapeClasses {
		for i := range 4 {
			files = append(files, filepath.Join(src, c.name, fmt.Sprintf("%03d%s", i, c.ext)))
		}
	}
	for k := range n {
		sub := filepath.Join(dir, fmt.Sprintf("class-%03d", k))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		for i := range perClass {
			f := files[(k*perClass+i)%len(files)]
			data, err := os.ReadFile(f)
			if err == nil {
				err = os.WriteFile(filepath.Join(sub, fmt.Sprintf("%d%s", i, filepath.Ext(f))), data, 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
}

// With 60 classes the legend lists the folder names; F and typing narrow
// it, and a click on the first row left hides the class it shows.
func TestLegendFilterEndToEnd(t *testing.T) {
	needDisplay(t)
	dir := t.TempDir()
	writeManyClasses(t, dir, 60, 2)
	state := filepath.Join(t.TempDir(), "s.json")
	// The first legend row under the filter box, in window coordinates:
	// margin 12 + padding 10 + the header and the box (rows of 1.3 and
	// 1.2*1.3 lines of about 18 pixels), then half a row.
	script := "wait-layout; key f; type 37; key enter; wait-frames 2; move 80 88; click; wait-frames 1; state " + state
	code, _, errs := runApp(t, []string{"XDG_CACHE_HOME=" + t.TempDir()}, "--data", dir, "--layout", "pca", "--no-cache",
		"--size", "900x600", "--script", script)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	st := readState(t, state)
	if len(st.Classes) != 60 || st.Classes[37] != "class-037" {
		t.Fatalf("classes %v", st.Classes)
	}
	if len(st.Hidden) != 1 || st.Hidden[0] != 37 {
		t.Errorf("hidden classes %v, want [37] (the one row the filter \"37\" leaves)", st.Hidden)
	}
}

// A flat folder is unlabelled: one class, and the class features (L, C)
// refuse to start.
func TestUnlabelledHasNoClassFeatures(t *testing.T) {
	needDisplay(t)
	dir := t.TempDir()
	writeShapesFolder(t, dir, 5)
	flat := t.TempDir()
	entries, _ := filepath.Glob(filepath.Join(dir, "*", "*"))
	for i, f := range entries {
		data, err := os.ReadFile(f)
		if err == nil {
			err = os.WriteFile(filepath.Join(flat, fmt.Sprintf("%02d%s", i, filepath.Ext(f))), data, 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	state := filepath.Join(t.TempDir(), "s.json")
	code, _, errs := runApp(t, []string{"XDG_CACHE_HOME=" + t.TempDir()}, "--data", flat, "--layout", "pca", "--no-cache",
		"--size", "900x600", "--script", "wait-layout; wait-suspects; key l; key c; wait-frames 1; state "+state)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	st := readState(t, state)
	if len(st.Classes) != 1 || st.SuspectsOn || st.Blend != nil && st.Blend.Open {
		t.Errorf("unlabelled: classes %v, suspicious view %v, blend %+v", st.Classes, st.SuspectsOn, st.Blend)
	}
}

// The inspector shows the selected image read again from its file at its
// original resolution: a 240x240 checkerboard of single red and blue
// pixels, whose 64-pixel thumbnail (and every sprite) can only be purple,
// shows pure red and blue pixels in the panel.
func TestInspectorShowsTheOriginal(t *testing.T) {
	needDisplay(t)
	dir := t.TempDir()
	for c, name := range []string{"checks", "plain"} {
		sub := filepath.Join(dir, name)
		if err := os.MkdirAll(sub, 0o755); err != nil {
			t.Fatal(err)
		}
		for i := range 12 {
			img := image.NewNRGBA(image.Rect(0, 0, 240, 240))
			for y := range 240 {
				for x := range 240 {
					px := color.NRGBA{30, 160, 60, 255}
					if c == 0 && (x+y)%2 == 0 {
						px = color.NRGBA{255, 0, 0, 255}
					} else if c == 0 {
						px = color.NRGBA{0, 0, 255, 255}
					}
					img.SetNRGBA(x, y, px)
				}
			}
			var b bytes.Buffer
			if err := png.Encode(&b, img); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(sub, fmt.Sprintf("%02d.png", i)), b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	shot := filepath.Join(t.TempDir(), "inspect.png")
	script := "wait-layout; wait-neighbors; wait-seconds 2; screenshot " + shot
	code, _, errs := runApp(t, []string{"XDG_CACHE_HOME=" + t.TempDir()}, "--data", dir, "--layout", "pca", "--no-cache",
		"--cell", "64", "--select", "3", "--size", "1000x700", "--script", script)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	img := readPNG(t, shot)
	red, blue := countNear(img, color.NRGBA{255, 0, 0, 255}, 30), countNear(img, color.NRGBA{0, 0, 255, 255}, 30)
	if red < 5000 || blue < 5000 {
		t.Errorf("%d red and %d blue pixels: the panel does not show the original's single pixels", red, blue)
	}
}
