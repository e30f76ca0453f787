#version 330 core

// Screen-space quads for text, shapes and images, batched per frame.
// Positions are framebuffer pixels with the origin at the top-left, y down.

layout(location = 0) in vec2 aPos;   // framebuffer pixels
layout(location = 1) in vec3 aUV;    // texture coordinate and layer, or line distances
layout(location = 2) in vec4 aColor; // straight alpha, normalised from bytes

uniform vec2 uScreen;                // framebuffer size in pixels

out vec3 vUV;
out vec4 vColor;

void main() {
    gl_Position = vec4(aPos.x / uScreen.x * 2.0 - 1.0, 1.0 - aPos.y / uScreen.y * 2.0, 0.0, 1.0);
    vUV = aUV;
    vColor = aColor;
}
