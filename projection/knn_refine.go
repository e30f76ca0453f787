package projection

import (
	"context"
	"slices"
	"sync/atomic"
)

// refine runs one round of neighbour-of-neighbour search: every point's
// list gains whichever points, among the lists of its fan nearest
// neighbours, are nearer than its current k-th. Rounds read a sorted
// snapshot of the graph and each point's list is written only by the
// worker that owns it, so the result does not depend on Workers. order is
// the order in which points are visited (leaf order: neighbouring points
// one after another keep their candidates' rows in cache). It returns the
// number of entries pushed.
func (s *nnState) refine(ctx context.Context, order []int32, fan int) (int, error) {
	g, n, k := s.g, s.g.n, s.g.k
	fan = min(fan, k)
	snapIdx, snapDist := slices.Clone(g.idx), slices.Clone(g.dist)
	parallelRanges(n, s.workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			heapSortRows(snapIdx[i*k:(i+1)*k], snapDist[i*k:(i+1)*k], nil)
		}
	})
	var changes atomic.Int64
	for w := range s.scratch {
		s.scratch[w].stamp = nil // stale marks from an earlier round
	}
	for b0 := 0; b0 < n; b0 += nnBlock {
		if err := knnCanceled(ctx); err != nil {
			return 0, err
		}
		blockPts := order[b0:min(b0+nnBlock, n)]
		parallelRanges(len(blockPts), s.workers, func(w, lo, hi int) {
			sc := &s.scratch[w]
			if sc.stamp == nil {
				sc.stamp = make([]int32, n)
			}
			c := 0
			for _, p := range blockPts[lo:hi] {
				c += s.refinePoint(p, snapIdx, fan, sc)
			}
			changes.Add(int64(c))
		})
	}
	return int(changes.Load()), nil
}

// refinePoint searches the lists of p's fan nearest neighbours in the
// snapshot snap for points nearer than p's current k-th.
func (s *nnState) refinePoint(p int32, snap []int32, fan int, sc *nnScratch) int {
	g, k := s.g, s.g.k
	own := snap[int(p)*k : int(p+1)*k]
	idx, dist := g.idx[int(p)*k:int(p+1)*k], g.dist[int(p)*k:int(p+1)*k]
	flags := g.isNew[int(p)*k : int(p+1)*k]
	mark, stamp := p+1, sc.stamp
	stamp[p] = mark
	for _, j := range own {
		if j >= 0 {
			stamp[j] = mark
		}
	}
	cand := sc.qs[:0]
	for _, j := range own[:fan] {
		if j < 0 {
			continue
		}
		for _, l := range snap[int(j)*k : int(j+1)*k] {
			if l >= 0 && stamp[l] != mark {
				stamp[l] = mark
				cand = append(cand, l)
			}
		}
	}
	sc.qs = cand
	if cap(sc.d) < len(cand) {
		sc.d = make([]float32, len(cand), 2*len(cand))
	}
	d := sc.d[:len(cand)]
	sqDistGather(s.m.Row(int(p)), s.m, cand, d)
	c := 0
	for i, l := range cand {
		if pairLess(d[i], l, dist[0], idx[0]) {
			idx[0], dist[0], flags[0] = l, d[i], true
			heapDown(idx, dist, flags, 0, k)
			c++
		}
	}
	return c
}
