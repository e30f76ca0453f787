#version 330 core

// One atlas image in a screen rectangle: coverage from the R8 atlas array
// (layer in vUV.z) times the tint; output is premultiplied. The sampler
// bound with it magnifies with GL_NEAREST, so enlarged digits keep crisp
// pixels.

uniform sampler2DArray uAtlas;

in vec3 vUV;
in vec4 vColor;

out vec4 fragColor;

void main() {
    float a = texture(uAtlas, vUV).r * vColor.a;
    fragColor = vec4(vColor.rgb * a, a);
}
