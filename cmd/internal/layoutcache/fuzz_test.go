package layoutcache

import (
	"crypto/sha256"
	"math"
	"runtime"
	"testing"
)

// FuzzDecode (in cache_test.go) mostly meets the checksum: random bytes
// almost never carry a valid SHA-256. FuzzDecodeSealed appends the right
// checksum to every input, so the fuzzer explores the parser behind it:
// the version, the dataset hash, the string lengths and the row count.
// Decode must return an error or exactly want.N finite rows, and never
// allocate more than the entry holds.
func FuzzDecodeSealed(f *testing.F) {
	k := key()
	for _, l := range [][]float32{{1, 2, 3, 4, 5, 6}, {1, 2}, {}} {
		e := Encode(k, l)
		f.Add(e[:len(e)-sha256.Size])
	}
	other := k
	other.Method, other.Settings = "tsne", string(make([]byte, maxString+1))
	e := Encode(other, []float32{1, 2, 3, 4, 5, 6})
	f.Add(e[:len(e)-sha256.Size])
	huge := Encode(k, []float32{1, 2, 3, 4, 5, 6})
	huge = huge[:len(huge)-sha256.Size]
	// Claim 2^61 rows: 8*n wraps to 0 in uint64 arithmetic.
	rowsAt := len(magic) + 4 + 32 + 4 + len(k.Method) + 4 + len(k.Settings)
	copy(huge[rowsAt:], []byte{0, 0, 0, 0, 0, 0, 0, 0x20})
	f.Add(huge)
	f.Fuzz(func(t *testing.T, body []byte) {
		sum := sha256.Sum256(body)
		data := append(body[:len(body):len(body)], sum[:]...)
		var l []float32
		var err error
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		l, err = Decode(data, k)
		runtime.ReadMemStats(&after)
		// The layout itself, plus the method and settings strings (at most
		// maxString each) quoted into an error message: a constant, however
		// many rows the entry claims.
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 256<<10+2*uint64(len(data)) {
			t.Fatalf("allocated %d bytes for a %d-byte entry", alloc, len(data))
		}
		if err != nil {
			if l != nil {
				t.Fatalf("error %v with %d values", err, len(l))
			}
			return
		}
		if len(l) != 2*k.N || 4*len(l) > len(data) {
			t.Fatalf("accepted %d values from %d bytes, want %d rows", len(l), len(data), k.N)
		}
		for i, v := range l {
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				t.Fatalf("accepted non-finite value at row %d", i/2)
			}
		}
	})
}

// FuzzDecodeAnyN decodes sealed entries against the row count they claim,
// so accepted entries of any size are explored, not just want.N = 3.
func FuzzDecodeAnyN(f *testing.F) {
	k := key()
	f.Add(uint32(3), []byte{0, 0, 128, 63, 0, 0, 0, 64, 0, 0, 64, 64, 0, 0, 128, 64, 0, 0, 160, 64, 0, 0, 192, 64})
	f.Add(uint32(1), []byte{0, 0, 192, 127, 0, 0, 0, 0})
	f.Add(uint32(0), []byte{})
	f.Add(uint32(1<<31), []byte{1, 2, 3, 4})
	f.Fuzz(func(t *testing.T, n uint32, values []byte) {
		want := k
		want.N = int(n)
		e := Encode(k, nil) // header with 0 rows; patch the count and body in
		e = e[:len(e)-sha256.Size-8]
		var cnt [8]byte
		for i := range 4 {
			cnt[i] = byte(n >> (8 * i))
		}
		body := append(append(e, cnt[:]...), values...)
		sum := sha256.Sum256(body)
		l, err := Decode(append(body, sum[:]...), want)
		if err != nil {
			return
		}
		if len(l) != 2*int(n) || 4*len(l) != len(values) {
			t.Fatalf("accepted %d values from %d value bytes, claimed %d rows", len(l), len(values), n)
		}
	})
}
