#version 330 core

// A whole picture (the inspector's full-resolution image) in a screen
// rectangle: a premultiplied RGBA 2D texture, mipmapped, times the tint's
// alpha; output is premultiplied.

uniform sampler2D uPicture;

in vec3 vUV;
in vec4 vColor;

out vec4 fragColor;

void main() {
    fragColor = texture(uPicture, vUV.xy) * vColor.a;
}
