package projection

import (
	"fmt"
	"math"
	"slices"
	"sync/atomic"
)

// Byte rows for NN-descent. Pixel data (the app's images are v/255, v a
// byte) lies on a grid of at most 256 evenly spaced levels, where a byte per
// value loses nothing: the squared distance is step^2 times an integer sum
// of squared byte differences, exact in int32. A byte copy is a quarter of
// the float32 rows (55 MB instead of 220 MB for MNIST), so four times as
// many rows fit each cache level and a random row costs a quarter of the
// memory traffic, which is what NN-descent's joins wait on. The copy is
// made in the first random-projection tree's leaf order: points that share
// a leaf, and so most candidates, sit next to each other in memory.

// quantRows holds the rows of a matrix as bytes, value = offset + q*step,
// renumbered: row a of data is row perm[a] of the matrix.
type quantRows struct {
	n, d int
	data []uint8
	step float64 // grid spacing of the values
	perm []int32 // search order -> matrix row
	inv  []int32 // matrix row -> search order
	// release frees data (see allocBytes); the rows are unusable after.
	release func()
}

// newQuantRows copies m's rows as bytes (call release when done with
// them), row a of the copy being row
// perm[a] of m (perm a permutation of m's rows), if every value lies on a
// grid offset + q*step, q in 0..255, to within a thousandth of a step
// (float32 rounding of v/255 and the like); else it returns nil. It tries
// the grid spanning the values' range, then the pixel grid 0..1 in steps of
// 1/255 (images whose brightest pixel is not white). Data off the grid is
// usually refused within its first rows.
func newQuantRows(m *Matrix, perm []int32, workers int) *quantRows {
	if m.N == 0 || m.D == 0 || m.D > maxU8Dims {
		return nil
	}
	q := &quantRows{n: m.N, d: m.D, perm: perm}
	q.data, q.release = allocBytes(m.N * m.D)
	if !q.fill(m, 0, 1.0/255, workers) {
		lo, hi, finite := valueRange(m, workers)
		if !finite || !q.fill(m, float64(lo), (float64(hi)-float64(lo))/255, workers) {
			q.release()
			return nil
		}
	}
	q.inv = make([]int32, m.N)
	for a, i := range perm {
		q.inv[i] = int32(a)
	}
	return q
}

// fill writes the bytes of m's rows on the grid (offset, step) and reports
// whether every value lies on it.
func (q *quantRows) fill(m *Matrix, offset, step float64, workers int) bool {
	if !(step > 0) {
		return false
	}
	q.step = step
	// In float32, x carries an error of a few 1e-5 at most (255 times
	// float32's 6e-8), far inside the tolerance.
	off32, inv32 := float32(offset), float32(1/step)
	var off atomic.Bool
	parallelRanges(m.N, workers, func(_, lo, hi int) {
		for a := lo; a < hi && !off.Load(); a++ {
			src := m.Row(int(q.perm[a]))
			dst := q.data[a*m.D : (a+1)*m.D]
			dst = dst[:len(src)]
			// Bits of any level outside 0..255 (negative ones
			// included) gather above the low byte of levels.
			var levels uint32
			bad := false
			for c, v := range src {
				x := (v - off32) * inv32
				l := int32(x + 0.5)
				e := x - float32(l)
				if e > 1e-3 || e < -1e-3 {
					bad = true
				}
				levels |= uint32(l)
				dst[c] = uint8(l)
			}
			if bad || levels > 255 {
				off.Store(true)
				return
			}
		}
	})
	return !off.Load()
}

// valueRange returns the least and greatest values of m, and whether both
// are finite (no NaN among the values either).
func valueRange(m *Matrix, workers int) (lo, hi float32, finite bool) {
	los, his := make([]float32, workers), make([]float32, workers)
	nan := make([]bool, workers)
	parallelRanges(len(m.Data), workers, func(w, a, b int) {
		l, h := m.Data[a], m.Data[a]
		for _, v := range m.Data[a:b] {
			if v < l {
				l = v
			}
			if v > h {
				h = v
			}
			if v != v {
				nan[w] = true
			}
		}
		los[w], his[w] = l, h
	})
	used := max(1, min(workers, len(m.Data)))
	lo, hi = slices.Min(los[:used]), slices.Max(his[:used])
	return lo, hi, !slices.Contains(nan[:used], true) && float64(hi)-float64(lo) < math.Inf(1)
}

// row is row a (search order) of the copy.
func (q *quantRows) row(a int32) []uint8 { return q.data[int(a)*q.d : int(a+1)*q.d] }

// gather sets out[i] to the squared distance, in units of step^2, between
// rows p and idx[i] (search order).
func (q *quantRows) gather(p int32, idx []int32, out []float32) {
	sqDistGatherU8(q.row(p), q.data, q.d, idx, out)
}

// sqDistGatherU8 sets out[i] = sum (x[c] - row idx[i] of m [c])^2, as
// float32, for the rows of d bytes in m (len(x) = d <= maxU8Dims). Where the
// assembly runs it prefetches rows ahead, as sqDistGather does.
func sqDistGatherU8(x, m []uint8, d int, idx []int32, out []float32) {
	n := 0
	if d > 0 {
		n = len(m) / d
	}
	if len(x) != d || d > maxU8Dims || len(out) < len(idx) {
		panic("projection: sqDistGatherU8 with mismatched lengths")
	}
	for _, j := range idx { // the assembly trusts its indices
		if uint(j) >= uint(n) {
			panic(fmt.Sprintf("projection: sqDistGatherU8 of row %d of %d", j, n))
		}
	}
	if hasAVX2FMA && d > 0 {
		sqDistGatherU8AVX2(x, m, idx, out, prefetchRows(d))
		return
	}
	sqDistGatherU8Go(x, m, idx, out)
}

// quantMinDims is the least dimension for which NN-descent searches byte
// rows: below it distances are cheap and rows small anyway.
const quantMinDims = 64

// finish returns the graph g, found in q's numbering and units, as the
// matrix's: rows and neighbours renumbered back (KNN.unpermute, reusing
// g's arrays), Euclidean distances, nearest first (ties by index).
func (q *quantRows) finish(g *nnGraph, workers int) *KNN {
	out := &KNN{N: g.n, K: g.k, Index: g.idx, Dist: g.dist}
	out.unpermute(q.perm, workers)
	parallelRanges(g.n, workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			idx, dist := out.Neighbors(i)
			heapify(idx, dist)
			heapSortRows(idx, dist, nil)
			for e, d := range dist {
				dist[e] = float32(math.Sqrt(float64(d)) * q.step)
			}
		}
	})
	return out
}
