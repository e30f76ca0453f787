package main

import (
	"image"
	"image/color"
	"math"
)

// Geometry of the icon, as fractions of its side.
const (
	inset   = 0.03  // transparent margin around the rounded square
	radius  = 0.19  // corner radius of the square
	padding = 0.07  // between the square's edge and the digit grid
	gap     = -0.01 // between grid cells (MNIST digits carry their own margin)
	sub     = 4     // supersamples per axis per pixel
)

// drawIcon renders digits (w x h grayscale images, one per grid cell, row by
// row) into a size x size RGBA image with an antialiased rounded square.
func drawIcon(size int, digits [9][]uint8, w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, size, size))
	s := float64(size)
	lo, hi := inset*s, (1-inset)*s
	gridLo := lo + padding*s
	cell := ((hi - padding*s) - gridLo - 2*gap*s) / 3
	for py := range size {
		for px := range size {
			var cover, r, g, b float64
			for sy := range sub {
				for sx := range sub {
					x := float64(px) + (float64(sx)+0.5)/sub
					y := float64(py) + (float64(sy)+0.5)/sub
					if !inRoundedSquare(x, y, lo, hi, radius*s) {
						continue
					}
					cover++
					col := pixelColour(x, y, gridLo, cell, gap*s, digits, w, h)
					r += col[0]
					g += col[1]
					b += col[2]
				}
			}
			if cover == 0 {
				continue
			}
			img.SetNRGBA(px, py, color.NRGBA{
				R: uint8(math.Round(r / cover)),
				G: uint8(math.Round(g / cover)),
				B: uint8(math.Round(b / cover)),
				A: uint8(math.Round(255 * cover / (sub * sub))),
			})
		}
	}
	return img
}

// inRoundedSquare reports whether (x, y) lies in the square [lo, hi]^2 with
// corners rounded to radius rad.
func inRoundedSquare(x, y, lo, hi, rad float64) bool {
	if x < lo || x > hi || y < lo || y > hi {
		return false
	}
	cx := math.Max(lo+rad-x, x-(hi-rad))
	cy := math.Max(lo+rad-y, y-(hi-rad))
	if cx <= 0 || cy <= 0 {
		return true
	}
	return cx*cx+cy*cy <= rad*rad
}

// pixelColour returns the colour at (x, y): the background, mixed with the
// palette colour of the digit under it by the digit's ink.
func pixelColour(x, y, gridLo, cell, gap float64, digits [9][]uint8, w, h int) [3]float64 {
	bg := [3]float64{float64(background.R), float64(background.G), float64(background.B)}
	gx, gy := (x-gridLo)/(cell+gap), (y-gridLo)/(cell+gap)
	col, row := int(math.Floor(gx)), int(math.Floor(gy))
	if gx < 0 || gy < 0 || col > 2 || row > 2 {
		return bg
	}
	u, v := (gx-float64(col))*(cell+gap)/cell, (gy-float64(row))*(cell+gap)/cell
	if u > 1 || v > 1 {
		return bg
	}
	k := 3*row + col
	ink := bilinear(digits[k], w, h, u*float64(w)-0.5, v*float64(h)-0.5) / 255
	ink = math.Pow(ink, 0.8)
	p := palette[labels[k]]
	fg := [3]float64{float64(p.R), float64(p.G), float64(p.B)}
	var out [3]float64
	for i := range out {
		out[i] = bg[i]*(1-ink) + fg[i]*ink
	}
	return out
}

// bilinear samples a w x h grayscale image at continuous pixel coordinates
// (pixel centres at integers), 0 outside.
func bilinear(im []uint8, w, h int, x, y float64) float64 {
	x0, y0 := math.Floor(x), math.Floor(y)
	fx, fy := x-x0, y-y0
	at := func(i, j int) float64 {
		if i < 0 || j < 0 || i >= w || j >= h {
			return 0
		}
		return float64(im[j*w+i])
	}
	i, j := int(x0), int(y0)
	top := at(i, j)*(1-fx) + at(i+1, j)*fx
	bot := at(i, j+1)*(1-fx) + at(i+1, j+1)*fx
	return top*(1-fy) + bot*fy
}
