package mnist

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/tiff"
)

// disc draws a w x h image: a disc of colour c (alpha a) centred on bg.
func disc(w, h int, c color.NRGBA, bg color.NRGBA) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	r := 0.4 * float64(min(w, h))
	for y := range h {
		for x := range w {
			dx, dy := float64(x)+0.5-float64(w)/2, float64(y)+0.5-float64(h)/2
			if dx*dx+dy*dy <= r*r {
				img.SetNRGBA(x, y, c)
			} else {
				img.SetNRGBA(x, y, bg)
			}
		}
	}
	return img
}

// encodeAs writes img to path in the format its extension names.
func encodeAs(t *testing.T, path string, img image.Image) {
	t.Helper()
	data, err := encodeBytes(filepath.Ext(path), img)
	if err == nil {
		err = os.WriteFile(path, data, 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// encodeBytes encodes img in the format of the file extension ext.
func encodeBytes(ext string, img image.Image) ([]byte, error) {
	var b bytes.Buffer
	var err error
	switch ext {
	case ".png":
		err = png.Encode(&b, img)
	case ".jpg":
		err = jpeg.Encode(&b, img, &jpeg.Options{Quality: 95})
	case ".gif":
		err = gif.Encode(&b, img, nil)
	case ".bmp":
		err = bmp.Encode(&b, img)
	case ".tiff":
		err = tiff.Encode(&b, img, nil)
	default:
		err = fmt.Errorf("no encoder for %s", ext)
	}
	return b.Bytes(), err
}

// A generated colour dataset (discs of a colour per class, of mixed sizes
// and formats, some on transparent ground or half.paddedt, and a WebP
// photo) opens as RGBA with each image's colour at its cell's centre,
// its alpha kept, transparent padding around images that are not square,
// and classes from the folders.
func TestColourFolder(t *testing.T) {
	dir := t.TempDir()
	clear := color.NRGBA{}
	white := color.NRGBA{255, 255, 255, 255}
	type file struct {
		name   string
		w, h   int
		bg     color.NRGBA
		alpha  uint8
		tol    int
		padded bool // the cell's corner is padding
	}
	files := []file{
		{"a.png", 40, 30, clear, 255, 2, true},
		{"b.png", 64, 80, clear, 128, 2, true},
		{"c.jpg", 100, 100, white, 255, 24, false},
		{"d.gif", 33, 17, white, 255, 8, true}, // quantised to the Plan 9 palette
		{"e.bmp", 50, 50, white, 255, 2, false},
		{"f.tiff", 20, 60, clear, 255, 2, true},
	}
	classes := map[string]color.NRGBA{"blue": {0, 0, 255, 255}, "green": {0, 200, 0, 255}, "red": {255, 0, 0, 255}, "yellow": {230, 230, 0, 255}}
	for name, c := range classes {
		os.Mkdir(filepath.Join(dir, name), 0o755)
		for _, f := range files {
			c.A = f.alpha
			encodeAs(t, filepath.Join(dir, name, f.name), disc(f.w, f.h, c, f.bg))
		}
	}
	os.Mkdir(filepath.Join(dir, "grey"), 0o755)
	writeTestPNG(t, filepath.Join(dir, "grey", "g.png"), greyImage(10, 20, 77))
	// PNG's other kinds: 16-bit colour and grey, palette with a
	// transparent entry, grey with alpha.
	os.Mkdir(filepath.Join(dir, "png"), 0o755)
	deep := image.NewNRGBA64(image.Rect(0, 0, 12, 12))
	g16 := image.NewGray16(image.Rect(0, 0, 12, 12))
	pal := image.NewPaletted(image.Rect(0, 0, 12, 12), color.Palette{color.NRGBA{}, color.NRGBA{0, 0, 255, 255}})
	for y := range 12 {
		for x := range 12 {
			deep.SetNRGBA64(x, y, color.NRGBA64{0xffff, 0x8080, 0, 0xffff})
			g16.SetGray16(x, y, color.Gray16{0x4040})
			if x > 2 && x < 9 && y > 2 && y < 9 {
				pal.SetColorIndex(x, y, 1)
			}
		}
	}
	writeTestPNG(t, filepath.Join(dir, "png", "deep.png"), deep)
	writeTestPNG(t, filepath.Join(dir, "png", "g16.png"), g16)
	writeTestPNG(t, filepath.Join(dir, "png", "pal.png"), pal)
	os.WriteFile(filepath.Join(dir, "png", "ga.png"), pngGreyAlpha(12, 12, 90, 100), 0o644)
	pngWant := map[string][2]color.NRGBA{ // centre, corner
		"deep.png": {{255, 128, 0, 255}, {255, 128, 0, 255}},
		"g16.png":  {{64, 64, 64, 255}, {64, 64, 64, 255}},
		"pal.png":  {{0, 0, 255, 255}, {}},
		"ga.png":   {{90, 90, 90, 100}, {90, 90, 90, 100}},
	}
	os.Mkdir(filepath.Join(dir, "webp"), 0o755)
	webp, err := os.ReadFile("testdata/blue-purple-pink.lossy.webp")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "webp", "photo.webp"), webp, 0o644)

	for _, cell := range []int{32, 0} {
		d, err := Open(dir, Options{Cell: cell, NoCache: true})
		if err != nil {
			t.Fatal(err)
		}
		if cell == 0 && d.Width != 60 { // CellFor(30, 4) = 60, below the largest side (100)
			t.Errorf("chosen cell %d, want 60", d.Width)
		}
		if d.NumChannels() != 4 || len(d.Skipped) != 0 || d.Len() != 4*len(files)+2+len(pngWant) {
			t.Fatalf("cell %d: %d channels, %d rows, skipped %v", cell, d.Channels, d.Len(), d.Skipped)
		}
		if want := []string{"blue", "green", "grey", "png", "red", "webp", "yellow"}; !slices.Equal(d.Classes, want) {
			t.Fatalf("classes %q, want %q", d.Classes, want)
		}
		s := d.Width
		at := func(row, x, y int) color.NRGBA {
			p := d.Image(row)[4*(y*s+x):]
			return color.NRGBA{p[0], p[1], p[2], p[3]}
		}
		for row := range d.Len() {
			class, base := d.ClassName(d.Labels[row]), filepath.Base(d.Paths[row])
			centre, corner := at(row, s/2, s/2), at(row, 0, 0)
			switch class {
			case "grey":
				if centre != (color.NRGBA{77, 77, 77, 255}) || corner.A != 0 {
					t.Errorf("grey image in a colour set: centre %v, corner %v", centre, corner)
				}
				continue
			case "png":
				if w := pngWant[base]; !near(centre, w[0], 1) || !near(corner, w[1], 1) {
					t.Errorf("cell %d, %s: centre %v, corner %v, want %v", s, base, centre, corner, w)
				}
				continue
			case "webp":
				if centre.A != 255 || centre.B < 100 {
					t.Errorf("webp photo: centre %v", centre)
				}
				continue
			}
			f := files[slices.IndexFunc(files, func(f file) bool { return f.name == base })]
			want := classes[class]
			want.A = f.alpha
			if !near(centre, want, f.tol) {
				t.Errorf("cell %d, %s/%s: centre %v, want %v", s, class, base, centre, want)
			}
			if f.padded && corner.A != 0 {
				t.Errorf("cell %d, %s/%s: corner %v, want transparent", s, class, base, corner)
			}
		}
		// The original of a.png comes back at its size, in its colours.
		row := slices.IndexFunc(d.Paths, func(p string) bool { return p == filepath.Join(dir, "red", "a.png") })
		img, err := d.Original(row)
		if err != nil || img.Bounds().Dx() != 40 || img.Bounds().Dy() != 30 {
			t.Fatalf("original: %v, %v", err, img)
		}
		if c := color.NRGBAModel.Convert(img.At(20, 15)).(color.NRGBA); c != classes["red"] {
			t.Errorf("original's centre %v", c)
		}
	}
}

// pngGreyAlpha returns a w x h PNG of 8-bit grey and alpha (colour type
// 4, which Go's encoder never writes), every pixel grey g of alpha a.
func pngGreyAlpha(w, h int, g, a uint8) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 8, 4, 0, 0, 0)
	var raw, z bytes.Buffer
	for range h {
		raw.WriteByte(0) // no filter
		for range w {
			raw.Write([]byte{g, a})
		}
	}
	zw := zlib.NewWriter(&z)
	zw.Write(raw.Bytes())
	zw.Close()
	return slices.Concat([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr), pngChunk("IDAT", z.Bytes()), pngChunk("IEND", nil))
}

// pngChunk returns a PNG chunk of type typ holding data, with its CRC.
func pngChunk(typ string, data []byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	b = append(append(b, typ...), data...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// near reports whether every channel of a and b differs by at most tol.
func near(a, b color.NRGBA, tol int) bool {
	d := func(x, y uint8) bool { return int(x)-int(y) <= tol && int(y)-int(x) <= tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B) && d(a.A, b.A)
}

// withOrientation returns the JPEG jpg with an EXIF APP1 segment giving
// orientation o inserted after its start marker.
func withOrientation(jpg []byte, o uint16, order binary.AppendByteOrder) []byte {
	tiffHdr := []byte("II*\x00\x08\x00\x00\x00")
	if order == binary.BigEndian {
		tiffHdr = []byte("MM\x00*\x00\x00\x00\x08")
	}
	ifd := order.AppendUint16(nil, 1)
	ifd = order.AppendUint16(ifd, 0x0112)
	ifd = order.AppendUint16(ifd, 3)
	ifd = order.AppendUint32(ifd, 1)
	ifd = order.AppendUint16(ifd, o)
	ifd = append(ifd, 0, 0, 0, 0, 0, 0)
	body := append(append([]byte("Exif\x00\x00"), tiffHdr...), ifd...)
	seg := append([]byte{0xff, 0xe1}, binary.BigEndian.AppendUint16(nil, uint16(len(body)+2))...)
	return slices.Concat(jpg[:2], seg, body, jpg[2:])
}

// A JPEG's EXIF orientation is applied, in its cell and in Original: a
// 40x20 picture of four coloured quadrants shows each orientation's
// quadrants where the EXIF specification puts them.
func TestJPEGOrientation(t *testing.T) {
	R, G, B, W := color.NRGBA{255, 0, 0, 255}, color.NRGBA{0, 255, 0, 255}, color.NRGBA{0, 0, 255, 255}, color.NRGBA{255, 255, 255, 255}
	src := image.NewNRGBA(image.Rect(0, 0, 40, 20))
	for y := range 20 {
		for x := range 40 {
			src.SetNRGBA(x, y, [2][2]color.NRGBA{{R, G}, {B, W}}[y/10][x/20])
		}
	}
	var b bytes.Buffer
	jpeg.Encode(&b, src, &jpeg.Options{Quality: 100})
	// Quadrants as shown: top left, top right, bottom left, bottom right.
	want := map[uint16][4]color.NRGBA{
		1: {R, G, B, W}, 2: {G, R, W, B}, 3: {W, B, G, R}, 4: {B, W, R, G},
		5: {R, B, G, W}, 6: {B, R, W, G}, 7: {W, G, B, R}, 8: {G, W, R, B},
	}
	dir := t.TempDir()
	for o := uint16(1); o <= 8; o++ {
		order := binary.AppendByteOrder(binary.LittleEndian)
		if o%2 == 0 {
			order = binary.BigEndian
		}
		os.WriteFile(filepath.Join(dir, fmt.Sprintf("o%d.jpg", o)), withOrientation(b.Bytes(), o, order), 0o644)
	}
	d, err := Open(dir, Options{Cell: 40, NoCache: true})
	if err != nil || d.Len() != 8 {
		t.Fatalf("%v, %d rows", err, d.Len())
	}
	for row := range 8 {
		o := uint16(row + 1)
		img, err := d.Original(row)
		if err != nil {
			t.Fatal(err)
		}
		w, h := img.Bounds().Dx(), img.Bounds().Dy()
		if (o >= 5) != (w == 20 && h == 40) {
			t.Errorf("orientation %d: original %dx%d", o, w, h)
		}
		cell := func(x, y int) color.NRGBA { // the cell's pixel at the image's (x, y)
			x0, y0 := (40-w)/2, (40-h)/2
			p := d.Image(row)[4*((y0+y)*40+x0+x):]
			return color.NRGBA{p[0], p[1], p[2], p[3]}
		}
		for q, c := range want[o] {
			x, y := w/4+(q%2)*w/2, h/4+(q/2)*h/2
			if got := color.NRGBAModel.Convert(img.At(x, y)).(color.NRGBA); !near(got, c, 40) {
				t.Errorf("orientation %d, quadrant %d: original %v, want %v", o, q, got, c)
			}
			if got := cell(x, y); !near(got, c, 40) {
				t.Errorf("orientation %d, quadrant %d: cell %v, want %v", o, q, got, c)
			}
		}
	}
}
