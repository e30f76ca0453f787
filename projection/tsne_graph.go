package projection

import (
	"context"
	"errors"
	"fmt"
	"math"
	"runtime/debug"
	"time"
)

// TSNEGraph is what t-SNE computes before its affinities: the neighbour
// graph of the data (reduced by PCA) and the initial layout from the first
// two principal components. A variant that changes only the perplexity (to
// at most a third of the graph's K), the exaggeration or the iterations
// starts from it (TSNEFromNeighbors) and skips the two costliest stages
// before the optimisation.
type TSNEGraph struct {
	N    int
	KNN  *KNN      // nil when N < 2
	Init []float32 // interleaved, length 2N, scaled to a standard deviation of 1e-4; nil for a random start
	// PCA and Search are the stages' times.
	PCA, Search time.Duration
}

// Neighbors returns how many neighbours t-SNE with settings s needs on n
// points: 3 * perplexity (its default, lowered for small n), at most n-1.
func (s TSNESettings) Neighbors(n int) int {
	s = s.withDefaults(n)
	return max(0, min(n-1, int(math.Ceil(3*s.Perplexity))))
}

// TSNENeighbors runs t-SNE's first stages on data with settings s: PCA to
// s.PCADims (when the data has more columns; its first two scores, scaled,
// are the initial layout) and the neighbour search with 3*Perplexity
// neighbours. Progress is reported as stage "pca", then the search's.
//
// data may be any Source (a dataset's pixels, streamed): PCA reads it in
// blocks, so no float copy of it is made when PCA applies, which at a
// million MNIST rows is 3 GB that are never allocated. Without PCA (the
// data has at most s.PCADims columns, or PCADims is negative) a Source
// that is not a *Matrix is read into one.
func TSNENeighbors(ctx context.Context, data Source, s TSNESettings, h *Hooks) (*TSNEGraph, error) {
	if err := checkSource(data); err != nil {
		return nil, fmt.Errorf("projection: t-SNE: %w", err)
	}
	n, d := data.Dims()
	s = s.withDefaults(n)
	if err := s.check(); err != nil {
		return nil, err
	}
	g := &TSNEGraph{N: n}
	if n < 2 {
		return g, nil
	}
	t0 := time.Now()
	h.progress("pca", 0, 1)
	var x *Matrix
	if s.PCADims > 0 && d > s.PCADims {
		r, err := PCA(ctx, data, s.PCADims, PCASettings{Workers: s.Workers})
		if err != nil {
			return nil, fmt.Errorf("projection: t-SNE: %w", err)
		}
		x = r.Scores
		g.Init = firstColumns(r.Scores, 2)
	} else {
		x = asMatrix(data)
		if d >= 2 {
			r, err := PCA(ctx, x, 2, PCASettings{Workers: s.Workers})
			if err != nil {
				return nil, fmt.Errorf("projection: t-SNE: %w", err)
			}
			g.Init = r.Scores.Data
		}
	}
	if g.Init != nil && !scaleInit(g.Init, 1e-4) {
		g.Init = nil // degenerate (all points equal along PC 1): random start
	}
	h.progress("pca", 1, 1)
	g.PCA = time.Since(t0)

	t0 = time.Now()
	k := s.Neighbors(n)
	knn, err := nearestInLocalOrder(ctx, x, k, s.KNN, h)
	if err != nil {
		return nil, fmt.Errorf("projection: t-SNE: %w", err)
	}
	g.KNN, g.Search = knn, time.Since(t0)
	return g, nil
}

// TSNEFromNeighbors finishes t-SNE from g (TSNENeighbors of the same data):
// the affinities at s.Perplexity over the nearest 3*Perplexity of g's
// neighbours, then the optimisation from init (interleaved, length 2N; nil
// means g's initial layout): a warm start from an earlier layout. It is an
// error when g has fewer neighbours than the perplexity needs. g is not
// modified.
func TSNEFromNeighbors(ctx context.Context, g *TSNEGraph, init []float32, s TSNESettings, h *Hooks) (*TSNEResult, error) {
	if g == nil || g.KNN == nil || g.KNN.N != g.N {
		return nil, errors.New("projection: t-SNE from a missing or malformed neighbour graph")
	}
	s = s.withDefaults(g.N)
	if err := s.check(); err != nil {
		return nil, err
	}
	k := s.Neighbors(g.N)
	if k > g.KNN.K {
		return nil, fmt.Errorf("projection: t-SNE at perplexity %g needs %d neighbours, the graph has %d", s.Perplexity, k, g.KNN.K)
	}
	if init == nil {
		init = g.Init
	} else if len(init) != 2*g.N {
		return nil, fmt.Errorf("projection: t-SNE: initial layout of %d values for %d points", len(init), g.N)
	}
	t0 := time.Now()
	h.progress("affinity", 0, 1)
	stats := TSNEStats{PCA: g.PCA, KNN: g.Search}
	n := g.N
	tsneRelease(n) // the search's scratch: a copy of the data, its snapshots
	p, err := TSNEAffinities(ctx, nearestK(g.KNN, k), s)
	if err != nil {
		return nil, err
	}
	h.progress("affinity", 1, 1)
	stats.Affinity = time.Since(t0)
	// g is not read past this point, so that a graph only the caller's
	// frame held (TSNE's) can be freed during the optimisation; P is the
	// optimisation's to keep or overwrite.
	tsneRelease(n) // the conditional affinities (and such a graph)
	res, err := tsneOptimize(ctx, p, init, s, h, true)
	if err != nil {
		return nil, err
	}
	res.Stats.PCA, res.Stats.KNN, res.Stats.Affinity = stats.PCA, stats.KNN, stats.Affinity
	return res, nil
}

// tsneReleaseFrom is the number of points from which t-SNE hands the
// memory of a finished stage back before the next (tsneRelease).
const tsneReleaseFrom = 100000

// tsneRelease collects the garbage a stage left and returns its memory to
// the operating system, when n is at least tsneReleaseFrom. The stages'
// scratch arrays are large (at a million points: the search's copy of the
// data and snapshots, 1.3 GB; the conditional affinities, 0.7 GB) and the
// collector would otherwise let the heap grow to twice what the last
// collection found live before collecting them, while the next stage's
// arrays, of other sizes, do not fit the holes they leave. It costs one
// collection of a heap of mostly pointer-free arrays: milliseconds.
func tsneRelease(n int) {
	if n >= tsneReleaseFrom {
		debug.FreeOSMemory()
	}
}

// checkSource reports a nil Source, negative or empty dimensions, and a
// *Matrix whose data does not hold N x D values.
func checkSource(src Source) error {
	if src == nil {
		return errors.New("nil data")
	}
	if m, ok := src.(*Matrix); ok && (m == nil || len(m.Data) != m.N*m.D) {
		return errors.New("malformed matrix")
	}
	if n, d := src.Dims(); n < 0 || d < 1 {
		return fmt.Errorf("malformed data of %dx%d values", n, d)
	}
	return nil
}

// asMatrix returns src as a *Matrix: itself when it is one, else a copy.
func asMatrix(src Source) *Matrix {
	if m, ok := src.(*Matrix); ok {
		return m
	}
	return Materialize(src)
}

// nearestK returns g with each row cut to its k nearest neighbours (g
// itself when it has k).
func nearestK(g *KNN, k int) *KNN {
	if k >= g.K {
		return g
	}
	out := &KNN{N: g.N, K: k, Index: make([]int32, g.N*k), Dist: make([]float32, g.N*k)}
	for i := 0; i < g.N; i++ {
		copy(out.Index[i*k:(i+1)*k], g.Index[i*g.K:i*g.K+k])
		copy(out.Dist[i*k:(i+1)*k], g.Dist[i*g.K:i*g.K+k])
	}
	return out
}

// tsneLocalOrderSeed salts the tree that orders the rows for the search.
const tsneLocalOrderSeed = 0x6c6f63616c

// nearestInLocalOrder is NearestNeighbors of x's rows searched in the leaf
// order of one random-projection tree: rows near each other in space are
// then near each other in memory, so the candidates a search round
// gathers for one point (its neighbours' neighbours) share cache lines and
// pages with those of the points visited before it. The graph is returned
// in x's numbering. x is copied into the new order (and may be dropped by
// the caller meanwhile); the graph is put back in place, with no second
// copy. On PCA-100 of 280,000 MNIST-like rows this cut the search's CPU
// time by a fifth (BENCHMARKS.md, session 4).
func nearestInLocalOrder(ctx context.Context, x *Matrix, k int, s KNNSettings, h *Hooks) (*KNN, error) {
	if s.withDefaults(x.N, k).Method == "exact" {
		return NearestNeighbors(ctx, x, k, s, h) // no candidates to gather
	}
	workers := workerCount(s.Workers)
	tree := buildRPTree(x, rowSqNorms(x, workers), s.Seed^tsneLocalOrderSeed, 0, max(24, k+1), nil)
	perm := tree.perm
	px := NewMatrix(x.N, x.D)
	parallelRanges(x.N, workers, func(_, lo, hi int) {
		for r := lo; r < hi; r++ {
			copy(px.Row(r), x.Row(int(perm[r])))
		}
	})
	g, err := NearestNeighbors(ctx, px, k, s, h)
	if err != nil {
		return nil, err
	}
	px = nil
	g.unpermute(perm, workers)
	return g, nil
}
