package render

import "image/color"

// Palette is the qualitative colour set keyed by label (Tableau 10, 2016):
// label l is drawn in Palette[l%10]. Use it for legends so they match.
var Palette = [10]color.RGBA{
	{0x4E, 0x79, 0xA7, 0xFF}, // blue
	{0xF2, 0x8E, 0x2B, 0xFF}, // orange
	{0xE1, 0x57, 0x59, 0xFF}, // red
	{0x76, 0xB7, 0xB2, 0xFF}, // teal
	{0x59, 0xA1, 0x4F, 0xFF}, // green
	{0xED, 0xC9, 0x48, 0xFF}, // yellow
	{0xB0, 0x7A, 0xA1, 0xFF}, // purple
	{0xFF, 0x9D, 0xA7, 0xFF}, // pink
	{0x9C, 0x75, 0x5F, 0xFF}, // brown
	{0xBA, 0xB0, 0xAC, 0xFF}, // grey
}

// paletteFloats returns Palette as 30 floats in [0,1] for a vec3[10] uniform.
func paletteFloats() [30]float32 {
	var f [30]float32
	for i, c := range Palette {
		f[3*i], f[3*i+1], f[3*i+2] = float32(c.R)/255, float32(c.G)/255, float32(c.B)/255
	}
	return f
}
