package projection

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"time"
)

// UMAPSettings configures UMAP. The zero value means umap-learn's defaults
// (UMAP(n_neighbors=15, min_dist=0.1, spread=1, init="spectral")).
type UMAPSettings struct {
	// NNeighbors is umap-learn's n_neighbors, which counts the point itself:
	// the graph uses NNeighbors-1 other points. Zero means 15.
	NNeighbors int
	// MinDist is the smallest distance between points in the layout; zero
	// means 0.1. Set A and B to use a curve other than the fitted one.
	MinDist float64
	// Spread is the scale of the layout's similarity curve; zero means 1.
	Spread float64
	// A and B are the curve 1/(1 + A d^(2B)); zero means fitted to MinDist
	// and Spread by FitUMAPCurve (a ≈ 1.577, b ≈ 0.895 by default).
	A, B float64
	// NEpochs is the number of optimisation epochs; zero means 500 for up
	// to 10,000 points and 200 beyond.
	NEpochs int
	// NegativeSampleRate is the number of negative samples per positive
	// one; zero means 5.
	NegativeSampleRate int
	// LearningRate is the initial SGD step (decaying linearly to 0); zero
	// means 1.
	LearningRate float64
	// RepulsionStrength weighs negative samples (umap-learn's gamma); zero
	// means 1.
	RepulsionStrength float64
	// RandomInit skips the spectral initialisation and starts from
	// uniform random positions in [-10, 10]^2 (umap-learn's init="random").
	RandomInit bool
	// Seed seeds the initial noise, the random fallback and the negative
	// sampling; it is also the kNN seed when KNN.Seed is zero.
	Seed uint64
	// Workers is the number of goroutines; zero means GOMAXPROCS (see the
	// package documentation for the bounds). With Workers = 1 a run is reproducible bit for
	// bit for a given Seed (on CPUs with and without AVX2 the SGD orders
	// its updates differently, so the two give different layouts); with
	// more, the SGD is hogwild (workers update
	// shared positions without locks, as umap-learn's parallel mode), so
	// results vary slightly from run to run. It is also the kNN's worker
	// count when KNN.Workers is zero.
	Workers int
	// KNN configures the nearest-neighbour search of UMAP (not used by
	// UMAPFromKNN). Zero NTrees, MaxCandidates, MaxIters and Delta mean
	// 32, 60, 20 and 1e-4: more thorough than NearestNeighbors' own
	// defaults, which measurably improves the layout.
	KNN KNNSettings
}

// UMAPResult is a UMAP layout with statistics.
type UMAPResult struct {
	// Layout holds the N x 2 positions, interleaved (x0, y0, x1, y1, ...).
	Layout []float32
	Stats  UMAPStats
}

// UMAPStats describes a UMAP run.
type UMAPStats struct {
	KNN, Graph, Init, Optimize time.Duration // time spent in each stage
	Epochs                     int           // optimisation epochs run
	Edges                      int           // directed edges of the pruned fuzzy graph
	A, B                       float64       // the similarity curve used
	InitMethod                 string        // "spectral", "random" or "random fallback"
}

// withDefaults returns s with zero fields replaced by their defaults for n
// points (KNN's included, where UMAP's differ from NearestNeighbors').
func (s UMAPSettings) withDefaults(n int) UMAPSettings {
	if s.NNeighbors == 0 {
		s.NNeighbors = 15
	}
	if s.MinDist == 0 {
		s.MinDist = 0.1
	}
	if s.Spread == 0 {
		s.Spread = 1
	}
	if s.A == 0 || s.B == 0 {
		s.A, s.B = FitUMAPCurve(s.Spread, s.MinDist)
	}
	if s.NEpochs == 0 {
		s.NEpochs = 200
		if n <= 10000 {
			s.NEpochs = 500
		}
	}
	if s.NegativeSampleRate == 0 {
		s.NegativeSampleRate = 5
	}
	if s.LearningRate == 0 {
		s.LearningRate = 1
	}
	if s.RepulsionStrength == 0 {
		s.RepulsionStrength = 1
	}
	s.Workers = workerCount(s.Workers)
	// A more thorough NN-descent than NearestNeighbors' defaults: on full
	// MNIST it lifts knn_acc10 from 0.9692 to 0.9700 (mean of seeds 1-3)
	// at no cost in time (see BENCHMARKS.md).
	if s.KNN.NTrees == 0 {
		s.KNN.NTrees = umapKNNTrees
	}
	if s.KNN.MaxCandidates == 0 {
		s.KNN.MaxCandidates = umapKNNCandidates
	}
	if s.KNN.MaxIters == 0 {
		s.KNN.MaxIters = umapKNNIters
	}
	if s.KNN.Delta == 0 {
		s.KNN.Delta = umapKNNDelta
	}
	if s.KNN.Seed == 0 {
		s.KNN.Seed = s.Seed
	}
	if s.KNN.Workers == 0 {
		s.KNN.Workers = s.Workers
	}
	return s
}

// Graph returns the neighbour search UMAP runs on n points under s: k
// neighbours (NNeighbors-1, at most n-1) found with these settings. A graph
// found so, given to UMAPFromKNN, gives UMAP's layout; keeping it lets a
// variant that changes only the optimisation (MinDist, Spread, NEpochs)
// skip the search.
func (s UMAPSettings) Graph(n int) (k int, knn KNNSettings) {
	s = s.withDefaults(n)
	return min(s.NNeighbors-1, n-1), s.KNN
}

// NN-descent settings UMAP uses where UMAPSettings.KNN leaves them zero.
const (
	umapKNNTrees      = 32
	umapKNNCandidates = 60
	umapKNNIters      = 20
	umapKNNDelta      = 1e-4
)

// check reports settings (with defaults filled in) that cannot give a
// layout: NaN or infinite values, and values out of their range.
func (s UMAPSettings) check() error {
	finite := func(v ...float64) bool {
		for _, x := range v {
			if math.IsNaN(x) || math.IsInf(x, 0) {
				return false
			}
		}
		return true
	}
	switch {
	case s.NNeighbors < 2:
		return fmt.Errorf("projection: UMAP needs NNeighbors >= 2, got %d", s.NNeighbors)
	case !finite(s.MinDist, s.Spread, s.A, s.B, s.LearningRate, s.RepulsionStrength):
		return fmt.Errorf("projection: UMAP settings must be finite, got MinDist %g, Spread %g, A %g, B %g, LearningRate %g, RepulsionStrength %g",
			s.MinDist, s.Spread, s.A, s.B, s.LearningRate, s.RepulsionStrength)
	case s.MinDist < 0 || s.Spread <= 0 || s.MinDist > s.Spread:
		return fmt.Errorf("projection: UMAP needs 0 <= MinDist <= Spread, got %g and %g", s.MinDist, s.Spread)
	case s.A <= 0 || s.B <= 0:
		return fmt.Errorf("projection: UMAP needs positive A and B, got %g and %g", s.A, s.B)
	case s.NEpochs < 0 || s.NegativeSampleRate < 0:
		return errors.New("projection: UMAP needs NEpochs and NegativeSampleRate >= 0")
	case s.LearningRate < 0 || s.RepulsionStrength < 0:
		return errors.New("projection: UMAP needs LearningRate and RepulsionStrength >= 0")
	}
	return nil
}

// UMAP lays out the rows of data in 2-D with UMAP (McInnes, Healy and
// Melville 2018), following umap-learn 0.5: the NNeighbors-1 nearest
// neighbours of every row (NearestNeighbors with s.KNN), then as
// UMAPFromKNN. Progress stages are "knn", "graph", "init" and "optimize"
// (Done/Total epochs); snapshots come of the initial layout (step 0), every
// h.SnapshotEvery epochs and once at the end. Cancelling ctx stops the run
// between epochs (or kNN blocks, or eigensolver steps) with ctx.Err().
//
// On the 70,000 MNIST digits (two cores) the stages after the kNN take
// about 0.7 s (graph), 1.4 s (spectral init) and 5-11 s (200 epochs), and
// the layout scores as umap-learn's: KNNAcc10 0.968-0.970, Trust15
// 0.950-0.951, Recall15 0.117-0.119 over five seeds (umap-learn 0.5.3,
// seed 1: 0.9697, 0.9496, 0.1156).
func UMAP(ctx context.Context, data *Matrix, s UMAPSettings, h *Hooks) (*UMAPResult, error) {
	if data == nil || data.N < 2 {
		return nil, errors.New("projection: UMAP needs at least 2 rows")
	}
	s = s.withDefaults(data.N)
	if err := s.check(); err != nil {
		return nil, err
	}
	t0 := time.Now()
	h.progress("knn", 0, 0)
	k, knn := s.Graph(data.N)
	g, err := NearestNeighbors(ctx, data, k, knn, h)
	if err != nil {
		return nil, err
	}
	tk := time.Since(t0)
	res, err := umapFromKNN(ctx, g, data, nil, s, h)
	if err != nil {
		return nil, err
	}
	res.Stats.KNN = tk
	return res, nil
}

// UMAPFromKNN lays out a kNN graph with UMAP, as umap-learn's
// simplicial_set_embedding after fuzzy_simplicial_set:
//
//  1. smooth kNN distances: per point, rho (distance to the nearest
//     neighbour) and sigma such that its memberships sum to log2(NNeighbors);
//  2. membership strengths exp(-(d - rho)/sigma), fuzzy union
//     A + A^T - A∘A^T, and pruning of edges below max/NEpochs;
//  3. spectral initialisation (normalised Laplacian eigenvectors, per
//     component if the graph is disconnected; random in [-10, 10] if the
//     eigensolver fails), scaled to 10/max|x|, plus N(0, 1e-4) noise, then
//     rescaled to [0, 10] per axis;
//  4. NEpochs of SGD: each edge sampled every wmax/w epochs, pulling both
//     ends together, with NegativeSampleRate negative samples pushing the
//     head away, gradients clipped at 4 and the learning rate decaying
//     linearly; with AVX2, sixteen samples at a time (umap_sgd_lanes.go).
//
// The graph uses the first NNeighbors-1 columns of g (fewer if g has
// fewer). See UMAP for hooks and cancellation, and UMAPSettings.Workers for
// reproducibility.
func UMAPFromKNN(ctx context.Context, g *KNN, s UMAPSettings, h *Hooks) (*UMAPResult, error) {
	if g == nil || g.N < 2 || g.K < 1 {
		return nil, errors.New("projection: UMAP needs a kNN graph over at least 2 points")
	}
	s = s.withDefaults(g.N)
	if err := s.check(); err != nil {
		return nil, err
	}
	return umapFromKNN(ctx, g, nil, nil, s, h)
}

// UMAPFromKNNAt is UMAPFromKNN started from the layout init (N x 2,
// interleaved; rescaled to [0, 10] per axis as any initial layout) instead
// of the spectral or random initialisation: a warm start, for a variant of
// a layout the user already has (another min_dist, say). The optimisation
// is the same; init is not modified. It is an error when init does not
// hold g.N finite points.
func UMAPFromKNNAt(ctx context.Context, g *KNN, s UMAPSettings, init []float32, h *Hooks) (*UMAPResult, error) {
	if g == nil || g.N < 2 || g.K < 1 {
		return nil, errors.New("projection: UMAP needs a kNN graph over at least 2 points")
	}
	if len(init) != 2*g.N {
		return nil, fmt.Errorf("projection: UMAP warm start: %d coordinates for %d points", len(init), g.N)
	}
	if i := nonFinite(init); i >= 0 {
		return nil, fmt.Errorf("projection: UMAP warm start: point %d is not finite", i/2)
	}
	s = s.withDefaults(g.N)
	if err := s.check(); err != nil {
		return nil, err
	}
	return umapFromKNN(ctx, g, nil, init, s, h)
}

// umapFromKNN runs the pipeline after the kNN; data (may be nil) serves
// the layout of disconnected components; init (may be nil) replaces the
// initialisation.
func umapFromKNN(ctx context.Context, g *KNN, data *Matrix, init []float32, s UMAPSettings, h *Hooks) (*UMAPResult, error) {
	res := &UMAPResult{Stats: UMAPStats{Epochs: s.NEpochs, A: s.A, B: s.B}}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Fuzzy graph.
	t := time.Now()
	h.progress("graph", 0, 1)
	cols, nn := umapNeighbors(g, s.NNeighbors)
	sigma, rho := smoothKNNDist(g, cols, nn, s.Workers)
	graph := fuzzyUnion(membershipStrengths(g, cols, sigma, rho))
	pruneEpochs := s.NEpochs
	if pruneEpochs <= 10 {
		pruneEpochs = 200
		if g.N <= 10000 {
			pruneEpochs = 500
		}
	}
	graph = pruneGraph(graph, pruneEpochs)
	res.Stats.Edges = graph.NNZ()
	res.Stats.Graph = time.Since(t)
	h.progress("graph", 1, 1)
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	// Initial layout.
	t = time.Now()
	h.progress("init", 0, 1)
	pos, method, err := umapInit(ctx, graph, data, init, s)
	if err != nil {
		return nil, err
	}
	res.Stats.InitMethod = method
	res.Stats.Init = time.Since(t)
	h.progress("init", 1, 1)
	h.snapshot(pos, 0, true)

	// Optimisation.
	t = time.Now()
	opt := newUMAPOptimizer(graph, pos, s.A, s.B, s.RepulsionStrength, s.NegativeSampleRate, s.Seed, s.Workers)
	if err := opt.run(ctx, s.NEpochs, s.LearningRate, h); err != nil {
		return nil, err
	}
	if i := nonFinite(pos); i >= 0 {
		return nil, fmt.Errorf("projection: UMAP diverged: point %d is at (%v, %v)", i/2, pos[i&^1], pos[i|1])
	}
	res.Stats.Optimize = time.Since(t)
	res.Layout = pos
	return res, nil
}

// umapInit returns the initial layout (N x 2 interleaved) and how it was
// made, as umap-learn's simplicial_set_embedding, or a copy of init when
// it is given (a warm start).
func umapInit(ctx context.Context, graph *CSR, data *Matrix, init []float32, s UMAPSettings) ([]float32, string, error) {
	const dim = 2
	n := graph.N
	rng := rand.New(rand.NewPCG(s.Seed, 0x696e6974))
	pos := make([]float32, n*dim)
	method := "random"
	if init != nil {
		copy(pos, init)
		method = "warm start"
	} else if !s.RandomInit {
		emb, ok, err := spectralLayout(ctx, graph, spectralSettings{Dim: dim, Data: data, Seed: s.Seed, Workers: s.Workers})
		if err != nil {
			return nil, "", err
		}
		method = "spectral"
		if !ok {
			method = "random fallback"
			emb = make([]float64, n*dim)
			for i := range emb {
				emb[i] = 20*rng.Float64() - 10
			}
		}
		// expansion = 10 / max|x|, in float32, plus N(0, 1e-4) noise.
		var mx float64
		for _, x := range emb {
			mx = max(mx, math.Abs(x))
		}
		exp := 10 / mx
		if mx == 0 {
			exp = 1
		}
		for i, x := range emb {
			pos[i] = float32(x*exp) + float32(1e-4*rng.NormFloat64())
		}
	} else {
		for i := range pos {
			pos[i] = float32(20*rng.Float64() - 10)
		}
	}
	// Rescale each axis to [0, 10].
	for d := 0; d < dim; d++ {
		lo, hi := float32(math.Inf(1)), float32(math.Inf(-1))
		for i := d; i < len(pos); i += dim {
			lo, hi = min(lo, pos[i]), max(hi, pos[i])
		}
		scale := float32(10) / (hi - lo)
		if hi == lo {
			scale = 0
		}
		for i := d; i < len(pos); i += dim {
			pos[i] = (pos[i] - lo) * scale
		}
	}
	return pos, method, nil
}
