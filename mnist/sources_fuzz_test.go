package mnist

import (
	"bytes"
	"encoding/binary"
	"image"
	"image/color"
	"image/jpeg"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/parquet-go/parquet-go"
)

// The fuzz targets of the folder and array sources: the NPY reader (and
// Open on a .npy), the labels-file parsers, the JPEG orientation reader and
// the image decoding of one file. Each must return an error or a result
// consistent with its input, never panic, and allocate in proportion to
// the input at most. `make fuzz` runs them; plain go test replays the
// seeds and testdata/fuzz.

// readWholeNPY reads every element of the NPY file at p as float64.
func readWholeNPY(p string) (*npyArray, []float64, error) {
	f, size, err := openArrayFile(p)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	a, err := readNPY(f, p, size)
	if err != nil {
		return nil, nil, err
	}
	vals := make([]float64, a.elems())
	if err := a.readFloats(vals, nil); err != nil {
		return nil, nil, err
	}
	return a, vals, nil
}

func FuzzReadNPY(f *testing.F) {
	f.Add(npyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 2, 2), }", []byte{0, 1, 2, 3, 4, 5, 6, 255}))
	f.Add(npyBytes("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 2, 1), }", []byte{0, 0, 0x80, 0x3f, 0, 0, 0, 0}))
	f.Add(npyBytes("{'descr': '>f8', 'fortran_order': False, 'shape': (1, 1, 1, 3), }", make([]byte, 24)))
	f.Add(npyBytes("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", make([]byte, 24)))
	f.Add(npyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (1000000, 28, 28), }", make([]byte, 100)))
	f.Add(npyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (2, 16), }", make([]byte, 32)))
	f.Add(npyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (), }", []byte{7}))
	f.Add(npyBytes("{'descr': [('a', '<i4')], 'fortran_order': False, 'shape': (1,), }", make([]byte, 4)))
	f.Add([]byte("\x93NUMPY\x02\x00\xff\xff\xff\xff{"))
	f.Add([]byte("\x93NUMPY\x01\x00\x02\x00}\n"))
	f.Add([]byte{})
	dir := f.TempDir()
	seq := 0
	f.Fuzz(func(t *testing.T, data []byte) {
		seq++
		p := filepath.Join(dir, "in-"+strconv.Itoa(seq)+".npy")
		if err := os.WriteFile(p, data, 0o600); err != nil {
			t.Fatal(err)
		}
		defer os.Remove(p)
		var (
			a    *npyArray
			vals []float64
			err  error
		)
		if n := allocated(func() { a, vals, err = readWholeNPY(p) }); n > 8<<20+16*uint64(len(data)) {
			t.Fatalf("read: allocated %d bytes for a %d-byte file (err %v)", n, len(data), err)
		}
		if err != nil {
			if !strings.HasPrefix(err.Error(), "mnist: ") || !strings.Contains(err.Error(), p) {
				t.Fatalf("error %q lacks the prefix or the path", err)
			}
		} else {
			if len(vals) != a.elems() || int64(a.elems())*int64(a.size)+a.offset > int64(len(data)) {
				t.Fatalf("%d values of %d bytes from a %d-byte file", len(vals), a.size, len(data))
			}
			if a.dtype[1:] == "u1" {
				for i, v := range vals {
					if v != float64(data[a.offset+int64(i)]) {
						t.Fatalf("value %d is %v, the file holds %d", i, v, data[a.offset+int64(i)])
					}
				}
			}
		}
		var d *Dataset
		if n := allocated(func() { d, err = Open(p, Options{NoCache: true, Workers: 1}) }); n > 16<<20+128*uint64(len(data)) {
			t.Fatalf("Open: allocated %d bytes for a %d-byte file (err %v)", n, len(data), err)
		}
		if err == nil && (d.Len() < 1 || len(d.Pixels) != d.Len()*d.imageSize()) {
			t.Fatalf("Open: %d rows, %d values", d.Len(), len(d.Pixels))
		}
	})
}

func FuzzLabelsCSV(f *testing.F) {
	f.Add([]byte("path,label,note\na/1.png,cat,x\nb.png,dog,\"y, z\"\n"), false)
	f.Add([]byte("\ufeffa.png\tcat\n../x.png\tdog\n/abs.png\tx\n"), true)
	f.Add([]byte("a.png,cat\na.png,dog\nb.png\n\"unterminated,x\n"), false)
	f.Add([]byte("label,source\n3,a\nemu\n"), false)
	f.Add([]byte("only\n"), false)
	f.Add([]byte{}, false)
	f.Fuzz(func(t *testing.T, data []byte, tab bool) {
		comma := ','
		if tab {
			comma = '\t'
		}
		table := parseLabelTable("labels.csv", data, comma)
		for rel, row := range table.rows {
			if rel != path.Clean(rel) || rel == ".." || strings.HasPrefix(rel, "../") || path.IsAbs(rel) {
				t.Fatalf("path %q kept", rel)
			}
			if len(row.meta) != len(table.columns) || utf8.RuneCountInString(row.label) > MaxClassNameLen {
				t.Fatalf("row %+v for columns %q", row, table.columns)
			}
		}
		list := parseLabelList("labels.csv", data, comma)
		if list.meta != nil && len(list.meta) != len(list.labels) {
			t.Fatalf("%d meta rows for %d labels", len(list.meta), len(list.labels))
		}
		for _, m := range list.meta {
			if m != nil && len(m) != len(list.columns) {
				t.Fatalf("meta %q for columns %q", m, list.columns)
			}
		}
		for _, s := range append(table.skips, list.skips...) {
			if s.Path != "labels.csv" || !(strings.HasPrefix(s.Reason, "line ") || strings.HasPrefix(s.Reason, "one column")) {
				t.Fatalf("skip %v", s)
			}
		}
	})
}

func FuzzJPEGOrientation(f *testing.F) {
	var b bytes.Buffer
	jpeg.Encode(&b, greyImage(4, 4, 9), nil)
	f.Add(b.Bytes())
	f.Add(withOrientation(b.Bytes(), 6, binary.BigEndian))
	f.Add(withOrientation(b.Bytes(), 9, binary.LittleEndian))
	f.Add(withOrientation(b.Bytes(), 8, binary.LittleEndian)[:40])
	f.Fuzz(func(t *testing.T, data []byte) {
		if o := jpegOrientation(data); o < 1 || o > 8 {
			t.Fatalf("orientation %d", o)
		}
	})
}

// FuzzDecodeImage decodes one image file as a folder's files are (the
// pixel cap low, so that allocation stays bounded): it must return an
// image within the cap or a reason, never panic; and what the fast PNG
// path decodes, image/png must decode to the same image.
func FuzzDecodeImage(f *testing.F) {
	for _, ext := range []string{".png", ".jpg", ".gif", ".bmp", ".tiff"} {
		data, err := encodeBytes(ext, disc(6, 5, color.NRGBA{200, 100, 0, 200}, color.NRGBA{}))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	if webp, err := os.ReadFile("testdata/blue-purple-pink.lossy.webp"); err == nil {
		f.Add(webp)
	}
	f.Add(pngClaiming(100000, 100000))
	f.Add(bmpClaiming(-3, 1<<30))
	f.Add(pngGreyAlpha(3, 2, 9, 99))
	for _, img := range []image.Image{greyImage(5, 4, 7), image.NewRGBA(image.Rect(0, 0, 3, 3))} {
		data, _ := encodeBytes(".png", img)
		f.Add(data)
	}
	dir := f.TempDir()
	seq := 0
	const maxPixels = 1 << 16
	f.Fuzz(func(t *testing.T, data []byte) {
		p := fuzzFile(t, dir, &seq, data)
		var img image.Image
		var err error
		if n := allocated(func() { img, _, err = new(imageDecoder).decode(p, nil, maxPixels, nil) }); n > 64<<20+64*uint64(len(data)) {
			t.Fatalf("allocated %d bytes for a %d-byte file (err %v)", n, len(data), err)
		}
		if err == nil {
			if b := img.Bounds(); b.Empty() || int64(b.Dx())*int64(b.Dy()) > maxPixels {
				t.Fatalf("decoded %v", b)
			}
			newFitter(12).fit(img, 1)
		}
		if len(data) < 1<<16 {
			samePNG(t, data, false)
		}
	})
}

// FuzzOpenParquet opens any bytes as a Parquet dataset: an error naming
// the file or a dataset consistent with the file's rows, never a panic or
// a hang, and allocations in proportion to the input (the footer's lists
// cost up to 560 bytes a byte; a Snappy page 24 bytes a byte).
func FuzzOpenParquet(f *testing.F) {
	good := smallParquet(f, 4, &parquet.Snappy)
	f.Add(good)
	f.Add(smallParquet(f, 3, &parquet.Uncompressed))
	f.Add(smallParquet(f, 3, &parquet.Gzip))
	f.Add(good[:len(good)-5])
	f.Add(rawFooter([]byte{0x15, 0x02, 0x19, 0xfc, 0xff, 0xff, 0xff, 0xff, 0x07, 0}))
	f.Add([]byte("PAR1"))
	dir := f.TempDir()
	seq := 0
	f.Fuzz(func(t *testing.T, data []byte) {
		path := fuzzFile(t, dir, &seq, data)
		var d *Dataset
		var err error
		alloc := allocated(func() { d, err = Open(path, Options{NoCache: true, Workers: 1, MaxPixels: 1 << 16}) })
		if limit := uint64(64<<20 + 1100*len(data)); alloc > limit {
			t.Fatalf("allocated %d bytes for a %d-byte file (err %v)", alloc, len(data), err)
		}
		if err != nil {
			if !strings.Contains(err.Error(), path) {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if d.Len() == 0 || d.Len() != len(d.Labels) || len(d.Pixels) != d.Len()*d.Width*d.Height*d.NumChannels() || d.NumTrain > d.Len() {
			t.Fatalf("inconsistent dataset: %d rows, %d labels, %d pixels", d.Len(), len(d.Labels), len(d.Pixels))
		}
	})
}
