#version 330 core

// One triangle that covers the viewport, from gl_VertexID alone (draw 3
// vertices with no attributes).

void main() {
    vec2 p = vec2(float((gl_VertexID & 1) << 2), float((gl_VertexID & 2) << 1)) - 1.0;
    gl_Position = vec4(p, 0.0, 1.0);
}
