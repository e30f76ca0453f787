// Shared by the sprite fragment shaders (sprite.frag, point.frag,
// point_lod.frag, point_dot.frag): package shaders pastes it where they
// name this file. How an atlas sample becomes the premultiplied colour of
// a fragment, for grey (R8) and colour (RGBA) atlases.

uniform bool uColour;     // the atlas is RGBA, premultiplied; else R8 coverage

// spriteShade returns the premultiplied colour of a sprite's fragment. t is
// the atlas sample (R8: coverage in t.r; RGBA: premultiplied colour), c the
// sprite's tint (straight alpha: its label's colour, lightened or greyed
// and faded by its flags) and p the fragment's place on the image, (0,0)
// top-left to (1,1) bottom-right. A grey image is the tint times its
// coverage. A colour image keeps its own colours (greyed and faded when
// the sprite is dimmed, as the tint is) inside a frame of the tint's colour
// 3% of the edge wide, at least one pixel and at most three, so its label
// stays visible; a p that does not vary over the sprite (a dot) has no
// frame.
vec4 spriteShade(vec4 t, vec4 c, vec2 p) {
    if (!uColour) {
        float a = t.r * c.a;
        return vec4(c.rgb * a, a);
    }
    float px = fwidth(p.x); // one pixel in image units
    float w = clamp(0.03, px, 3.0 * px);
    if (px > 0.0 && (any(lessThan(p, vec2(w))) || any(greaterThan(p, vec2(1.0 - w))))) {
        return vec4(c.rgb * c.a, c.a);
    }
    if (c.a < 1.0) { // dimmed: mostly grey, like the tint
        t.rgb = mix(t.rgb, vec3(dot(t.rgb, vec3(0.299, 0.587, 0.114))), 0.7);
    }
    return t * c.a;
}
