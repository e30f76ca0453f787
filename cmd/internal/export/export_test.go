package export

import (
	"bytes"
	"encoding/binary"
	"encoding/csv"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mnist-explorer/mnist-explorer/mnist"
)

// testData is a 5-row dataset of 4 x 3 images whose pixel (x, y) of row r
// is 10*r + 4*y + x + 1.
func testData() *mnist.Dataset {
	d := &mnist.Dataset{Width: 4, Height: 3, NumTrain: 3, Labels: []uint8{3, 1, 4, 1, 5},
		Classes: []string{"zero", "one", "two", "three", "four", "five"}}
	for r := range 5 {
		for p := range 12 {
			d.Pixels = append(d.Pixels, uint8(10*r+p+1))
		}
	}
	return d
}

// source describes d as the app will, proving an *mnist.Dataset fits.
func source(d *mnist.Dataset) Source {
	return Source{Labels: d.Labels, Split: d.Split, ClassName: d.ClassName,
		Image: d.Image, Width: d.Width, Height: d.Height}
}

// inDir runs the test in a fresh directory and returns it, so that
// writers get relative paths and must return absolute ones.
func inDir(t *testing.T) string {
	dir, err := filepath.EvalSymlinks(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(dir)
	return dir
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

func checkResult(t *testing.T, res Result, err error, want string, written int) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if res.Path != want || res.Written != written {
		t.Errorf("result %+v, want path %s and %d written", res, want, written)
	}
}

func TestSelectionCSV(t *testing.T) {
	dir := inDir(t)
	src := source(testData())
	src.ID = func(r int) string { return fmt.Sprintf(`img "%d", a.png`, r) } // needs quoting
	pos := []float32{0, 0, 1.5, -2, 3, 4, 5, 6, -0.25, 1e-7}
	res, err := SelectionCSV("sel.csv", src, []int32{4, 0, 3}, pos)
	checkResult(t, res, err, filepath.Join(dir, "sel.csv"), 3)
	want := [][]string{
		{"row", "split", "label", "x", "y", "id"},
		{"4", "test", "5", "-0.25", "1e-07", `img "4", a.png`},
		{"0", "train", "3", "0", "0", `img "0", a.png`},
		{"3", "test", "1", "5", "6", `img "3", a.png`},
	}
	if got := readCSV(t, res.Path); !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("read back %q,\nwant %q", got, want)
	}

	src.ID = nil
	res, err = SelectionCSV("nopos.csv", src, []int32{1}, nil)
	checkResult(t, res, err, filepath.Join(dir, "nopos.csv"), 1)
	if got := readCSV(t, res.Path); !slices.Equal(got[1], []string{"1", "train", "1", "", "", ""}) {
		t.Errorf("without layout or ids: %q", got[1])
	}
	for name, f := range map[string]func() (Result, error){
		"row out of range": func() (Result, error) { return SelectionCSV("bad.csv", src, []int32{5}, nil) },
		"negative row":     func() (Result, error) { return SelectionCSV("bad.csv", src, []int32{-1}, nil) },
		"short layout":     func() (Result, error) { return SelectionCSV("bad.csv", src, []int32{0}, pos[:8]) },
	} {
		if _, err := f(); err == nil || !strings.HasPrefix(err.Error(), "export: bad.csv") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
	if _, err := os.Stat("bad.csv"); err == nil {
		t.Error("a refused export left a file")
	}
}

// readNPY1D is a strict reader of the 1-D NPY 1.0 files the package
// writes: it checks the preamble and alignment and returns the dtype,
// the length and the data.
func readNPY1D(t *testing.T, path string) (descr string, n int, data []byte) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 10 || string(b[:8]) != "\x93NUMPY\x01\x00" {
		t.Fatalf("%s: bad preamble %q", path, b[:min(len(b), 10)])
	}
	hlen := int(binary.LittleEndian.Uint16(b[8:]))
	if 10+hlen > len(b) || (10+hlen)%64 != 0 || b[10+hlen-1] != '\n' {
		t.Fatalf("%s: header of %d bytes is not newline-terminated at a multiple of 64", path, hlen)
	}
	m := regexp.MustCompile(`^\{'descr': '([<|][a-z0-9]+)', 'fortran_order': False, 'shape': \((\d+),\), \} *\n$`).
		FindSubmatch(b[10 : 10+hlen])
	if m == nil {
		t.Fatalf("%s: header %q", path, b[10:10+hlen])
	}
	n, _ = strconv.Atoi(string(m[2]))
	return string(m[1]), n, b[10+hlen:]
}

func TestSelectionNPY(t *testing.T) {
	dir := inDir(t)
	for _, rows := range [][]int32{{}, {7}, {0, 5, 1 << 30, 69999}} {
		res, err := SelectionNPY("rows.npy", rows)
		checkResult(t, res, err, filepath.Join(dir, "rows.npy"), len(rows))
		descr, n, data := readNPY1D(t, res.Path)
		if descr != "<i8" || n != len(rows) || len(data) != 8*n {
			t.Fatalf("%v: dtype %s, shape (%d,), %d data bytes", rows, descr, n, len(data))
		}
		for i, r := range rows {
			if got := int64(binary.LittleEndian.Uint64(data[8*i:])); got != int64(r) {
				t.Errorf("index %d: %d, want %d", i, got, r)
			}
		}
	}
	if _, err := SelectionNPY("rows.npy", []int32{3, -1}); err == nil {
		t.Error("a negative row was written")
	}
}

func TestLabels(t *testing.T) {
	dir := inDir(t)
	labels := []uint8{0, 9, 255, 3, 7}
	res, err := LabelsIDX("train-labels-idx1-ubyte", labels)
	checkResult(t, res, err, filepath.Join(dir, "train-labels-idx1-ubyte"), 5)
	got, err := mnist.ReadLabels(res.Path)
	if err != nil || !bytes.Equal(got, labels) {
		t.Errorf("IDX read back %v, %v; want %v", got, err, labels)
	}
	b, _ := os.ReadFile(res.Path)
	if !bytes.HasPrefix(b, []byte{0, 0, 8, 1, 0, 0, 0, 5}) {
		t.Errorf("IDX header % x", b[:8])
	}

	res, err = LabelsNPY("labels.npy", labels)
	checkResult(t, res, err, filepath.Join(dir, "labels.npy"), 5)
	if descr, n, data := readNPY1D(t, res.Path); descr != "|u1" || n != 5 || !bytes.Equal(data, labels) {
		t.Errorf("NPY read back %s (%d,) %v", descr, n, data)
	}
}

func TestCorrectionsCSV(t *testing.T) {
	dir := inDir(t)
	at := time.Date(2025, 3, 4, 5, 6, 7, 0, time.FixedZone("", 3600))
	cs := []Correction{
		{Row: 12, Original: 7, New: 2, Time: at},
		{Row: 3, Original: 1, New: 1, Flagged: true, Time: at.Add(90 * time.Second)},
	}
	res, err := CorrectionsCSV("fixes.csv", cs)
	checkResult(t, res, err, filepath.Join(dir, "fixes.csv"), 2)
	want := [][]string{
		{"row", "original_label", "new_label", "flagged", "time"},
		{"12", "7", "2", "false", "2025-03-04T05:06:07+01:00"},
		{"3", "1", "1", "true", "2025-03-04T05:07:37+01:00"},
	}
	got := readCSV(t, res.Path)
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Fatalf("read back %q,\nwant %q", got, want)
	}
	if back, err := time.Parse(time.RFC3339, got[2][4]); err != nil || !back.Equal(cs[1].Time) {
		t.Errorf("time %q parses as %v, %v", got[2][4], back, err)
	}
}

func TestForPath(t *testing.T) {
	for _, c := range []struct {
		kind       Kind
		path, want string
	}{
		{OfSelection, "a/b.CSV", "csv"},
		{OfSelection, "rows.npy", "npy"},
		{OfSelection, "sheet.png", "png"},
		{OfCorrections, "fixes.csv", "csv"},
		{OfCorrections, "data/train-labels-idx1-ubyte", "idx"},
		{OfCorrections, "labels.idx", "idx"},
		{OfCorrections, "labels.npy", "npy"},
		{OfSelection, "labels.idx", ""},
		{OfCorrections, "sheet.png", ""},
		{OfSelection, "noext", ""},
	} {
		f, err := ForPath(c.kind, c.path)
		if f.Name != c.want || (err == nil) != (c.want != "") {
			t.Errorf("ForPath(%d, %q) = %q, %v; want %q", c.kind, c.path, f.Name, err, c.want)
		}
	}
}

// Every format's Write, run through the registry, reads its part of Input.
func TestFormatsWriteTheirInput(t *testing.T) {
	dir := inDir(t)
	in := Input{Source: source(testData()), Rows: []int32{2, 4}, Labels: []uint8{1, 2, 3},
		Corrections: []Correction{{Row: 2, Original: 4, New: 1}}}
	for _, f := range Formats {
		name := fmt.Sprintf("%d-%s-out%s", f.Kind, f.Name, f.Suffixes[0])
		g, err := ForPath(f.Kind, name)
		if err != nil || g.Title != f.Title {
			t.Fatalf("%s: ForPath found %q, %v", name, g.Title, err)
		}
		res, err := g.Write(name, in)
		want := map[string]int{"0csv": 2, "0npy": 2, "0png": 2, "1csv": 1, "1idx": 3, "1npy": 3}[fmt.Sprint(f.Kind, f.Name)]
		checkResult(t, res, err, filepath.Join(dir, name), want)
	}
}
