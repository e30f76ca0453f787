#version 330 core

// Solid fills and anti-aliased lines. vUV.x is the signed distance from a
// line's centre in pixels and vUV.y its half width (rectangles pass 0 and a
// half width of 1, which gives full coverage). Output is premultiplied.

in vec3 vUV;
in vec4 vColor;

out vec4 fragColor;

void main() {
    float cov = clamp(vUV.y + 0.5 - abs(vUV.x), 0.0, 1.0);
    float a = cov * vColor.a;
    fragColor = vec4(vColor.rgb * a, a);
}
