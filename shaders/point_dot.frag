#version 330 core

// Level of detail for a point sprite a pixel or two wide: a flat dot of the
// image's mean coverage (grey, tinted) or mean colour (colour), no texture
// at all. Output is premultiplied.

flat in vec4 vColor;
flat in vec4 vMean;

out vec4 fragColor;

#include "sprite_shade.glsl"

void main() {
    fragColor = spriteShade(vMean, vColor, vec2(0.5));
}
