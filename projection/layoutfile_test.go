package projection

import (
	"bytes"
	"encoding/binary"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// writeLayoutFile writes layout to path in the format its extension names.
func writeLayoutFile(t *testing.T, path string, layout []float32) {
	t.Helper()
	var b bytes.Buffer
	if err := WriteLayout(&b, LayoutFormatOf(path), layout); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestLayoutFileRoundTrip(t *testing.T) {
	layout := []float32{1.5, -2, 3.25e-7, 4e6, 0, -0.125}
	for _, ext := range []string{".npy", ".csv", ".NPY"} {
		path := filepath.Join(t.TempDir(), "l"+ext)
		writeLayoutFile(t, path, layout)
		got, err := ReadLayoutFile(path, 3)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(layout) {
			t.Fatalf("%s: %d values", ext, len(got))
		}
		for i := range got {
			if got[i] != layout[i] {
				t.Errorf("%s: [%d] = %v, want %v", ext, i, got[i], layout[i])
			}
		}
	}
}

func TestNPYHeaderIsAlignedAndNumpyShaped(t *testing.T) {
	var b bytes.Buffer
	writeNPY(&b, make([]float32, 6))
	hlen := int(binary.LittleEndian.Uint16(b.Bytes()[8:]))
	if (10+hlen)%64 != 0 {
		t.Errorf("data offset %d not 64-aligned", 10+hlen)
	}
	if !strings.Contains(b.String(), "'shape': (3, 2)") || b.Len() != 10+hlen+24 {
		t.Errorf("header %q, len %d", b.String()[10:10+hlen], b.Len())
	}
}

func npyBytes(descr, shape string, data []byte) []byte {
	header := "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }\n"
	var b bytes.Buffer
	b.WriteString("\x93NUMPY\x01\x00")
	binary.Write(&b, binary.LittleEndian, uint16(len(header)))
	b.WriteString(header)
	b.Write(data)
	return b.Bytes()
}

func TestReadNPYFloat64BigEndian(t *testing.T) {
	var data bytes.Buffer
	binary.Write(&data, binary.BigEndian, []float64{1, 2, 3, 4})
	got, err := ReadNPY(bytes.NewReader(npyBytes(">f8", "(2, 2)", data.Bytes())))
	if err != nil || len(got) != 4 || got[3] != 4 {
		t.Fatalf("got %v, %v", got, err)
	}
}

func TestLayoutFileErrors(t *testing.T) {
	nan := math.Float32bits(float32(math.NaN()))
	var bad bytes.Buffer
	binary.Write(&bad, binary.LittleEndian, []uint32{0, 0, 0, nan})
	cases := []struct {
		name, ext string
		data      []byte
		want      string
	}{
		{"npy nan", ".npy", npyBytes("<f4", "(2, 2)", bad.Bytes()), "row 1: non-finite"},
		{"npy truncated", ".npy", npyBytes("<f4", "(100000000, 2)", make([]byte, 16)), "truncated"},
		{"npy 3 cols", ".npy", npyBytes("<f4", "(2, 3)", make([]byte, 24)), "want (N, 2)"},
		{"npy int", ".npy", npyBytes("<i4", "(2, 2)", make([]byte, 16)), "float32 or float64"},
		{"npy magic", ".npy", []byte("PK\x03\x04 not numpy"), "bad magic"},
		{"npy empty", ".npy", nil, "not a .npy"},
		{"csv inf", ".csv", []byte("x,y\n1,2\n3,inf\n"), "row 1: non-finite"},
		{"csv cols", ".csv", []byte("1,2\n3\n"), "line 2"},
		{"csv empty", ".csv", []byte("x,y\n"), "no rows"},
		{"csv text", ".csv", []byte("1,2\nfoo,bar\n"), "line 2"},
		{"ext", ".txt", []byte("1,2\n"), "unknown layout file type"},
	}
	for _, c := range cases {
		path := filepath.Join(t.TempDir(), "f"+c.ext)
		os.WriteFile(path, c.data, 0o644)
		_, err := ReadLayoutFile(path, 0)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: err = %v, want it to name the file and say %q", c.name, err, c.want)
		}
	}
}

func TestWriteLayoutRefuses(t *testing.T) {
	nan := float32(math.NaN())
	for _, c := range []struct {
		name   string
		format LayoutFormat
		layout []float32
		want   string
	}{
		{"format", LayoutFormatOf("l.txt"), []float32{1, 2}, "unknown layout file type"},
		{"odd", LayoutCSV, []float32{1, 2, 3}, "odd length"},
		{"NaN", LayoutNPY, []float32{1, 2, 3, nan}, "row 1 is not finite"},
		{"Inf", LayoutCSV, []float32{float32(math.Inf(-1)), 2}, "row 0 is not finite"},
	} {
		var b bytes.Buffer
		err := WriteLayout(&b, c.format, c.layout)
		if err == nil || !strings.Contains(err.Error(), c.want) || b.Len() != 0 {
			t.Errorf("%s: err %v after %d bytes; want %q and nothing written", c.name, err, b.Len(), c.want)
		}
	}
}

// TestReadLayoutFileRows checks the wanted row count: a .npy header that
// claims another count is refused before its data is read, whatever the
// file holds (here a 2 GB sparse file whose header claims 2^28 rows); a
// claim beyond the file's size is refused at once too; and a .csv stops at
// the first row too many.
func TestReadLayoutFileRows(t *testing.T) {
	dir := t.TempDir()
	small := filepath.Join(dir, "small.npy")
	writeLayoutFile(t, small, []float32{1, 2, 3, 4})
	huge := filepath.Join(dir, "huge.npy")
	os.WriteFile(huge, npyBytes("<f4", "(268435456, 2)", nil), 0o644)
	liar := filepath.Join(dir, "liar.npy")
	os.WriteFile(liar, npyBytes("<f4", "(1000, 2)", make([]byte, 16)), 0o644)
	long := filepath.Join(dir, "long.csv")
	os.WriteFile(long, []byte("1,2\n3,4\n5,6\n"+strings.Repeat("7,8\n", 100000)), 0o644)
	cases := []struct {
		path string
		want int
		msg  string
	}{
		{small, 3, "has 2 rows, the dataset 3"},
		{huge, 40, "has 268435456 rows, the dataset 40"},
		{liar, 0, "header says 1000 rows (8000 bytes of data), the file holds 16"},
		{long, 2, "has more than 2 rows, the dataset 2"},
	}
	if err := os.Truncate(huge, 10+(2<<30)); err != nil {
		t.Logf("no sparse file (%v): the 2^28-row case reads a short file", err)
	}
	for _, c := range cases {
		var err error
		alloc := fuzzAlloc(func() { _, err = ReadLayoutFile(c.path, c.want) })
		if err == nil || !strings.Contains(err.Error(), c.msg) || !strings.Contains(err.Error(), c.path) {
			t.Errorf("%s (want %d rows): err = %v, want it to name the file and say %q", filepath.Base(c.path), c.want, err, c.msg)
		}
		if alloc > 1<<20 {
			t.Errorf("%s: allocated %d bytes to refuse it", filepath.Base(c.path), alloc)
		}
	}
	if l, err := ReadLayoutFile(small, 2); err != nil || len(l) != 4 {
		t.Errorf("the right row count: %v, %v", l, err)
	}
}

func TestReadLayoutFileCSVByteOrderMark(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bom.csv")
	os.WriteFile(path, []byte("\ufeff1,2\n3,4\n"), 0o644)
	l, err := ReadLayoutFile(path, 2)
	if err != nil || len(l) != 4 || l[0] != 1 || l[1] != 2 {
		t.Errorf("got %v, %v; want [1 2 3 4]: the first row is data, not a header", l, err)
	}
	os.WriteFile(path, []byte("\ufeffx,y\n1,2\n"), 0o644)
	if l, err := ReadLayoutFile(path, 1); err != nil || len(l) != 2 {
		t.Errorf("with a header: got %v, %v", l, err)
	}
}

func TestReadLayoutFileNotRegular(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "d.npy")
	os.Mkdir(dir, 0o755)
	_, err := ReadLayoutFile(dir, 0)
	if err == nil || !strings.Contains(err.Error(), "not a regular file") {
		t.Errorf("a directory: err = %v", err)
	}
}
