#version 330 core

// Level of detail for a point sprite 2-7 pixels wide while the scene
// moves: the image's 4x4 mip level travels with the sprite as a flat
// uvec4 (row y in component y, texel x in byte x), so the lookup is a few
// integer operations instead of a texture fetch. Grey atlases only (a
// colour atlas's sprites use point_lod.frag at these sizes). Output is
// premultiplied.

uniform vec4 uMicro;      // image origin (x, y) and size (z, w) in 4x4-level texels

flat in vec4 vColor;
flat in uvec4 vMicro;

out vec4 fragColor;

void main() {
    ivec2 t = clamp(ivec2(uMicro.xy + gl_PointCoord * uMicro.zw), 0, 3);
    float a = float((vMicro[t.y] >> (8u * uint(t.x))) & 0xFFu) * (1.0 / 255.0) * vColor.a;
    fragColor = vec4(vColor.rgb * a, a);
}
