package pipeline

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/layoutcache"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

// Obtain returns m's layout of in under o: from cache when it holds one
// (and m is cacheable, cache is not nil and o.Recompute is false),
// computed by m otherwise and then stored in cache.
//
// A cache that cannot be read is reported on logf (which may be nil) and
// treated as a miss; an invalid entry is recomputed and replaced; a failed
// store is reported and the layout still returned. A computed layout that
// does not have one finite (x, y) per row is an error, and is never cached.
// h (which may be nil) sees the computation's progress and snapshots; none
// on a cache hit.
func Obtain(ctx context.Context, m *Method, in *Input, o Options, cache *layoutcache.Cache, h *projection.Hooks, logf func(format string, args ...any)) (*Result, error) {
	var s *store[*Result]
	if cache != nil && m.Cacheable {
		key := m.Key(in, o)
		path := cache.Path(key)
		s = &store[*Result]{
			what: "layout",
			get: func() (*Result, error) {
				l, err := cache.Get(key)
				return &Result{Layout: l, FromCache: true, CachePath: path}, err
			},
			put: func(r *Result) error {
				err := cache.Put(key, r.Layout)
				if err == nil {
					r.CachePath = path
				}
				return err
			},
		}
	}
	res, _, err := obtain(o.Recompute, s, logf, func() (*Result, error) {
		if o.BeforeCompute != nil {
			if err := o.BeforeCompute(ctx); err != nil {
				return nil, err
			}
		}
		start := time.Now()
		res, err := m.Compute(ctx, in, o, h)
		if err != nil {
			return nil, err
		}
		if res == nil {
			return nil, fmt.Errorf("pipeline: %s returned no result", m.Title)
		}
		res.Elapsed = time.Since(start)
		if len(res.Layout) != 2*in.Len() {
			return nil, fmt.Errorf("pipeline: %s returned %d values for %d rows", m.Title, len(res.Layout), in.Len())
		}
		if err := layoutcache.CheckFinite(res.Layout, 2); err != nil {
			return nil, fmt.Errorf("pipeline: %s layout not usable: %w", m.Title, err)
		}
		return res, nil
	})
	return res, err
}

// ObtainGraph returns the k nearest neighbours in pixel space of each row
// of in (N x k row indices, row-major; -1 marks a slot the search left
// empty), from cache or computed and cached, under the same rules as
// Obtain. The search is projection.NearestNeighbors with its defaults
// seeded by o.Seed: exact up to 4,096 rows, NN-descent above.
func ObtainGraph(ctx context.Context, in *Input, k int, o Options, cache *layoutcache.Cache, h *projection.Hooks, logf func(format string, args ...any)) (idx []int32, fromCache bool, err error) {
	knn := projection.KNNSettings{Seed: o.Seed, Workers: o.Workers}
	var s *store[[]int32]
	if cache != nil {
		settings := knn
		settings.Workers = 0 // the graph does not depend on Workers
		// v1: bump when NearestNeighbors' defaults change.
		key := layoutcache.GraphKey{Dataset: in.Hash(), Settings: fmt.Sprintf("v1 %+v", settings), N: in.Len(), K: k}
		s = &store[[]int32]{
			what: "neighbour graph",
			get:  func() ([]int32, error) { return cache.GetGraph(key) },
			put:  func(idx []int32) error { return cache.PutGraph(key, idx) },
		}
	}
	return obtain(o.Recompute, s, logf, func() ([]int32, error) {
		return recovered("neighbour search", func() ([]int32, error) {
			g, err := projection.NearestNeighbors(ctx, in.Matrix(), k, knn, h)
			if err != nil {
				return nil, err
			}
			if err := layoutcache.CheckGraph(g.Index, in.Len()); err != nil {
				return nil, fmt.Errorf("pipeline: neighbour graph not usable: %w", err)
			}
			return g.Index, nil
		})
	})
}

// ObtainUMAPGraph returns the neighbour graph UMAP searches under o (its
// n_neighbors, its thorough NN-descent), from cache (the indices; the
// distances are recomputed exactly) or searched and cached, under the same
// rules as Obtain. Given to Options.Warm, it lets a UMAP variant that
// changes only min_dist, spread or epochs skip the search.
func ObtainUMAPGraph(ctx context.Context, in *Input, o Options, cache *layoutcache.Cache, h *projection.Hooks, logf func(format string, args ...any)) (*projection.KNN, bool, error) {
	k, knn := umapSettings(o).Graph(in.Len())
	var s *store[*projection.KNN]
	if cache != nil {
		settings := knn
		settings.Workers = 0 // the graph does not depend on Workers
		// v1: bump when UMAP's neighbour search changes.
		key := layoutcache.GraphKey{Dataset: in.Hash(), Settings: fmt.Sprintf("umap v1 %+v", settings), N: in.Len(), K: k}
		s = &store[*projection.KNN]{
			what: "UMAP neighbour graph",
			get: func() (*projection.KNN, error) {
				idx, err := cache.GetGraph(key)
				if err != nil {
					return nil, err
				}
				return projection.KNNFromIndex(in.Matrix(), idx, k, knn)
			},
			put: func(g *projection.KNN) error { return cache.PutGraph(key, g.Index) },
		}
	}
	return obtain(o.Recompute, s, logf, func() (*projection.KNN, error) {
		return recovered("UMAP neighbour search", func() (*projection.KNN, error) {
			return projection.NearestNeighbors(ctx, in.Matrix(), k, knn, h)
		})
	})
}

// store is where obtain finds and keeps a result: a cache entry.
type store[T any] struct {
	what string // in messages: "layout"
	path string
	get  func() (T, error)
	put  func(T) error
}

// obtain is the policy Obtain and ObtainGraph share: read s unless
// recompute (a miss or an unreadable entry falls through), else compute
// (which checks its result) and put the result in s. s may be nil: no
// cache.
func obtain[T any](recompute bool, s *store[T], logf func(string, ...any), compute func() (T, error)) (v T, fromCache bool, err error) {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	if s != nil && !recompute {
		v, err := s.get()
		switch {
		case err == nil:
			return v, true, nil
		case !errors.Is(err, layoutcache.ErrMiss):
			logf("ignoring cached %s: %v", s.what, err)
		}
	}
	if v, err = compute(); err != nil {
		return v, false, err
	}
	if s != nil {
		if err := s.put(v); err != nil {
			logf("%v", err)
		}
	}
	return v, false, nil
}

// TSNENeighbors returns how many neighbours t-SNE with o's settings needs
// on in's rows.
func TSNENeighbors(in *Input, o Options) int { return tsneSettings(o).Neighbors(in.Len()) }

// ObtainTSNEGraph computes t-SNE's neighbour graph and initial layout with
// o's settings, with at least the neighbours t-SNE's default perplexity
// needs, for t-SNE variants to share through Options.Warm: a variant that
// changes only the exaggeration, the iterations or a lower perplexity
// skips PCA and the neighbour search. It is not cached.
func ObtainTSNEGraph(ctx context.Context, in *Input, o Options, h *projection.Hooks) (*projection.TSNEGraph, error) {
	s := tsneSettings(o)
	if def := tsneSettings(Options{}); def.Neighbors(in.Len()) > s.Neighbors(in.Len()) {
		s.Perplexity = def.Perplexity // zero: the default
	}
	return recovered("t-SNE neighbour search", func() (*projection.TSNEGraph, error) {
		return projection.TSNENeighbors(ctx, in.source(NeedsPixels), s, h)
	})
}
