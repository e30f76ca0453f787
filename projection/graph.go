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

// unpermute renumbers g, found on the rows of a permuted copy of the data
// (row r of the copy is row perm[r] of the data), back to the data's
// numbering, in place: every neighbour j becomes perm[j] (negative
// entries, none found, stay) and row r moves to row perm[r], cycle by
// cycle with one row of scratch.
func (g *KNN) unpermute(perm []int32, workers int) {
	k := g.K
	parallelRanges(len(g.Index), workers, func(_, lo, hi int) {
		for e := lo; e < hi; e++ {
			if j := g.Index[e]; j >= 0 {
				g.Index[e] = perm[j]
			}
		}
	})
	done := make([]bool, g.N)
	idx, dist := make([]int32, k), make([]float32, k)
	for start := range perm {
		if done[start] {
			continue
		}
		// Row start belongs at perm[start]; the row there at perm[perm[start]], ...
		copy(idx, g.Index[start*k:(start+1)*k])
		copy(dist, g.Dist[start*k:(start+1)*k])
		for r := start; ; {
			to := int(perm[r])
			done[r] = true
			if to == start {
				copy(g.Index[to*k:(to+1)*k], idx)
				copy(g.Dist[to*k:(to+1)*k], dist)
				break
			}
			// Swap the carried row with the one at to, which moves on.
			for c := 0; c < k; c++ {
				idx[c], g.Index[to*k+c] = g.Index[to*k+c], idx[c]
				dist[c], g.Dist[to*k+c] = g.Dist[to*k+c], dist[c]
			}
			r = to
		}
	}
}
