// Package pipeline wires the dataset to the layout algorithms: it names the
// methods, turns a dataset into the float matrix they take, runs them with
// progress, and keys their results for the layout cache. Both commands (the
// explorer and the headless mnist-layout) use it, so a layout computed by
// one is found in the cache by the other.
package pipeline

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/mnist-explorer/mnist-explorer/cmd/internal/layoutcache"
	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

// Methods lists the layout methods in the order the app offers them.
var Methods = []string{"pca", "umap", "tsne"}

// Known reports whether m names a layout method.
func Known(m string) bool {
	for _, k := range Methods {
		if k == m {
			return true
		}
	}
	return false
}

// Title returns a method's display name.
func Title(m string) string {
	switch m {
	case "pca":
		return "PCA"
	case "umap":
		return "UMAP"
	case "tsne":
		return "t-SNE"
	}
	return m
}

// Options are the user-facing knobs shared by every method.
type Options struct {
	Seed    uint64 // random seed; the same seed gives the same layout for one worker
	Workers int    // goroutines; zero means all cores
	// TSNEPCADims is the dimension t-SNE reduces the data to before its kNN
	// (TSNESettings.PCADims): zero means 100, negative means no PCA.
	TSNEPCADims int
	// TSNETheta and TSNELearningRate override t-SNE's Barnes-Hut accuracy
	// and its learning rate (one rate for both phases); zero means the
	// defaults (TSNESettings). They exist for parameter sweeps.
	TSNETheta, TSNELearningRate float64
}

// Stage is one timed step of a computation.
type Stage struct {
	Name     string
	Duration time.Duration
}

// Result is a computed layout.
type Result struct {
	Layout []float32 // N x 2, interleaved, in dataset row order
	Stages []Stage   // timing of each step
	KL     float64   // final KL divergence (t-SNE only; 0 if not computed)
	Note   string    // e.g. the initialisation actually used
}

// Compute runs method on ds. data, if not nil, is ds as float32 pixels in
// [0, 1] (projection.Materialize(ds)), shared read-only between jobs; nil
// makes Compute build its own when the method needs one. A panic inside the
// algorithm is recovered and returned as an error, so a failing background
// job cannot take the app down.
func Compute(ctx context.Context, method string, ds *mnist.Dataset, data *projection.Matrix, o Options, h *projection.Hooks) (res *Result, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s crashed: %v\n%s", Title(method), r, debug.Stack())
		}
	}()
	switch method {
	case "pca":
		start := time.Now()
		if h != nil && h.Progress != nil {
			h.Progress(projection.Progress{Stage: "pca"})
		}
		var src projection.Source = ds
		if data != nil {
			src = data
		}
		p, err := projection.PCA(ctx, src, 2, projection.PCASettings{Workers: o.Workers})
		if err != nil {
			return nil, err
		}
		return &Result{Layout: p.Scores.Data, Stages: []Stage{{"pca", time.Since(start)}}}, nil
	case "umap":
		return computeUMAP(ctx, orMaterialize(data, ds), o, h)
	case "tsne":
		return computeTSNE(ctx, orMaterialize(data, ds), o, h)
	}
	return nil, fmt.Errorf("unknown layout method %q (want one of %v)", method, Methods)
}

// CacheKey returns the cache key of method's layout of ds under o.
// Workers is part of it because parallel runs differ from serial ones.
func CacheKey(hash [32]byte, n int, method string, o Options) layoutcache.Key {
	return layoutcache.Key{
		Dataset:  hash,
		Method:   method,
		Settings: fmt.Sprintf("%s seed=%d %s", method, o.Seed, settingsString(method, o)),
		N:        n,
	}
}

func orMaterialize(data *projection.Matrix, ds *mnist.Dataset) *projection.Matrix {
	if data != nil {
		return data
	}
	return projection.Materialize(ds)
}
