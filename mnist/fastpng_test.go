package mnist

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"image"
	"image/color"
	"image/png"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// samePNG fails t unless the fast path decodes data (when want says it
// should) and image/png decodes it to the same image of the same type;
// whatever the fast path accepts, image/png must accept alike.
func samePNG(t *testing.T, data []byte, want bool) {
	t.Helper()
	img, ok := new(pngInflater).decode(data)
	if ok != want && want {
		t.Fatal("the fast path declined a plain PNG")
	}
	if !ok {
		return
	}
	ref, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("the fast path decoded what image/png refuses: %v", err)
	}
	if reflect.TypeOf(img) != reflect.TypeOf(ref) || img.Bounds() != ref.Bounds() || !reflect.DeepEqual(img, ref) {
		t.Fatalf("fast path %T %v differs from image/png's %T %v", img, img.Bounds(), ref, ref.Bounds())
	}
}

// The fast PNG path decodes every plain colour type, with every row filter
// the encoder chooses for noisy and smooth content, exactly as image/png;
// it declines palettes and 16-bit images.
func TestFastPNG(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	r := image.Rect(0, 0, 13, 7)
	gray, rgba, nrgba := image.NewGray(r), image.NewRGBA(r), image.NewNRGBA(r)
	for y := range 7 {
		for x := range 13 {
			v := uint8(rng.IntN(256))
			if x > 6 {
				v = uint8(x*9 + y*5) // smooth, for the Sub, Up, Average and Paeth filters
			}
			gray.SetGray(x, y, color.Gray{v})
			rgba.SetRGBA(x, y, color.RGBA{v, v / 2, 255 - v, 255})
			nrgba.SetNRGBA(x, y, color.NRGBA{v, 3 * v, v / 3, uint8(x * 19)})
		}
	}
	for _, level := range []png.CompressionLevel{png.DefaultCompression, png.NoCompression, png.BestSpeed, png.BestCompression} {
		for _, img := range []image.Image{gray, rgba, nrgba} {
			var b bytes.Buffer
			(&png.Encoder{CompressionLevel: level}).Encode(&b, img)
			samePNG(t, b.Bytes(), true)
		}
	}
	samePNG(t, pngGreyAlpha(5, 3, 90, 100), true)
	// Every filter on random bytes, in every colour type.
	for _, ctype := range []byte{0, 2, 4, 6} {
		samePNG(t, pngFiltered(rng, 128, 100, ctype), true)
	}
	var b bytes.Buffer
	png.Encode(&b, image.NewPaletted(r, color.Palette{color.Black, color.White}))
	samePNG(t, b.Bytes(), false)
	b.Reset()
	png.Encode(&b, image.NewGray16(r))
	samePNG(t, b.Bytes(), false)
}

// pngFiltered returns a w x h PNG of colour type ctype whose rows hold
// random bytes and use the five filters in turn.
func pngFiltered(rng *rand.Rand, w, h int, ctype byte) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, uint32(w))
	ihdr = binary.BigEndian.AppendUint32(ihdr, uint32(h))
	ihdr = append(ihdr, 8, ctype, 0, 0, 0)
	var raw, z bytes.Buffer
	for y := range h {
		raw.WriteByte(byte(y % 5))
		for range w * pngBpp[ctype] {
			raw.WriteByte(byte(rng.IntN(256)))
		}
	}
	zw := zlib.NewWriter(&z)
	zw.Write(raw.Bytes())
	zw.Close()
	return slices.Concat([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr), pngChunk("IDAT", z.Bytes()), pngChunk("IEND", nil))
}

// A grey PNG whose longer side is the cell's goes straight into the cell
// exactly as decoding, fitting and storing it does, centred, whatever is
// in the cell before; anything else is declined and leaves the cell as it
// was: another size, colour, more pixels than the cap, a broken file.
func TestIntoGreyCell(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	encode := func(img image.Image) []byte {
		var b bytes.Buffer
		if err := png.Encode(&b, img); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	grey := func(w, h int) *image.Gray {
		g := image.NewGray(image.Rect(0, 0, w, h))
		for i := range g.Pix {
			g.Pix[i] = uint8(rng.IntN(256))
		}
		return g
	}
	p := new(pngInflater)
	for _, c := range []struct{ w, h, cell int }{{28, 28, 28}, {20, 28, 28}, {28, 13, 28}, {1, 9, 9}, {300, 290, 300}} {
		img := grey(c.w, c.h)
		data := encode(img)
		fit := newFitter(c.cell)
		want := make([]uint8, c.cell*c.cell)
		wantR := fit.fit(img, 1)
		fit.storeGrey(want)
		got := bytes.Repeat([]byte{7}, c.cell*c.cell) // a used cell
		r, ok := p.intoGreyCell(data, c.cell, 1<<20, got)
		if !ok || r != wantR || !slices.Equal(got, want) {
			t.Errorf("%dx%d in a cell of %d: ok %v, rectangle %v (want %v), same cell %v", c.w, c.h, c.cell, ok, r, wantR, slices.Equal(got, want))
		}
	}
	if n := bytes.Count(encode(grey(300, 290)), []byte("IDAT")); n < 2 {
		t.Errorf("the 300x290 image has %d IDAT chunks: the test misses the joining", n)
	}
	rgba := image.NewRGBA(image.Rect(0, 0, 28, 28))
	broken := encode(grey(28, 28))
	broken[len(broken)-20] ^= 0xff // inside the data: its CRC fails
	for name, c := range map[string]struct {
		data      []byte
		cell      int
		maxPixels int64
	}{
		"smaller than the cell": {encode(grey(20, 20)), 28, 1 << 20},
		"larger than the cell":  {encode(grey(28, 28)), 20, 1 << 20},
		"colour":                {encode(rgba), 28, 1 << 20},
		"over the pixel cap":    {encode(grey(28, 28)), 28, 28*28 - 1},
		"broken":                {broken, 28, 1 << 20},
		"not a PNG":             {[]byte("GIF89a"), 28, 1 << 20},
	} {
		cell := bytes.Repeat([]byte{7}, c.cell*c.cell)
		if _, ok := p.intoGreyCell(c.data, c.cell, c.maxPixels, cell); ok || bytes.Count(cell, []byte{7}) != len(cell) {
			t.Errorf("%s: ok %v, or the cell changed", name, ok)
		}
	}
}

// FuzzIntoGreyCell: whatever the file, decoding it straight into a cell
// never panics, and a file it takes, image/png decodes to a grey image
// that decoding, fitting and storing puts into the cell alike.
func FuzzIntoGreyCell(f *testing.F) {
	for _, wh := range [][2]int{{12, 12}, {7, 12}, {12, 5}} {
		var b bytes.Buffer
		png.Encode(&b, image.NewGray(image.Rect(0, 0, wh[0], wh[1])))
		f.Add(b.Bytes())
	}
	f.Add(pngFiltered(rand.New(rand.NewPCG(5, 6)), 12, 9, 0))
	f.Add(pngClaiming(100000, 100000))
	const cell = 12
	f.Fuzz(func(t *testing.T, data []byte) {
		got := make([]uint8, cell*cell)
		r, ok := new(pngInflater).intoGreyCell(data, cell, 1<<16, got)
		if !ok {
			return
		}
		img, err := png.Decode(bytes.NewReader(data))
		if _, grey := img.(*image.Gray); err != nil || !grey {
			t.Fatalf("taken straight into the cell, but image/png gives %T, %v", img, err)
		}
		fit := newFitter(cell)
		want := make([]uint8, cell*cell)
		wantR := fit.fit(img, 1)
		fit.storeGrey(want)
		if r != wantR || !slices.Equal(got, want) {
			t.Fatalf("rectangle %v (want %v), same cell %v", r, wantR, slices.Equal(got, want))
		}
	})
}
