package projection

import (
	"context"
	"math/bits"
	"slices"
	"sync/atomic"
)

// refine runs one round of neighbour-of-neighbour search: every point's
// list gains whichever points, among the lists of its fan nearest
// neighbours, are nearer than its current k-th. As in NN-descent, entries
// carry a new flag, and a candidate l reached through neighbour j is only
// tried when j is new in the point's list or l is new in j's: other pairs
// were tried in an earlier round. Rounds read a snapshot of the graph and
// each point's list is written only by the worker that owns it, so the
// result does not depend on Workers. order is the order in which points
// are visited (leaf order: neighbouring points one after another keep
// their candidates' rows in cache). It returns the number of entries
// pushed.
func (s *nnState) refine(ctx context.Context, order []int32, fan int) (int, error) {
	g, n, k := s.g, s.g.n, s.g.k
	fan = min(fan, k)
	// Rows sorted farthest first are still max-heaps, with the nearest
	// neighbours at their ends.
	parallelRanges(n, s.workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			idx, dist, flags := g.idx[i*k:(i+1)*k], g.dist[i*k:(i+1)*k], g.isNew[i*k:(i+1)*k]
			heapSortRows(idx, dist, flags)
			slices.Reverse(idx)
			slices.Reverse(dist)
			slices.Reverse(flags)
		}
	})
	snap := nnSnapshot{idx: slices.Clone(g.idx), isNew: slices.Clone(g.isNew), k: k, fan: fan}
	var changes atomic.Int64
	seen := make([]refineSet, len(s.scratch))
	for b0 := 0; b0 < n; b0 += nnBlock {
		if err := knnCanceled(ctx); err != nil {
			return 0, err
		}
		blockPts := order[b0:min(b0+nnBlock, n)]
		parallelRanges(len(blockPts), s.workers, func(w, lo, hi int) {
			c := 0
			for _, p := range blockPts[lo:hi] {
				c += s.refinePoint(p, &snap, &s.scratch[w], &seen[w])
			}
			changes.Add(int64(c))
		})
	}
	return int(changes.Load()), nil
}

// nnSnapshot is the graph as a refine round started: rows farthest first.
type nnSnapshot struct {
	idx    []int32
	isNew  []bool
	k, fan int
}

// refinePoint tries, for p, the untried points of the lists of its fan
// nearest neighbours in snap.
func (s *nnState) refinePoint(p int32, snap *nnSnapshot, sc *nnScratch, seen *refineSet) int {
	g, k := s.g, s.g.k
	off := int(p) * k
	idx, dist, flags := g.idx[off:off+k], g.dist[off:off+k], g.isNew[off:off+k]
	seen.reset((snap.fan + 1) * k)
	seen.add(p)
	for _, j := range idx {
		if j >= 0 {
			seen.add(j)
		}
	}
	cand := sc.qs[:0]
	for e := off + k - snap.fan; e < off+k; e++ {
		j := snap.idx[e]
		if j < 0 {
			continue
		}
		jNew := snap.isNew[e]
		jOff := int(j) * k
		for f, l := range snap.idx[jOff : jOff+k] {
			if l >= 0 && (jNew || snap.isNew[jOff+f]) && seen.add(l) {
				cand = append(cand, l)
			}
		}
	}
	sc.qs = cand
	clear(flags) // every entry now has been tried with p's neighbours
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

// refineSet is the set of points a refine step has seen for one point: an
// open-addressing hash table of at most twice the candidates' count (64 KB
// for t-SNE's 90-NN and fan 24), which stays in a core's cache whatever N.
// (A mark per point of the data, the first version, is 4 MB a worker at a
// million rows, and its random reads missed the cache.) Entries hold the
// generation of the point they belong to, so reset clears nothing.
type refineSet struct {
	slots []uint64 // generation<<32 | point
	shift uint32   // 32 - log2(len(slots))
	gen   uint32
}

// reset empties the set for up to n members.
func (t *refineSet) reset(n int) {
	size := 16
	for size < 2*n {
		size *= 2
	}
	if len(t.slots) < size {
		t.slots = make([]uint64, size)
		t.shift = uint32(32 - bits.TrailingZeros(uint(size)))
		t.gen = 0
	}
	t.gen++
	if t.gen == 0 { // wrapped: old entries could match again
		clear(t.slots)
		t.gen = 1
	}
}

// add inserts l and reports whether it was not in the set.
func (t *refineSet) add(l int32) bool {
	mask := uint32(len(t.slots) - 1)
	h := (uint32(l) * 0x9e3779b1) >> t.shift
	for {
		e := t.slots[h]
		if uint32(e>>32) != t.gen {
			t.slots[h] = uint64(t.gen)<<32 | uint64(uint32(l))
			return true
		}
		if int32(uint32(e)) == l {
			return false
		}
		h = (h + 1) & mask
	}
}
