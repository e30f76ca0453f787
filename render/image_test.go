package render

import (
	"image/color"
	"testing"

	"github.com/go-gl/gl/v3.3-core/gl"
	"github.com/mnist-explorer/mnist-explorer/atlas"
)

// patterns returns n 4x4 images with 16 distinct grey levels each,
// different per image.
func patterns(n int) []uint8 {
	pix := make([]uint8, n*16)
	for k := 0; k < n; k++ {
		for i := 0; i < 16; i++ {
			pix[k*16+i] = uint8((i*17 + k*101) % 256)
		}
	}
	return pix
}

func TestImageQuadsAreNearestScaled(t *testing.T) {
	needGL(t)
	const n = 3
	pix := patterns(n)
	// One layer, and one cell per layer (8x8 cells, 8x8 pages).
	for _, page := range []int{0, 8} {
		a, err := atlas.Pack(pix, n, 4, 4, atlas.Options{PageSize: page})
		if err != nil {
			t.Fatal(err)
		}
		s, err := NewSpriteRenderer(a, []uint8{0, 1, 2, 3, 4})
		if err != nil {
			t.Fatal(err)
		}
		m, err := NewImageRenderer(s, a)
		if err != nil {
			t.Fatal(err)
		}
		items := []ImageQuad{
			{Sprite: 0, X0: 100, Y0: 100, X1: 132, Y1: 132},                               // 8x, white
			{Sprite: 1, X0: 200, Y0: 100, X1: 240, Y1: 140},                               // 10x
			{Sprite: 5, X0: 300, Y0: 100, X1: 364, Y1: 164, Tint: [4]float32{1, 0, 0, 1}}, // 16x, image 5%3 = 2, red
			{Sprite: 1, X0: 400, Y0: 100, X1: 404, Y1: 104},                               // 1x
		}
		Clear(testFBW, testFBH, 0, 0, 0)
		m.DrawImages(testFBW, testFBH, items)
		gl.Finish()
		img := ReadPixels(testFBW, testFBH)
		if err := glError("drawing images"); err != nil {
			t.Fatal(err)
		}
		bad := 0
		for _, q := range items {
			k := q.Sprite % n
			scale := int(q.X1-q.X0) / 4
			for y := int(q.Y0) - 2; y < int(q.Y1)+2; y++ {
				for x := int(q.X0) - 2; x < int(q.X1)+2; x++ {
					want := color.RGBA{0, 0, 0, 255}
					if x >= int(q.X0) && x < int(q.X1) && y >= int(q.Y0) && y < int(q.Y1) {
						v := pix[k*16+(y-int(q.Y0))/scale*4+(x-int(q.X0))/scale]
						want = color.RGBA{v, v, v, 255}
						if q.Tint[0] == 1 && q.Tint[1] == 0 {
							want = color.RGBA{v, 0, 0, 255}
						}
					}
					if got := img.RGBAAt(x, y); !closeTo(got, want, 1) {
						if bad < 5 {
							t.Errorf("page %d, sprite %d: pixel (%d,%d) = %v, want %v", page, q.Sprite, x, y, got, want)
						}
						bad++
					}
				}
			}
		}
		// The sampler is unbound afterwards: the map still draws smoothly.
		var bound int32
		gl.GetIntegerv(gl.SAMPLER_BINDING, &bound)
		if bound != 0 {
			t.Errorf("sampler %d left bound", bound)
		}
		if bad > 0 {
			t.Errorf("page %d: %d pixels differ", page, bad)
			_ = SavePNG(t.TempDir()+"/images.png", img)
		}
		if allocs := testing.AllocsPerRun(20, func() { m.DrawImages(testFBW, testFBH, items) }); allocs != 0 {
			t.Errorf("DrawImages allocates %v times, want 0", allocs)
		}
		m.Delete()
		s.Delete()
	}
}

func TestDrawOneIsOnTopEnlargedAndOutlined(t *testing.T) {
	needGL(t)
	a, err := atlas.Pack(testSprites(), 4, 8, 8, atlas.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Sprite 0 (solid, label 0) is covered by sprite 3 (solid, label 3),
	// drawn later at the same place; sprite 1 (top half, label 1) is apart.
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
	s.SetPositions([]float32{-20, 0, 20, 0, 100, 100, -20, 0})
	cam := &Camera{Zoom: 10, Width: testFBW, Height: testFBH}
	bg := bgColor()
	white := color.RGBA{255, 255, 255, 255}
	draw := func(i int, e Emphasis) {
		Clear(testFBW, testFBH, testBG[0], testBG[1], testBG[2])
		s.Draw(cam, 8) // 80-pixel sprites
		if i >= 0 {
			m.DrawOne(i, cam, 8, e)
		}
		gl.Finish()
	}

	draw(-1, Emphasis{})
	img := ReadPixels(testFBW, testFBH)
	checkProbes(t, img, cam, []probe{{"without DrawOne the later sprite is on top", -20, 0, 0, 0, Palette[3]}})

	// Defaults: twice the size (160 pixels), 2-pixel white outline.
	draw(0, Emphasis{})
	img = ReadPixels(testFBW, testFBH)
	checkProbes(t, img, cam, []probe{
		{"on top", -20, 0, 0, 0, Palette[0]},
		{"enlarged", -20, 0, -70, 60, Palette[0]},
		{"outline left", -20, 0, -81, 0, white},
		{"outline top", -20, 0, 0, -81, white},
		{"outline corner", -20, 0, 81, 81, white},
		{"outside outline", -20, 0, -84, 0, bg},
	})

	// Custom: scale 1.5 (120 px), 4-pixel red outline, opaque backdrop
	// under the top-half image.
	red := [4]float32{1, 0, 0, 1}
	back := [4]float32{0.2, 0.2, 0.2, 1}
	draw(1, Emphasis{Scale: 1.5, OutlinePx: 4, Outline: red, Backdrop: back})
	img = ReadPixels(testFBW, testFBH)
	checkProbes(t, img, cam, []probe{
		{"image half", 20, 0, 0, -30, Palette[1]},
		{"backdrop half", 20, 0, 0, 30, color.RGBA{51, 51, 51, 255}},
		{"red outline", 20, 0, 62, 0, color.RGBA{255, 0, 0, 255}},
		{"past red outline", 20, 0, 65, 0, bg},
		{"covers its neighbour", 20, 0, -55, 30, color.RGBA{51, 51, 51, 255}},
	})

	// MinPx wins when the map is zoomed out; no outline.
	draw(1, Emphasis{Scale: 1, MinPx: 200, OutlinePx: -1})
	img = ReadPixels(testFBW, testFBH)
	checkProbes(t, img, cam, []probe{
		{"min size", 20, 0, 0, -95, Palette[1]},
		{"no outline", 20, 0, 0, -101, bg},
	})

	// Hidden stays hidden; the mix is followed.
	s.SetFlags([]uint8{0, FlagHidden, 0, 0})
	draw(1, Emphasis{})
	img = ReadPixels(testFBW, testFBH)
	checkProbes(t, img, cam, []probe{{"hidden", 20, 0, 0, -30, bg}})
	s.SetFlags(make([]uint8, 4))
	s.SetPositionsFrom([]float32{-20, 0, 20, 0, 100, 100, -20, 0})
	s.SetPositionsTo([]float32{-20, 0, 20, 40, 100, 100, -20, 0})
	s.SetMix(0.5)
	draw(1, Emphasis{})
	img = ReadPixels(testFBW, testFBH)
	checkProbes(t, img, cam, []probe{{"mixed position", 20, 20, 0, -30, Palette[1]}})

	if allocs := testing.AllocsPerRun(20, func() { m.DrawOne(2, cam, 8, Emphasis{}) }); allocs != 0 {
		t.Errorf("DrawOne allocates %v times, want 0", allocs)
	}
	if err := glError("DrawOne"); err != nil {
		t.Error(err)
	}
	if t.Failed() {
		_ = SavePNG(t.TempDir()+"/drawone.png", img)
	}
}
