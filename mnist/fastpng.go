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
	idat []byte // the file's image data, its IDAT chunks joined
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
	if len(data) < 8 || string(data[:8]) != "\x89PNG\r\n\x1a\n" {
		return nil, false
	}
	var w, h, bpp int
	var ctype byte
	p.idat = p.idat[:0]
	idat := 0 // 0: none yet, 1: in the IDAT chunks, 2: after them
	for pos, first := 8, true; ; first = false {
		if len(data)-pos < 12 {
			return nil, false
		}
		n := int64(binary.BigEndian.Uint32(data[pos:]))
		if n > int64(len(data)-pos-12) {
			return nil, false
		}
		typ, body := string(data[pos+4:pos+8]), data[pos+8:pos+8+int(n)]
		if crc32.ChecksumIEEE(data[pos+4:pos+8+int(n)]) != binary.BigEndian.Uint32(data[pos+8+int(n):]) {
			return nil, false
		}
		pos += 12 + int(n)
		if first != (typ == "IHDR") {
			return nil, false
		}
		if idat == 1 && typ != "IDAT" {
			idat = 2
		}
		switch typ {
		case "IHDR":
			if n != 13 || body[8] != 8 || body[10] != 0 || body[11] != 0 || body[12] != 0 {
				return nil, false
			}
			w, h, ctype = int(binary.BigEndian.Uint32(body)), int(binary.BigEndian.Uint32(body[4:])), body[9]
			if bpp = pngBpp[ctype]; bpp == 0 || w <= 0 || h <= 0 || int64(w)*int64(h) > 1<<30 {
				return nil, false
			}
		case "PLTE", "tRNS":
			return nil, false
		case "IDAT":
			if idat == 2 {
				return nil, false
			}
			idat = 1
			p.idat = append(p.idat, body...)
		case "IEND":
			if idat == 0 {
				return nil, false
			}
			return p.inflate(w, h, bpp, ctype)
		}
	}
}

// inflate inflates and unfilters the joined image data of a w x h image.
func (p *pngInflater) inflate(w, h, bpp int, ctype byte) (image.Image, bool) {
	stride := w * bpp
	need := h * (1 + stride)
	if need > maxInflate*len(p.idat)+64 { // more than the data can inflate to
		return nil, false
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
		return nil, false
	}
	if _, err := io.ReadFull(p.z, p.raw); err != nil {
		return nil, false
	}
	// The stream must end here, its checksum verified, as image/png wants.
	var one [1]byte
	if n, err := p.z.Read(one[:]); n != 0 || err != io.EOF {
		return nil, false
	}
	var prev []byte
	for y := range h {
		row := p.raw[y*(1+stride) : (y+1)*(1+stride)]
		if !unfilter(row[0], row[1:], prev, bpp) {
			return nil, false
		}
		prev = row[1:]
	}
	r := image.Rect(0, 0, w, h)
	switch ctype {
	case 0:
		img := image.NewGray(r)
		for y := range h {
			copy(img.Pix[y*w:], p.raw[y*(1+stride)+1:])
		}
		return img, true
	case 6:
		img := image.NewNRGBA(r)
		for y := range h {
			copy(img.Pix[y*4*w:], p.raw[y*(1+stride)+1:])
		}
		return img, true
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
	return img, true
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
