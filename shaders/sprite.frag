#version 330 core

// A quad sprite's fragment: the atlas sample shaded by spriteShade (tinted
// coverage for grey, own colours in a label frame for colour); output is
// premultiplied.

uniform sampler2DArray uAtlas;

in vec3 vUV;
in vec2 vLocal;
flat in vec4 vColor;

out vec4 fragColor;

#include "sprite_shade.glsl"

void main() {
    fragColor = spriteShade(texture(uAtlas, vUV), vColor, vLocal);
}
