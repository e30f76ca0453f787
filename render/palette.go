package render

import (
	"image/color"
	"math"
	"sync"
)

// Palette is the qualitative colour set of the first ten labels (Tableau
// 10, 2016). Labels from 10 on take the further colours of ClassColours,
// which begins with these ten, so MNIST looks as it always has.
var Palette = [10]color.RGBA{
	{0x4E, 0x79, 0xA7, 0xFF}, // blue
	{0xF2, 0x8E, 0x2B, 0xFF}, // orange
	{0xE1, 0x57, 0x59, 0xFF}, // red
	{0x76, 0xB7, 0xB2, 0xFF}, // teal
	{0x59, 0xA1, 0x4F, 0xFF}, // green
	{0xED, 0xC9, 0x48, 0xFF}, // yellow
	{0xB0, 0x7A, 0xA1, 0xFF}, // purple
	{0xFF, 0x9D, 0xA7, 0xFF}, // pink
	{0x9C, 0x75, 0x5F, 0xFF}, // brown
	{0xBA, 0xB0, 0xAC, 0xFF}, // grey
}

// PaletteSize is the number of label colours the sprite renderer holds:
// labels are bytes.
const PaletteSize = 256

// Bounds of the generated colours: OKLab lightness kept well above the
// HUD's dark background and below white (highlights and outlines are
// white), and the sRGB grid the candidates are drawn from.
const (
	paletteMinL  = 0.50
	paletteMaxL  = 0.92
	paletteSteps = 24 // candidates per sRGB channel: 25^3 before the lightness cut
)

var (
	classOnce    sync.Once
	classColours []color.RGBA
)

// ClassColour returns label l's colour: ClassColours' l-th entry.
func ClassColour(l uint8) color.RGBA {
	classOnce.Do(func() { classColours = DistinctPalette(PaletteSize) })
	return classColours[l]
}

// ClassColours returns the colours of labels 0..n-1 (n <= PaletteSize): the
// first n of DistinctPalette(PaletteSize). Greedy choice makes every
// prefix the palette it would have generated for that many classes, so a
// dataset's colours do not depend on how many classes it has.
func ClassColours(n int) []color.RGBA {
	classOnce.Do(func() { classColours = DistinctPalette(PaletteSize) })
	return append([]color.RGBA(nil), classColours[:min(max(n, 0), PaletteSize)]...)
}

// DistinctPalette returns n colours chosen to be told apart: Palette's ten
// first (fewer if n < 10), then, one at a time, the candidate farthest in
// OKLab (a perceptual space where Euclidean distance follows seen
// difference) from every colour chosen so far, over a grid of sRGB colours
// whose lightness lies in [paletteMinL, paletteMaxL]. Ties go to the first
// candidate in grid order, so the result is deterministic.
// TestDistinctPaletteSeparation states the separation it reaches.
func DistinctPalette(n int) []color.RGBA {
	out := make([]color.RGBA, 0, n)
	for i := 0; i < min(n, len(Palette)); i++ {
		out = append(out, Palette[i])
	}
	if n <= len(Palette) {
		return out
	}
	type cand struct {
		lab [3]float64
		c   color.RGBA
		d   float64 // squared distance to the nearest chosen colour
	}
	var cands []cand
	for r := 0; r <= paletteSteps; r++ {
		for g := 0; g <= paletteSteps; g++ {
			for b := 0; b <= paletteSteps; b++ {
				c := color.RGBA{uint8(r * 255 / paletteSteps), uint8(g * 255 / paletteSteps), uint8(b * 255 / paletteSteps), 255}
				lab := OKLab(c)
				if lab[0] >= paletteMinL && lab[0] <= paletteMaxL {
					cands = append(cands, cand{lab, c, math.Inf(1)})
				}
			}
		}
	}
	near := func(lab [3]float64) {
		for i := range cands {
			cands[i].d = min(cands[i].d, dist2(cands[i].lab, lab))
		}
	}
	for _, c := range out {
		near(OKLab(c))
	}
	for len(out) < n {
		best := 0
		for i := range cands {
			if cands[i].d > cands[best].d {
				best = i
			}
		}
		out = append(out, cands[best].c)
		near(cands[best].lab)
	}
	return out
}

// OKLab returns c's coordinates (L, a, b) in Björn Ottosson's OKLab space
// (2020), from sRGB.
func OKLab(c color.RGBA) [3]float64 {
	lin := func(v uint8) float64 {
		x := float64(v) / 255
		if x <= 0.04045 {
			return x / 12.92
		}
		return math.Pow((x+0.055)/1.055, 2.4)
	}
	r, g, b := lin(c.R), lin(c.G), lin(c.B)
	l := math.Cbrt(0.4122214708*r + 0.5363325363*g + 0.0514459929*b)
	m := math.Cbrt(0.2119034982*r + 0.6806995451*g + 0.1073969566*b)
	s := math.Cbrt(0.0883024619*r + 0.2817188376*g + 0.6299787005*b)
	return [3]float64{
		0.2104542553*l + 0.7936177850*m - 0.0040720468*s,
		1.9779984951*l - 2.4285922050*m + 0.4505937099*s,
		0.0259040371*l + 0.7827717662*m - 0.8086757660*s,
	}
}

func dist2(p, q [3]float64) float64 {
	dl, da, db := p[0]-q[0], p[1]-q[1], p[2]-q[2]
	return dl*dl + da*da + db*db
}

// paletteTexels returns the first PaletteSize colours of a palette as RGBA
// bytes for the palette texture: label l takes colours[l%len(colours)].
func paletteTexels(colours []color.RGBA) [4 * PaletteSize]uint8 {
	var t [4 * PaletteSize]uint8
	for l := 0; l < PaletteSize && len(colours) > 0; l++ {
		c := colours[l%len(colours)]
		t[4*l], t[4*l+1], t[4*l+2], t[4*l+3] = c.R, c.G, c.B, 255
	}
	return t
}
