package render

import (
	"image/color"
	"math"
	"testing"
)

// OKLab against reference values (Ottosson's published conversions).
func TestOKLabReference(t *testing.T) {
	for _, tc := range []struct {
		c    color.RGBA
		want [3]float64
	}{
		{color.RGBA{255, 255, 255, 255}, [3]float64{1, 0, 0}},
		{color.RGBA{0, 0, 0, 255}, [3]float64{0, 0, 0}},
		{color.RGBA{255, 0, 0, 255}, [3]float64{0.62796, 0.22486, 0.12585}},
		{color.RGBA{0, 0, 255, 255}, [3]float64{0.45201, -0.03246, -0.31153}},
	} {
		got := OKLab(tc.c)
		for k := range got {
			if math.Abs(got[k]-tc.want[k]) > 1e-3 {
				t.Errorf("OKLab(%v) = %.5f, want %.5f", tc.c, got, tc.want)
				break
			}
		}
	}
}

// minSeparation returns the smallest OKLab distance between two colours of
// p, by brute force over every pair.
func minSeparation(p []color.RGBA) float64 {
	d := math.Inf(1)
	for i := range p {
		for j := i + 1; j < len(p); j++ {
			d = min(d, math.Sqrt(dist2(OKLab(p[i]), OKLab(p[j]))))
		}
	}
	return d
}

// The generated palette keeps the ten Tableau colours first (MNIST's
// pictures do not change), is deterministic, and keeps 300 classes apart:
// every pair at least 0.045 apart in OKLab (a just-noticeable difference
// is about 0.02; the greedy choice reaches 0.0452), every colour inside the lightness band.
func TestDistinctPaletteSeparation(t *testing.T) {
	p := DistinctPalette(300)
	if len(p) != 300 {
		t.Fatalf("%d colours, want 300", len(p))
	}
	for i, c := range Palette {
		if p[i] != c {
			t.Fatalf("colour %d = %v, want Tableau's %v", i, p[i], c)
		}
	}
	again := DistinctPalette(300)
	for i := range p {
		if p[i] != again[i] {
			t.Fatalf("colour %d differs between two runs: %v, %v", i, p[i], again[i])
		}
	}
	const bound = 0.045
	if d := minSeparation(p); d < bound {
		t.Errorf("300 classes: the closest pair is %.4f apart in OKLab, want >= %.3f", d, bound)
	} else {
		t.Logf("300 classes: closest pair %.4f apart in OKLab", d)
	}
	for i, c := range p[len(Palette):] {
		if l := OKLab(c)[0]; l < paletteMinL-1e-9 || l > paletteMaxL+1e-9 {
			t.Errorf("colour %d %v has lightness %.3f outside [%.2f, %.2f]", i+len(Palette), c, l, paletteMinL, paletteMaxL)
		}
	}
	// Fewer classes are better separated: 40 as well as Tableau's ten
	// themselves (0.0835 apart at the closest).
	if d, ten := minSeparation(p[:40]), minSeparation(p[:10]); d < ten-1e-9 {
		t.Errorf("40 classes: closest pair %.4f, want >= %.4f (Tableau 10's closest)", d, ten)
	}
	short := DistinctPalette(7)
	for i := range short {
		if short[i] != Palette[i] {
			t.Fatalf("7 classes: colour %d = %v, want %v", i, short[i], Palette[i])
		}
	}
	if got := ClassColours(300); len(got) != PaletteSize || got[PaletteSize-1] != p[PaletteSize-1] {
		t.Errorf("ClassColours(300): %d colours, last %v; want %d, %v", len(got), got[len(got)-1], PaletteSize, p[PaletteSize-1])
	}
}

func TestPaletteTexelsRepeat(t *testing.T) {
	tx := paletteTexels(Palette[:3])
	for l := 0; l < PaletteSize; l++ {
		c := Palette[l%3]
		if got := [4]uint8(tx[4*l : 4*l+4]); got != [4]uint8{c.R, c.G, c.B, 255} {
			t.Fatalf("label %d texel %v, want %v", l, got, c)
		}
	}
}
