package mnist

import (
	"encoding/binary"
	"image"
	"image/draw"
)

// exifScan is how much of a JPEG file's start is searched for its EXIF
// orientation: the segments before the image data, of which APP1 (EXIF)
// is at most 64 KiB.
const exifScan = 256 << 10

// jpegOrientation returns the EXIF orientation (1..8) recorded in the
// APP1 segment of the JPEG file whose first bytes are data, and 1 when
// there is none or it cannot be read. It walks the marker segments up to
// the start of the scan and never reads outside data.
func jpegOrientation(data []byte) int {
	if len(data) < 4 || data[0] != 0xff || data[1] != 0xd8 {
		return 1
	}
	p := 2
	for p+4 <= len(data) {
		if data[p] != 0xff {
			return 1
		}
		m := data[p+1]
		switch {
		case m == 0xff: // fill byte
			p++
			continue
		case m == 0xd8 || m == 0x01 || (m >= 0xd0 && m <= 0xd7): // no length
			p += 2
			continue
		case m == 0xda || m == 0xd9: // start of scan, end of image
			return 1
		}
		n := int(binary.BigEndian.Uint16(data[p+2:]))
		if n < 2 || p+2+n > len(data) {
			return 1
		}
		seg := data[p+4 : p+2+n]
		if m == 0xe1 && len(seg) >= 6 && string(seg[:6]) == "Exif\x00\x00" {
			return tiffOrientation(seg[6:])
		}
		p += 2 + n
	}
	return 1
}

// tiffOrientation returns the Orientation tag (0x0112) of the first IFD of
// the TIFF structure t (an EXIF block), and 1 when it has none.
func tiffOrientation(t []byte) int {
	if len(t) < 8 {
		return 1
	}
	var bo binary.ByteOrder
	switch string(t[:2]) {
	case "II":
		bo = binary.LittleEndian
	case "MM":
		bo = binary.BigEndian
	default:
		return 1
	}
	if bo.Uint16(t[2:]) != 42 {
		return 1
	}
	ifd := int64(bo.Uint32(t[4:]))
	if ifd+2 > int64(len(t)) {
		return 1
	}
	n := int64(bo.Uint16(t[ifd:]))
	for i := range n {
		e := ifd + 2 + 12*i
		if e+12 > int64(len(t)) {
			return 1
		}
		// An entry: tag, type (3 = SHORT), count, value (in place).
		if bo.Uint16(t[e:]) != 0x0112 {
			continue
		}
		if bo.Uint16(t[e+2:]) != 3 || bo.Uint32(t[e+4:]) != 1 {
			return 1
		}
		if o := int(bo.Uint16(t[e+8:])); o >= 1 && o <= 8 {
			return o
		}
		return 1
	}
	return 1
}

// transposes reports whether EXIF orientation o swaps width and height.
func transposes(o int) bool { return o >= 5 && o <= 8 }

// orientInto draws src, turned by EXIF orientation o (1..8), into dst's
// rectangle r, whose size is src's turned size. Each output pixel (x, y)
// of the turned image comes from one source pixel:
//
//	1 (x, y)          2 (W-1-x, y)        3 (W-1-x, H-1-y)    4 (x, H-1-y)
//	5 (y, x)          6 (y, H-1-x)        7 (W-1-y, H-1-x)    8 (W-1-y, x)
//
// where W x H is src's size: 6 is "rotate 90 degrees clockwise to show", 8
// is counter-clockwise.
func orientInto(dst *image.RGBA, r image.Rectangle, src *image.RGBA, o int) {
	W, H := src.Rect.Dx(), src.Rect.Dy()
	for y := 0; y < r.Dy(); y++ {
		for x := 0; x < r.Dx(); x++ {
			sx, sy := x, y
			switch o {
			case 2:
				sx = W - 1 - x
			case 3:
				sx, sy = W-1-x, H-1-y
			case 4:
				sy = H - 1 - y
			case 5:
				sx, sy = y, x
			case 6:
				sx, sy = y, H-1-x
			case 7:
				sx, sy = W-1-y, H-1-x
			case 8:
				sx, sy = W-1-y, x
			}
			si := src.PixOffset(src.Rect.Min.X+sx, src.Rect.Min.Y+sy)
			di := dst.PixOffset(r.Min.X+x, r.Min.Y+y)
			copy(dst.Pix[di:di+4], src.Pix[si:si+4])
		}
	}
}

// oriented returns img turned by EXIF orientation o: img itself when o
// leaves it as it is, else a new RGBA image.
func oriented(img image.Image, o int) image.Image {
	if o <= 1 || o > 8 {
		return img
	}
	b := img.Bounds()
	src := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(src, src.Rect, img, b.Min, draw.Src)
	w, h := b.Dx(), b.Dy()
	if transposes(o) {
		w, h = h, w
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	orientInto(dst, dst.Rect, src, o)
	return dst
}
