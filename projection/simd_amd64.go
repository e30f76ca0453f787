package projection

import "golang.org/x/sys/cpu"

// hasAVX2FMA reports whether the assembly kernels of simd_amd64.s may run:
// the CPU has AVX2 and FMA and the OS saves the YMM registers (x/sys/cpu
// checks both).
var hasAVX2FMA = cpu.X86.HasAVX2 && cpu.X86.HasFMA

// dotAVX2 returns x.y over len(x) elements; len(y) >= len(x).
//
//go:noescape
func dotAVX2(x, y []float32) float32

// sqDistAVX2 returns |x-y|^2 over len(x) elements; len(y) >= len(x).
//
//go:noescape
func sqDistAVX2(x, y []float32) float32

// sqDistGatherAVX2 sets out[i] = |x - row idx[i] of m|^2 for rows of
// len(x) values, prefetching row idx[i+ahead] meanwhile. Every idx[i] must
// index a whole row of m and len(out) >= len(idx).
//
//go:noescape
func sqDistGatherAVX2(x, m []float32, idx []int32, out []float32, ahead int)

// sqDistGatherU8AVX2 sets out[i] = sum (x[c] - row idx[i] of m [c])^2 for
// rows of len(x) bytes, exact in integers (len(x) <= maxU8Dims), prefetching
// row idx[i+ahead] meanwhile. Every idx[i] must index a whole row of m and
// len(out) >= len(idx).
//
//go:noescape
func sqDistGatherU8AVX2(x, m []uint8, idx []int32, out []float32, ahead int)

// dotGatherAVX2 sets out[i] = x . row idx[i] of m for rows of len(x)
// values, prefetching row idx[i+ahead] meanwhile. Every idx[i] must index a
// whole row of m and len(out) >= len(idx).
//
//go:noescape
func dotGatherAVX2(x, m []float32, idx []int32, out []float32, ahead int)
