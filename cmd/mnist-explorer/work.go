package main

import (
	"context"
	"time"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/layoutcache"
	"github.com/mnist-explorer/mnist-explorer/cmd/internal/pipeline"
	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

// jobEnv is what the background tasks share: the pipeline's input (the
// dataset, its float matrix and hash, each built once on first use), the
// layout cache and the layout files.
type jobEnv struct {
	in    *pipeline.Input
	opts  pipeline.Options
	cache *layoutcache.Cache // nil disables caching
	logf  func(format string, args ...any)
	files map[string]string        // layouts read from files (--layout-file): name -> path
	cols  projection.LayoutColumns // the columns of a Parquet layout file (--layout-cols)
	// graphs keeps the UMAP neighbour graphs variants have used, tsne the
	// t-SNE one.
	graphs umapGraphs
	tsne   tsneGraphs
}

func newJobEnv(ds *mnist.Dataset, features *projection.Matrix, c *config, logf func(string, ...any)) *jobEnv {
	in := pipeline.NewInput(ds)
	if features != nil {
		in = pipeline.NewFeatureInput(ds, features)
	}
	env := &jobEnv{in: in, opts: pipeline.Options{Seed: c.seed}, logf: logf, files: map[string]string{}, cols: c.layoutCols}
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

// data returns the dataset as a float32 matrix (built once).
func (env *jobEnv) data() *projection.Matrix { return env.in.Matrix() }

// layoutWork returns the work that yields e's layout: read from its file,
// a tuned UMAP, or a registered method's layout from the cache or computed.
func (env *jobEnv) layoutWork(e *layoutEntry) work[[]float32] {
	name := e.name
	if e.variant != nil {
		return env.variantWork(e.title, *e.variant)
	}
	o := env.opts
	if after := e.after; after != nil {
		o.BeforeCompute = func(ctx context.Context) error {
			start := time.Now()
			select {
			case <-after:
				env.logf("%s waited %.1fs for the stand-in layout", e.title, time.Since(start).Seconds())
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		}
	}
	return func(ctx context.Context, t *layoutTask) ([]float32, bool, error) {
		if path, ok := env.files[name]; ok {
			layout, err := projection.ReadLayoutFileColumns(path, env.in.Len(), env.cols)
			return layout, false, err
		}
		m, _ := pipeline.Lookup(name) // the entries are the registry's names
		res, err := pipeline.Obtain(ctx, m, env.in, o, env.cache, layoutHooks(t), env.logf)
		if err != nil {
			return nil, false, err
		}
		return res.Layout, res.FromCache, nil
	}
}

// graphJob names the neighbour graph's task.
const graphJob = "neighbour graph"

// graphWork returns the work that yields the suspectK-NN graph in pixel
// space (NN-descent; exact for small N), from the cache when it is there.
func (env *jobEnv) graphWork() work[[]int32] {
	return func(ctx context.Context, t *task[[]int32]) ([]int32, bool, error) {
		return pipeline.ObtainGraph(ctx, env.in, suspectK, env.opts, env.cache, t.hooks(nil), env.logf)
	}
}
