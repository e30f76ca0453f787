package projection

import (
	"context"
	"fmt"
	"math"
	"sync"
	"sync/atomic"
)

// ExactKNN returns the exact k nearest neighbours of every row of m by
// blocked brute force, whatever s.Method says; of s only Workers is used.
// It costs N^2 D multiply-adds (~2 s at N = 5,000, D = 784 on two cores),
// so it is meant for small N and for testing approximations. Its result
// does not depend on Workers.
func ExactKNN(ctx context.Context, m *Matrix, k int, s KNNSettings) (*KNN, error) {
	if err := checkKNNArgs(m, k); err != nil {
		return nil, err
	}
	return exactKNN(ctx, m, k, s.withDefaults(m.N, k).Workers, nil)
}

// ExactKNNRows returns the exact k nearest neighbours among all rows of m of
// the rows listed in rows: row r of the result belongs to point rows[r] and
// never lists rows[r] itself. Use it with KNNRecallRows to measure an
// approximate graph on a sample. Of s only Workers is used.
func ExactKNNRows(ctx context.Context, m *Matrix, rows []int, k int, s KNNSettings) (*KNN, error) {
	if err := checkKNNArgs(m, k); err != nil {
		return nil, err
	}
	for _, r := range rows {
		if r < 0 || r >= m.N {
			return nil, fmt.Errorf("projection: row %d out of range [0, %d)", r, m.N)
		}
	}
	workers := s.withDefaults(m.N, k).Workers
	norms := rowSqNorms(m, workers)
	q := NewMatrix(len(rows), m.D)
	qn := make([]float32, len(rows))
	for a, r := range rows {
		copy(q.Row(a), m.Row(r))
		qn[a] = norms[r]
	}
	return exactSearch(ctx, m, norms, q, qn, rows, k, workers, nil)
}

func exactKNN(ctx context.Context, m *Matrix, k int, workers int, h *Hooks) (*KNN, error) {
	norms := rowSqNorms(m, workers)
	return exactSearch(ctx, m, norms, m, norms, nil, k, workers, h)
}

// exactSearch finds, for each row a of q, the k nearest rows of m, skipping
// row self[a] of m (row a itself when self is nil).
func exactSearch(ctx context.Context, m *Matrix, norms []float32, q *Matrix, qnorms []float32, self []int, k, workers int, h *Hooks) (*KNN, error) {
	if useBound(m, q.N) {
		return exactSearchBound(ctx, m, norms, q, qnorms, self, k, workers, h)
	}
	const blockQ, blockR = 64, 1024
	g := NewKNN(q.N, k)
	nblocks := (q.N + blockQ - 1) / blockQ
	var next atomic.Int64
	prog := blockProgress{total: nblocks}
	h.progress("knn", 0, nblocks)
	parallelRanges(workers, workers, func(_, _, _ int) {
		buf := make([]float32, blockQ*blockR)
		for {
			b := int(next.Add(1) - 1)
			if b >= nblocks || knnCanceled(ctx) != nil {
				return
			}
			qlo, qhi := b*blockQ, min((b+1)*blockQ, q.N)
			for rlo := 0; rlo < m.N; rlo += blockR {
				rhi := min(rlo+blockR, m.N)
				nr := rhi - rlo
				sqDistBlock(buf, m, norms, q, qnorms, qlo, qhi, rlo, rhi)
				for a := qlo; a < qhi; a++ {
					skip := a
					if self != nil {
						skip = self[a]
					}
					idx, dist := g.Neighbors(a)
					row := buf[(a-qlo)*nr : (a-qlo+1)*nr]
					for j, d := range row {
						if d <= dist[0] && rlo+j != skip {
							heapPush(idx, dist, int32(rlo+j), d)
						}
					}
				}
			}
			for a := qlo; a < qhi; a++ {
				finishRow(g, a, q.Row(a), qnorms[a], m, norms)
			}
			prog.step(h)
		}
	})
	if err := knnCanceled(ctx); err != nil {
		return nil, err
	}
	return g, nil
}

// finishRow turns row a of g, a heap of squared distances computed from
// norms, into final form: sorted nearest first, Euclidean distances. x is
// the query vector and xn its squared norm; norms are those of m's rows.
//
// A squared distance d from norms has an absolute error of roughly
// 1e-6*(xn+yn), large relative to d only for near-duplicates, so entries
// with d < (xn+yn)/16 are recomputed directly; the others keep a relative
// error below ~1e-5. Recomputing all of them would cost a pass over k
// random rows per point, which is memory-bound.
func finishRow(g *KNN, a int, x []float32, xn float32, m *Matrix, norms []float32) {
	idx, dist := g.Neighbors(a)
	for j, i := range idx {
		if i >= 0 && dist[j] < (xn+norms[i])/16 {
			dist[j] = sqDist(x, m.Row(int(i)))
		}
	}
	heapify(idx, dist)
	heapSortRows(idx, dist, nil)
	for j, d := range dist {
		dist[j] = float32(math.Sqrt(float64(d)))
	}
}

// ExactQuery returns the k rows of m nearest to the vector q (len m.D),
// nearest first, with their Euclidean distances, never listing row exclude
// (-1 for none). Fewer than k are returned when m has fewer rows. It is one
// streaming pass over m on GOMAXPROCS goroutines (~10 ms at 70,000 x 784 on
// two cores; memory bandwidth bound). For repeated queries against the same
// matrix, QueryIndex is about twice as fast.
func ExactQuery(m *Matrix, q []float32, k int, exclude int) ([]int32, []float32) {
	return exactQuery(m, nil, q, k, exclude)
}

// QueryIndex answers exact nearest-neighbour queries against the rows of
// one matrix. It keeps the rows' squared norms and, for large
// high-dimensional matrices (N >= 16384, D >= 128), their projections on an
// approximate top principal subspace, whose distances bound the true ones
// from below: a query then computes full distances to ~1% of the rows
// (~2 ms at 70,000 x 784 instead of ~10 ms for ExactQuery). Building it
// costs about one pass over the matrix (~0.5 s for MNIST). The matrix must
// not change while the index is in use; Query may be called concurrently.
type QueryIndex struct {
	m     *Matrix
	norms []float32
	bound *subspaceBound // nil: scan
}

// NewQueryIndex prepares m for queries.
func NewQueryIndex(m *Matrix) *QueryIndex {
	workers := workerCount(0)
	ix := &QueryIndex{m: m, norms: rowSqNorms(m, workers)}
	if m.D >= 4*boundDims && m.N >= 16384 {
		ix.bound = newSubspaceBound(m, boundDims, 1, workers)
	}
	return ix
}

// Query is ExactQuery(m, q, k, exclude) for the index's matrix m.
func (ix *QueryIndex) Query(q []float32, k int, exclude int) ([]int32, []float32) {
	m, b := ix.m, ix.bound
	if b == nil || len(q) != m.D {
		return exactQuery(m, ix.norms, q, k, exclude)
	}
	k = min(k, m.N-btoi(exclude >= 0 && exclude < m.N))
	if k <= 0 {
		return nil, nil
	}
	keep := min(k+8, m.N-btoi(exclude >= 0 && exclude < m.N))
	qp := make([]float32, b.basis.N)
	for c := range qp {
		qp[c] = dot(q, b.basis.Row(c))
	}
	qpn := dot(qp, qp)
	lb := make([]float32, m.N)
	for j := range lb {
		lb[j] = sqDistNorms(qp, b.proj.Row(j), qpn, b.norms[j])
	}
	g := NewKNN(2, keep)
	idx, dist := g.Neighbors(0)
	seedIdx, seedLB := g.Neighbors(1)
	b.searchQuery(m, ix.norms, q, dot(q, q), qpn, lb, exclude, idx, dist, seedIdx, seedLB)
	return directTopK(m, q, idx, k)
}

// exactQuery ranks rows by |q|^2 + |x|^2 - 2 q.x (norms[i] = |x_i|^2, or
// computed on the fly when norms is nil), keeps a few more than k, and
// ranks those by directly computed distances, so that the rounding of the
// fast form cannot swap near-ties at the boundary.
func exactQuery(m *Matrix, norms []float32, q []float32, k int, exclude int) ([]int32, []float32) {
	if len(q) != m.D {
		panic(fmt.Sprintf("projection: ExactQuery with a %d-vector on %d columns", len(q), m.D))
	}
	k = min(k, m.N-btoi(exclude >= 0 && exclude < m.N))
	if k <= 0 {
		return nil, nil
	}
	keep := min(k+8, m.N-btoi(exclude >= 0 && exclude < m.N))
	qn := dot(q, q)
	workers := min(workerCount(0), max(1, m.N/4096))
	part := NewKNN(workers, keep)
	parallelRanges(m.N, workers, func(w, lo, hi int) {
		idx, dist := part.Neighbors(w)
		for i := lo; i < hi; i++ {
			x := m.Row(i)
			var xn float32
			if norms != nil {
				xn = norms[i]
			} else {
				xn = dot(x, x)
			}
			if d := qn + xn - 2*dot(q, x); d <= dist[0] && i != exclude {
				heapPush(idx, dist, int32(i), d)
			}
		}
	})
	return directTopK(m, q, part.Index, k)
}

// directTopK returns the k of the candidate rows nearest to q by directly
// computed distances, nearest first, with Euclidean distances.
func directTopK(m *Matrix, q []float32, cands []int32, k int) ([]int32, []float32) {
	idx, dist := make([]int32, k), make([]float32, k)
	for j := range idx {
		idx[j], dist[j] = -1, inf32
	}
	for _, i := range cands {
		if i >= 0 && !containsIdx(idx, i) {
			heapPush(idx, dist, i, sqDist(q, m.Row(int(i))))
		}
	}
	heapSortRows(idx, dist, nil)
	for j, d := range dist {
		dist[j] = float32(math.Sqrt(float64(d)))
	}
	return idx, dist
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// exactSearchBound is exactSearch pruned by subspace lower bounds.
func exactSearchBound(ctx context.Context, m *Matrix, norms []float32, q *Matrix, qnorms []float32, self []int, k, workers int, h *Hooks) (*KNN, error) {
	const blockQ = 16
	b := newSubspaceBound(m, boundDims, 1, workers)
	qp, qpn := b.proj, b.norms
	if q != m {
		qp = b.project(q, workers)
		qpn = rowSqNorms(qp, workers)
	}
	// Visit similar queries one after another (in the leaf order of a
	// random-projection tree over their projections): their surviving
	// rows overlap, so those stay in cache from one query to the next.
	order := buildRPTree(qp, qpn, 7, 0, blockQ, nil).perm
	g := NewKNN(q.N, k)
	nblocks := (q.N + blockQ - 1) / blockQ
	var next atomic.Int64
	prog := blockProgress{total: nblocks}
	h.progress("knn", 0, nblocks)
	parallelRanges(workers, workers, func(_, _, _ int) {
		lb := make([]float32, blockQ*m.N)
		seedIdx, seedLB := make([]int32, k), make([]float32, k)
		bq, bqn := NewMatrix(blockQ, qp.D), make([]float32, blockQ)
		for {
			blk := int(next.Add(1) - 1)
			if blk >= nblocks || knnCanceled(ctx) != nil {
				return
			}
			block := order[blk*blockQ : min((blk+1)*blockQ, q.N)]
			for r, a := range block {
				copy(bq.Row(r), qp.Row(int(a)))
				bqn[r] = qpn[a]
			}
			sqDistBlock(lb, b.proj, b.norms, bq, bqn, 0, len(block), 0, m.N)
			for r, a32 := range block {
				a := int(a32)
				skip := a
				if self != nil {
					skip = self[a]
				}
				idx, dist := g.Neighbors(a)
				b.searchQuery(m, norms, q.Row(a), qnorms[a], qpn[a], lb[r*m.N:(r+1)*m.N], skip, idx, dist, seedIdx, seedLB)
				finishRow(g, a, q.Row(a), qnorms[a], m, norms)
			}
			prog.step(h)
		}
	})
	if err := knnCanceled(ctx); err != nil {
		return nil, err
	}
	return g, nil
}

// blockProgress reports "knn" progress as workers finish blocks; step may
// be called from any worker.
type blockProgress struct {
	mu    sync.Mutex
	done  int
	total int
}

func (p *blockProgress) step(h *Hooks) {
	p.mu.Lock()
	p.done++
	h.progress("knn", p.done, p.total)
	p.mu.Unlock()
}
