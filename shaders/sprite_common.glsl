// Shared by sprite.vert and point.vert: package shaders pastes it where
// they name this file. Per-instance inputs, the uniforms that place and
// colour a sprite, and the rules for its centre, edge, colour and image.

layout(location = 1) in vec2 aFrom;   // world position, layout "from"
layout(location = 2) in vec2 aTo;     // world position, layout "to"
layout(location = 3) in uvec2 aCell;  // atlas layer, cell index in the layer
layout(location = 4) in uint aLabel;  // class label: texel of uPalette
layout(location = 5) in uint aFlags;  // bit 0 hidden, 2 highlighted, 3 dimmed

uniform mat4 uViewProj;   // world -> clip
uniform float uMix;       // 0 shows aFrom, 1 shows aTo
uniform float uSize;      // sprite edge in world units
uniform uint uCellsPerRow;
uniform vec2 uCellUV;     // one cell's size in texture coordinates
uniform vec2 uOffUV;      // image origin inside its cell (texture coordinates)
uniform sampler2D uPalette; // label colours, PaletteSize x 1: label l in texel l
uniform float uFade;      // 1 - the sprites' opacity: 0 (the default) draws them opaque

const uint HIDDEN = 1u;
const uint HIGHLIGHTED = 4u;
const uint DIMMED = 8u;

bool spriteHidden() {
    return (aFlags & HIDDEN) != 0u;
}

// spriteCentre is the world position between the two layouts.
vec2 spriteCentre() {
    return mix(aFrom, aTo, uMix);
}

// spriteEdge is the edge in world units: highlighted sprites are drawn
// larger so they stand out.
float spriteEdge() {
    return (aFlags & HIGHLIGHTED) != 0u ? 1.6 * uSize : uSize;
}

// spriteImage is the image's top-left corner (u, v) in its layer.
vec2 spriteImage() {
    vec2 cell = vec2(float(aCell.y % uCellsPerRow), float(aCell.y / uCellsPerRow));
    return cell * uCellUV + uOffUV;
}

// spriteColor is the tint, straight alpha: the label's colour, lighter when
// highlighted, greyed and mostly transparent when dimmed, and every sprite
// at the opacity 1 - uFade.
vec4 spriteColor() {
    vec3 c = texelFetch(uPalette, ivec2(int(aLabel), 0), 0).rgb;
    if ((aFlags & HIGHLIGHTED) != 0u) {
        c = mix(c, vec3(1.0), 0.2);
    }
    float alpha = 1.0 - uFade;
    if ((aFlags & DIMMED) != 0u) {
        c = mix(c, vec3(dot(c, vec3(0.299, 0.587, 0.114))), 0.7); // mostly grey
        alpha *= 0.12;
    }
    return vec4(c, alpha);
}
