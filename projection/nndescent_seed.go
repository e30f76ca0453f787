package projection

import (
	"context"
	"sync/atomic"
)

// NN-descent's starting graph (nndescent.go): the random-projection
// forest's leaves joined pairwise, tree after tree, and random points where
// the trees left a list short.

// joinLeaf offers every pair of the leaf's points to both points' lists.
func (s *nnState) joinLeaf(leaf []int32, sc *nnScratch) {
	g := s.g
	for a, p := range leaf {
		qs, d := s.distances(p, leaf[a+1:], sc)
		for i, q := range qs {
			g.push(int(p), q, d[i])
			g.push(int(q), p, d[i])
		}
	}
}

// buildForest builds the random-projection forest, trees in parallel. It
// returns nil (or a partial forest) if ctx is cancelled.
func (s *nnState) buildForest(ctx context.Context, set KNNSettings) []rpLeaves {
	nTrees := max(set.NTrees, 0)
	m := s.m
	trees := make([]rpLeaves, nTrees)
	var sketch *Matrix
	var sketchNorms []float32
	switch {
	case nTrees == 0:
		return nil
	case m.D >= 4*boundDims:
		b := newSubspaceBound(m, boundDims, s.seed, s.workers)
		sketch, sketchNorms = b.proj, b.norms
	default:
		s.norms = rowSqNorms(m, s.workers)
		sketch, sketchNorms = m, s.norms
	}
	var nextTree atomic.Int64
	parallelRanges(s.workers, s.workers, func(_, _, _ int) {
		var sc rpScratch
		for {
			t := int(nextTree.Add(1) - 1)
			if t >= nTrees || knnCanceled(ctx) != nil {
				return
			}
			trees[t] = buildRPTree(sketch, sketchNorms, s.seed, t, set.LeafSize, &sc)
		}
	})
	return trees
}

// joinLeaves joins every leaf's points pairwise, tree after tree.
func (s *nnState) joinLeaves(ctx context.Context, trees []rpLeaves, h *Hooks, total int) error {
	for t, tree := range trees {
		if err := knnCanceled(ctx); err != nil {
			return err
		}
		// A leaf's points are in no other leaf of the tree, so the worker
		// that joins a leaf is the only writer of its points' lists, and
		// each list ends up with the k best of what it was offered,
		// whatever the order: no update buffers are needed.
		parallelRanges(len(tree.bounds)-1, s.workers, func(w, lo, hi int) {
			for l := lo; l < hi; l++ {
				s.joinLeaf(tree.perm[tree.bounds[l]:tree.bounds[l+1]], &s.scratch[w])
			}
		})
		h.progress("knn", t+1, total)
	}
	return nil
}

// fillRandom fills the lists the trees left short with random points.
func (s *nnState) fillRandom() {
	g, n, k := s.g, s.g.n, s.g.k
	parallelRanges(n, s.workers, func(_, lo, hi int) {
		for i := lo; i < hi; i++ {
			for try := uint64(0); g.idx[i*k] < 0 && try < uint64(4*k+64); try++ {
				j := int32(knnHash(s.seed, uint64(i)+1<<41, try) % uint64(n))
				if int(j) != i {
					g.push(i, j, s.dist2(int32(i), j))
				}
			}
		}
	})
}
