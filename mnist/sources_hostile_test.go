package mnist

import (
	"archive/zip"
	"bytes"
	"encoding/binary"
	"fmt"
	"image/color"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/compress"
	"github.com/parquet-go/parquet-go/encoding/thrift"
	"github.com/parquet-go/parquet-go/format"
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

// smallParquet returns a Parquet file of n 8x8 grey PNG images with labels
// and a note column, written with the given compression.
func smallParquet(t testing.TB, n int, codec compress.Codec) []byte {
	t.Helper()
	var rows []plainRow
	for i := range n {
		rows = append(rows, plainRow{PNG: pngOf(t, greyImage(8, 8, uint8(9*i))), Class: strconv.Itoa(i % 3), Note: "n", Score: 1})
	}
	p := filepath.Join(t.TempDir(), "small.parquet")
	writeParquet(t, p, rows, max(n/3, 1), parquet.Compression(codec))
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// withFooter returns the Parquet file data with its footer's metadata
// changed by edit and written again.
func withFooter(t testing.TB, data []byte, edit func(m *format.FileMetaData)) []byte {
	t.Helper()
	n := int(binary.LittleEndian.Uint32(data[len(data)-8:]))
	m := footerOf(t, data)
	edit(m)
	var proto thrift.CompactProtocol
	footer, err := thrift.Marshal(&proto, m)
	if err != nil {
		t.Fatal(err)
	}
	out := slices.Concat(data[:len(data)-8-n], footer, binary.LittleEndian.AppendUint32(nil, uint32(len(footer))), []byte("PAR1"))
	return out
}

// footerOf decodes the footer of the Parquet file data.
func footerOf(t testing.TB, data []byte) *format.FileMetaData {
	t.Helper()
	n := int(binary.LittleEndian.Uint32(data[len(data)-8:]))
	var m format.FileMetaData
	var proto thrift.CompactProtocol
	if err := thrift.Unmarshal(&proto, data[len(data)-8-n:len(data)-8], &m); err != nil {
		t.Fatal(err)
	}
	return &m
}

// withPageHeader returns the Parquet file data with the header of the
// first page of its last column chunk changed by edit and written again
// in its place (only the footer, found from the end, follows it).
func withPageHeader(t testing.TB, data []byte, edit func(h *format.PageHeader)) []byte {
	t.Helper()
	m := footerOf(t, data)
	var proto thrift.CompactProtocol
	last := m.RowGroups[len(m.RowGroups)-1].Columns
	md := last[len(last)-1].MetaData
	off := md.DataPageOffset
	if md.DictionaryPageOffset > 0 {
		off = min(off, md.DictionaryPageOffset)
	}
	var h format.PageHeader
	r := proto.NewReaderFromBytes(data[off:])
	if err := thrift.NewDecoder(r).Decode(&h); err != nil {
		t.Fatal(err)
	}
	edit(&h)
	hdr, err := thrift.Marshal(&proto, &h)
	if err != nil {
		t.Fatal(err)
	}
	out := slices.Concat(data[:off], hdr, data[off+int64(r.BytesRead()):])
	return withFooter(t, out, func(m *format.FileMetaData) { // the chunk grew or shrank
		last := m.RowGroups[len(m.RowGroups)-1].Columns
		last[len(last)-1].MetaData.TotalCompressedSize += int64(len(hdr) - r.BytesRead())
	})
}

// rawFooter returns a Parquet file whose footer is the given bytes.
func rawFooter(footer []byte) []byte {
	return slices.Concat([]byte("PAR1"), footer, binary.LittleEndian.AppendUint32(nil, uint32(len(footer))), []byte("PAR1"))
}

// openWithin opens path, failing t when it takes more than a minute, and
// returns what it allocated.
func openWithin(t *testing.T, path string, o Options) (d *Dataset, err error, alloc uint64) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		alloc = allocated(func() { d, err = Open(path, o) })
	}()
	select {
	case <-done:
	case <-time.After(time.Minute):
		t.Fatalf("%s: Open blocked", path)
	}
	return d, err, alloc
}

// Hostile Parquet files are refused with an error that names the file and
// what was wrong, before anything is allocated for their claims, and never
// panic: a truncated file or footer, a footer claiming huge lengths, rows
// or chunks, lists of millions of structures, wrong column types, and a
// page whose header or data lies.
func TestHostileParquet(t *testing.T) {
	good := smallParquet(t, 30, &parquet.Snappy)
	footerLen := int(binary.LittleEndian.Uint32(good[len(good)-8:]))
	// A footer holding a list of 2 million empty structures: 2 MB that
	// would decode to over a gigabyte.
	bomb := []byte{0x15, 0x02, 0x19, 0xfc}
	bomb = binary.AppendUvarint(bomb, 2_000_000)
	bomb = append(append(bomb, make([]byte, 2_000_000)...), 0)
	hugeList := []byte{0x15, 0x02, 0x19, 0xfc, 0xff, 0xff, 0xff, 0xff, 0x07, 0}
	// The first page's header claiming 1 GiB of data.
	lyingPage := withPageHeader(t, good, func(h *format.PageHeader) { h.CompressedPageSize = 1 << 30 })
	hugePage := withPageHeader(t, good, func(h *format.PageHeader) { h.UncompressedPageSize = 1 << 30 })
	cases := []struct {
		name string
		data []byte
		want string
	}{
		{"empty", nil, "not a Parquet file: 0 bytes"},
		{"truncated", good[:len(good)/2], "not a Parquet file (it neither starts nor ends with PAR1"},
		{"cut footer", good[:len(good)-3], "or truncated"},
		{"footer length", slices.Concat(good[:len(good)-8], []byte{0xff, 0xff, 0xff, 0x7f}, []byte("PAR1")), "its footer claims 2147483647 bytes"},
		{"footer garbage", slices.Concat(good[:len(good)-8-footerLen], bytes.Repeat([]byte{0xfa}, footerLen), good[len(good)-8:]), "corrupt footer"},
		{"huge list", rawFooter(hugeList), "corrupt footer: its structure goes on past its end"},
		{"footer bomb", rawFooter(bomb), "corrupt footer: its lists claim 1068 MiB once decoded"},
		{"huge rows", withFooter(t, good, func(m *format.FileMetaData) { m.NumRows = 1 << 40 }), "its footer claims 1099511627776 rows"},
		{"rows disagree", withFooter(t, good, func(m *format.FileMetaData) { m.NumRows = 31 }), "its row groups hold 30 rows, its footer says 31"},
		{"huge chunk", withFooter(t, good, func(m *format.FileMetaData) { m.RowGroups[0].Columns[0].MetaData.TotalCompressedSize = 1 << 40 }), "its chunk claims 1099511627776 bytes"},
		{"chunk elsewhere", withFooter(t, good, func(m *format.FileMetaData) { m.RowGroups[1].Columns[1].FilePath = "/etc/passwd" }), "its data is in another file (/etc/passwd)"},
		{"values", withFooter(t, good, func(m *format.FileMetaData) { m.RowGroups[0].Columns[0].MetaData.NumValues = 9 }), "its pages hold 10 values, its chunk claims 9"},
		{"lying page", lyingPage, "claims 1073741824 bytes, past the end of its column chunk"},
		{"huge page", hugePage, "more than the 256 MiB a page may hold"},
		{"wrong types", withFooter(t, good, func(m *format.FileMetaData) {
			for i := range m.Schema {
				if m.Schema[i].Name == "png" {
					m.Schema[i].Name = "other"
					m.Schema[i].Type.V = format.Int64
				}
			}
		}), "no image column"},
	}
	dir := t.TempDir()
	for _, c := range cases {
		path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-")+".parquet")
		os.WriteFile(path, c.data, 0o644)
		_, err, alloc := openWithin(t, path, Options{NoCache: true})
		if err == nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), path) {
			t.Errorf("%s: err = %v, want %q naming the file", c.name, err, c.want)
		}
		if alloc > 64<<20 {
			t.Errorf("%s: allocated %d MB", c.name, alloc>>20)
		}
	}
}

// Garbled bytes anywhere in a file's pages, in every compression the
// library reads, give an error naming the file or a dataset whose bad
// images are skipped: never a panic, a hang (the library's LZ4 decoder
// loops for ever on a corrupt block) or a large allocation.
func TestCorruptParquetPages(t *testing.T) {
	dir := t.TempDir()
	rng := rand.New(rand.NewPCG(5, 6))
	for _, codec := range []compress.Codec{&parquet.Uncompressed, &parquet.Snappy, &parquet.Gzip, &parquet.Zstd, &parquet.Lz4Raw, &parquet.Brotli} {
		good := smallParquet(t, 30, codec)
		footer := int(binary.LittleEndian.Uint32(good[len(good)-8:]))
		errs, loads := 0, 0
		for trial := range 40 {
			data := slices.Clone(good)
			at := 4 + rng.IntN(len(good)-12-footer-16)
			for k := range 1 + rng.IntN(16) {
				data[at+k] ^= byte(1 + rng.IntN(255))
			}
			path := filepath.Join(dir, fmt.Sprintf("%s-%d.parquet", codec, trial))
			os.WriteFile(path, data, 0o644)
			d, err, alloc := openWithin(t, path, Options{NoCache: true, Workers: 2})
			if alloc > 64<<20 {
				t.Errorf("%s: allocated %d MB", path, alloc>>20)
			}
			switch {
			case err != nil && !strings.Contains(err.Error(), path):
				t.Errorf("%s: error %v does not name the file", path, err)
			case err != nil:
				errs++
			case d.Len()+len(d.Skipped) != 30:
				t.Errorf("%s: %d rows and %d skipped of 30", path, d.Len(), len(d.Skipped))
			default:
				loads++
			}
		}
		t.Logf("%s: %d refused, %d loaded (bad images skipped)", codec, errs, loads)
	}
}
