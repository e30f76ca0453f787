package render

import (
	"fmt"
	"image/color"
	"unsafe"

	"github.com/go-gl/gl/v3.3-core/gl"
	"github.com/go-gl/mathgl/mgl32"
	"github.com/mnist-explorer/mnist-explorer/atlas"
	"github.com/mnist-explorer/mnist-explorer/shaders"
)

// Sprite flags, one byte per sprite, set with SetFlags.
const (
	FlagHidden      uint8 = 1 << 0 // not drawn
	FlagHighlighted uint8 = 1 << 2 // drawn 1.6 times as large, colour a little lighter
	FlagDimmed      uint8 = 1 << 3 // greyed and mostly transparent: context behind what matters
)

// SpriteRenderer draws N sprites with one draw call. A grey atlas's image
// is tinted by its label's colour (ClassColour); a colour (RGBA) atlas's
// image is drawn in its own colours, composited by its alpha, inside a thin
// frame of its label's colour (a frame one pixel up to 3% of the sprite's
// edge, at most three pixels; dots have none). Per-sprite data lives on the
// GPU: two position buffers ("from" and "to", mixed by SetMix), the atlas
// cell, the image's mean coverage (grey) or mean premultiplied colour
// (RGBA) and the label (uploaded once), and flags. Labels index a
// PaletteSize-entry palette texture (SetPalette). Sprites
// are drawn as points up to the driver's largest point and as instanced
// quads above it, with a cheaper shader when they are a few pixels wide,
// into a cached scene texture (see Options). Its methods must be called on
// the GL thread.
type SpriteRenderer struct {
	n        int
	prog     program     // instanced quads, full quality
	vao      vertexArray // quads: per-instance attributes
	pvao     vertexArray // points: the same buffers, per vertex
	quad     buffer
	from, to buffer // vec2 world positions, N each
	cells    buffer // uvec2 (layer, cell in layer), N
	means    buffer // uint8 mean coverage (grey) or 4 x uint8 mean premultiplied RGBA (colour) of the image's cell, N
	micro    buffer // uvec4 the cell's 4x4 level, N (grey atlases only)
	labels   buffer // uint8, N
	flags    buffer // uint8, N
	tex      texture
	palette  texture // PaletteSize x 1 RGBA8: label l's colour in texel l
	channels int     // the atlas's bytes a pixel: 1 grey, 4 RGBA
	mix      float32
	mvp      mgl32.Mat4 // scratch for Draw, kept here so Draw allocates nothing
	u        struct{ viewProj, mix, size, fade int32 }

	points     [tierCount]pointProgram // full, LOD, micro, dot
	maxPointPx float32                 // the driver's largest point side
	microMaxPx float32                 // sprites narrower than this may use the 4x4 level
	opts       Options
	gen        uint64 // bumped by every upload, so the cache sees data changes
	cache      sceneCache
	viewport   [4]int32 // scratch for Draw

	// cpuFrom and cpuTo are the CPU's copies of from and to for CPU drafts
	// (splat.go); nil when they are off. splat is the draft's scratch.
	cpuFrom, cpuTo []float32
	splat          splatFrame

	// shared is what a renderer and its views (NewView) have in common:
	// the generation of the data they share (labels, flags, palette).
	shared *spriteShared
	// view marks a renderer made by NewView: it owns only its positions,
	// vertex arrays and scene cache; the rest belongs to its parent.
	view    bool
	attribs []attrib // layout(), made once for DrawOneIn
}

// Vertex attribute locations, as fixed in shaders.SpriteVert and
// shaders.PointVert.
const (
	locCorner = 0
	locFrom   = 1
	locTo     = 2
	locCell   = 3
	locLabel  = 4
	locFlags  = 5
	locMean   = 6
	locMicro  = 7
)

// attrib describes one vertex attribute fed from its own tightly packed
// buffer.
type attrib struct {
	loc     uint32
	buf     *buffer
	size    int32  // components
	typ     uint32 // gl.FLOAT, gl.UNSIGNED_INT, gl.UNSIGNED_BYTE
	integer bool   // read as an integer in the shader (glVertexAttribIPointer)
	divisor uint32 // 0 per vertex, 1 per instance
}

// bind points the attribute at its buffer in the bound vertex array.
func (a attrib) bind() {
	gl.BindBuffer(gl.ARRAY_BUFFER, uint32(*a.buf))
	gl.EnableVertexAttribArray(a.loc)
	if a.integer {
		gl.VertexAttribIPointerWithOffset(a.loc, a.size, a.typ, 0, 0)
	} else {
		gl.VertexAttribPointerWithOffset(a.loc, a.size, a.typ, false, 0, 0)
	}
	gl.VertexAttribDivisor(a.loc, a.divisor)
}

// NewSpriteRenderer uploads the atlas as a mipmapped 2D array texture (R8
// for a grey atlas, RGBA8 for a colour one) and creates one sprite per
// label: sprite i shows image i%a.N, so a small atlas can back many
// sprites. Labels take the colours of ClassColours until SetPalette.
// Positions start at the origin; set them with SetPositions. Call Delete to
// free the GL objects.
func NewSpriteRenderer(a *atlas.Atlas, labels []uint8) (*SpriteRenderer, error) {
	n := len(labels)
	if n == 0 || a == nil || a.N == 0 {
		return nil, fmt.Errorf("render: sprite renderer needs labels and a non-empty atlas")
	}
	prog, err := newProgram("sprite", shaders.SpriteVert, shaders.SpriteFrag)
	if err != nil {
		return nil, err
	}
	r := &SpriteRenderer{n: n, prog: prog, mix: 1, shared: &spriteShared{}, channels: max(a.Channels, 1)}
	if err := r.lookUpUniforms(a); err != nil {
		r.Delete()
		return nil, err
	}
	if err := r.createPointPrograms(a); err != nil {
		r.Delete()
		return nil, err
	}
	if err := r.cache.init(); err != nil {
		r.Delete()
		return nil, err
	}
	var lod2 [][]uint8
	if r.tex, lod2, err = uploadAtlas(a, softwareGL && r.channels == 1); err != nil {
		r.Delete()
		return nil, err
	}
	r.palette = newPaletteTexture()
	r.SetPalette(ClassColours(PaletteSize))
	r.createBuffers(a, labels)
	if r.shared.cpu != nil {
		r.shared.cpu.setLevel2(a, lod2)
	}
	if err := glError("creating sprite renderer"); err != nil {
		r.Delete()
		return nil, err
	}
	return r, nil
}

// atlasUniformNames are the uniforms that describe the atlas and the
// palette, in the order setAtlasUniforms sets them.
var atlasUniformNames = [...]string{"uCellsPerRow", "uCellUV", "uOffUV", "uImageUV", "uPalette", "uAtlas",
	"uImageTexels", "uPageTexels", "uMaxLevel", "uColour"}

// Texture units: the atlas on 0, the label palette on 1.
const (
	unitAtlas   = 0
	unitPalette = 1
)

// setAtlasUniforms sets the uniforms that describe atlas a and the label
// palette, shared by the sprite, point and emphasised-sprite programs.
// Each program must use the first want of atlasUniformNames; it may use
// the others (the linker drops what a program does not read).
func setAtlasUniforms(p program, a *atlas.Atlas, want int) error {
	var loc [len(atlasUniformNames)]int32
	for i, name := range atlasUniformNames {
		loc[i] = gl.GetUniformLocation(uint32(p), gl.Str(name+"\x00"))
		if loc[i] < 0 && i < want {
			return fmt.Errorf("render: program has no active uniform %q", name)
		}
	}
	pw, ph := float32(a.PageW), float32(a.PageH)
	colour := int32(0)
	if a.Channels == 4 {
		colour = 1
	}
	gl.UseProgram(uint32(p))
	gl.Uniform1ui(loc[0], uint32(a.CellsPerRow))
	gl.Uniform2f(loc[1], float32(a.CellW)/pw, float32(a.CellH)/ph)
	gl.Uniform2f(loc[2], float32(a.OffX)/pw, float32(a.OffY)/ph)
	gl.Uniform2f(loc[3], float32(a.ImageW)/pw, float32(a.ImageH)/ph)
	gl.Uniform1i(loc[4], unitPalette)
	gl.Uniform1i(loc[5], unitAtlas)
	gl.Uniform1f(loc[6], float32(max(a.ImageW, a.ImageH)))
	gl.Uniform2f(loc[7], pw, ph)
	gl.Uniform1i(loc[8], int32(a.MaxMipLevel()))
	gl.Uniform1i(loc[9], colour)
	gl.UseProgram(0)
	return nil
}

// lookUpUniforms finds the per-frame uniforms once and sets the constant
// ones.
func (r *SpriteRenderer) lookUpUniforms(a *atlas.Atlas) error {
	p := r.prog
	r.u.fade = gl.GetUniformLocation(uint32(p), gl.Str("uFade\x00"))
	locs := map[string]*int32{"uViewProj": &r.u.viewProj, "uMix": &r.u.mix, "uSize": &r.u.size}
	for name, dst := range locs {
		loc, err := p.uniform(name)
		if err != nil {
			return err
		}
		*dst = loc
	}
	return setAtlasUniforms(p, a, 6)
}

// newPaletteTexture creates the PaletteSize x 1 RGBA8 label palette,
// sampled with texelFetch (no filtering); SetPalette fills it.
func newPaletteTexture() texture {
	t := newTexture()
	gl.BindTexture(gl.TEXTURE_2D, uint32(t))
	gl.TexImage2D(gl.TEXTURE_2D, 0, gl.RGBA8, PaletteSize, 1, 0, gl.RGBA, gl.UNSIGNED_BYTE, nil)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.NEAREST)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.NEAREST)
	gl.TexParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAX_LEVEL, 0)
	gl.BindTexture(gl.TEXTURE_2D, 0)
	return t
}

// bindTextures binds the atlas to unit 0 and the palette to unit 1, and
// leaves unit 0 active.
func (r *SpriteRenderer) bindTextures() {
	gl.ActiveTexture(gl.TEXTURE0 + unitPalette)
	gl.BindTexture(gl.TEXTURE_2D, uint32(r.palette))
	gl.ActiveTexture(gl.TEXTURE0 + unitAtlas)
	gl.BindTexture(gl.TEXTURE_2D_ARRAY, uint32(r.tex))
}

// SetPalette replaces the label colours: label l draws in
// colours[l%len(colours)], for example a colour ramp with labels as bins of
// a value; SetPalette(ClassColours(PaletteSize)) restores the class
// colours. The palette is shared with r's views. It panics if colours is
// empty.
func (r *SpriteRenderer) SetPalette(colours []color.RGBA) {
	if len(colours) == 0 {
		panic("render: SetPalette with no colours")
	}
	t := paletteTexels(colours)
	r.shared.palette = t
	if r.shared.cpu != nil {
		r.shared.cpu.palette = t
	}
	gl.BindTexture(gl.TEXTURE_2D, uint32(r.palette))
	gl.PixelStorei(gl.UNPACK_ALIGNMENT, 1)
	gl.TexSubImage2D(gl.TEXTURE_2D, 0, 0, 0, PaletteSize, 1, gl.RGBA, gl.UNSIGNED_BYTE, unsafe.Pointer(&t[0]))
	gl.BindTexture(gl.TEXTURE_2D, 0)
	r.shared.gen++
}

// Colour reports whether the atlas is RGBA: sprites show their own colours
// inside a label-coloured frame rather than a label tint.
func (r *SpriteRenderer) Colour() bool { return r.channels == 4 }

// uploadAtlas creates the array texture (R8 or RGBA8), one layer per page,
// with mipmaps up to the atlas's safe level. With keep2 it also returns
// mip level 2's pages (nil if the atlas has none), for CPU drafts.
func uploadAtlas(a *atlas.Atlas, keep2 bool) (texture, [][]uint8, error) {
	var level2 [][]uint8
	if maxSize := getInt(gl.MAX_TEXTURE_SIZE); a.PageW > maxSize || a.PageH > maxSize {
		return 0, nil, fmt.Errorf("render: atlas page %dx%d exceeds GL_MAX_TEXTURE_SIZE %d", a.PageW, a.PageH, maxSize)
	}
	if maxLayers := getInt(gl.MAX_ARRAY_TEXTURE_LAYERS); a.Layers > maxLayers {
		return 0, nil, fmt.Errorf("render: atlas has %d layers, GL_MAX_ARRAY_TEXTURE_LAYERS is %d", a.Layers, maxLayers)
	}
	ch := max(a.Channels, 1)
	internal, format := int32(gl.R8), uint32(gl.RED)
	if ch == 4 {
		internal, format = gl.RGBA8, gl.RGBA
	}
	t := newTexture()
	gl.BindTexture(gl.TEXTURE_2D_ARRAY, uint32(t))
	gl.PixelStorei(gl.UNPACK_ALIGNMENT, 1)
	// Mipmaps are box-filtered on the CPU (atlas.DownsampleChannels):
	// llvmpipe's glGenerateMipmap takes seconds for MNIST's 18 layers, this
	// ~0.1 s. Colour pages are premultiplied, so the box filter is right.
	pages, w, h := a.Pages, a.PageW, a.PageH
	for level := 0; level <= a.MaxMipLevel(); level++ {
		if level > 0 {
			next := make([][]uint8, len(pages))
			for l, p := range pages {
				next[l] = atlas.DownsampleChannels(nil, p, w, h, ch)
			}
			pages, w, h = next, w/2, h/2
		}
		if level == 2 && keep2 {
			level2 = pages
		}
		gl.TexImage3D(gl.TEXTURE_2D_ARRAY, int32(level), internal, int32(w), int32(h), int32(a.Layers),
			0, format, gl.UNSIGNED_BYTE, nil)
		for l, p := range pages {
			gl.TexSubImage3D(gl.TEXTURE_2D_ARRAY, int32(level), 0, 0, int32(l), int32(w), int32(h), 1,
				format, gl.UNSIGNED_BYTE, unsafe.Pointer(&p[0]))
		}
	}
	gl.TexParameteri(gl.TEXTURE_2D_ARRAY, gl.TEXTURE_BASE_LEVEL, 0)
	gl.TexParameteri(gl.TEXTURE_2D_ARRAY, gl.TEXTURE_MAX_LEVEL, int32(a.MaxMipLevel()))
	gl.TexParameteri(gl.TEXTURE_2D_ARRAY, gl.TEXTURE_MIN_FILTER, gl.LINEAR_MIPMAP_LINEAR)
	gl.TexParameteri(gl.TEXTURE_2D_ARRAY, gl.TEXTURE_MAG_FILTER, gl.LINEAR)
	gl.TexParameteri(gl.TEXTURE_2D_ARRAY, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE)
	gl.TexParameteri(gl.TEXTURE_2D_ARRAY, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE)
	gl.BindTexture(gl.TEXTURE_2D_ARRAY, 0)
	if err := glError("uploading the atlas"); err != nil {
		t.Delete()
		return 0, nil, err
	}
	return t, level2, nil
}

// createBuffers fills the static buffers and describes the vertex layout.
func (r *SpriteRenderer) createBuffers(a *atlas.Atlas, labels []uint8) {
	n := r.n
	corners := [8]float32{0, 0, 1, 0, 0, 1, 1, 1} // triangle strip
	cells := make([]uint32, 2*n)
	for i := 0; i < n; i++ {
		img := i % a.N
		cells[2*i], cells[2*i+1] = uint32(img/a.CellsPerLayer), uint32(img%a.CellsPerLayer)
	}
	means, micro := cellSummaries(a, n)
	zero := make([]uint8, 8*n) // buffers start zeroed: GL leaves nil data undefined
	r.quad = uploadNew(unsafe.Pointer(&corners[0]), len(corners)*4, gl.STATIC_DRAW)
	r.from = uploadNew(unsafe.Pointer(&zero[0]), 8*n, gl.DYNAMIC_DRAW)
	r.to = uploadNew(unsafe.Pointer(&zero[0]), 8*n, gl.DYNAMIC_DRAW)
	r.cells = uploadNew(unsafe.Pointer(&cells[0]), 8*n, gl.STATIC_DRAW)
	r.means = uploadNew(unsafe.Pointer(&means[0]), len(means), gl.STATIC_DRAW)
	if micro != nil {
		r.micro = uploadNew(unsafe.Pointer(&micro[0]), 16*n, gl.STATIC_DRAW)
	}
	r.labels = uploadNew(unsafe.Pointer(&labels[0]), n, gl.STATIC_DRAW)
	r.flags = uploadNew(unsafe.Pointer(&zero[0]), n, gl.DYNAMIC_DRAW)
	if cpu := newSplatSprites(a, labels, means, micro); cpu != nil {
		cpu.palette = r.shared.palette
		r.shared.cpu = cpu
		r.cpuFrom, r.cpuTo = make([]float32, 2*n), make([]float32, 2*n)
	}
	r.createVertexArrays()
}

// createVertexArrays describes the vertex layout over r's buffers: one
// vertex array for the instanced quads, one for the points.
func (r *SpriteRenderer) createVertexArrays() {
	r.vao = newVertexArray()
	gl.BindVertexArray(uint32(r.vao))
	for _, at := range r.layout() {
		at.bind()
	}
	// Points read the same buffers, one vertex per sprite.
	r.pvao = newVertexArray()
	gl.BindVertexArray(uint32(r.pvao))
	for _, at := range r.layout() {
		if at.divisor != 0 {
			at.divisor = 0
			at.bind()
		}
	}
	gl.BindVertexArray(0)
	gl.BindBuffer(gl.ARRAY_BUFFER, 0)
}

// cellSummaries returns, for sprites 0..n-1 (sprite i shows image i%a.N),
// two reductions of the image's cell, gutter included, for the levels of
// detail: its mean (atlas.Means: a byte of coverage for grey, four of
// premultiplied colour for RGBA; what a trilinear lookup approaches as the
// sprite shrinks to a pixel), and, for a grey atlas only (nil for RGBA),
// its 4x4 box-filtered level, four uint32 per sprite, row y in word y and
// column x in byte x (zero where a cell is smaller than 4x4).
func cellSummaries(a *atlas.Atlas, n int) (means []uint8, micro []uint32) {
	ch := max(a.Channels, 1)
	imgMean := a.Means()
	means = make([]uint8, n*ch)
	for i := 0; i < n; i++ {
		img := i % a.N
		copy(means[i*ch:(i+1)*ch], imgMean[img*ch:(img+1)*ch])
	}
	if ch != 1 {
		return means, nil
	}
	imgMicro := make([]uint32, 4*a.N)
	bw, bh := a.CellW/4, a.CellH/4
	var sums [16]uint64
	for i := 0; i < a.N && bw > 0 && bh > 0; i++ {
		layer, x0, y0 := a.Cell(i)
		x0, y0 = x0-a.OffX, y0-a.OffY // the cell's corner
		page := a.Pages[layer]
		sums = [16]uint64{}
		for y := 0; y < a.CellH; y++ {
			row := page[(y0+y)*a.PageW+x0 : (y0+y)*a.PageW+x0+a.CellW]
			for x, v := range row {
				sums[(y/bh)*4+x/bw] += uint64(v)
			}
		}
		block := uint64(bw * bh)
		for t, s := range sums {
			imgMicro[4*i+t/4] |= uint32((s+block/2)/block) << (8 * (t % 4))
		}
	}
	micro = make([]uint32, 4*n)
	for i := 0; i < n; i++ {
		img := i % a.N
		copy(micro[4*i:4*i+4], imgMicro[4*img:4*img+4])
	}
	return means, micro
}

// layout is the sprite vertex layout: the only place that says which buffer
// feeds which attribute and how. A colour atlas has a four-byte mean and
// no 4x4 level (its attribute stays disabled and reads zeros).
func (r *SpriteRenderer) layout() []attrib {
	l := []attrib{
		{locCorner, &r.quad, 2, gl.FLOAT, false, 0},
		{locFrom, &r.from, 2, gl.FLOAT, false, 1},
		{locTo, &r.to, 2, gl.FLOAT, false, 1},
		{locCell, &r.cells, 2, gl.UNSIGNED_INT, true, 1},
		{locLabel, &r.labels, 1, gl.UNSIGNED_BYTE, true, 1},
		{locFlags, &r.flags, 1, gl.UNSIGNED_BYTE, true, 1},
		{locMean, &r.means, int32(r.channels), gl.UNSIGNED_BYTE, false, 1}, // 0..255 as floats
	}
	if r.channels == 1 {
		l = append(l, attrib{locMicro, &r.micro, 4, gl.UNSIGNED_INT, true, 1})
	}
	return l
}

// uploadNew creates a buffer of size bytes, filled from data when not nil.
func uploadNew(data unsafe.Pointer, size int, usage uint32) buffer {
	b := newBuffer()
	gl.BindBuffer(gl.ARRAY_BUFFER, uint32(b))
	gl.BufferData(gl.ARRAY_BUFFER, size, data, usage)
	return b
}
