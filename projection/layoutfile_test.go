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

func TestLayoutFileRoundTrip(t *testing.T) {
	layout := []float32{1.5, -2, 3.25e-7, 4e6, 0, -0.125}
	for _, ext := range []string{".npy", ".csv"} {
		path := filepath.Join(t.TempDir(), "l"+ext)
		if err := WriteLayoutFile(path, layout); err != nil {
			t.Fatal(err)
		}
		got, err := ReadLayoutFile(path)
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
		_, err := ReadLayoutFile(path)
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: err = %v, want it to name the file and say %q", c.name, err, c.want)
		}
	}
}
