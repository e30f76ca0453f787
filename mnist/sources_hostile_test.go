package mnist

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"image/color"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

// pngClaiming returns a PNG whose header claims w x h RGBA pixels, with a
// valid checksum, followed by a tiny image data chunk.
func pngClaiming(w, h uint32) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0)
	return slices.Concat([]byte("\x89PNG\r\n\x1a\n"), pngChunk("IHDR", ihdr), pngChunk("IDAT", []byte{0x78, 0x9c, 3, 0, 0, 0, 0, 1}), pngChunk("IEND", nil))
}

// bmpClaiming returns a BMP header claiming w x h 24-bit pixels.
func bmpClaiming(w, h int32) []byte {
	b := []byte("BM")
	b = binary.LittleEndian.AppendUint32(b, 54)
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint32(b, 54)
	b = binary.LittleEndian.AppendUint32(b, 40)
	b = binary.LittleEndian.AppendUint32(b, uint32(w))
	b = binary.LittleEndian.AppendUint32(b, uint32(h))
	b = binary.LittleEndian.AppendUint16(b, 1)
	b = binary.LittleEndian.AppendUint16(b, 24)
	return append(b, make([]byte, 24)...)
}

// gifClaiming returns a GIF whose screen is w x h.
func gifClaiming(w, h uint16) []byte {
	b := []byte("GIF89a")
	b = binary.LittleEndian.AppendUint16(b, w)
	b = binary.LittleEndian.AppendUint16(b, h)
	return append(b, 0, 0, 0, ';')
}

// A folder holding every kind of bad file, and a labels.csv with bad rows,
// still loads its good images; each bad file or row is in Skipped with a
// reason saying what was wrong; nothing panics or blocks, and the claims
// of 100,000 x 100,000 pixels allocate nothing.
func TestHostileFolder(t *testing.T) {
	dir := t.TempDir()
	good, bad := filepath.Join(dir, "good"), filepath.Join(dir, "bad")
	os.Mkdir(good, 0o755)
	os.Mkdir(bad, 0o755)
	for i, name := range []string{"g0.png", "g1.png", "g2.png"} {
		writeTestPNG(t, filepath.Join(good, name), greyImage(8, 8, uint8(50*i)))
	}
	want := map[string]string{} // file (from dir) -> a word its reason holds
	write := func(name string, data []byte, reason string) {
		os.WriteFile(filepath.Join(bad, name), data, 0o644)
		if reason != "" {
			want["bad/"+name] = reason
		}
	}
	colourful := disc(16, 16, color.NRGBA{200, 30, 60, 255}, color.NRGBA{})
	webp, _ := os.ReadFile("testdata/blue-purple-pink.lossy.webp")
	var corrupt []string
	for _, ext := range []string{".png", ".jpg", ".gif", ".bmp", ".tiff", ".webp"} {
		p := filepath.Join(t.TempDir(), "x"+ext)
		if ext == ".webp" {
			os.WriteFile(p, webp, 0o644)
		} else {
			encodeAs(t, p, colourful)
		}
		data, _ := os.ReadFile(p)
		write("trunc"+ext, data[:len(data)/2], "")
		want["bad/trunc"+ext] = "" // any reason
		garbled := slices.Clone(data)
		for i := len(garbled) / 3; i < len(garbled)*2/3; i++ {
			garbled[i] ^= 0x5a
		}
		write("corrupt"+ext, garbled, "")
		corrupt = append(corrupt, "bad/corrupt"+ext)
		write("empty"+ext, nil, "empty file")
		write("junk"+ext, []byte("this is not an image at all"), "unknown format")
	}
	write("huge.png", pngClaiming(100000, 100000), "100000x100000")
	write("huge.bmp", bmpClaiming(100000, 100000), "100000x100000")
	write("huge.gif", gifClaiming(65535, 65535), "65535x65535")
	write("notes.txt", []byte("not an image, not listed"), "")
	os.MkdirAll(filepath.Join(bad, "x.png", "inner"), 0o755)
	want["bad/x.png"] = "a folder, not an image file"
	os.Symlink("..", filepath.Join(bad, "loop"))
	want["bad/loop"] = "loop"
	os.Symlink("b.png", filepath.Join(bad, "a.png"))
	os.Symlink("a.png", filepath.Join(bad, "b.png"))
	want["bad/a.png"], want["bad/b.png"] = "symbolic link", "symbolic link"
	if syscall.Mkfifo(filepath.Join(bad, "fifo.png"), 0o644) == nil {
		want["bad/fifo.png"] = "not a regular file (a named pipe)"
	}
	csv := "path,label,note\ngood/g0.png,zero,hello\nmissing/nope.png,foo,x\ngood/g1.png,one\n/etc/passwd,x,y\n../up.png,x,y\ngood/g0.png,again,z\n"
	os.WriteFile(filepath.Join(dir, LabelsCSV), []byte(csv), 0o644)
	wantCSV := []string{"line 3: no image file missing/nope.png", "line 4: 2 fields, want 3", `line 5: path "/etc/passwd" is not inside`,
		`line 6: path "../up.png" is not inside`, "line 7: good/g0.png is listed again (first on line 2)"}

	var d *Dataset
	var err error
	done := make(chan struct{})
	var allocBytes uint64
	go func() {
		defer close(done)
		allocBytes = allocated(func() { d, err = Open(dir, Options{NoCache: true}) })
	}()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("Open blocked")
	}
	if err != nil {
		t.Fatal(err)
	}
	if allocBytes > 64<<20 {
		t.Errorf("allocated %d MB", allocBytes>>20)
	}
	reasons := map[string]string{}
	for _, s := range d.Skipped {
		rel, _ := filepath.Rel(dir, s.Path)
		reasons[filepath.ToSlash(rel)] += s.Reason + "\n"
	}
	for f, word := range want {
		if r, ok := reasons[f]; !ok || !strings.Contains(r, word) {
			t.Errorf("%s: reason %q, want it to say %q", f, r, word)
		}
	}
	for _, w := range wantCSV {
		if !strings.Contains(reasons[LabelsCSV], w) {
			t.Errorf("labels.csv: reasons %q, want %q", reasons[LabelsCSV], w)
		}
	}
	if _, ok := reasons["bad/notes.txt"]; ok {
		t.Error("a file that is not named as an image is listed")
	}
	// The good images load, and each corrupt file loads or is skipped.
	var rows []string
	for _, p := range d.Paths {
		rel, _ := filepath.Rel(dir, p)
		rows = append(rows, filepath.ToSlash(rel))
	}
	for _, f := range corrupt {
		if _, skipped := reasons[f]; skipped == slices.Contains(rows, f) {
			t.Errorf("%s: skipped %v, loaded %v", f, skipped, slices.Contains(rows, f))
		}
	}
	for i, g := range []string{"good/g0.png", "good/g1.png", "good/g2.png"} {
		r := slices.Index(rows, g)
		if r < 0 {
			t.Errorf("%s did not load", g)
			continue
		}
		c, v := d.Width/2, uint8(50*i)
		if p := d.Image(r)[d.NumChannels()*(c*d.Width+c):][:d.NumChannels()]; p[0] != v || (len(p) == 4 && !slices.Equal(p, []uint8{v, v, v, 255})) {
			t.Errorf("%s (row %d): centre %v, want grey %d", g, r, p, v)
		}
	}
	if i := slices.Index(rows, "good/g0.png"); i < 0 || d.ClassName(d.Labels[i]) != "zero" || !slices.Equal(d.Meta[i], []string{"hello"}) {
		t.Errorf("good/g0.png's labels.csv row not applied")
	}
	if i := slices.Index(rows, "good/g1.png"); i < 0 || d.ClassName(d.Labels[i]) != "good" || d.Meta[i] != nil {
		t.Errorf("good/g1.png's ragged row applied")
	}

	// Without a readable image the folder is an error that says so.
	os.RemoveAll(good)
	for _, f := range corrupt {
		os.Remove(filepath.Join(dir, f))
	}
	if _, err := Open(dir, Options{NoCache: true}); err == nil || !strings.Contains(err.Error(), "no readable image") {
		t.Errorf("no good file: err = %v", err)
	}
}

// npyBytes returns an NPY file of the given header dictionary and body.
func npyBytes(dict string, body []byte) []byte {
	pad := 64 - (10+len(dict)+1)%64
	h := dict + strings.Repeat(" ", pad) + "\n"
	b := append([]byte("\x93NUMPY\x01\x00"), binary.LittleEndian.AppendUint16(nil, uint16(len(h)))...)
	return append(append(b, h...), body...)
}

// Hostile NPY files and archives are refused with an error naming the
// file and what was wrong, before anything is allocated for their claims.
func TestHostileArrays(t *testing.T) {
	dir := t.TempDir()
	body := make([]byte, 10*28*28)
	v2 := append([]byte("\x93NUMPY\x02\x00"), binary.LittleEndian.AppendUint32(nil, 1<<31)...)
	cases := map[string]struct {
		data []byte
		want string
	}{
		"lying shape":  {npyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (1000000, 28, 28), }", body), "a header that lies"},
		"overflow":     {npyBytes("{'descr': '<f8', 'fortran_order': False, 'shape': (4611686018427387904, 4, 4), }", body), "a header that lies"},
		"huge header":  {v2, "NPY header of 2147483648 bytes"},
		"no newline":   {append([]byte("\x93NUMPY\x01\x00\x04\x00"), "{}  "...), "does not end in a newline"},
		"key order":    {npyBytes("{'shape': (10, 28, 28), 'fortran_order': False, 'descr': '|u1', }", body), "numpy's order"},
		"fortran":      {npyBytes("{'descr': '|u1', 'fortran_order': True, 'shape': (10, 28, 28), }", body), "Fortran order"},
		"object dtype": {npyBytes("{'descr': '|O', 'fortran_order': False, 'shape': (10, 28, 28), }", body), `dtype "|O"`},
		"negative":     {npyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (-10, 28, 28), }", body), "empty or negative"},
		"not a tuple":  {npyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': 10, }", body), "not a tuple"},
		"bad number":   {npyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (1e9, 28), }", body), "malformed NPY header"},
		"magic":        {[]byte("PK\x03\x04 not numpy"), "no \\x93NUMPY magic"},
		"short":        {[]byte("\x93NUM"), "shorter than its header"},
		"version":      {[]byte("\x93NUMPY\x09\x00\x00\x00"), "version 9.0"},
		"labels shape": {npyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (10, 28), }", body[:280]), "not images"},
		"int images":   {npyBytes("{'descr': '<i4', 'fortran_order': False, 'shape': (1, 2, 2), }", make([]byte, 16)), "want uint8, or float32/float64"},
		"huge images":  {npyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (1, 100000, 100000), }", body), "a header that lies"},
	}
	for name, c := range cases {
		path := filepath.Join(dir, strings.ReplaceAll(name, " ", "-")+".npy")
		os.WriteFile(path, c.data, 0o644)
		var err error
		if a := allocated(func() { _, err = Open(path, Options{}) }); a > 1<<20 {
			t.Errorf("%s: allocated %d bytes", name, a)
		}
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: err = %v, want %q naming the file", name, err, c.want)
		}
	}

	// An archive member claiming more than its compressed bytes can hold,
	// and one whose NPY header lies.
	path := filepath.Join(dir, "bomb.npz")
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	w, _ := zw.CreateRaw(&zip.FileHeader{Name: "x_train.npy", Method: zip.Deflate, CompressedSize64: 10, UncompressedSize64: 1 << 40})
	w.Write(make([]byte, 10))
	w, _ = zw.Create("y_train.npy")
	w.Write(npyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (10,), }", body[:10]))
	zw.Close()
	os.WriteFile(path, b.Bytes(), 0o644)
	if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), "more than its 10 compressed bytes can hold") {
		t.Errorf("zip bomb: %v", err)
	}
	b.Reset()
	zw = zip.NewWriter(&b)
	w, _ = zw.Create("images.npy")
	w.Write(npyBytes("{'descr': '|u1', 'fortran_order': False, 'shape': (1000000, 28, 28), }", body))
	zw.Close()
	os.WriteFile(path, b.Bytes(), 0o644)
	if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), path+":images.npy: header says shape (1000000, 28, 28)") {
		t.Errorf("lying member: %v", err)
	}
	os.WriteFile(path, []byte("PK\x03\x04 cut"), 0o644)
	if _, err := Open(path, Options{}); err == nil || !strings.Contains(err.Error(), "not a .npz (zip) archive") {
		t.Errorf("broken zip: %v", err)
	}
	// What is neither says what was expected.
	other := filepath.Join(dir, "data.bin")
	os.WriteFile(other, body, 0o644)
	if _, err := Open(other, Options{}); err == nil || !strings.Contains(err.Error(), "not a dataset; expected") || !strings.Contains(err.Error(), ".npz") {
		t.Errorf("other file: %v", err)
	}
}
