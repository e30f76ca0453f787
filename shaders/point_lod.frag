#version 330 core

// Level of detail for a point sprite while the scene moves: one texel
// fetched, unfiltered, from the finest pre-filtered mip level whose texels
// are at least a pixel wide, instead of a trilinear lookup (eight texels
// and a level computation). Output is premultiplied.

uniform sampler2DArray uAtlas;
uniform vec2 uImageUV;    // image size in texture coordinates

flat in vec3 vImage;
flat in vec4 vColor;
flat in int vLevel;
flat in vec2 vLevelTexels;

out vec4 fragColor;

#include "sprite_shade.glsl"

void main() {
    vec2 uv = vImage.xy + gl_PointCoord * uImageUV;
    vec4 t = texelFetch(uAtlas, ivec3(ivec2(uv * vLevelTexels), int(vImage.z)), vLevel);
    fragColor = spriteShade(t, vColor, gl_PointCoord);
}
