#version 330 core

// One triangle that covers the viewport, from gl_VertexID alone (draw 3
// vertices with no attributes), with texture coordinates that put each
// pixel centre on the matching texel centre of a viewport-sized texture,
// or, scaled by uUVScale, on the matching point of a texture of half the
// viewport's width and height whose bottom-left corner is the viewport's.

uniform vec2 uUVScale;

out vec2 vUV;

void main() {
    vec2 p = vec2(float((gl_VertexID & 1) << 2), float((gl_VertexID & 2) << 1)) - 1.0;
    vUV = (p * 0.5 + 0.5) * uUVScale;
    gl_Position = vec4(p, 0.0, 1.0);
}
