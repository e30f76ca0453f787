package pipeline

import (
	"context"
	"fmt"

	"github.com/mnist-explorer/mnist-explorer/projection"
)

// umapSettings and tsneSettings are the settings the app and the headless
// command use: the algorithms' defaults, seeded.
func umapSettings(o Options) projection.UMAPSettings {
	return projection.UMAPSettings{Seed: o.Seed, Workers: o.Workers}
}

func tsneSettings(o Options) projection.TSNESettings {
	return projection.TSNESettings{
		Seed: o.Seed, Workers: o.Workers, PCADims: o.TSNEPCADims,
		Theta: o.TSNETheta, LearningRate: o.TSNELearningRate,
	}
}

// settingsString describes every setting that changes method's result,
// for the cache key. Workers matter for UMAP only: its parallel SGD is not
// reproducible, so a serial run must not be served a parallel one.
func settingsString(method string, o Options) string {
	switch method {
	case "umap":
		s := umapSettings(o)
		s.Workers = min(s.Workers, 2) // 1 = serial, 0 or 2+ = parallel (all the same class)
		// v2: the algorithm's own defaults changed (a more thorough kNN);
		// bump when they change again so old cached layouts are not served.
		return fmt.Sprintf("v2 %+v", s)
	case "tsne":
		s := tsneSettings(o)
		s.Workers = 0 // t-SNE is bit-identical for any worker count
		// v2: the defaults changed (learning rate per phase); bump when
		// they change again.
		return fmt.Sprintf("v2 %+v", s)
	}
	return ""
}

func computeUMAP(ctx context.Context, data *projection.Matrix, o Options, h *projection.Hooks) (*Result, error) {
	r, err := projection.UMAP(ctx, data, umapSettings(o), h)
	if err != nil {
		return nil, err
	}
	st := r.Stats
	return &Result{
		Layout: r.Layout,
		Stages: []Stage{{"knn", st.KNN}, {"graph", st.Graph}, {"init", st.Init}, {"optimize", st.Optimize}},
		Note:   fmt.Sprintf("init %s, %d epochs, %d edges, a=%.4f b=%.4f", st.InitMethod, st.Epochs, st.Edges, st.A, st.B),
	}, nil
}

func computeTSNE(ctx context.Context, data *projection.Matrix, o Options, h *projection.Hooks) (*Result, error) {
	r, err := projection.TSNE(ctx, data, tsneSettings(o), h)
	if err != nil {
		return nil, err
	}
	st := r.Stats
	return &Result{
		Layout: r.Layout,
		Stages: []Stage{{"pca", st.PCA}, {"knn", st.KNN}, {"affinity", st.Affinity}, {"optimize", st.Optimize}},
		KL:     r.KL,
		Note:   fmt.Sprintf("%d iterations", st.Iters),
	}, nil
}
