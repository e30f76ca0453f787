package main

import (
	"context"
	"fmt"
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
	init   []float32 // UMAP and t-SNE: N x 2, or nil for the method's own initialisation
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

// variantWork returns the work of a variant: from the cache when it is
// there; else UMAP and t-SNE on their neighbour graph (kept from an earlier
// variant, or from the cache, or searched), warm-started from v.init, and
// cached under the variant's settings; PCA with its components.
func (env *jobEnv) variantWork(title string, v variant) work[[]float32] {
	return func(ctx context.Context, t *layoutTask) ([]float32, bool, error) {
		start := time.Now()
		o := env.opts
		o.UMAP, o.TSNE, o.PCAComponents = v.umap, v.tsne, v.pca
		m, _ := pipeline.Lookup(v.method)
		if m.Cacheable && env.cache != nil && !o.Recompute { // a cached variant needs no graph
			if layout, err := env.cache.Get(m.Key(env.in, o)); err == nil {
				return layout, true, nil
			}
		}
		switch v.method {
		case "umap":
			g, err := env.umapGraph(ctx, o, t)
			if err != nil {
				return nil, false, err
			}
			o.Warm = &pipeline.Warm{Graph: g, Init: v.init}
		case "tsne":
			g, err := env.tsneGraph(ctx, o, t)
			if err != nil {
				return nil, false, err
			}
			o.Warm = &pipeline.Warm{TSNE: g, Init: v.init}
		}
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
		if res.Note != "" {
			env.logf("%s: %s", title, res.Note)
		}
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

// tsneGraphs keeps t-SNE's neighbour graph, for the t-SNE variants.
type tsneGraphs struct {
	mu    sync.Mutex
	graph *projection.TSNEGraph
}

// tsneGraph returns t-SNE's neighbour graph with the neighbours o's
// perplexity needs: the one kept when it has them, else searched (and
// kept). The log names a graph by the perplexity its neighbours serve.
func (env *jobEnv) tsneGraph(ctx context.Context, o pipeline.Options, t *layoutTask) (*projection.TSNEGraph, error) {
	tg := &env.tsne
	tg.mu.Lock()
	g := tg.graph
	tg.mu.Unlock()
	if g != nil && g.KNN != nil && g.KNN.K >= pipeline.TSNENeighbors(env.in, o) {
		env.logf("t-SNE neighbour graph (perplexity %g) kept", float64(g.KNN.K)/3)
		return g, nil
	}
	start := time.Now()
	g, err := pipeline.ObtainTSNEGraph(ctx, env.in, o, t.hooks(nil))
	if err != nil {
		return nil, err
	}
	if g.KNN == nil {
		return nil, fmt.Errorf("t-SNE needs at least two rows")
	}
	env.logf("t-SNE neighbour graph (perplexity %g) searched in %.1fs", float64(g.KNN.K)/3, time.Since(start).Seconds())
	tg.mu.Lock()
	tg.graph = g
	tg.mu.Unlock()
	return g, nil
}
