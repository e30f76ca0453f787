#version 330 core

// One sprite drawn alone and emphasised (enlarged, outlined, over a
// backdrop). Its per-instance attributes are the sprite renderer's buffers,
// pointed at the chosen sprite; locations match sprite.vert.

layout(location = 0) in vec2 aCorner; // per vertex: (0,0) bottom-left .. (1,1) top-right
layout(location = 1) in vec2 aFrom;
layout(location = 2) in vec2 aTo;
layout(location = 3) in uvec2 aCell;
layout(location = 4) in uint aLabel;
layout(location = 5) in uint aFlags;

uniform mat4 uViewProj;   // world -> clip
uniform float uMix;       // 0 shows aFrom, 1 shows aTo
uniform float uSize;      // image edge in world units
uniform float uPad;       // outline width as a fraction of the image edge
uniform uint uCellsPerRow;
uniform vec2 uCellUV;     // one cell's size in texture coordinates
uniform vec2 uOffUV;      // image origin inside its cell (texture coordinates)
uniform sampler2D uPalette; // label colours: label l in texel l

out vec2 vLocal;          // image coordinates: (0,0) top-left .. (1,1) bottom-right
flat out vec3 vOrigin;    // image origin (u, v) and layer
flat out vec3 vColor;     // the label's colour

const uint HIDDEN = 1u;
const uint HIGHLIGHTED = 4u;

void main() {
    vec2 c = (aCorner - 0.5) * (1.0 + 2.0 * uPad); // corner around the centre, outline included
    vLocal = vec2(c.x, -c.y) + 0.5;
    vec2 cell = vec2(float(aCell.y % uCellsPerRow), float(aCell.y / uCellsPerRow));
    vOrigin = vec3(cell * uCellUV + uOffUV, float(aCell.x));
    vec3 col = texelFetch(uPalette, ivec2(int(aLabel), 0), 0).rgb;
    if ((aFlags & HIGHLIGHTED) != 0u) {
        col = mix(col, vec3(1.0), 0.6);
    }
    vColor = col;
    if ((aFlags & HIDDEN) != 0u) {
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0); // outside the clip volume: culled
        return;
    }
    vec2 world = mix(aFrom, aTo, uMix) + c * uSize;
    gl_Position = uViewProj * vec4(world, 0.0, 1.0);
}
