#version 330 core

// Full quality for a point sprite: a trilinear lookup of the image, as
// sprite.frag does for a quad. Output is premultiplied.

uniform sampler2DArray uAtlas;
uniform vec2 uImageUV;    // image size in texture coordinates

flat in vec3 vImage;
flat in vec4 vColor;

out vec4 fragColor;

#include "sprite_shade.glsl"

void main() {
    vec3 uv = vec3(vImage.xy + gl_PointCoord * uImageUV, vImage.z);
    fragColor = spriteShade(texture(uAtlas, uv), vColor, gl_PointCoord);
}
