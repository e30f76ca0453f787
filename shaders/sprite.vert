#version 330 core

// Instanced sprite: one unit quad drawn once per sprite. Used for sprites
// wider than the driver's largest point (see point.vert).

layout(location = 0) in vec2 aCorner; // per vertex: (0,0) bottom-left .. (1,1) top-right

#include "sprite_common.glsl"

uniform vec2 uImageUV;    // image size in texture coordinates

out vec3 vUV;             // (u, v, layer)
out vec2 vLocal;          // place on the image: (0,0) top-left .. (1,1) bottom-right
flat out vec4 vColor;     // tint, straight alpha

void main() {
    if (spriteHidden()) {
        gl_Position = vec4(2.0, 2.0, 2.0, 1.0); // outside the clip volume: culled
        vUV = vec3(0.0);
        vLocal = vec2(0.0);
        vColor = vec4(0.0);
        return;
    }
    vec2 world = spriteCentre() + (aCorner - 0.5) * spriteEdge();
    gl_Position = uViewProj * vec4(world, 0.0, 1.0);
    // World y grows up, image rows grow down: the quad's top edge is row 0.
    vec2 local = vec2(aCorner.x, 1.0 - aCorner.y);
    vUV = vec3(spriteImage() + local * uImageUV, float(aCell.x));
    vLocal = local;
    vColor = spriteColor();
}
