package render

import "math"

// CPU drafts. On a software rasteriser (llvmpipe) a point sprite a few
// pixels wide costs far more in the driver's per-primitive work (vertex
// fetch, setup, binning into tiles, a 4x4 pixel block per tile touched)
// than its few pixels: 70,000 sprites 6 px wide took 46 ms a frame and
// 1,000,000 dots 280 ms. The sprites of the cheapest tiers, flat dots
// (point_dot.frag), the 4x4 level every grey sprite carries
// (point_micro.frag) and, for grey atlases, one texel of mip level 2
// (point_lod.frag for sprites a quarter to half the image's size; the
// level's pages, a sixteenth of the atlas, are kept on the CPU), need
// nothing the CPU does not have, so there the renderer draws them itself
// into a pixel buffer, in sprite order, split into bands of rows across
// the cores, and uploads the buffer as the scene's picture. The picture is the one the point programs draw, up to
// the rounding of a pixel centre on a point's edge and of 8-bit blending
// (TestCPUDraftMatchesGL). On a GPU the points stay on the GPU.

// splatSprites is the per-sprite data a CPU draft reads: the CPU's copy of
// what the point programs get as vertex attributes and uniforms.
type splatSprites struct {
	labels      []uint8                // palette index per sprite
	flags       []uint8                // FlagHidden, FlagHighlighted, FlagDimmed
	highlighted int                    // sprites with FlagHighlighted
	means       []uint8                // mean coverage (grey: 1 byte) or premultiplied RGBA (colour: 4) per sprite
	micro       []uint32               // 4x4 level per sprite, row y in word y, texel x in byte x (grey only)
	palette     [4 * PaletteSize]uint8 // RGBA per label
	channels    int                    // 1 grey, 4 colour
	microUV     [4]float32             // point_micro.frag's uMicro: image origin and size in 4x4-level texels

	// Mip level 2 of a grey atlas (point_lod.frag's level for sprites
	// between a quarter and half the image's size), nil if not kept.
	level2                  [][]uint8 // pages at level 2
	level2W                 int       // their width
	images                  int       // sprite i shows image i % images
	cellsPerLayer, cellsRow int
	cellW, cellH            int
	imgX, imgY, imgW, imgH  float64 // the image inside its cell, level-0 texels
	imageTexels             float32 // the image's larger side
	maxLevel                int     // the atlas's highest mip level
}

// splatFrame is one CPU draft: where the sprites are and how they are
// drawn, and the pixels they are drawn into.
type splatFrame struct {
	pix      []uint32  // w x h RGBA bytes (R lowest), premultiplied, row 0 at the bottom (as GL reads it)
	w, h     int       // picture size in pixels
	clip     [4]int    // pixels that may be drawn: x0, y0, x1, y1
	from, to []float32 // the two layouts, interleaved x, y
	mix      float32   // 0 shows from, 1 shows to
	cx, cy   float64   // world point at the picture's centre
	zoom     float64   // pixels per world unit
	edge     float32   // sprite edge in pixels (highlighted: 1.6 times)
	kind     tier      // tierDot, tierMicro or tierLOD (mip level 2)
	sprites  *splatSprites
	tints    [4 * PaletteSize]splatTint // by label and flags (see setTints)
}

// draw draws every sprite into the rows [y0, y1) of f.pix, which it
// clears first: sprites in index order, each blended (premultiplied
// "over") into what the earlier ones left, as GL blends a draw call. Bands
// of rows are independent, so workers may draw disjoint bands at once.
func (f *splatFrame) draw(y0, y1 int) {
	clear(f.pix[y0*f.w : y1*f.w])
	y0, y1 = max(y0, f.clip[1]), min(y1, f.clip[3])
	if y0 >= y1 || f.clip[0] >= f.clip[2] {
		return
	}
	s := f.sprites
	halfW, halfH := float64(f.w)/2, float64(f.h)/2
	mix := f.mix
	var tx [splatMaxPx]uint8 // 4x4-level column of each pixel column of a sprite
	for i, fl := range s.flags {
		if fl&FlagHidden != 0 {
			continue
		}
		// GLSL's mix(aFrom, aTo, uMix).
		fx, fy, toX, toY := f.from[2*i], f.from[2*i+1], f.to[2*i], f.to[2*i+1]
		x := fx*(1-mix) + toX*mix
		y := fy*(1-mix) + toY*mix
		edge := f.edge
		if fl&FlagHighlighted != 0 {
			edge *= 1.6
		}
		// The point's square in window pixels (y up), and the pixels whose
		// centres fall inside it.
		sx := (float64(x)-f.cx)*f.zoom + halfW
		sy := (float64(y)-f.cy)*f.zoom + halfH
		half := float64(edge) / 2
		left, bottom := sx-half, sy-half
		py0 := max(pixelFrom(bottom), y0)
		py1 := min(pixelFrom(sy+half), y1)
		if py0 >= py1 {
			continue
		}
		px0 := max(pixelFrom(left), f.clip[0])
		px1 := min(pixelFrom(sx+half), f.clip[2], px0+splatMaxPx)
		if px0 >= px1 {
			continue
		}
		c := &f.tints[int(s.labels[i])<<2|int(fl>>2&3)]
		if f.kind == tierLOD {
			f.drawLevel2(i, c, px0, px1, py0, py1, left, sy+half, edge)
			continue
		}
		if f.kind == tierDot {
			src := s.dotColour(i, c)
			for py := py0; py < py1; py++ {
				row := f.pix[py*f.w+px0 : py*f.w+px1]
				for p, d := range row {
					row[p] = blendOver(d, src)
				}
			}
			continue
		}
		// point_micro.frag: texel clamp(uMicro.xy + gl_PointCoord *
		// uMicro.zw, 0, 3), gl_PointCoord from the top-left corner.
		m := s.micro[4*i : 4*i+4 : 4*i+4]
		inv := 1 / float64(edge)
		uv := &s.microUV
		for px := px0; px < px1; px++ {
			pcx := (float64(px) + 0.5 - left) * inv
			tx[px-px0] = uint8(8 * clamp3(int(float32(float64(uv[0])+pcx*float64(uv[2])))))
		}
		top := sy + half
		for py := py0; py < py1; py++ {
			pcy := (top - (float64(py) + 0.5)) * inv
			word := m[clamp3(int(float32(float64(uv[1])+pcy*float64(uv[3]))))]
			row := f.pix[py*f.w+px0 : py*f.w+px1]
			for p, d := range row {
				a := div255(word >> tx[p&(splatMaxPx-1)] & 0xff * c.a)
				row[p] = blendOver(d, premultiply(c.rb, c.g, a))
			}
		}
	}
}

// drawLevel2 draws sprite i with tint c into the pixels [px0, px1) x
// [py0, py1) as point_lod.frag does at mip level 2: one texel of that
// level a pixel, the point's square having its left edge at left and
// its top at top.
func (f *splatFrame) drawLevel2(i int, c *splatTint, px0, px1, py0, py1 int, left, top float64, edge float32) {
	s := f.sprites
	img := i % s.images
	layer, cell := img/s.cellsPerLayer, img%s.cellsPerLayer
	cx, cy := (cell%s.cellsRow)*s.cellW, (cell/s.cellsRow)*s.cellH
	page := s.level2[layer]
	inv := 1 / float64(edge)
	var tx [splatMaxPx]int32
	for px := px0; px < px1; px++ {
		pcx := (float64(px) + 0.5 - left) * inv
		t := int((float64(cx) + s.imgX + pcx*s.imgW) / 4)
		tx[px-px0] = int32(min(max(t, cx/4), (cx+s.cellW)/4-1))
	}
	for py := py0; py < py1; py++ {
		pcy := (top - (float64(py) + 0.5)) * inv
		t := int((float64(cy) + s.imgY + pcy*s.imgH) / 4)
		texels := page[min(max(t, cy/4), (cy+s.cellH)/4-1)*s.level2W:]
		row := f.pix[py*f.w+px0 : py*f.w+px1]
		for p, d := range row {
			a := div255(uint32(texels[tx[p&(splatMaxPx-1)]]) * c.a)
			row[p] = blendOver(d, premultiply(c.rb, c.g, a))
		}
	}
}

// splatMaxPx bounds the pixel columns of one CPU-drawn sprite: the tiers
// drawn on the CPU are under 16 pixels wide (1.6 times that highlighted).
const splatMaxPx = 32

// pixelFrom returns the first pixel whose centre is at or past the window
// coordinate v: a point covers the pixels from pixelFrom(its low edge) up
// to, not including, pixelFrom(its high edge).
func pixelFrom(v float64) int {
	if !(v > -1<<30) { // NaN too
		return -1 << 30
	}
	return int(math.Ceil(min(v, 1<<30) - 0.5))
}

// clamp3 clamps a 4x4-level texel index to [0, 3].
func clamp3(t int) int { return min(max(t, 0), 3) }

// splatTint is a sprite's tint (spriteColor() of sprite_common.glsl) in
// 8-bit integers: straight colour and alpha, 0..255.
type splatTint struct {
	r, g, b, a uint32
	rb         uint32 // r | b<<16, for premultiply
}

// tints fills f.tints for the palette and opacity: the label's colour,
// lighter when highlighted, greyed and mostly transparent when dimmed, at
// the opacity 1 - fade; entry label<<2 | flags>>2&3 (bit 0 highlighted,
// bit 1 dimmed).
func (f *splatFrame) setTints(fade float32) {
	pal := &f.sprites.palette
	for l := range PaletteSize {
		for v := range 4 {
			c := [4]float32{float32(pal[4*l]) / 255, float32(pal[4*l+1]) / 255, float32(pal[4*l+2]) / 255, 1 - fade}
			if v&1 != 0 { // FlagHighlighted
				for k := range 3 {
					c[k] = c[k]*0.8 + 0.2
				}
			}
			if v&2 != 0 { // FlagDimmed
				g := c[0]*0.299 + c[1]*0.587 + c[2]*0.114
				for k := range 3 {
					c[k] = c[k]*0.3 + g*0.7
				}
				c[3] *= 0.12
			}
			t := splatTint{r: to255(c[0]), g: to255(c[1]), b: to255(c[2]), a: to255(c[3])}
			t.rb = t.r | t.b<<16
			f.tints[l<<2|v] = t
		}
	}
}

// to255 rounds v in [0, 1] to 0..255.
func to255(v float32) uint32 { return uint32(min(max(v, 0), 1)*255 + 0.5) }

// div255 returns round(v / 255) for v <= 255*255.
func div255(v uint32) uint32 {
	v += 128
	return (v + v>>8) >> 8
}

// dotColour is point_dot.frag's premultiplied colour for sprite i with
// tint c, packed as a pixel: spriteShade of the image's mean at the
// centre (no frame).
func (s *splatSprites) dotColour(i int, c *splatTint) uint32 {
	if s.channels != 4 {
		return premultiply(c.rb, c.g, div255(uint32(s.means[i])*c.a))
	}
	m := s.means[4*i : 4*i+4 : 4*i+4]
	t := [4]uint32{uint32(m[0]), uint32(m[1]), uint32(m[2]), uint32(m[3])}
	if c.a < 255 { // as sprite_shade.glsl: mostly grey below full alpha
		g := (t[0]*299 + t[1]*587 + t[2]*114 + 500) / 1000
		for k := range 3 {
			t[k] = (t[k]*3 + g*7 + 5) / 10
		}
	}
	return div255(t[0]*c.a) | div255(t[1]*c.a)<<8 | div255(t[2]*c.a)<<16 | div255(t[3]*c.a)<<24
}

// premultiply packs the colour rb (red | blue<<16) and g, 0..255, times
// alpha a as a premultiplied pixel.
func premultiply(rb, g, a uint32) uint32 {
	return div255x2(rb*a) | div255(g*a)<<8 | a<<24
}

// div255x2 is div255 of the two 16-bit lanes of v (each <= 255*255).
func div255x2(v uint32) uint32 {
	v += 0x00800080
	return (v + v>>8&0x00ff00ff) >> 8 & 0x00ff00ff
}

// blendOver blends the premultiplied pixel src over d (both RGBA bytes, R
// lowest): glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA) into an RGBA8
// target, each channel rounded. No channel overflows: a premultiplied
// channel is at most its alpha, and d's share at most 255 - that alpha.
func blendOver(d, src uint32) uint32 {
	k := 255 - src>>24
	rb := div255x2(d & 0x00ff00ff * k)
	ga := div255x2(d >> 8 & 0x00ff00ff * k)
	return src + (rb | ga<<8)
}
