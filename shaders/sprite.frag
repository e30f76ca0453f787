#version 330 core

// Tints the atlas coverage with the sprite's colour; output is premultiplied.

uniform sampler2DArray uAtlas;

in vec3 vUV;
flat in vec4 vColor;
flat in uint vFlags;

out vec4 fragColor;

const uint SELECTED = 2u;

void main() {
    float a = texture(uAtlas, vUV).r * vColor.a;
    vec4 c = vec4(vColor.rgb * a, a);
    if ((vFlags & SELECTED) != 0u) {
        // A faint backing square under the strokes marks selected sprites.
        float b = 0.25 * vColor.a;
        c = c + vec4(vColor.rgb * b, b) * (1.0 - c.a);
    }
    fragColor = c;
}
