#version 330 core

// The emphasised sprite: outline outside the image square, backdrop under
// the image inside it (grey: tinted coverage; colour: its own colours).
// Colours are straight alpha; output is premultiplied.

uniform sampler2DArray uAtlas;
uniform vec2 uImageUV;    // image size in texture coordinates
uniform vec4 uOutline;
uniform vec4 uBackdrop;
uniform bool uColour;     // the atlas is RGBA, premultiplied; else R8 coverage

in vec2 vLocal;
flat in vec3 vOrigin;
flat in vec3 vColor;

out vec4 fragColor;

void main() {
    // Sample before branching: derivatives stay defined.
    vec2 l = clamp(vLocal, 0.0, 1.0);
    vec4 t = texture(uAtlas, vec3(vOrigin.xy + l * uImageUV, vOrigin.z));
    if (any(lessThan(vLocal, vec2(0.0))) || any(greaterThan(vLocal, vec2(1.0)))) {
        fragColor = vec4(uOutline.rgb * uOutline.a, uOutline.a);
        return;
    }
    vec4 back = vec4(uBackdrop.rgb * uBackdrop.a, uBackdrop.a);
    vec4 img = uColour ? t : vec4(vColor * t.r, t.r);
    fragColor = img + back * (1.0 - img.a);
}
