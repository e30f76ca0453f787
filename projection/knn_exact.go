package projection

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

// ExactKNN returns the exact k nearest neighbours of every row of m by
// blocked brute force on workers goroutines (0 means GOMAXPROCS). It costs
// N^2 D multiply-adds (~2 s at N = 5,000, D = 784 on two cores), so it is
// meant for small N and for testing approximations. Its result does not
// depend on workers.
func ExactKNN(ctx context.Context, m *Matrix, k int, workers int) (*KNN, error) {
	if err := checkKNNArgs(m, k); err != nil {
		return nil, err
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	return exactKNN(ctx, m, k, workers, nil)
}

// ExactKNNRows returns the exact k nearest neighbours among all rows of m of
// the rows listed in rows: row r of the result belongs to point rows[r] and
// never lists rows[r] itself. Use it with KNNRecallRows to measure an
// approximate graph on a sample.
func ExactKNNRows(ctx context.Context, m *Matrix, rows []int, k int, workers int) (*KNN, error) {
	if err := checkKNNArgs(m, k); err != nil {
		return nil, err
	}
	for _, r := range rows {
		if r < 0 || r >= m.N {
			return nil, fmt.Errorf("projection: row %d out of range [0, %d)", r, m.N)
		}
	}
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
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
	const blockQ, blockR = 64, 1024
	g := NewKNN(q.N, k)
	nblocks := (q.N + blockQ - 1) / blockQ
	var next, done atomic.Int64
	var mu sync.Mutex
	h.progress("knn", 0, nblocks)
	knnParallel(workers, workers, func(_, _, _ int) {
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
				finishRow(g, a, q.Row(a), m)
			}
			n := int(done.Add(1))
			if h != nil {
				mu.Lock()
				h.progress("knn", n, nblocks)
				mu.Unlock()
			}
		}
	})
	if err := knnCanceled(ctx); err != nil {
		return nil, err
	}
	return g, nil
}

// finishRow recomputes row a's squared distances directly (x is the query
// vector), sorts the row nearest first and takes square roots.
func finishRow(g *KNN, a int, x []float32, m *Matrix) {
	idx, dist := g.Neighbors(a)
	for j, i := range idx {
		if i >= 0 {
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
// (-1 for none). Fewer than k are returned when m has fewer rows. It scans
// all of m with early abandoning of rows that cannot make the list, on
// GOMAXPROCS goroutines.
func ExactQuery(m *Matrix, q []float32, k int, exclude int) ([]int32, []float32) {
	if len(q) != m.D {
		panic(fmt.Sprintf("projection: ExactQuery with a %d-vector on %d columns", len(q), m.D))
	}
	k = min(k, m.N-btoi(exclude >= 0 && exclude < m.N))
	if k <= 0 {
		return nil, nil
	}
	workers := min(runtime.GOMAXPROCS(0), max(1, m.N/4096))
	part := NewKNN(workers, k)
	knnParallel(m.N, workers, func(w, lo, hi int) {
		idx, dist := part.Neighbors(w)
		for i := lo; i < hi; i++ {
			if i == exclude {
				continue
			}
			if d, ok := sqDistBelow(q, m.Row(i), dist[0]); ok && pairLess(d, int32(i), dist[0], idx[0]) {
				heapPush(idx, dist, int32(i), d)
			}
		}
	})
	// Merge the per-worker lists.
	idx, dist := make([]int32, k), make([]float32, k)
	for j := range idx {
		idx[j], dist[j] = -1, inf32
	}
	for j, i := range part.Index {
		if i >= 0 {
			heapPush(idx, dist, i, part.Dist[j])
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

// sqDistBelow returns |x-y|^2 and true if it is at most bound; it gives up
// (returning false) as soon as a partial sum exceeds bound.
func sqDistBelow(x, y []float32, bound float32) (float32, bool) {
	const chunk = 112
	y = y[:len(x)]
	var s float32
	for lo := 0; lo < len(x); lo += chunk {
		hi := min(lo+chunk, len(x))
		s += sqDist(x[lo:hi], y[lo:hi])
		if s > bound {
			return s, false
		}
	}
	return s, true
}
