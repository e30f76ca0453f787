#version 330 core

// Copies the cached scene (premultiplied, so it blends over the
// framebuffer with glBlendFunc(GL_ONE, GL_ONE_MINUS_SRC_ALPHA) exactly as
// the sprites would have). A viewport-sized texture is sampled with
// GL_NEAREST at texel centres: a copy (on llvmpipe a texelFetch at
// gl_FragCoord took about twice as long); a half-sized one, or one scaled
// for a zoom draft, with GL_LINEAR.

uniform sampler2D uScene;

in vec2 vUV;

out vec4 fragColor;

void main() {
    fragColor = texture(uScene, vUV);
}
