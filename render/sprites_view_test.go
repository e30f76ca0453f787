package render

import (
	"testing"

	"github.com/go-gl/gl/v3.3-core/gl"
	"github.com/mnist-explorer/mnist-explorer/atlas"
)

// TestViewDrawsItsOwnLayoutAndSharesTheRest checks a view (the second pane
// of a split view): its own positions, the parent's labels and flags,
// each change seen by the other's scene cache, and DrawOneIn at the
// view's position.
func TestViewDrawsItsOwnLayoutAndSharesTheRest(t *testing.T) {
	needGL(t)
	a, err := atlas.Pack(testSprites()[:64], 1, 8, 8, atlas.Options{}) // one solid image
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewSpriteRenderer(a, []uint8{0, 1})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Delete()
	v, err := r.NewView()
	if err != nil {
		t.Fatal(err)
	}
	defer v.Delete()
	m, err := NewImageRenderer(r, a)
	if err != nil {
		t.Fatal(err)
	}
	defer m.Delete()
	r.SetPositions([]float32{-100, 0, 100, 0})
	v.SetPositions([]float32{100, 0, -100, 0}) // swapped
	cam := &Camera{Zoom: 1, Width: testFBW, Height: testFBH}
	bg := bgColor()
	draw := func(s *SpriteRenderer) {
		Clear(testFBW, testFBH, testBG[0], testBG[1], testBG[2])
		s.Draw(cam, 40)
		gl.Finish()
	}
	draw(r)
	checkProbes(t, ReadPixels(testFBW, testFBH), cam, []probe{{"parent, left", -100, 0, 0, 0, Palette[0]}, {"parent, right", 100, 0, 0, 0, Palette[1]}})
	draw(v)
	checkProbes(t, ReadPixels(testFBW, testFBH), cam, []probe{{"view, left", -100, 0, 0, 0, Palette[1]}, {"view, right", 100, 0, 0, 0, Palette[0]}})

	r.SetLabels([]uint8{2, 3}) // on the parent: the view's cached picture must go
	draw(v)
	checkProbes(t, ReadPixels(testFBW, testFBH), cam, []probe{{"view after parent's labels", -100, 0, 0, 0, Palette[3]}})
	v.SetFlags([]uint8{FlagHidden, 0}) // on the view: the parent's too
	draw(r)
	checkProbes(t, ReadPixels(testFBW, testFBH), cam, []probe{{"parent after view's flags", -100, 0, 0, 0, bg}, {"parent's other sprite", 100, 0, 0, 0, Palette[3]}})

	v.SetFlags([]uint8{0, 0})
	Clear(testFBW, testFBH, testBG[0], testBG[1], testBG[2])
	m.DrawOneIn(v, 0, cam, 40, Emphasis{OutlinePx: -1})
	gl.Finish()
	checkProbes(t, ReadPixels(testFBW, testFBH), cam, []probe{{"DrawOneIn at the view's position", 100, 0, 0, 0, Palette[2]}, {"not at the parent's", -100, 0, 0, 0, bg}})

	// A view of a view shares with the same renderer.
	vv, err := v.NewView()
	if err != nil {
		t.Fatal(err)
	}
	vv.SetPositions([]float32{0, 0, 0, 100})
	vv.Delete() // only its own objects: the others still draw
	draw(v)
	checkProbes(t, ReadPixels(testFBW, testFBH), cam, []probe{{"view after its view's deletion", 100, 0, 0, 0, Palette[2]}})
}

// TestClippedDrawsStayInTheirPanes draws two renderers side by side, each
// clipped to its half of the window as the split view does, through the
// scene cache's paths: a full redraw, a pan (the picture shifted and
// strips drawn), a zoom (a half-resolution draft) and the still frame
// after it. Neither may draw into the other's half.
func TestClippedDrawsStayInTheirPanes(t *testing.T) {
	needGL(t)
	r := newTestRenderer(t, testSprites()[:64], []uint8{0, 1})
	defer r.Delete()
	v, err := r.NewView()
	if err != nil {
		t.Fatal(err)
	}
	defer v.Delete()
	// The parent's sprites straddle the middle; so do the view's, higher up.
	r.SetPositions([]float32{-30, 0, 30, 0})
	v.SetPositions([]float32{-30, 80, 30, 80})
	left, right := &Camera{Zoom: 1, Width: testFBW, Height: testFBH}, &Camera{Zoom: 1, Width: testFBW, Height: testFBH}
	half := testFBW / 2
	bg := bgColor()
	size := float32(50) // at least 24 px: a moving zoom draws a half-resolution draft
	steps := []struct {
		name string
		move func(c *Camera)
	}{
		{"still", func(*Camera) {}},
		{"pan", func(c *Camera) { c.PanPixels(3, -2) }},
		{"zoom (draft)", func(c *Camera) { c.ZoomAbout(float64(half), float64(testFBH)/2, 1.05) }},
		{"still after the zoom", func(*Camera) {}},
	}
	for _, s := range steps {
		s.move(left)
		s.move(right)
		Clear(testFBW, testFBH, testBG[0], testBG[1], testBG[2])
		Clip(0, 0, half, testFBH)
		r.Draw(left, size)
		Clip(half, 0, testFBW-half, testFBH)
		v.Draw(right, size)
		NoClip()
		gl.Finish()
		img := ReadPixels(testFBW, testFBH)
		for _, p := range []struct {
			name      string
			cam       *Camera
			x, y, dx  float64
			want      bool // a sprite's colour, else the background
			wantColor int
		}{
			{"parent's left sprite", left, -30, 0, 0, true, 0},
			{"parent's right sprite, clipped away", left, 30, 0, 0, false, 0},
			{"view's right sprite", right, 30, 80, 0, true, 1},
			{"view's left sprite, clipped away", right, -30, 80, 0, false, 0},
		} {
			want := bg
			if p.want {
				want = Palette[p.wantColor]
			}
			sx, sy := p.cam.WorldToScreen(p.x, p.y)
			// Probe 8 px inside the sprite, on its own side of the middle.
			if p.x < 0 {
				sx -= 8
			} else {
				sx += 8
			}
			if got := pixelAt(img, sx, sy); !closeTo(got, want, 3) {
				t.Errorf("%s: %s: pixel (%.0f,%.0f) = %v, want %v", s.name, p.name, sx, sy, got, want)
			}
		}
	}
}
