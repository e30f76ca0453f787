#version 330 core

// Glyph coverage from the R8 glyph atlas times the string's colour;
// output is premultiplied.

uniform sampler2D uGlyphs;

in vec3 vUV;
in vec4 vColor;

out vec4 fragColor;

void main() {
    float a = texture(uGlyphs, vUV.xy).r * vColor.a;
    fragColor = vec4(vColor.rgb * a, a);
}
