#version 330 core

// Instanced sprite: one unit quad drawn once per sprite.

layout(location = 0) in vec2 aCorner; // per vertex: (0,0) bottom-left .. (1,1) top-right
layout(location = 1) in vec2 aFrom;   // per instance: world position, layout "from"
layout(location = 2) in vec2 aTo;     // per instance: world position, layout "to"
layout(location = 3) in uvec2 aCell;  // per instance: atlas layer, cell index in the layer
layout(location = 4) in uint aLabel;  // per instance: class label (palette index, wraps at 10)
layout(location = 5) in uint aFlags;  // per instance: bit 0 hidden, 2 highlighted, 3 dimmed

uniform mat4 uViewProj;   // world -> clip
uniform float uMix;       // 0 shows aFrom, 1 shows aTo
uniform float uSize;      // sprite edge in world units
uniform uint uCellsPerRow;
uniform vec2 uCellUV;     // one cell's size in texture coordinates
uniform vec2 uOffUV;      // image origin inside its cell (texture coordinates)
uniform vec2 uImageUV;    // image size in texture coordinates
uniform vec3 uPalette[10];

out vec3 vUV;             // (u, v, layer)
flat out vec4 vColor;     // tint, straight alpha

const uint HIDDEN = 1u;
const uint HIGHLIGHTED = 4u;
const uint DIMMED = 8u;

void main() {
    if ((aFlags & HIDDEN) != 0u) {
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0); // outside the clip volume: culled
        vUV = vec3(0.0);
        vColor = vec4(0.0);
        return;
    }
    vec2 centre = mix(aFrom, aTo, uMix);
    // Highlighted sprites are drawn larger so they stand out.
    float size = (aFlags & HIGHLIGHTED) != 0u ? 1.6 * uSize : uSize;
    vec2 world = centre + (aCorner - 0.5) * size;
    gl_Position = uViewProj * vec4(world, 0.0, 1.0);

    vec2 cell = vec2(float(aCell.y % uCellsPerRow), float(aCell.y / uCellsPerRow));
    // World y grows up, image rows grow down: the quad's top edge is row 0.
    vec2 local = vec2(aCorner.x, 1.0 - aCorner.y);
    vUV = vec3(cell * uCellUV + uOffUV + local * uImageUV, float(aCell.x));

    vec3 c = uPalette[aLabel % 10u];
    if ((aFlags & HIGHLIGHTED) != 0u) {
        c = mix(c, vec3(1.0), 0.2);
    }
    float alpha = 1.0;
    if ((aFlags & DIMMED) != 0u) {
        c = mix(c, vec3(dot(c, vec3(0.299, 0.587, 0.114))), 0.7); // mostly grey
        alpha *= 0.12;
    }
    vColor = vec4(c, alpha);
}
