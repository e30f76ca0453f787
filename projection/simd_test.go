package projection

import (
	"fmt"
	"math"
	"math/rand/v2"
	"testing"
)

// kernelRef is a float64 reference for one kernel and the bound its float32
// versions must meet: |got - want| <= tol.
func kernelRef(x, y []float32, sq bool) (want, tol float64) {
	var s, mag float64
	for i := range x {
		t := float64(x[i]) * float64(y[i])
		if sq {
			d := float64(x[i]) - float64(y[i])
			// float32 subtraction rounds d once, so its square's error
			// is relative to d^2 (plus the rounding of d itself).
			t = d * d
		}
		s += t
		mag += math.Abs(t)
	}
	// Each of the len(x) float32 additions rounds by at most 2^-24 of the
	// running magnitude; products and differences add a few more roundings.
	// Denormal products lose absolute precision (~1.4e-45 each).
	const eps32 = 1.0 / (1 << 24)
	n := float64(len(x))
	return s, (n+4)*eps32*mag + n*1.5e-45
}

// TestSIMDKernelsMatchGo checks the assembly kernels (where the CPU runs
// them) and the portable ones against a float64 reference, on random and
// adversarial inputs: every length from 0 to 70 (covering all remainders of
// the 8- and 32-wide steps) and longer ones, unaligned starts, values from
// denormal to 1e16 (squares near float32's limit, no overflow), and NaN
// guards just past the end of both slices, which would poison the result
// of a kernel reading too far.
func TestSIMDKernelsMatchGo(t *testing.T) {
	if !hasAVX2FMA {
		t.Log("no AVX2+FMA on this CPU: only the portable kernels are checked")
	}
	rng := rand.New(rand.NewPCG(5, 6))
	lengths := []int{127, 128, 129, 255, 784, 1000, 1031}
	for n := 0; n <= 70; n++ {
		lengths = append(lengths, n)
	}
	gens := map[string]func() float32{
		"uniform":  func() float32 { return float32(rng.Float64()*2 - 1) },
		"pixels":   func() float32 { return float32(rng.IntN(256)) * (1.0 / 255) },
		"large":    func() float32 { return float32((rng.Float64()*2 - 1) * 1e16) },
		"tiny":     func() float32 { return float32((rng.Float64()*2 - 1) * 1e-38) },
		"denormal": func() float32 { return math.Float32frombits(uint32(rng.IntN(1 << 23))) },
		"mixed": func() float32 {
			return float32((rng.Float64()*2 - 1) * math.Pow(10, float64(rng.IntN(30)-15)))
		},
		"near": func() float32 { return 1 + float32(rng.IntN(3))*1e-7 }, // cancellation
	}
	type kernel struct {
		name string
		sq   bool
		fn   func(x, y []float32) float32
	}
	kernels := []kernel{{"dotGo", false, dotGo}, {"sqDistGo", true, sqDistGo}}
	if hasAVX2FMA {
		kernels = append(kernels, kernel{"dotAVX2", false, dotAVX2}, kernel{"sqDistAVX2", true, sqDistAVX2})
	}
	nan := float32(math.NaN())
	for gname, gen := range gens {
		for _, n := range lengths {
			for off := range 3 {
				// x and y start at off (unaligned for off > 0) and are
				// followed by NaN guards within their capacity.
				bx := make([]float32, off+n+9)
				by := make([]float32, off+n+9)
				for i := range bx {
					bx[i], by[i] = nan, nan
				}
				x, y := bx[off:off+n], by[off:off+n]
				for i := range x {
					x[i], y[i] = gen(), gen()
				}
				for _, k := range kernels {
					want, tol := kernelRef(x, y, k.sq)
					got := float64(k.fn(x, y))
					if !(math.Abs(got-want) <= tol) {
						t.Fatalf("%s %s n=%d off=%d: got %g, want %g (tolerance %g)", k.name, gname, n, off, got, want, tol)
					}
				}
			}
		}
	}
}

// TestSIMDKernelsExact checks that every kernel is exact where float32
// arithmetic is (small integers, sums below 2^24), so the assembly and the
// portable code agree bit for bit there, and that a y longer than x is
// read only up to len(x).
func TestSIMDKernelsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, n := range []int{0, 1, 7, 8, 9, 31, 32, 33, 100, 784} {
		x := make([]float32, n)
		y := make([]float32, n+5)
		var wantDot, wantSq float32
		for i := range x {
			x[i], y[i] = float32(rng.IntN(31)-15), float32(rng.IntN(31)-15)
			wantDot += x[i] * y[i]
			wantSq += (x[i] - y[i]) * (x[i] - y[i])
		}
		for i := n; i < len(y); i++ {
			y[i] = 1e30
		}
		for _, c := range []struct {
			name      string
			got, want float32
		}{
			{"dotGo", dotGo(x, y), wantDot},
			{"sqDistGo", sqDistGo(x, y), wantSq},
			{"dot", dot(x, y), wantDot},
			{"sqDist", sqDist(x, y), wantSq},
		} {
			if c.got != c.want {
				t.Errorf("%s n=%d: got %v, want %v", c.name, n, c.got, c.want)
			}
		}
	}
}

var kernelSink float32

// BenchmarkKernels times the float32 kernels on 784-d rows (MNIST) and
// 100-d rows (t-SNE's PCA), both in cache.
func BenchmarkKernels(b *testing.B) {
	for _, d := range []int{100, 784} {
		x, y := make([]float32, d), make([]float32, d)
		for i := range x {
			x[i], y[i] = float32(i%7), float32(i%5)
		}
		for _, k := range []struct {
			name string
			fn   func(x, y []float32) float32
		}{{"dot", dot}, {"dotGo", dotGo}, {"sqDist", sqDist}, {"sqDistGo", sqDistGo}, {"gonumSdot", func(x, y []float32) float32 {
			return blasImpl.Sdot(len(x), x, 1, y, 1)
		}}} {
			b.Run(fmt.Sprintf("%s/D=%d", k.name, d), func(b *testing.B) {
				for b.Loop() {
					kernelSink = k.fn(x, y)
				}
			})
		}
	}
}

// TestSQDistGather checks the gathering kernels, sqDistGather and
// dotGather (assembly with prefetch where the CPU runs it), against a
// float64 reference row by row: every row length from
// 1 to 40 and the lengths t-SNE and UMAP use, indices in any order with
// repeats and both ends of the matrix, lists shorter and longer than the
// prefetch distance, and a NaN guard after the last row.
func TestSQDistGather(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	dims := []int{50, 100, 784}
	for d := 1; d <= 40; d++ {
		dims = append(dims, d)
	}
	for _, d := range dims {
		n := 37
		buf := make([]float32, (n+1)*d)
		for i := range buf {
			buf[i] = float32(rng.NormFloat64())
		}
		for i := n * d; i < len(buf); i++ {
			buf[i] = float32(math.NaN())
		}
		m := &Matrix{N: n, D: d, Data: buf[:n*d]}
		x := make([]float32, d)
		for i := range x {
			x[i] = float32(rng.NormFloat64())
		}
		for _, count := range []int{0, 1, 2, 5, 17, 100} {
			idx := make([]int32, count)
			for i := range idx {
				idx[i] = int32(rng.IntN(n))
			}
			if count > 2 {
				idx[0], idx[1] = 0, int32(n-1)
			}
			for _, sq := range []bool{true, false} {
				out := make([]float32, count+1)
				out[count] = -1
				if sq {
					sqDistGather(x, m, idx, out)
				} else {
					dotGather(x, m, idx, out)
				}
				for i, j := range idx {
					want, tol := kernelRef(x, m.Row(int(j)), sq)
					if got := float64(out[i]); !(math.Abs(got-want) <= tol) {
						t.Fatalf("d=%d count=%d sq=%v: out[%d] (row %d) = %g, want %g", d, count, sq, i, j, got, want)
					}
				}
				if out[count] != -1 {
					t.Fatalf("d=%d count=%d sq=%v: wrote past the list", d, count, sq)
				}
			}
		}
	}
	m := NewMatrix(37, 3)
	for name, gather := range map[string]func([]float32, *Matrix, []int32, []float32){"sqDistGather": sqDistGather, "dotGather": dotGather} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("%s accepted row 37 of 37", name)
				}
			}()
			gather(make([]float32, 3), m, []int32{3, 37}, make([]float32, 2))
		}()
	}
}

// TestSQDistGatherU8 checks the byte kernel (assembly with prefetch where
// the CPU runs it) and its portable twin against an int64 sum: every row
// length from 0 to 70 (all remainders of the 32- and 16-byte steps) and
// longer ones, random bytes and the adversarial extremes (0 against 255 in
// every position: the largest sums the lanes must hold), indices in any
// order with repeats and both ends of the matrix, lists shorter and longer
// than the prefetch distance, guard bytes after the last row and an out-of-
// range index refused.
func TestSQDistGatherU8(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	dims := []int{96, 127, 128, 129, 784, 1000, 3072}
	for d := 0; d <= 70; d++ {
		dims = append(dims, d)
	}
	for _, d := range dims {
		for _, pattern := range []string{"random", "extreme", "zero"} {
			n := 23
			buf := make([]uint8, (n+1)*d)
			x := make([]uint8, d)
			for i := range buf {
				switch pattern {
				case "random":
					buf[i] = uint8(rng.IntN(256))
				case "extreme":
					buf[i] = 255 * uint8(rng.IntN(2))
				}
			}
			for i := range x {
				if pattern == "random" {
					x[i] = uint8(rng.IntN(256))
				} else if pattern == "extreme" {
					x[i] = 255 - buf[i] // every difference is 255 to row 0
				}
			}
			for i := n * d; i < len(buf); i++ {
				buf[i] = 255 - x[i-n*d] // a kernel reading past the end sees large values
			}
			m := buf[:n*d]
			for _, count := range []int{0, 1, 2, 5, 17, 60} {
				idx := make([]int32, count)
				for i := range idx {
					idx[i] = int32(rng.IntN(n))
				}
				if count > 2 {
					idx[0], idx[1] = 0, int32(n-1)
				}
				out := make([]float32, count+1)
				goOut := make([]float32, count+1)
				out[count], goOut[count] = -1, -1
				if d == 0 {
					copy(out, goOut) // no rows to index: only the Go kernel runs
				} else {
					sqDistGatherU8(x, m, d, idx, out)
				}
				sqDistGatherU8Go(x, m, idx, goOut)
				for i, j := range idx {
					var want int64
					for c := range d {
						e := int64(x[c]) - int64(m[int(j)*d+c])
						want += e * e
					}
					if out[i] != float32(want) || goOut[i] != float32(want) {
						t.Fatalf("%s d=%d count=%d: out[%d] (row %d) = %g (Go %g), want %d", pattern, d, count, i, j, out[i], goOut[i], want)
					}
				}
				if out[count] != -1 || goOut[count] != -1 {
					t.Fatalf("%s d=%d count=%d: wrote past the list", pattern, d, count)
				}
			}
		}
	}
	// The largest row the kernels accept: every lane at its limit.
	d := maxU8Dims
	x, y := make([]uint8, d), make([]uint8, d)
	for i := range y {
		y[i] = 255
	}
	out := make([]float32, 1)
	sqDistGatherU8(x, y, d, []int32{0}, out)
	if want := float32(int64(d) * 255 * 255); out[0] != want {
		t.Errorf("d=%d, all 255: %g, want %g", d, out[0], want)
	}
	defer func() {
		if recover() == nil {
			t.Error("sqDistGatherU8 accepted row 4 of 4")
		}
	}()
	sqDistGatherU8(make([]uint8, 3), make([]uint8, 12), 3, []int32{3, 4}, make([]float32, 2))
}
