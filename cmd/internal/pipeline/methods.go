package pipeline

import (
	"context"
	"fmt"
	"time"

	"github.com/mnist-explorer/mnist-explorer/projection"
)

// registry lists the layout methods in the order the app offers them.
// Adding a method is adding its entry here (with its Run, and Settings if
// it is cacheable): flags, buttons, titles and the cache follow.
var registry = []*Method{
	{
		Name: "pca", Title: "PCA", Needs: NeedsPixels, Run: runPCA,
		// Not cached: streaming PCA is about as quick as reading a cache entry.
	},
	{
		Name: "umap", Title: "UMAP", Cacheable: true, Needs: NeedsMatrix, Run: runUMAP,
		Settings: func(o Options) string {
			s := umapSettings(o)
			s.Workers = min(s.Workers, 2) // 1 = serial, 0 or 2+ = parallel (all the same class)
			// v2: the algorithm's own defaults changed (a more thorough kNN);
			// bump when they change again so old cached layouts are not served.
			return fmt.Sprintf("v2 %+v", s)
		},
	},
	{
		// t-SNE reads the pixels as a stream: its PCA to 100 dimensions
		// reads them block by block, so no float copy of the dataset is
		// made (3 GB at a million MNIST rows).
		Name: "tsne", Title: "t-SNE", Cacheable: true, Needs: NeedsPixels, Run: runTSNE,
		Settings: func(o Options) string {
			s := tsneSettings(o)
			s.Workers = 0 // t-SNE is bit-identical for any worker count
			// v3: the defaults changed (the FFT gradient from 10,000
			// points); bump when they change again.
			return fmt.Sprintf("v3 %+v", s)
		},
	},
}

// umapSettings and tsneSettings are the settings the app and the headless
// command use: the algorithms' defaults, seeded.
func umapSettings(o Options) projection.UMAPSettings {
	t := o.UMAP
	return projection.UMAPSettings{Seed: o.Seed, Workers: o.Workers,
		NNeighbors: t.NNeighbors, MinDist: t.MinDist, Spread: t.Spread, NEpochs: t.NEpochs}
}

func tsneSettings(o Options) projection.TSNESettings {
	return projection.TSNESettings{
		Seed: o.Seed, Workers: o.Workers, PCADims: o.TSNEPCADims,
		Theta: o.TSNETheta, Gradient: o.TSNEGradient, LearningRate: o.TSNELearningRate,
		Perplexity: o.TSNE.Perplexity, EarlyExaggeration: o.TSNE.Exaggeration, NIter: o.TSNE.Iterations,
	}
}

func runPCA(ctx context.Context, src projection.Source, o Options, h *projection.Hooks) (*Result, error) {
	start := time.Now()
	if h != nil && h.Progress != nil {
		h.Progress(projection.Progress{Stage: "pca"})
	}
	cx, cy := o.PCAComponents[0], o.PCAComponents[1]
	if cx == 0 && cy == 0 {
		cx, cy = 1, 2
	}
	if cx < 1 || cy < 1 || cx > maxPCAComponent || cy > maxPCAComponent {
		return nil, fmt.Errorf("pca: components %d and %d: want 1..%d", cx, cy, maxPCAComponent)
	}
	p, err := projection.PCA(ctx, src, max(cx, cy), projection.PCASettings{Workers: o.Workers})
	if err != nil {
		return nil, err
	}
	s := p.Scores
	if cx > s.D || cy > s.D {
		return nil, fmt.Errorf("pca: the data has only %d components, not %d", s.D, max(cx, cy))
	}
	layout := s.Data
	if s.D != 2 || cx != 1 || cy != 2 {
		layout = make([]float32, 2*s.N)
		for i := 0; i < s.N; i++ {
			layout[2*i], layout[2*i+1] = s.Data[i*s.D+cx-1], s.Data[i*s.D+cy-1]
		}
	}
	return &Result{Layout: layout, Stages: []Stage{{"pca", time.Since(start)}}}, nil
}

// maxPCAComponent is the highest principal component PCA shows.
const maxPCAComponent = 10

func runUMAP(ctx context.Context, src projection.Source, o Options, h *projection.Hooks) (*Result, error) {
	m, s := asMatrix(src), umapSettings(o)
	var r *projection.UMAPResult
	var err error
	note := ""
	k, _ := s.Graph(m.N)
	switch w := o.Warm; {
	case w != nil && w.Graph != nil && w.Graph.N == m.N && w.Graph.K >= k && w.Init != nil:
		r, err = projection.UMAPFromKNNAt(ctx, w.Graph, s, w.Init, h)
		note = "kNN reused, "
	case w != nil && w.Graph != nil && w.Graph.N == m.N && w.Graph.K >= k:
		r, err = projection.UMAPFromKNN(ctx, w.Graph, s, h)
		note = "kNN reused, "
	default:
		r, err = projection.UMAP(ctx, m, s, h)
	}
	if err != nil {
		return nil, err
	}
	st := r.Stats
	return &Result{
		Layout: r.Layout,
		Stages: []Stage{{"knn", st.KNN}, {"graph", st.Graph}, {"init", st.Init}, {"optimize", st.Optimize}},
		Note:   fmt.Sprintf("%sinit %s, %d epochs, %d edges, a=%.4f b=%.4f", note, st.InitMethod, st.Epochs, st.Edges, st.A, st.B),
	}, nil
}

func runTSNE(ctx context.Context, src projection.Source, o Options, h *projection.Hooks) (*Result, error) {
	s := tsneSettings(o)
	n, _ := src.Dims()
	var r *projection.TSNEResult
	var err error
	note := ""
	if w := o.Warm; w != nil && w.TSNE != nil && w.TSNE.N == n && w.TSNE.KNN != nil && w.TSNE.KNN.K >= s.Neighbors(n) {
		r, err = projection.TSNEFromNeighbors(ctx, w.TSNE, w.Init, s, h)
		note = "kNN reused, "
		if w.Init != nil {
			note += "warm start, "
		}
	} else {
		r, err = projection.TSNE(ctx, src, s, h)
	}
	if err != nil {
		return nil, err
	}
	st := r.Stats
	return &Result{
		Layout: r.Layout,
		Stages: []Stage{{"pca", st.PCA}, {"knn", st.KNN}, {"affinity", st.Affinity}, {"optimize", st.Optimize}},
		KL:     r.KL,
		Note:   fmt.Sprintf("%s%d iterations (%d with the FFT gradient)", note, st.Iters, st.FFTIters),
	}, nil
}

// asMatrix returns src as a matrix: itself when it is one (a NeedsMatrix
// method's input always is), a copy otherwise.
func asMatrix(src projection.Source) *projection.Matrix {
	if m, ok := src.(*projection.Matrix); ok {
		return m
	}
	return projection.Materialize(src)
}
