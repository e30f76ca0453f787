#version 330 core

// One triangle that covers the viewport, from gl_VertexID alone (draw 3
// vertices with no attributes), with texture coordinates
// vUV = uv * uUVScale + uUVOffset, where uv runs from 0 to 1 across the
// viewport with each pixel centre at its own pixel's centre. A
// viewport-sized picture drawn with the same camera takes scale 1 and
// offset 0 (each pixel centre on its texel's centre); a picture of half
// the viewport's width and height, or one drawn at another zoom or centre
// (a zoom draft), takes the scale and offset that put each pixel on the
// point of the picture showing the same world point.

uniform vec2 uUVScale;
uniform vec2 uUVOffset;

out vec2 vUV;

void main() {
    vec2 p = vec2(float((gl_VertexID & 1) << 2), float((gl_VertexID & 2) << 1)) - 1.0;
    vUV = (p * 0.5 + 0.5) * uUVScale + uUVOffset;
    gl_Position = vec4(p, 0.0, 1.0);
}
