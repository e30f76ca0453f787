package export

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math"
	"unicode/utf8"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// MaxSheetImages is the most images one contact sheet holds; rows beyond
// it are left out and counted in Result.Omitted.
const MaxSheetImages = 2000

// maxSheetPixels bounds a sheet's size (128 MiB as RGBA).
const maxSheetPixels = 1 << 25

// SheetOptions sets how a contact sheet looks. The zero value draws grey
// images at twice their size in a roughly square grid.
type SheetOptions struct {
	Columns int // images per line; 0 means about the square root of the count
	Scale   int // screen pixels per image pixel; 0 means 2, or 1 if 2 would exceed the size limit
	// Colors tints each image and its caption by its label: a pixel of
	// grey value v becomes Colors[label] scaled by v/255. Nil, or a label
	// beyond it, draws grey images with light grey captions.
	Colors []color.RGBA
}

// Sheet layout constants: padding around each image and the caption line.
const (
	sheetPad     = 4
	captionH     = 13 // basicfont.Face7x13's line height
	captionChars = 12 // longer class names are cut
)

var (
	sheetBackground = color.RGBA{40, 40, 40, 255}
	captionGrey     = color.RGBA{220, 220, 220, 255}
)

// sheet is the geometry of a contact sheet.
type sheet struct {
	cols, lines  int
	scale        int
	cellW, cellH int
	imgW, imgH   int
}

// layoutSheet places n images of w x h pixels with captions of up to chars
// characters.
func layoutSheet(n, w, h, chars int, o SheetOptions) (sheet, error) {
	s := sheet{cols: o.Columns, scale: o.Scale}
	if s.cols <= 0 {
		s.cols = int(math.Ceil(math.Sqrt(float64(n))))
	}
	s.cols = min(s.cols, n)
	s.lines = (n + s.cols - 1) / s.cols
	for _, scale := range []int{2, 1} {
		if o.Scale <= 0 {
			s.scale = scale
		}
		s.imgW, s.imgH = w*s.scale, h*s.scale
		s.cellW = max(s.imgW, 7*min(chars, captionChars)) + 2*sheetPad
		s.cellH = s.imgH + captionH + 2*sheetPad
		if s.pixels() <= maxSheetPixels {
			return s, nil
		}
	}
	return s, fmt.Errorf("a sheet of %d x %d pixels is too large (at most %d pixels)", s.cols*s.cellW, s.lines*s.cellH, maxSheetPixels)
}

func (s sheet) pixels() int64 {
	return int64(s.cols*s.cellW) * int64(s.lines*s.cellH)
}

// image returns where the i-th image's top-left pixel goes.
func (s sheet) image(i int) image.Point {
	return image.Pt((i%s.cols)*s.cellW+(s.cellW-s.imgW)/2, (i/s.cols)*s.cellH+sheetPad)
}

// ContactSheet draws the images of rows (the first MaxSheetImages, in the
// order given) in a grid as a PNG, each with its label's name
// (src.ClassName, or the number) under it. It needs src.Image, Width and
// Height.
//
//	res, err := export.ContactSheet("picked.png", src, set.Rows(nil), export.SheetOptions{})
//	// res.Omitted > 0 when the selection held more than MaxSheetImages rows.
func ContactSheet(path string, src Source, rows []int32, o SheetOptions) (Result, error) {
	if len(rows) == 0 {
		return Result{}, fmt.Errorf("export: %s: %w", path, errNoRows)
	}
	if err := checkRows(rows, len(src.Labels)); err != nil {
		return Result{}, fmt.Errorf("export: %s: %w", path, err)
	}
	if src.Image == nil || src.Width <= 0 || src.Height <= 0 {
		return Result{}, fmt.Errorf("export: %s: the dataset has no images to draw", path)
	}
	drawn := rows[:min(len(rows), MaxSheetImages)]
	captions := make([]string, len(drawn))
	chars := 1
	for i, r := range drawn {
		captions[i] = caption(src, src.Labels[r])
		chars = max(chars, utf8.RuneCountInString(captions[i]))
	}
	s, err := layoutSheet(len(drawn), src.Width, src.Height, chars, o)
	if err != nil {
		return Result{}, fmt.Errorf("export: %s: %w", path, err)
	}
	img := image.NewRGBA(image.Rect(0, 0, s.cols*s.cellW, s.lines*s.cellH))
	draw.Draw(img, img.Bounds(), image.NewUniform(sheetBackground), image.Point{}, draw.Src)
	text := font.Drawer{Dst: img, Face: basicfont.Face7x13}
	for i, r := range drawn {
		pix := src.Image(int(r))
		if len(pix) != src.Width*src.Height {
			return Result{}, fmt.Errorf("export: %s: row %d has %d pixels, want %d x %d", path, r, len(pix), src.Width, src.Height)
		}
		tint, hasTint := captionGrey, false
		if l := int(src.Labels[r]); l < len(o.Colors) {
			tint, hasTint = o.Colors[l], true
		}
		s.drawImage(img, s.image(i), pix, src.Width, tint, hasTint)
		text.Src = image.NewUniform(tint)
		at := s.image(i)
		width := text.MeasureString(captions[i]).Ceil()
		text.Dot = fixed.P(at.X+(s.imgW-width)/2, at.Y+s.imgH+basicfont.Face7x13.Ascent+2)
		text.DrawString(captions[i])
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return Result{}, fmt.Errorf("export: %s: %w", path, err)
	}
	return write(path, buf.Bytes(), len(drawn), len(rows)-len(drawn))
}

// caption is label l's name, cut to captionChars.
func caption(src Source, l uint8) string {
	name := fmt.Sprint(l)
	if src.ClassName != nil {
		name = src.ClassName(l)
	}
	if r := []rune(name); len(r) > captionChars {
		name = string(r[:captionChars-1]) + "."
	}
	return name
}

// drawImage copies one grey image, scaled, to at; tinted, a grey value v
// becomes tint * v/255.
func (s sheet) drawImage(dst *image.RGBA, at image.Point, pix []uint8, w int, tint color.RGBA, tinted bool) {
	for y := 0; y < s.imgH; y++ {
		row := dst.Pix[dst.PixOffset(at.X, at.Y+y):]
		for x := 0; x < s.imgW; x++ {
			v := pix[(y/s.scale)*w+x/s.scale]
			c := color.RGBA{v, v, v, 255}
			if tinted {
				c = color.RGBA{scale8(tint.R, v), scale8(tint.G, v), scale8(tint.B, v), 255}
			}
			row[4*x], row[4*x+1], row[4*x+2], row[4*x+3] = c.R, c.G, c.B, c.A
		}
	}
}

func scale8(c, v uint8) uint8 { return uint8((uint32(c)*uint32(v) + 127) / 255) }
