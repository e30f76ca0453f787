package export

import (
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

func TestReadRowsRoundTrip(t *testing.T) {
	dir := t.TempDir()
	rows := []int32{0, 7, 42, 69999}
	src := Source{Labels: make([]uint8, 70000)}
	for _, w := range []func(string) (Result, error){
		func(p string) (Result, error) { return SelectionNPY(p+".npy", rows) },
		func(p string) (Result, error) { return SelectionCSV(p+".csv", src, rows, nil) },
	} {
		res, err := w(filepath.Join(dir, "sel"))
		if err != nil {
			t.Fatal(err)
		}
		got, err := ReadRows(res.Path, 70000)
		if err != nil || fmt.Sprint(got) != fmt.Sprint(rows) {
			t.Fatalf("%s: read back %v, %v", res.Path, got, err)
		}
		if _, err := ReadRows(res.Path, 1000); err == nil {
			t.Errorf("%s: rows beyond a 1,000-row dataset accepted", res.Path)
		}
	}
}

func TestReadRowsRefuses(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	hdr := func(descr, shape string, body int) []byte {
		h := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, shape)
		b := append([]byte("\x93NUMPY\x01\x00"), byte(len(h)), 0)
		return append(append(b, h...), make([]byte, body)...)
	}
	fifo := filepath.Join(dir, "pipe.npy")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Fatal(err)
	}
	for name, path := range map[string]string{
		"floats":          write("f.npy", hdr("<f4", "(2,)", 8)),
		"2-D":             write("m.npy", hdr("<i8", "(2, 2)", 32)),
		"lying shape":     write("l.npy", hdr("<i8", "(1000000000,)", 16)),
		"short body":      write("s.npy", hdr("<i8", "(3,)", 16)),
		"negative":        write("n.npy", append(hdr("<i1", "(1,)", 0), 0xff)),
		"not NPY":         write("x.npy", []byte("hello")),
		"CSV without row": write("a.csv", []byte("x,y\n1,2\n")),
		"CSV with text":   write("b.csv", []byte("row\nseven\n")),
		"other suffix":    write("c.txt", []byte("row\n1\n")),
		"named pipe":      fifo,
		"directory":       dir,
		"missing":         filepath.Join(dir, "nope.npy"),
	} {
		if rows, err := ReadRows(path, 100); err == nil {
			t.Errorf("%s: accepted as %v", name, rows)
		}
	}
}
