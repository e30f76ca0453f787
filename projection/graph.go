package projection

import (
	"fmt"
	"math"
)

// KNN is a k-nearest-neighbour graph over N points. Row i's neighbours are
// Index[i*K:(i+1)*K], nearest first, with their Euclidean (not squared)
// distances in Dist at the same positions. A point is never its own
// neighbour. Where fewer than K other points exist the row is padded with
// index -1 and distance +Inf.
type KNN struct {
	N, K  int
	Index []int32
	Dist  []float32
}

// NewKNN returns an empty graph for n points and k neighbours, every slot
// set to (-1, +Inf).
func NewKNN(n, k int) *KNN {
	g := &KNN{N: n, K: k, Index: makeHuge[int32](n * k), Dist: makeHuge[float32](n * k)}
	for i := range g.Index {
		g.Index[i] = -1
		g.Dist[i] = inf32
	}
	return g
}

// Neighbors returns row i's neighbour indices and distances, sharing storage.
func (g *KNN) Neighbors(i int) ([]int32, []float32) {
	return g.Index[i*g.K : (i+1)*g.K], g.Dist[i*g.K : (i+1)*g.K]
}

// KNNFromIndex rebuilds a graph from its neighbour indices (N x k,
// row-major, -1 for an empty slot, as a cache keeps them): each distance
// is computed afresh from m, exactly. It is an error when an index is out
// of range or the length is not m.N x k.
func KNNFromIndex(m *Matrix, idx []int32, k int, s KNNSettings) (*KNN, error) {
	if k < 1 || len(idx) != m.N*k {
		return nil, fmt.Errorf("projection: %d neighbour indices for %d rows of %d", len(idx), m.N, k)
	}
	for _, j := range idx {
		if j < -1 || int(j) >= m.N {
			return nil, fmt.Errorf("projection: neighbour index %d out of range (%d rows)", j, m.N)
		}
	}
	g := &KNN{N: m.N, K: k, Index: append([]int32(nil), idx...), Dist: make([]float32, len(idx))}
	parallelRanges(m.N, workerCount(s.Workers), func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			a := m.Row(i)
			for c := i * k; c < (i+1)*k; c++ {
				if g.Index[c] < 0 {
					g.Dist[c] = inf32
					continue
				}
				var d float64
				for x, v := range m.Row(int(g.Index[c])) {
					t := float64(v - a[x])
					d += t * t
				}
				g.Dist[c] = float32(math.Sqrt(d))
			}
		}
	})
	return g, nil
}
