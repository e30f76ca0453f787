#version 330 core

// Tints the atlas coverage with the sprite's colour; output is premultiplied.

uniform sampler2DArray uAtlas;

in vec3 vUV;
flat in vec4 vColor;

out vec4 fragColor;

void main() {
    float a = texture(uAtlas, vUV).r * vColor.a;
    fragColor = vec4(vColor.rgb * a, a);
}
