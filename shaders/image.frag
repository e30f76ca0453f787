#version 330 core

// One atlas image in a screen rectangle (layer in vUV.z): a grey (R8)
// atlas's coverage times the tint, a colour atlas's premultiplied RGBA
// times the tint's alpha; output is premultiplied. The sampler bound with
// it magnifies with GL_NEAREST, so enlarged images keep crisp pixels.

uniform sampler2DArray uAtlas;
uniform bool uColour;     // the atlas is RGBA, premultiplied; else R8 coverage

in vec3 vUV;
in vec4 vColor;

out vec4 fragColor;

void main() {
    vec4 t = texture(uAtlas, vUV);
    if (uColour) {
        fragColor = t * vColor.a;
        return;
    }
    float a = t.r * vColor.a;
    fragColor = vec4(vColor.rgb * a, a);
}
