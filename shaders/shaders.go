// Package shaders holds the GLSL sources used by package render, embedded
// at build time so the binary needs no files beside it.
//
// Every source targets GLSL 3.30 core (OpenGL 3.3). Attribute locations are
// fixed in the sources with layout qualifiers; package render binds its
// buffers to the same numbers.
package shaders

import _ "embed"

// SpriteVert is the instanced sprite vertex shader (sprite.vert). Per
// instance it reads two world positions (from, to) and mixes them with
// uniform uMix, the atlas layer and cell, a label and flags; per vertex a
// unit-quad corner. It outputs the atlas texture coordinate and the
// label's palette colour.
//
//go:embed sprite.vert
var SpriteVert string

// SpriteFrag is the sprite fragment shader (sprite.frag): it samples the
// R8 atlas array and writes the tint colour premultiplied by the pixel's
// coverage, for blending with glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA).
//
//go:embed sprite.frag
var SpriteFrag string
