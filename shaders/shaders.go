// Package shaders holds the GLSL sources used by package render, embedded
// at build time so the binary needs no files beside it.
//
// Every source targets GLSL 3.30 core (OpenGL 3.3). Attribute locations are
// fixed in the sources with layout qualifiers; package render binds its
// buffers to the same numbers. GLSL has no includes: a line
// `#include "sprite_common.glsl"` in sprite.vert or point.vert, or
// `#include "sprite_shade.glsl"` in a sprite fragment shader, is replaced
// here, once, by that file.
package shaders

import (
	_ "embed"
	"strings"
)

//go:embed sprite_common.glsl
var spriteCommon string

//go:embed sprite_shade.glsl
var spriteShade string

// include replaces src's #include lines by the files they name.
func include(src string) string {
	src = strings.Replace(src, "#include \"sprite_common.glsl\"\n", spriteCommon, 1)
	return strings.Replace(src, "#include \"sprite_shade.glsl\"\n", spriteShade, 1)
}

func init() {
	for _, s := range []*string{&SpriteVert, &PointVert, &SpriteFrag, &PointFrag, &PointLODFrag, &PointDotFrag} {
		*s = include(*s)
	}
}

// SpriteVert is the instanced sprite vertex shader (sprite.vert). Per
// instance it reads two world positions (from, to) and mixes them with
// uniform uMix, the atlas layer and cell, a label and flags; per vertex a
// unit-quad corner. It outputs the atlas texture coordinate and the
// label's palette colour.
//
//go:embed sprite.vert
var SpriteVert string

// PointVert draws each sprite as one point (point.vert), with the
// per-sprite inputs of SpriteVert plus the image's mean coverage
// (location 6) and 4x4 mip level (location 7). It outputs the image's
// corner and layer, the tint, the finest mip level whose texels cover a
// pixel, the mean coverage and the 4x4 level, for PointFrag, PointLODFrag,
// PointMicroFrag and PointDotFrag.
//
//go:embed point.vert
var PointVert string

// PointFrag is full quality for a point sprite (point.frag): a trilinear
// lookup, as SpriteFrag does for a quad.
//
//go:embed point.frag
var PointFrag string

// PointLODFrag is the level of detail for point sprites while the scene
// moves (point_lod.frag): one unfiltered texel of the finest mip level
// whose texels are at least a pixel wide.
//
//go:embed point_lod.frag
var PointLODFrag string

// PointMicroFrag is the level of detail for point sprites 2-7 pixels wide
// while the scene moves (point_micro.frag): the nearest texel of the
// image's 4x4 mip level, which the sprite carries as a flat uvec4.
//
//go:embed point_micro.frag
var PointMicroFrag string

// PointDotFrag is the level of detail for point sprites a pixel or two
// wide (point_dot.frag): a flat dot of the image's mean coverage.
//
//go:embed point_dot.frag
var PointDotFrag string

// CompositeVert and CompositeFrag copy a cached scene texture onto the
// framebuffer with one triangle (composite.vert, composite.frag):
// premultiplied, for glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA).
//
//go:embed composite.vert
var CompositeVert string

// CompositeFrag: see CompositeVert.
//
//go:embed composite.frag
var CompositeFrag string

// SpriteFrag is the sprite fragment shader (sprite.frag): it samples the
// R8 atlas array and writes the tint colour premultiplied by the pixel's
// coverage, for blending with glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA).
//
//go:embed sprite.frag
var SpriteFrag string

// UIVert is the vertex shader shared by the screen-space batches (ui.vert):
// text, shapes and images. Per vertex it reads a position in framebuffer
// pixels (origin top-left, y down), a texture coordinate with a layer (or,
// for shapes, line distances) and a colour; uniform uScreen is the
// framebuffer size.
//
//go:embed ui.vert
var UIVert string

// TextFrag is the text fragment shader (text.frag): R8 glyph coverage times
// the string's colour, premultiplied.
//
//go:embed text.frag
var TextFrag string

// ShapeFrag is the shape fragment shader (shape.frag): solid rectangles and
// lines anti-aliased across their width, premultiplied.
//
//go:embed shape.frag
var ShapeFrag string

// ImageFrag is the image-quad fragment shader (image.frag): one atlas
// image's coverage times a tint, premultiplied.
//
//go:embed image.frag
var ImageFrag string

// SpotVert is the vertex shader for one emphasised sprite (spot.vert). It
// reads the sprite renderer's per-instance attributes at sprite.vert's
// locations and enlarges the quad by an outline.
//
//go:embed spot.vert
var SpotVert string

// SpotFrag is the fragment shader for one emphasised sprite (spot.frag):
// outline around the image square, backdrop under the tinted image.
//
//go:embed spot.frag
var SpotFrag string

// PictureFrag draws one RGBA picture in a screen rectangle (picture.frag):
// a premultiplied 2D texture times the tint's alpha.
//
//go:embed picture.frag
var PictureFrag string
