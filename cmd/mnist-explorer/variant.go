package main

import (
	"context"
	"strconv"
	"sync"
	"time"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/pipeline"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

// variant is a tuned layout: a method with settings other than its
// defaults (T), and for UMAP the layout it starts from.
type variant struct {
	method string // "umap", "tsne" or "pca"
	umap   pipeline.UMAPTuning
	tsne   pipeline.TSNETuning
	pca    [2]int    // the components on x and y, from 1
	init   []float32 // UMAP: N x 2, or nil for UMAP's own initialisation
}

// umapVariant is the UMAP variant with tuning t.
func umapVariant(t pipeline.UMAPTuning) variant { return variant{method: "umap", umap: t} }

// name returns the state name and the title of a variant, naming the
// settings that differ from the defaults; the defaults give the method's
// own name.
func (v variant) name() (name, title string) {
	name, title = v.method, map[string]string{"umap": "UMAP", "tsne": "t-SNE", "pca": "PCA"}[v.method]
	add := func(key, label string, x float64, set bool) {
		if set {
			s := strconv.FormatFloat(x, 'g', 4, 64)
			name += " " + key + "=" + s
			title += " " + label + " " + s
		}
	}
	switch v.method {
	case "umap":
		t := v.umap
		add("k", "k", float64(t.NNeighbors), t.NNeighbors != 0)
		add("min_dist", "min_dist", t.MinDist, t.MinDist != 0)
		add("spread", "spread", t.Spread, t.Spread != 0)
		add("epochs", "epochs", float64(t.NEpochs), t.NEpochs != 0)
	case "tsne":
		t := v.tsne
		add("perplexity", "perplexity", t.Perplexity, t.Perplexity != 0)
		add("exaggeration", "exaggeration", t.Exaggeration, t.Exaggeration != 0)
		add("iterations", "iterations", float64(t.Iterations), t.Iterations != 0)
	case "pca":
		if c := v.pca; c != [2]int{1, 2} && c != [2]int{} {
			name = "pca " + strconv.Itoa(c[0]) + "," + strconv.Itoa(c[1])
			title = "PCA " + strconv.Itoa(c[0]) + " vs " + strconv.Itoa(c[1])
		}
	}
	return name, title
}

// umapGraphs keeps the UMAP neighbour graphs found so far, by n_neighbors,
// so that variants that change only the optimisation skip the search.
type umapGraphs struct {
	mu     sync.Mutex
	graphs map[int]*projection.KNN
}

// variantWork returns the work of a variant. UMAP: the neighbour graph
// (kept, or from the cache, or searched), then UMAP from it, warm-started
// from v.init, cached under its own settings. t-SNE and PCA: the method
// with the variant's settings (t-SNE cached under them).
func (env *jobEnv) variantWork(title string, v variant) work[[]float32] {
	if v.method != "umap" {
		return func(ctx context.Context, t *layoutTask) ([]float32, bool, error) {
			o := env.opts
			o.TSNE, o.PCAComponents = v.tsne, v.pca
			m, _ := pipeline.Lookup(v.method)
			res, err := pipeline.Obtain(ctx, m, env.in, o, env.cache, layoutHooks(t), env.logf)
			if err != nil {
				return nil, false, err
			}
			return res.Layout, res.FromCache, nil
		}
	}
	return func(ctx context.Context, t *layoutTask) ([]float32, bool, error) {
		start := time.Now()
		o := env.opts
		o.UMAP = v.umap
		m, _ := pipeline.Lookup("umap")
		// A cached variant needs no graph.
		if env.cache != nil && !o.Recompute {
			if layout, err := env.cache.Get(m.Key(env.in, o)); err == nil {
				return layout, true, nil
			}
		}
		g, err := env.umapGraph(ctx, o, t)
		if err != nil {
			return nil, false, err
		}
		o.Warm = &pipeline.Warm{Graph: g, Init: v.init}
		hooks := layoutHooks(t)
		first := true
		snap := hooks.Snapshot
		hooks.Snapshot = func(pos []float32, step int) {
			if first {
				first = false
				env.logf("%s: first snapshot after %.2fs", title, time.Since(start).Seconds())
			}
			snap(pos, step)
		}
		res, err := pipeline.Obtain(ctx, m, env.in, o, env.cache, hooks, env.logf)
		if err != nil {
			return nil, false, err
		}
		env.logf("%s: %s", title, res.Note)
		return res.Layout, res.FromCache, nil
	}
}

// umapGraph returns the UMAP neighbour graph for o's n_neighbors: kept
// from an earlier variant, or from the cache, or searched (and cached).
func (env *jobEnv) umapGraph(ctx context.Context, o pipeline.Options, t *layoutTask) (*projection.KNN, error) {
	k := o.UMAP.NNeighbors
	env.graphs.mu.Lock()
	g := env.graphs.graphs[k]
	env.graphs.mu.Unlock()
	if g != nil {
		return g, nil
	}
	g, hit, err := pipeline.ObtainUMAPGraph(ctx, env.in, o, env.cache, t.hooks(nil), env.logf)
	if err != nil {
		return nil, err
	}
	how := "searched"
	if hit {
		how = "from the cache"
	}
	env.logf("UMAP neighbour graph (k=%d) %s", g.K, how)
	env.graphs.mu.Lock()
	if env.graphs.graphs == nil {
		env.graphs.graphs = map[int]*projection.KNN{}
	}
	env.graphs.graphs[k] = g
	env.graphs.mu.Unlock()
	return g, nil
}
