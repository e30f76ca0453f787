#version 330 core

// Level of detail for a point sprite a pixel or two wide: a flat dot of the
// image's mean coverage, no texture at all. Output is premultiplied.

flat in vec4 vColor;
flat in float vMean;

out vec4 fragColor;

void main() {
    float a = vMean * vColor.a;
    fragColor = vec4(vColor.rgb * a, a);
}
