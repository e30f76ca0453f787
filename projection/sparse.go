package projection

import (
	"fmt"
	"slices"
)

// CSR is a square N x N sparse matrix of float32 in compressed sparse row
// form: row i's column indices are Col[RowPtr[i]:RowPtr[i+1]], ascending and
// without repeats, with their values at the same positions in Val. It holds
// UMAP's fuzzy graph and suits t-SNE's input affinities.
type CSR struct {
	N      int
	RowPtr []int   // len N+1; RowPtr[0] = 0, RowPtr[N] = NNZ
	Col    []int32 // len NNZ
	Val    []float32
}

// NNZ returns the number of stored entries.
func (a *CSR) NNZ() int { return len(a.Col) }

// Row returns row i's column indices and values, sharing storage with a.
func (a *CSR) Row(i int) ([]int32, []float32) {
	lo, hi := a.RowPtr[i], a.RowPtr[i+1]
	return a.Col[lo:hi:hi], a.Val[lo:hi:hi]
}

// COO is a list of (Row, Col, Val) triplets of an N x N sparse matrix in any
// order, possibly with repeated positions.
type COO struct {
	N   int
	Row []int32
	Col []int32
	Val []float32
}

// ToCSR returns c as a CSR matrix, summing values at repeated positions and
// keeping explicit zeros. It runs in O(N + NNZ log(max row length)).
func (c *COO) ToCSR() *CSR {
	if len(c.Row) != len(c.Col) || len(c.Row) != len(c.Val) {
		panic(fmt.Sprintf("projection: COO lengths differ (%d, %d, %d)", len(c.Row), len(c.Col), len(c.Val)))
	}
	n := c.N
	ptr := make([]int, n+1)
	for _, r := range c.Row {
		ptr[r+1]++
	}
	for i := 0; i < n; i++ {
		ptr[i+1] += ptr[i]
	}
	col := makeHuge[int32](len(c.Col))
	val := makeHuge[float32](len(c.Val))
	next := slices.Clone(ptr[:n])
	for e, r := range c.Row {
		p := next[r]
		next[r]++
		col[p], val[p] = c.Col[e], c.Val[e]
	}
	// Sort each row by column and sum repeats, compacting in place.
	out := 0
	type entry struct {
		c int32
		v float32
	}
	var buf []entry
	for i := 0; i < n; i++ {
		lo, hi := ptr[i], ptr[i+1]
		buf = buf[:0]
		for p := lo; p < hi; p++ {
			buf = append(buf, entry{col[p], val[p]})
		}
		slices.SortStableFunc(buf, func(x, y entry) int { return int(x.c) - int(y.c) })
		ptr[i] = out
		for k, e := range buf {
			if k > 0 && e.c == buf[k-1].c {
				val[out-1] += e.v
				continue
			}
			col[out], val[out] = e.c, e.v
			out++
		}
	}
	ptr[n] = out
	return &CSR{N: n, RowPtr: ptr, Col: col[:out:out], Val: val[:out:out]}
}

// Transpose returns the transpose of a.
func (a *CSR) Transpose() *CSR {
	n := a.N
	ptr := make([]int, n+1)
	for _, c := range a.Col {
		ptr[c+1]++
	}
	for i := 0; i < n; i++ {
		ptr[i+1] += ptr[i]
	}
	col := makeHuge[int32](a.NNZ())
	val := makeHuge[float32](a.NNZ())
	next := slices.Clone(ptr[:n])
	for i := 0; i < n; i++ { // rows in order, so each transposed row is sorted
		for p := a.RowPtr[i]; p < a.RowPtr[i+1]; p++ {
			c := a.Col[p]
			q := next[c]
			next[c]++
			col[q], val[q] = int32(i), a.Val[p]
		}
	}
	return &CSR{N: n, RowPtr: ptr, Col: col, Val: val}
}

// Symmetrize returns the symmetric matrix S with S[i,j] = f(a[i,j], a[j,i])
// on the union of the patterns of a and its transpose, where a missing entry
// reads as 0. Entries for which f returns 0 are dropped. UMAP's fuzzy union
// is f(x, y) = x + y - x*y; t-SNE's joint probabilities use
// f(x, y) = (x + y) / 2N.
func (a *CSR) Symmetrize(f func(aij, aji float32) float32) *CSR {
	at := a.Transpose()
	n := a.N
	ptr := make([]int, n+1)
	col := makeHuge[int32](a.NNZ() + a.NNZ()/2)[:0]
	val := makeHuge[float32](cap(col))[:0]
	for i := 0; i < n; i++ {
		ac, av := a.Row(i)
		tc, tv := at.Row(i)
		p, q := 0, 0
		for p < len(ac) || q < len(tc) {
			var c int32
			var x, y float32
			switch {
			case q == len(tc) || (p < len(ac) && ac[p] < tc[q]):
				c, x = ac[p], av[p]
				p++
			case p == len(ac) || tc[q] < ac[p]:
				c, y = tc[q], tv[q]
				q++
			default:
				c, x, y = ac[p], av[p], tv[q]
				p++
				q++
			}
			if v := f(x, y); v != 0 {
				col = append(col, c)
				val = append(val, v)
			}
		}
		ptr[i+1] = len(col)
	}
	return &CSR{N: n, RowPtr: ptr, Col: col, Val: val}
}

// Filter returns a copy of a holding only the entries for which keep is true.
func (a *CSR) Filter(keep func(i int, j int32, v float32) bool) *CSR {
	ptr := make([]int, a.N+1)
	col := makeHuge[int32](a.NNZ())[:0]
	val := makeHuge[float32](a.NNZ())[:0]
	for i := 0; i < a.N; i++ {
		for p := a.RowPtr[i]; p < a.RowPtr[i+1]; p++ {
			if keep(i, a.Col[p], a.Val[p]) {
				col = append(col, a.Col[p])
				val = append(val, a.Val[p])
			}
		}
		ptr[i+1] = len(col)
	}
	return &CSR{N: a.N, RowPtr: ptr, Col: slices.Clip(col), Val: slices.Clip(val)}
}

// MulVec sets dst = a * x in float64. dst and x must not overlap.
func (a *CSR) MulVec(dst, x []float64) {
	for i := 0; i < a.N; i++ {
		var s float64
		for p := a.RowPtr[i]; p < a.RowPtr[i+1]; p++ {
			s += float64(a.Val[p]) * x[a.Col[p]]
		}
		dst[i] = s
	}
}
