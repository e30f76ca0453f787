#version 330 core

// Copies the cached scene texel under each pixel (premultiplied, so it
// blends over the framebuffer with glBlendFunc(GL_ONE,
// GL_ONE_MINUS_SRC_ALPHA) exactly as the sprites would have).

uniform sampler2D uScene;
uniform ivec2 uOffset;    // the viewport's origin in the framebuffer

out vec4 fragColor;

void main() {
    fragColor = texelFetch(uScene, ivec2(gl_FragCoord.xy) - uOffset, 0);
}
