package main

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/layoutcache"
	"github.com/mnist-explorer/mnist-explorer/cmd/internal/pipeline"
	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

// jobEnv is what the background tasks share: the dataset, its float copy
// and hash (each built once, on first use), the layout cache and the
// layout files.
type jobEnv struct {
	ds    *mnist.Dataset
	data  func() *projection.Matrix // ds as float32 in [0, 1]
	hash  func() [32]byte           // dataset content hash
	opts  pipeline.Options
	cache *layoutcache.Cache // nil disables caching
	logf  func(format string, args ...any)
	files map[string]string // layouts read from files (--layout-file): name -> path
}

func newJobEnv(ds *mnist.Dataset, c *config, logf func(string, ...any)) *jobEnv {
	env := &jobEnv{
		ds:    ds,
		data:  sync.OnceValue(func() *projection.Matrix { return projection.Materialize(ds) }),
		hash:  sync.OnceValue(ds.Hash),
		opts:  pipeline.Options{Seed: c.seed},
		logf:  logf,
		files: map[string]string{},
	}
	for _, f := range c.layoutFiles {
		env.files[f.name] = f.path
	}
	if !c.noCache {
		if cache, err := layoutcache.Default(); err == nil {
			env.cache = cache
		} else {
			logf("no layout cache: %v", err)
		}
	}
	return env
}

// layoutWork returns the work that yields the layout named name: read from
// its file, or from the cache, or computed (and then cached).
func (env *jobEnv) layoutWork(name string) work[[]float32] {
	return func(ctx context.Context, t *layoutTask) ([]float32, bool, error) {
		if path, ok := env.files[name]; ok {
			layout, err := readLayoutFile(path, env.ds.Len())
			return layout, false, err
		}
		var data *projection.Matrix
		if name != "pca" { // PCA streams the uint8 pixels: no float copy before the first frame
			data = env.data()
		}
		return env.cached(name, func() ([]float32, error) {
			res, err := pipeline.Compute(ctx, name, env.ds, data, env.opts, layoutHooks(t))
			if err != nil {
				return nil, err
			}
			return res.Layout, nil
		})
	}
}

// graphJob names the neighbour graph's task (and its cache entry).
const graphJob = "knn10"

// graphWork returns the work that yields the suspectK-NN graph in pixel
// space (NN-descent; exact for small N), from the cache when it is there.
func (env *jobEnv) graphWork() work[[]int32] {
	return func(ctx context.Context, t *task[[]int32]) ([]int32, bool, error) {
		f, fromCache, err := env.cached(graphJob, func() ([]float32, error) {
			g, err := projection.NearestNeighbors(ctx, env.data(), suspectK, projection.KNNSettings{Seed: env.opts.Seed}, t.hooks(nil))
			if err != nil {
				return nil, err
			}
			out := make([]float32, len(g.Index))
			for i, v := range g.Index {
				out[i] = float32(v)
			}
			return out, nil
		})
		if err != nil {
			return nil, false, err
		}
		idx := make([]int32, len(f))
		for i, v := range f {
			idx[i] = int32(v)
		}
		return idx, fromCache, nil
	}
}

// cached returns the cached value of name when the cache has it, else
// computes it and caches the result.
func (env *jobEnv) cached(name string, compute func() ([]float32, error)) ([]float32, bool, error) {
	if env.cache == nil || name == "pca" {
		v, err := compute()
		return v, false, err
	}
	key := pipeline.CacheKey(env.hash(), env.ds.Len(), name, env.opts)
	if name == graphJob {
		key.Cols = suspectK
	}
	v, err := env.cache.Get(key)
	switch {
	case err == nil:
		return v, true, nil
	case errors.Is(err, layoutcache.ErrInvalid):
		env.logf("ignoring cached layout (%v); recomputing", err)
	case !errors.Is(err, layoutcache.ErrMiss):
		env.logf("layout cache: %v", err)
	}
	if v, err = compute(); err != nil {
		return nil, false, err
	}
	if err := env.cache.Put(key, v); err != nil {
		env.logf("layout cache: %v", err)
	}
	return v, false, nil
}

// readLayoutFile reads a layout computed elsewhere and checks that it has
// one row per dataset row.
func readLayoutFile(path string, n int) ([]float32, error) {
	layout, err := projection.ReadLayoutFile(path)
	if err != nil {
		return nil, err
	}
	if len(layout) != 2*n {
		return nil, fmt.Errorf("layout file %s has %d rows, the dataset %d", path, len(layout)/2, n)
	}
	return layout, nil
}
