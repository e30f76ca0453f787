package render

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
// "over") into what the earlier ones left, as GL blends a draw call. It is
// the plain form of what the worker team does in tiles (splat_gl.go), and
// the tests' reference for it.
func (f *splatFrame) draw(y0, y1 int) {
	clear(f.pix[y0*f.w : y1*f.w])
	r := [4]int{f.clip[0], max(y0, f.clip[1]), f.clip[2], min(y1, f.clip[3])}
	if r[1] >= r[3] || r[0] >= r[2] {
		return
	}
	for i, fl := range f.sprites.flags {
		if fl&FlagHidden == 0 {
			x, y := f.centre(i)
			g := f.geometry(x, y, fl)
			f.drawSprite(i, fl, &g, r)
		}
	}
}

// splatGeom is where a sprite falls: the left and top edges of its square
// and its side, in window pixels (y up), and the pixels whose centres fall
// inside it, [px0, px1) x [py0, py1).
type splatGeom struct {
	left, top          float64
	edge               float32
	px0, px1, py0, py1 int
}

// centre returns sprite i's centre in window pixels (y up).
func (f *splatFrame) centre(i int) (x, y float32) {
	// GLSL's mix(aFrom, aTo, uMix).
	mix := f.mix
	fx, fy, toX, toY := f.from[2*i], f.from[2*i+1], f.to[2*i], f.to[2*i+1]
	wx := fx*(1-mix) + toX*mix
	wy := fy*(1-mix) + toY*mix
	return float32((float64(wx)-f.cx)*f.zoom + float64(f.w)/2), float32((float64(wy)-f.cy)*f.zoom + float64(f.h)/2)
}

// geometry returns where a sprite with flags fl centred on (x, y) falls.
func (f *splatFrame) geometry(x, y float32, fl uint8) splatGeom {
	edge := f.edge
	if fl&FlagHighlighted != 0 {
		edge *= 1.6
	}
	sx, sy, half := float64(x), float64(y), float64(edge)/2
	g := splatGeom{left: sx - half, top: sy + half, edge: edge}
	g.px0, g.px1 = pixelFrom(g.left), pixelFrom(sx+half)
	g.py0, g.py1 = pixelFrom(sy-half), pixelFrom(g.top)
	g.px1 = min(g.px1, g.px0+splatMaxPx) // NaN and absurd sizes
	return g
}

// drawSprite blends sprite i, with flags fl, placed by g, into the pixels
// of r (x0, y0, x1, y1) it covers.
func (f *splatFrame) drawSprite(i int, fl uint8, g *splatGeom, r [4]int) {
	px0, px1 := max(g.px0, r[0]), min(g.px1, r[2])
	py0, py1 := max(g.py0, r[1]), min(g.py1, r[3])
	if px0 >= px1 || py0 >= py1 {
		return
	}
	s := f.sprites
	c := &f.tints[int(s.labels[i])<<2|int(fl>>2&3)]
	switch f.kind {
	case tierLOD:
		f.drawLevel2(i, c, g, px0, px1, py0, py1)
	case tierDot:
		src := s.dotColour(i, c)
		for py := py0; py < py1; py++ {
			row := f.pix[py*f.w+px0 : py*f.w+px1]
			for p, d := range row {
				row[p] = blendOver(d, src)
			}
		}
	default:
		// point_micro.frag: texel clamp(uMicro.xy + gl_PointCoord *
		// uMicro.zw, 0, 3), gl_PointCoord from the top-left corner.
		var tx [splatMaxPx]uint8 // the 4x4 level's column of each pixel column, times 8
		m := s.micro[4*i : 4*i+4 : 4*i+4]
		inv := 1 / float64(g.edge)
		uv := &s.microUV
		for px := px0; px < px1; px++ {
			pcx := (float64(px) + 0.5 - g.left) * inv
			tx[px-px0] = uint8(8 * clamp3(int(float32(float64(uv[0])+pcx*float64(uv[2])))))
		}
		for py := py0; py < py1; py++ {
			pcy := (g.top - (float64(py) + 0.5)) * inv
			word := m[clamp3(int(float32(float64(uv[1])+pcy*float64(uv[3]))))]
			row := f.pix[py*f.w+px0 : py*f.w+px1]
			for p, d := range row {
				if a := div255(word >> tx[p&(splatMaxPx-1)] & 0xff * c.a); a != 0 { // blending nothing keeps d
					row[p] = blendOver(d, premultiply(c.rb, c.g, a))
				}
			}
		}
	}
}

// drawLevel2 draws sprite i with tint c, placed by g, into the pixels
// [px0, px1) x [py0, py1) as point_lod.frag does at mip level 2: one texel
// of that level a pixel.
func (f *splatFrame) drawLevel2(i int, c *splatTint, g *splatGeom, px0, px1, py0, py1 int) {
	s := f.sprites
	img := i % s.images
	layer, cell := img/s.cellsPerLayer, img%s.cellsPerLayer
	cx, cy := (cell%s.cellsRow)*s.cellW, (cell/s.cellsRow)*s.cellH
	page := s.level2[layer]
	inv := 1 / float64(g.edge)
	var tx [splatMaxPx]int32
	for px := px0; px < px1; px++ {
		pcx := (float64(px) + 0.5 - g.left) * inv
		t := int((float64(cx) + s.imgX + pcx*s.imgW) / 4)
		tx[px-px0] = int32(min(max(t, cx/4), (cx+s.cellW)/4-1))
	}
	for py := py0; py < py1; py++ {
		pcy := (g.top - (float64(py) + 0.5)) * inv
		t := int((float64(cy) + s.imgY + pcy*s.imgH) / 4)
		texels := page[min(max(t, cy/4), (cy+s.cellH)/4-1)*s.level2W:]
		row := f.pix[py*f.w+px0 : py*f.w+px1]
		for p, d := range row {
			if a := div255(uint32(texels[tx[p&(splatMaxPx-1)]]) * c.a); a != 0 {
				row[p] = blendOver(d, premultiply(c.rb, c.g, a))
			}
		}
	}
}

// splatMaxPx bounds the pixel columns of one CPU-drawn sprite: the tiers
// drawn on the CPU are under 16 pixels wide (1.6 times that highlighted).
const splatMaxPx = 32

// pixelFrom returns the first pixel whose centre is at or past the window
// coordinate v: a point covers the pixels from pixelFrom(its low edge) up
// to, not including, pixelFrom(its high edge). (ceil(v - 0.5) without
// math.Ceil, a function call on the baseline amd64.)
func pixelFrom(v float64) int {
	t := v - 0.5
	if !(t > -1<<30 && t < 1<<30) { // NaN too
		return -1 << 30
	}
	i := int(t) // towards zero: the ceiling below zero
	if float64(i) < t {
		i++
	}
	return i
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
