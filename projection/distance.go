package projection

import (
	"fmt"

	"gonum.org/v1/gonum/blas/gonum"
)

// Distance kernels. Everything here works on squared Euclidean distances in
// float32. The hot path is the dot product, which runs in the AVX2+FMA
// assembly of simd_amd64.s where the CPU has it (a 784-d product in ~25 ns
// from cache, three times gonum's SSE Sdot) and in plain Go elsewhere
// (simd.go). Distances between rows are computed as |x|^2 + |y|^2 - 2 x.y
// from precomputed squared norms. That form loses a little precision when x
// and y are close (cancellation), which is harmless for ranking neighbours;
// final distances reported in a KNN are recomputed directly with sqDist.

var blasImpl gonum.Implementation

// dot returns x.y; y must be at least as long as x.
func dot(x, y []float32) float32 {
	if hasAVX2FMA {
		return dotAVX2(x, y)
	}
	return dotGo(x, y)
}

// sqDist returns the squared Euclidean distance between x and y, computed
// directly (no cancellation). y must be at least as long as x.
func sqDist(x, y []float32) float32 {
	if hasAVX2FMA {
		return sqDistAVX2(x, y)
	}
	return sqDistGo(x, y)
}

// sqDistNorms returns |x-y|^2 from the squared norms nx = |x|^2, ny = |y|^2
// and one dot product, clamped at zero.
func sqDistNorms(x, y []float32, nx, ny float32) float32 {
	d := nx + ny - 2*dot(x, y)
	if d < 0 {
		return 0
	}
	return d
}

// rowSqNorms returns |row i|^2 for every row of m, computed by workers
// goroutines.
func rowSqNorms(m *Matrix, workers int) []float32 {
	norms := make([]float32, m.N)
	parallelRanges(m.N, workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			r := m.Row(i)
			norms[i] = dot(r, r)
		}
	})
	return norms
}

// sqDistBlock fills dst[a*len(rs)+b] with the squared distance between query
// row qs[a] and reference row rs[b] of m (norms from rowSqNorms). Rows are
// visited in tiles so that both tiles stay in cache; on 784-d data this runs
// at ~15 GFLOP/s per core, faster than gonum's Sgemm.
func sqDistBlock(dst []float32, m *Matrix, norms []float32, q *Matrix, qnorms []float32, qlo, qhi, rlo, rhi int) {
	const tileQ, tileR = 16, 128
	nr := rhi - rlo
	for q0 := qlo; q0 < qhi; q0 += tileQ {
		q1 := min(q0+tileQ, qhi)
		for r0 := rlo; r0 < rhi; r0 += tileR {
			r1 := min(r0+tileR, rhi)
			for a := q0; a < q1; a++ {
				x, nx := q.Row(a), qnorms[a]
				out := dst[(a-qlo)*nr+r0-rlo : (a-qlo)*nr+r1-rlo]
				for b := range out {
					out[b] = sqDistNorms(x, m.Row(r0+b), nx, norms[r0+b])
				}
			}
		}
	}
}

// sqDistGather sets out[i] = |x - row idx[i] of m|^2 for every idx[i], a
// row of m (len(x) = m.D). Where the assembly runs it prefetches the rows a
// few candidates ahead: rows picked at random from a large matrix then
// arrive from memory while earlier ones are computed, which for a list of
// neighbours' neighbours is most of the cost.
func sqDistGather(x []float32, m *Matrix, idx []int32, out []float32) {
	checkGather("sqDistGather", x, m, idx, out)
	if hasAVX2FMA && m.D > 0 {
		sqDistGatherAVX2(x, m.Data, idx, out, prefetchRows(4*m.D))
		return
	}
	sqDistGatherGo(x, m.Data, idx, out)
}

// dotGather sets out[i] = x . row idx[i] of m for every idx[i], a row of m
// (len(x) = m.D), prefetching rows ahead as sqDistGather does.
func dotGather(x []float32, m *Matrix, idx []int32, out []float32) {
	checkGather("dotGather", x, m, idx, out)
	if hasAVX2FMA && m.D > 0 {
		dotGatherAVX2(x, m.Data, idx, out, prefetchRows(4*m.D))
		return
	}
	dotGatherGo(x, m.Data, idx, out)
}

// prefetchRows is how many rows of rowBytes bytes ahead the gather kernels
// prefetch: about 4 KB, 2 to 16 rows.
func prefetchRows(rowBytes int) int { return min(16, max(2, 4096/rowBytes)) }

// checkGather panics unless x is a row's length, out can hold a value per
// index and every index is a row of m: the assembly trusts them.
func checkGather(name string, x []float32, m *Matrix, idx []int32, out []float32) {
	if len(x) != m.D || len(out) < len(idx) {
		panic("projection: " + name + " with mismatched lengths")
	}
	for _, j := range idx {
		if uint(j) >= uint(m.N) {
			panic(fmt.Sprintf("projection: %s of row %d of %d", name, j, m.N))
		}
	}
}
