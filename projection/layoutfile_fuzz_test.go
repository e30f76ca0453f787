package projection

import (
	"bytes"
	"io"
	"math"
	"runtime"
	"strings"
	"testing"
)

// The layout-file fuzz targets feed arbitrary bytes to ReadNPY and ReadCSV.
// For every input the reader must return an error or a finite N x 2 layout
// that the bytes can actually hold (a header's row count never sizes an
// allocation), and never panic. Accepted layouts must survive a round trip
// through the writer. Run them with `make fuzz`; plain `go test` replays the
// seeds and the corpus under testdata/fuzz/FuzzReadNPY and FuzzReadCSV.

// fuzzAlloc returns the bytes allocated by f.
func fuzzAlloc(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// fuzzCheckLayout fails unless l is a non-empty, finite, interleaved N x 2 layout.
func fuzzCheckLayout(t *testing.T, l []float32) {
	t.Helper()
	if len(l) < 2 || len(l)%2 != 0 {
		t.Fatalf("accepted %d values, want 2 per row and at least one row", len(l))
	}
	for i, v := range l {
		if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
			t.Fatalf("accepted non-finite value %v at row %d", v, i/2)
		}
	}
}

func fuzzSameLayout(a, b []float32) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func FuzzReadNPY(f *testing.F) {
	var good bytes.Buffer
	writeNPY(&good, []float32{1, 2, -3.5, 4e6, 0, 1e-30})
	f.Add(good.Bytes())
	f.Add(good.Bytes()[:good.Len()-3])
	f.Add(good.Bytes()[:12])
	f.Add(npyBytes("<f8", "(1, 2)", make([]byte, 16)))
	f.Add(npyBytes(">f4", "(2, 2)", make([]byte, 16)))
	f.Add(npyBytes("<f4", "(268435456, 2)", make([]byte, 8)))            // huge claim
	f.Add(npyBytes("<f4", "(99999999999999999999, 2)", make([]byte, 8))) // overflows int
	f.Add(npyBytes("<f4", "(3,)", make([]byte, 12)))
	f.Add(npyBytes("<f4", "(0, 2)", nil))
	f.Add(npyBytes("<i8", "(1, 2)", make([]byte, 16)))
	f.Add(npyBytes("<f4", "(1, 2)", []byte{0, 0, 0xc0, 0x7f, 0, 0, 0, 0})) // NaN
	f.Add([]byte("\x93NUMPY\x02\x00\xff\xff\xff\xff"))
	f.Add([]byte("\x93NUMPY\x03\x00\x10\x00\x00\x00{'descr': '<f4'}"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		l, ok := fuzzRead(t, ReadNPY, data, uint64(1<<20+8*len(data)))
		if !ok {
			return
		}
		if 4*len(l) > len(data) { // float32 is the narrowest dtype accepted
			t.Fatalf("%d values from %d bytes", len(l), len(data))
		}
		var again bytes.Buffer
		writeNPY(&again, l)
		if back, err := ReadNPY(&again); err != nil || !fuzzSameLayout(back, l) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

func FuzzReadCSV(f *testing.F) {
	for _, s := range []string{
		"x,y\n1,2\n3.5,-4e6\n",
		"1 2\n\n3\t4\r\n5;6",
		"x,y\n",
		"",
		"1,2,3\n",
		"x,y\n1,nan\n",
		"1,Inf\n",
		"1e39,0\n",
		"0x1p-2,1_0\n",
		"header\nnot,numbers\n",
		"1,2\n" + strings.Repeat("9", 400) + ",1\n",
		"\xff\xfe1,2\n",
		"\ufeff1,2\n3,4\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		l, ok := fuzzRead(t, ReadCSV, data, uint64(4<<20+64*len(data)))
		if !ok {
			return
		}
		if rows := bytes.Count(data, []byte("\n")) + 1; len(l)/2 > rows || 4*len(l)/2 > len(data)+1 {
			t.Fatalf("%d rows from %d bytes on %d lines", len(l)/2, len(data), rows)
		}
		var again bytes.Buffer
		if err := WriteLayout(&again, LayoutCSV, l); err != nil {
			t.Fatal(err)
		}
		if back, err := ReadCSV(&again); err != nil || !fuzzSameLayout(back, l) {
			t.Fatalf("round trip: %v", err)
		}
	})
}

// fuzzRead reads data with read, failing t when that allocates more than
// limit bytes, or returns both values and an error. It reports whether a
// layout was read, after checking it with fuzzCheckLayout.
func fuzzRead(t *testing.T, read func(io.Reader) ([]float32, error), data []byte, limit uint64) ([]float32, bool) {
	t.Helper()
	var l []float32
	var err error
	alloc := fuzzAlloc(func() { l, err = read(bytes.NewReader(data)) })
	if alloc > limit {
		t.Fatalf("allocated %d bytes for %d input bytes (err %v)", alloc, len(data), err)
	}
	if err != nil {
		if l != nil {
			t.Fatalf("error %v with %d values", err, len(l))
		}
		return nil, false
	}
	fuzzCheckLayout(t, l)
	return l, true
}
