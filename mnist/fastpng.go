package mnist

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"image"
	"io"
)

// pngInflater decodes the plainest PNG files, the kind a folder of
// thousands of small images is made of, faster than image/png: 8-bit grey,
// grey and alpha, RGB or RGBA, not interlaced, without a palette or a
// transparent colour. Its gain is reuse: image/png allocates and clears a
// 32 KiB inflation window for every file, which costs more than decoding a
// small image. Anything else, and any file it finds wrong in any way, it
// leaves to image/png (ok is false), which then decodes the file or says
// what is wrong with it; when it does decode a file, image/png gives the
// same image of the same type (FuzzDecodeImage checks that). One per
// decoding goroutine.
type pngInflater struct {
	z    io.ReadCloser // zlib reader, reset for each file
	src  bytes.Reader
	idat []byte // the file's image data: its one IDAT chunk's body, or join
	join []byte // the IDAT chunks joined, when there are several
	raw  []byte // the inflated rows, each after its filter byte
}

// pngHeader returns the size and colour type a PNG file's header gives,
// read straight from its first 33 bytes (signature and IHDR chunk), or ok
// false when data does not start so. It stands in for image.DecodeConfig,
// which allocates a decoder, for the header of every file of a folder;
// decoding checks the rest.
func pngHeader(data []byte) (w, h int, ctype byte, ok bool) {
	if len(data) < 33 || string(data[:8]) != "\x89PNG\r\n\x1a\n" || string(data[8:16]) != "\x00\x00\x00\x0dIHDR" {
		return 0, 0, 0, false
	}
	w, h = int(binary.BigEndian.Uint32(data[16:])), int(binary.BigEndian.Uint32(data[20:]))
	if w <= 0 || h <= 0 || w > 1<<31-1 || h > 1<<31-1 {
		return 0, 0, 0, false
	}
	return w, h, data[25], true
}

// bytes per pixel of the colour types decoded: grey, RGB, grey+alpha, RGBA.
var pngBpp = map[byte]int{0: 1, 2: 3, 4: 2, 6: 4}

// decode decodes the PNG file data, or returns ok false.
func (p *pngInflater) decode(data []byte) (img image.Image, ok bool) {
	w, h, bpp, ctype, ok := p.rows(data)
	if !ok {
		return nil, false
	}
	return p.image(w, h, bpp, ctype), true
}

// intoGreyCell decodes data straight into the grey cell dst (side cell),
// as decoding, fitting and storing it would, when it is a PNG that
// pngInflater decodes, grey, of at most maxPixels pixels, whose longer
// side is the cell's (so that the cell holds it unscaled, centred); it
// returns the rectangle the image covers. Otherwise, or when the file is
// wrong in any way, ok is false and dst is untouched.
func (p *pngInflater) intoGreyCell(data []byte, cell int, maxPixels int64, dst []uint8) (r image.Rectangle, ok bool) {
	w, h, ctype, ok := pngHeader(data)
	if !ok || ctype != 0 || max(w, h) != cell || int64(w)*int64(h) > maxPixels {
		return r, false
	}
	if fw, fh := fittedSize(w, h, cell); fw != w || fh != h {
		return r, false
	}
	w, h, _, ctype, ok = p.rows(data)
	if !ok || ctype != 0 || max(w, h) != cell || len(dst) != cell*cell {
		return r, false
	}
	x0, y0 := (cell-w)/2, (cell-h)/2
	if w != cell || h != cell {
		clear(dst)
	}
	for y := range h {
		o := (y0+y)*cell + x0
		copy(dst[o:o+w], p.raw[y*(1+w)+1:(y+1)*(1+w)])
	}
	return image.Rect(x0, y0, x0+w, y0+h), true
}

// rows parses data and leaves its image's rows, inflated and unfiltered,
// in p.raw (each after its filter byte); ok is false when it cannot.
func (p *pngInflater) rows(data []byte) (w, h, bpp int, ctype byte, ok bool) {
	if len(data) < 8 || string(data[:8]) != "\x89PNG\r\n\x1a\n" {
		return
	}
	p.idat = nil
	joined := false
	idat := 0 // 0: none yet, 1: in the IDAT chunks, 2: after them
	for pos, first := 8, true; ; first = false {
		if len(data)-pos < 12 {
			return
		}
		n := int64(binary.BigEndian.Uint32(data[pos:]))
		if n > int64(len(data)-pos-12) {
			return
		}
		typ, body := string(data[pos+4:pos+8]), data[pos+8:pos+8+int(n)]
		if crc32.ChecksumIEEE(data[pos+4:pos+8+int(n)]) != binary.BigEndian.Uint32(data[pos+8+int(n):]) {
			return
		}
		pos += 12 + int(n)
		if first != (typ == "IHDR") {
			return
		}
		if idat == 1 && typ != "IDAT" {
			idat = 2
		}
		switch typ {
		case "IHDR":
			if n != 13 || body[8] != 8 || body[10] != 0 || body[11] != 0 || body[12] != 0 {
				return
			}
			w, h, ctype = int(binary.BigEndian.Uint32(body)), int(binary.BigEndian.Uint32(body[4:])), body[9]
			if bpp = pngBpp[ctype]; bpp == 0 || w <= 0 || h <= 0 || int64(w)*int64(h) > 1<<30 {
				return
			}
		case "PLTE", "tRNS":
			return
		case "IDAT":
			switch {
			case idat == 2:
				return
			case idat == 0: // read in place, unless another chunk follows
				p.idat = body[:len(body):len(body)]
			case !joined:
				p.join = append(append(p.join[:0], p.idat...), body...)
				p.idat, joined = p.join, true
			default:
				p.join = append(p.join, body...)
				p.idat = p.join
			}
			idat = 1
		case "IEND":
			if idat == 0 {
				return
			}
			ok = p.inflate(w, h, bpp)
			p.idat = nil // not to keep data alive
			return w, h, bpp, ctype, ok
		}
	}
}

// inflate inflates and unfilters the joined image data of a w x h image
// into p.raw.
func (p *pngInflater) inflate(w, h, bpp int) bool {
	stride := w * bpp
	need := h * (1 + stride)
	if need > maxInflate*len(p.idat)+64 { // more than the data can inflate to
		return false
	}
	if cap(p.raw) < need {
		p.raw = make([]byte, need)
	} else {
		p.raw = p.raw[:need]
	}
	p.src.Reset(p.idat)
	var err error
	if p.z == nil {
		p.z, err = zlib.NewReader(&p.src)
	} else {
		err = p.z.(zlib.Resetter).Reset(&p.src, nil)
	}
	if err != nil {
		return false
	}
	if _, err := io.ReadFull(p.z, p.raw); err != nil {
		return false
	}
	// The stream must end here, its checksum verified, as image/png wants.
	var one [1]byte
	if n, err := p.z.Read(one[:]); n != 0 || err != io.EOF {
		return false
	}
	var prev []byte
	for y := range h {
		row := p.raw[y*(1+stride) : (y+1)*(1+stride)]
		if !unfilter(row[0], row[1:], prev, bpp) {
			return false
		}
		prev = row[1:]
	}
	return true
}

// image returns the image whose rows p.raw holds.
func (p *pngInflater) image(w, h, bpp int, ctype byte) image.Image {
	stride := w * bpp
	r := image.Rect(0, 0, w, h)
	switch ctype {
	case 0:
		img := image.NewGray(r)
		for y := range h {
			copy(img.Pix[y*w:], p.raw[y*(1+stride)+1:])
		}
		return img
	case 6:
		img := image.NewNRGBA(r)
		for y := range h {
			copy(img.Pix[y*4*w:], p.raw[y*(1+stride)+1:])
		}
		return img
	}
	var out []byte
	var img image.Image
	if ctype == 2 {
		rgba := image.NewRGBA(r)
		out, img = rgba.Pix, rgba
	} else {
		nrgba := image.NewNRGBA(r)
		out, img = nrgba.Pix, nrgba
	}
	for y := range h {
		src := p.raw[y*(1+stride)+1 : (y+1)*(1+stride)]
		dst := out[y*4*w : (y+1)*4*w]
		for x := range w {
			if ctype == 2 {
				dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = src[3*x], src[3*x+1], src[3*x+2], 255
			} else {
				g := src[2*x]
				dst[4*x], dst[4*x+1], dst[4*x+2], dst[4*x+3] = g, g, g, src[2*x+1]
			}
		}
	}
	return img
}

// unfilter undoes PNG filter ft on row cur, given the previous row (nil
// for the first: zeros), with bpp bytes a pixel; false for an unknown
// filter.
func unfilter(ft byte, cur, prev []byte, bpp int) bool {
	up := func(i int) byte {
		if prev == nil {
			return 0
		}
		return prev[i]
	}
	switch ft {
	case 0:
	case 1:
		for i := bpp; i < len(cur); i++ {
			cur[i] += cur[i-bpp]
		}
	case 2:
		for i := range cur {
			cur[i] += up(i)
		}
	case 3:
		for i := range cur {
			var left int
			if i >= bpp {
				left = int(cur[i-bpp])
			}
			cur[i] += byte((left + int(up(i))) / 2)
		}
	case 4:
		for i := range cur {
			var a, c int
			if i >= bpp {
				a, c = int(cur[i-bpp]), int(up(i-bpp))
			}
			b := int(up(i))
			pa, pb, pc := abs(b-c), abs(a-c), abs(a+b-2*c)
			switch {
			case pa <= pb && pa <= pc:
				cur[i] += byte(a)
			case pb <= pc:
				cur[i] += byte(b)
			default:
				cur[i] += byte(c)
			}
		}
	default:
		return false
	}
	return true
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
