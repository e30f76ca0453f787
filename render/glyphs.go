package render

import (
	"fmt"
	"image"
	"image/draw"
	"math"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/math/fixed"
)

// glyphExtras are the runes beyond printable ASCII that a glyph atlas
// holds when the font has them.
const glyphExtras = "—–×·…•±°µ→←↑↓▲▼"

// glyph is one rasterised character: its quad relative to the pen on the
// baseline (pixels, y down), its place in the atlas and its advance.
type glyph struct {
	x0, y0, x1, y1 float32 // quad, relative to the pen; empty when x0 == x1
	u0, v0, u1, v1 float32 // atlas texture coordinates
	adv            float64 // advance in pixels
}

// glyphAtlas is a font rasterised at one pixel size into one R8 image.
// It is pure Go; TextRenderer uploads Pix as a texture.
type glyphAtlas struct {
	w, h       int
	pix        []uint8   // R8, row 0 at the top, w*h bytes
	ascii      [95]glyph // runes 32..126
	extraRunes []rune
	extra      []glyph
	fallback   glyph   // drawn for runes the atlas lacks: '?'
	ascent     float64 // baseline below the line box's top, whole pixels
	lineHeight float64 // distance between baselines, whole pixels
}

// newGlyphAtlas rasterises printable ASCII and the glyphExtras the font
// has, at sizePx pixels per em, with whole-pixel advances (hinting). The
// fonts of golang.org/x/image/font/gofont have no kerning table, so none
// is applied.
func newGlyphAtlas(ttf []byte, sizePx float64) (*glyphAtlas, error) {
	if !(sizePx >= 1 && sizePx <= 512) {
		return nil, fmt.Errorf("render: text size %v pixels is outside [1, 512]", sizePx)
	}
	f, err := opentype.Parse(ttf)
	if err != nil {
		return nil, fmt.Errorf("render: parsing font: %w", err)
	}
	face, err := opentype.NewFace(f, &opentype.FaceOptions{Size: sizePx, DPI: 72, Hinting: font.HintingFull})
	if err != nil {
		return nil, fmt.Errorf("render: font face: %w", err)
	}
	defer face.Close()

	// Gather the runes the font has, then rasterise and shelf-pack them.
	var runes []rune
	for r := rune(32); r < 127; r++ {
		runes = append(runes, r)
	}
	for _, r := range glyphExtras {
		if idx, err := f.GlyphIndex(nil, r); err == nil && idx != 0 {
			runes = append(runes, r)
		}
	}
	type raster struct {
		g    glyph
		mask *image.Alpha
		x, y int // place in the atlas
	}
	rs := make([]raster, len(runes))
	const pad = 1 // empty pixels around every glyph: nearest sampling never bleeds
	area, widest := 0, 0
	for i, r := range runes {
		dr, mask, maskp, adv, ok := face.Glyph(fixed.Point26_6{}, r)
		if !ok && r != ' ' {
			return nil, fmt.Errorf("render: font has no glyph for %q", r)
		}
		g := glyph{adv: float64(adv) / 64}
		if !dr.Empty() {
			m := image.NewAlpha(image.Rect(0, 0, dr.Dx(), dr.Dy()))
			draw.Draw(m, m.Rect, mask, maskp, draw.Src)
			rs[i].mask = m
			g.x0, g.y0 = float32(dr.Min.X), float32(dr.Min.Y)
			g.x1, g.y1 = float32(dr.Max.X), float32(dr.Max.Y)
			area += (dr.Dx() + pad) * (dr.Dy() + pad)
			widest = max(widest, dr.Dx()+2*pad)
		}
		rs[i].g = g
	}
	// A roughly square atlas: the power of two above the side of a square
	// holding every glyph with a margin for the shelves' waste.
	width := 64
	for width*width < 2*area || width < widest {
		width *= 2
	}
	x, y, rowH := pad, pad, 0
	for i := range rs {
		m := rs[i].mask
		if m == nil {
			continue
		}
		w, h := m.Rect.Dx(), m.Rect.Dy()
		if x+w+pad > width {
			x, y, rowH = pad, y+rowH+pad, 0
		}
		rs[i].x, rs[i].y = x, y
		x += w + pad
		rowH = max(rowH, h)
	}
	a := &glyphAtlas{w: width, h: y + rowH + pad}
	a.pix = make([]uint8, a.w*a.h)
	for i, r := range runes {
		g := rs[i].g
		if m := rs[i].mask; m != nil {
			w, h := m.Rect.Dx(), m.Rect.Dy()
			for yy := 0; yy < h; yy++ {
				copy(a.pix[(rs[i].y+yy)*a.w+rs[i].x:], m.Pix[yy*m.Stride:yy*m.Stride+w])
			}
			g.u0, g.v0 = float32(rs[i].x)/float32(a.w), float32(rs[i].y)/float32(a.h)
			g.u1, g.v1 = float32(rs[i].x+w)/float32(a.w), float32(rs[i].y+h)/float32(a.h)
		}
		if r < 127 {
			a.ascii[r-32] = g
		} else {
			a.extraRunes = append(a.extraRunes, r)
			a.extra = append(a.extra, g)
		}
	}
	a.fallback = a.ascii['?'-32]
	m := face.Metrics()
	a.ascent = float64(m.Ascent.Ceil())
	a.lineHeight = math.Max(float64(m.Height.Ceil()), float64((m.Ascent + m.Descent).Ceil()))
	return a, nil
}

// lookup returns the glyph for r, or the fallback '?' when the atlas does
// not hold r.
func (a *glyphAtlas) lookup(r rune) *glyph {
	if r >= 32 && r < 127 {
		return &a.ascii[r-32]
	}
	for i, e := range a.extraRunes {
		if e == r {
			return &a.extra[i]
		}
	}
	return &a.fallback
}

// measure returns the advance width of the widest line of s in pixels.
func measure(a *glyphAtlas, s []byte) float64 {
	w, line := 0.0, 0.0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRune(s[i:])
		i += size
		if r == '\n' {
			w, line = math.Max(w, line), 0
			continue
		}
		line += a.lookup(r).adv
	}
	return math.Max(w, line)
}
