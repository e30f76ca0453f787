package render

import (
	"fmt"
	"testing"

	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/goregular"
)

func TestGlyphAtlasCoversASCIIAndExtras(t *testing.T) {
	for _, size := range []float64{8, 13, 26.5, 64} {
		a, err := newGlyphAtlas(goregular.TTF, size)
		if err != nil {
			t.Fatal(err)
		}
		for r := rune(33); r < 127; r++ {
			g := a.lookup(r)
			if !(g.x1 > g.x0 && g.y1 > g.y0 && g.adv > 0) {
				t.Errorf("size %v: %q has an empty glyph %+v", size, r, *g)
			}
			if g.u1 > 1 || g.v1 > 1 || g.u0 < 0 || g.v0 < 0 {
				t.Errorf("size %v: %q outside the atlas: %+v", size, r, *g)
			}
		}
		if sp := a.lookup(' '); sp.x1 != sp.x0 || !(sp.adv > 0) {
			t.Errorf("size %v: space %+v", size, *sp)
		}
		if len(a.extra) != len([]rune(glyphExtras)) {
			t.Errorf("size %v: %d extra glyphs, want %d", size, len(a.extra), len([]rune(glyphExtras)))
		}
		if a.lookup('✓') != &a.fallback || a.fallback != *a.lookup('?') {
			t.Errorf("size %v: missing runes do not fall back to '?'", size)
		}
		if a.lookup('×') == &a.fallback {
			t.Errorf("size %v: no '×'", size)
		}
		if !(a.lineHeight >= size && a.lineHeight < 2*size && a.ascent < a.lineHeight) {
			t.Errorf("size %v: line height %v, ascent %v", size, a.lineHeight, a.ascent)
		}
		// Every glyph's coverage is in the atlas: the sum of the pixels in
		// its rectangle is positive.
		g := a.lookup('M')
		x0, y0 := int(g.u0*float32(a.w)+0.5), int(g.v0*float32(a.h)+0.5)
		x1, y1 := int(g.u1*float32(a.w)+0.5), int(g.v1*float32(a.h)+0.5)
		sum := 0
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				sum += int(a.pix[y*a.w+x])
			}
		}
		if sum == 0 {
			t.Errorf("size %v: 'M' is blank in the atlas", size)
		}
	}
	if _, err := newGlyphAtlas(goregular.TTF, 0); err == nil {
		t.Error("size 0 accepted")
	}
	if _, err := newGlyphAtlas([]byte("not a font"), 12); err == nil {
		t.Error("garbage font accepted")
	}
}

func TestMeasure(t *testing.T) {
	a, err := newGlyphAtlas(gomono.TTF, 14)
	if err != nil {
		t.Fatal(err)
	}
	adv := a.lookup('0').adv
	for _, tt := range []struct {
		s    string
		want float64
	}{
		{"", 0}, {"0", adv}, {"12345", 5 * adv}, {"ab\ncdef\ng", 4 * adv}, {"×—", 2 * adv},
	} {
		if got := measure(a, []byte(tt.s)); got != tt.want {
			t.Errorf("measure(%q) = %v, want %v", tt.s, got, tt.want)
		}
	}
	// Longer than the 32 bytes the runtime converts on the stack.
	steady := []byte("a steady line of text, long enough to have needed a heap copy")
	if allocs := testing.AllocsPerRun(100, func() { measure(a, steady) }); allocs != 0 {
		t.Errorf("measure allocates %v times", allocs)
	}
}

// BenchmarkGlyphAtlas times rasterising a font into a glyph atlas, the CPU
// part of NewTextRenderer.
func BenchmarkGlyphAtlas(b *testing.B) {
	for _, size := range []float64{13, 26} {
		b.Run(fmt.Sprintf("px=%v", size), func(b *testing.B) {
			for b.Loop() {
				if _, err := newGlyphAtlas(goregular.TTF, size); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
