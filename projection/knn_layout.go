package projection

import (
	"fmt"
	"math"
	"slices"
	"sync"
)

// An exact k-nearest-neighbour search for 2-D layouts: a k-d tree with
// median splits, which stays balanced however clustered the layout is (a
// uniform grid does not: one far outlier squeezes everything else into a
// few cells). At N = 70,000 a 10-NN graph takes well under 100 ms.

// layoutTree is a k-d tree over 2-D points. Node n (root 1, children 2n and
// 2n+1) covers pts[lo:hi] for the ranges that build assigns; a node with at
// most kdLeaf points is a leaf.
type layoutTree struct {
	x, y  []float32 // coordinates in tree order
	id    []int32   // original index of each tree-order point
	split []float32 // node -> split value
	axis  []uint8   // node -> 0 (x) or 1 (y)
}

const kdLeaf = 8

func newLayoutTree(pos []float32) *layoutTree {
	n := len(pos) / 2
	t := &layoutTree{x: make([]float32, n), y: make([]float32, n), id: make([]int32, n)}
	for i := range t.id {
		t.id[i] = int32(i)
	}
	nodes := 1
	for size := n; size > kdLeaf; size = (size + 1) / 2 {
		nodes *= 2
	}
	t.split = make([]float32, 2*nodes)
	t.axis = make([]uint8, 2*nodes)
	t.build(pos, 1, 0, n)
	for j, i := range t.id {
		t.x[j], t.y[j] = pos[2*i], pos[2*i+1]
	}
	return t
}

// build splits id[lo:hi] at its median along the wider axis.
func (t *layoutTree) build(pos []float32, node, lo, hi int) {
	if hi-lo <= kdLeaf {
		return
	}
	minX, maxX := float32(math.Inf(1)), float32(math.Inf(-1))
	minY, maxY := minX, maxX
	for _, i := range t.id[lo:hi] {
		minX, maxX = min(minX, pos[2*i]), max(maxX, pos[2*i])
		minY, maxY = min(minY, pos[2*i+1]), max(maxY, pos[2*i+1])
	}
	ax := 0
	if maxY-minY > maxX-minX {
		ax = 1
	}
	mid := (lo + hi) / 2
	key := func(i int32) float32 { return pos[2*int(i)+ax] }
	ids := t.id[lo:hi]
	slices.SortFunc(ids, func(a, b int32) int {
		ka, kb := key(a), key(b)
		switch {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		}
		return int(a - b)
	})
	t.axis[node] = uint8(ax)
	t.split[node] = key(t.id[mid])
	if hi-lo < 8192 {
		t.build(pos, 2*node, lo, mid)
		t.build(pos, 2*node+1, mid, hi)
		return
	}
	// Large subtrees are independent: build them concurrently.
	var wg sync.WaitGroup
	wg.Go(func() { t.build(pos, 2*node, lo, mid) })
	t.build(pos, 2*node+1, mid, hi)
	wg.Wait()
}

// query fills the bounded max-heap (idx, dist) with the nearest points to
// (qx, qy) other than self, by squared distance. Distances are squared in
// float64, where float32 coordinates cannot overflow; a non-finite one
// (a NaN or infinite coordinate) counts as math.MaxFloat64, so that every
// slot of the heap (initially +Inf) is filled whatever the layout holds.
func (t *layoutTree) query(qx, qy float32, self int32, idx []int32, dist []float64) {
	t.search(1, 0, len(t.id), float64(qx), float64(qy), self, idx, dist)
}

func (t *layoutTree) search(node, lo, hi int, qx, qy float64, self int32, idx []int32, dist []float64) {
	if hi-lo <= kdLeaf {
		for j := lo; j < hi; j++ {
			dx, dy := float64(t.x[j])-qx, float64(t.y[j])-qy
			d := dx*dx + dy*dy
			if !(d < math.MaxFloat64) {
				d = math.MaxFloat64
			}
			if d <= dist[0] && t.id[j] != self {
				heapPush(idx, dist, t.id[j], d)
			}
		}
		return
	}
	mid := (lo + hi) / 2
	diff := qx - float64(t.split[node])
	if t.axis[node] == 1 {
		diff = qy - float64(t.split[node])
	}
	if math.IsNaN(diff) {
		diff = 0 // search both sides
	}
	if diff < 0 {
		t.search(2*node, lo, mid, qx, qy, self, idx, dist)
		if diff*diff <= dist[0] {
			t.search(2*node+1, mid, hi, qx, qy, self, idx, dist)
		}
	} else {
		t.search(2*node+1, mid, hi, qx, qy, self, idx, dist)
		if diff*diff <= dist[0] {
			t.search(2*node, lo, mid, qx, qy, self, idx, dist)
		}
	}
}

// Layout2DKNN returns the exact k nearest neighbours of every point of a 2-D
// layout (pos holds x0, y0, x1, y1, ...), found on s.Workers goroutines
// (the tree is built with up to GOMAXPROCS); of s only Workers is used.
// Ties are broken by index, so the result does not depend on Workers.
// Distances are computed in float64, so no finite layout overflows; a
// non-finite coordinate puts its point beyond every finite one. It panics
// if len(pos) is odd or k is not in [1, N).
func Layout2DKNN(pos []float32, k int, s KNNSettings) *KNN {
	n := len(pos) / 2
	rows := make([]int, n)
	for i := range rows {
		rows[i] = i
	}
	return layoutKNNRows(newLayoutTree(checkLayout(pos, k)), pos, rows, k, workerCount(s.Workers))
}

func checkLayout(pos []float32, k int) []float32 {
	if len(pos)%2 != 0 {
		panic(fmt.Sprintf("projection: 2-D layout of odd length %d", len(pos)))
	}
	if k <= 0 || k >= len(pos)/2 {
		panic(fmt.Sprintf("projection: layout kNN needs 0 < k < N, got k=%d, N=%d", k, len(pos)/2))
	}
	return pos
}

// layoutKNNRows returns the k nearest layout points (among all) of each of
// rows, on workers goroutines: result row r belongs to point rows[r].
func layoutKNNRows(t *layoutTree, pos []float32, rows []int, k, workers int) *KNN {
	g := NewKNN(len(rows), k)
	parallelRanges(len(rows), workers, func(_, lo, hi int) {
		d2 := make([]float64, k)
		for r := lo; r < hi; r++ {
			i := rows[r]
			idx, dist := g.Neighbors(r)
			for j := range d2 {
				d2[j] = math.Inf(1)
			}
			t.query(pos[2*i], pos[2*i+1], int32(i), idx, d2)
			heapSortRows(idx, d2, nil)
			for j, d := range d2 {
				dist[j] = float32(math.Sqrt(d))
			}
		}
	})
	return g
}
