#version 330 core

// Sprite as one point (glDrawArrays(GL_POINTS), no instancing): the point's
// side is the sprite's edge in pixels. Software rasterisers run their
// vertex pipeline once per instance, so a point per sprite costs a
// fraction of an instanced quad. Points are clipped by their centre: draw
// with a viewport enlarged by half the largest point on every side. The
// fragment shaders (point.frag, point_lod.frag, point_micro.frag,
// point_dot.frag) map gl_PointCoord (origin top-left) onto the image.

#include "sprite_common.glsl"

layout(location = 6) in vec4 aMean;   // per sprite: mean of the image's cell, 0..255: coverage in x (grey) or premultiplied RGBA
layout(location = 7) in uvec4 aMicro; // per sprite: the cell's 4x4 mip level, row y in component y

uniform float uPxPerUnit;   // framebuffer pixels per world unit (the camera's zoom)
uniform float uImageTexels; // image edge in level-0 texels
uniform vec2 uPageTexels;   // atlas page size in level-0 texels
uniform int uMaxLevel;      // highest mip level

flat out vec3 vImage;       // image top-left (u, v) and layer
flat out vec4 vColor;       // tint, straight alpha
flat out int vLevel;        // the finest mip level whose texels cover a pixel
flat out vec2 vLevelTexels; // that level's page size in texels
flat out vec4 vMean;        // aMean in [0, 1]
flat out uvec4 vMicro;      // aMicro

void main() {
    if (spriteHidden()) {
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0); // outside the clip volume: culled
        gl_PointSize = 1.0;
        vImage = vec3(0.0);
        vColor = vec4(0.0);
        vLevel = 0;
        vLevelTexels = vec2(0.0);
        vMean = vec4(0.0);
        vMicro = uvec4(0u);
        return;
    }
    float px = spriteEdge() * uPxPerUnit;
    gl_Position = uViewProj * vec4(spriteCentre(), 0.0, 1.0);
    gl_PointSize = px;
    vImage = vec3(spriteImage(), float(aCell.x));
    vColor = spriteColor();
    int level = clamp(int(ceil(log2(uImageTexels / px))), 0, uMaxLevel);
    vLevel = level;
    vLevelTexels = uPageTexels / float(1 << level);
    vMean = aMean / 255.0;
    vMicro = aMicro;
}
