package projection_test

import (
	"context"
	"errors"
	"math"
	"slices"
	"sync"
	"testing"

	"github.com/mnist-explorer/mnist-explorer/mnist"
	"github.com/mnist-explorer/mnist-explorer/projection"
)

// umapMNIST loads the first n MNIST rows and their labels, or skips.
func umapMNIST(t testing.TB, n int) (*projection.Matrix, []uint8) {
	t.Helper()
	ds, err := mnist.LoadDefault()
	if err != nil {
		t.Skipf("no MNIST: %v", err)
	}
	ds = ds.Head(n)
	return projection.Materialize(ds), ds.Labels
}

var (
	umapKNNOnce sync.Once
	umapKNNData *projection.Matrix
	umapKNNLab  []uint8
	umapKNNG    *projection.KNN
	umapKNNErr  error
)

// umapTestKNN returns 4,000 MNIST rows, their labels and their exact
// 14-neighbour graph (umap-learn's n_neighbors 15 counts the point itself),
// computed once for all tests.
func umapTestKNN(t *testing.T) (*projection.Matrix, []uint8, *projection.KNN) {
	t.Helper()
	if testing.Short() {
		t.Skip("MNIST UMAP in -short mode")
	}
	data, lab := umapMNIST(t, 4000)
	umapKNNOnce.Do(func() {
		umapKNNData, umapKNNLab = data, lab
		umapKNNG, umapKNNErr = projection.ExactKNN(context.Background(), data, 14, projection.KNNSettings{})
	})
	if umapKNNErr != nil {
		t.Fatal(umapKNNErr)
	}
	return umapKNNData, umapKNNLab, umapKNNG
}

// TestUMAPMNISTQuality lays out the first 4,000 MNIST digits (exact kNN,
// default settings: 500 epochs, two hogwild workers) and checks the three
// scores of EvaluateLayout against umap-learn 0.5.3 (defaults) on the same
// rows, scored by the same code:
//
//	                     KNNAcc10        Trust15         Recall15
//	umap-learn seed 1/2  0.9105/0.9048   0.9599/0.9603   0.3780/0.3792
//	this, seeds 1/2/3    0.891-0.906     0.9599-0.9614   0.3799-0.3806
//
// The thresholds leave room for seed and hogwild variation.
func TestUMAPMNISTQuality(t *testing.T) {
	data, lab, g := umapTestKNN(t)
	r, err := projection.UMAPFromKNN(context.Background(), g, projection.UMAPSettings{Seed: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err := projection.EvaluateLayout(context.Background(), data, lab, r.Layout, projection.MetricSettings{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("4000 MNIST rows: %+v; %+v", m, r.Stats)
	if r.Stats.InitMethod != "spectral" {
		t.Errorf("init %q, want spectral", r.Stats.InitMethod)
	}
	if m.KNNAcc10 < 0.875 {
		t.Errorf("KNNAcc10 %.4f < 0.875", m.KNNAcc10)
	}
	if m.Trust15 < 0.955 {
		t.Errorf("Trust15 %.4f < 0.955", m.Trust15)
	}
	if m.Recall15 < 0.37 {
		t.Errorf("Recall15 %.4f < 0.37", m.Recall15)
	}
}

func TestUMAPReproducible(t *testing.T) {
	_, _, g := umapTestKNN(t)
	s := projection.UMAPSettings{Seed: 7, Workers: 1, NEpochs: 60}
	a, err := projection.UMAPFromKNN(context.Background(), g, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	b, err := projection.UMAPFromKNN(context.Background(), g, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(a.Layout, b.Layout) {
		t.Fatal("two single-worker runs with the same seed differ")
	}
	s.Seed = 8
	c, err := projection.UMAPFromKNN(context.Background(), g, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if slices.Equal(a.Layout, c.Layout) {
		t.Fatal("different seeds give the same layout")
	}
}

func TestUMAPHooksAndCancel(t *testing.T) {
	data, _ := umapMNIST(t, 600)
	var stages []string
	var snaps []int
	h := &projection.Hooks{
		Progress: func(p projection.Progress) {
			if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
				stages = append(stages, p.Stage)
			}
		},
		Snapshot: func(pos []float32, step int) {
			if len(pos) != 2*data.N {
				t.Fatalf("snapshot of %d values, want %d", len(pos), 2*data.N)
			}
			snaps = append(snaps, step)
		},
		SnapshotEvery: 25,
	}
	r, err := projection.UMAP(context.Background(), data, projection.UMAPSettings{NEpochs: 100}, h)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Layout) != 2*data.N || r.Stats.Epochs != 100 {
		t.Fatalf("layout of %d values, %d epochs", len(r.Layout), r.Stats.Epochs)
	}
	for _, x := range r.Layout {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			t.Fatal("non-finite position")
		}
	}
	for _, want := range []string{"knn", "graph", "init", "optimize"} {
		if !slices.Contains(stages, want) {
			t.Errorf("stages %v lack %q", stages, want)
		}
	}
	if want := []int{0, 25, 50, 75, 100}; !slices.Equal(snaps, want) {
		t.Errorf("snapshots at %v, want %v", snaps, want)
	}

	// Cancel during the optimisation.
	ctx, cancel := context.WithCancel(context.Background())
	h = &projection.Hooks{Progress: func(p projection.Progress) {
		if p.Stage == "optimize" && p.Done == 10 {
			cancel()
		}
	}}
	if _, err := projection.UMAP(ctx, data, projection.UMAPSettings{}, h); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled run returned %v, want context.Canceled", err)
	}
}

func TestUMAPSmallInputs(t *testing.T) {
	// Three separate pairs: a disconnected graph of tiny components.
	m := &projection.Matrix{N: 6, D: 1, Data: []float32{0, 0.1, 10, 10.1, 20, 20.1}}
	r, err := projection.UMAP(context.Background(), m, projection.UMAPSettings{NNeighbors: 2, Workers: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range r.Layout {
		if math.IsNaN(float64(x)) {
			t.Fatal("NaN position")
		}
	}
	if _, err := projection.UMAP(context.Background(), m, projection.UMAPSettings{MinDist: 2}, nil); err == nil {
		t.Error("MinDist > Spread accepted")
	}
}

// TestUMAPRefusesBadSettings checks that NaN, infinite and out-of-range
// settings are an error before any work.
func TestUMAPRefusesBadSettings(t *testing.T) {
	m := &projection.Matrix{N: 6, D: 1, Data: []float32{0, 0.1, 10, 10.1, 20, 20.1}}
	nan := math.NaN()
	for _, s := range []projection.UMAPSettings{
		{LearningRate: nan},
		{LearningRate: math.Inf(1)},
		{LearningRate: -1},
		{MinDist: nan},
		{Spread: math.Inf(1)},
		{A: nan, B: 1},
		{A: -1, B: 1},
		{RepulsionStrength: nan},
		{NEpochs: -1},
		{NNeighbors: 1},
	} {
		h := &projection.Hooks{Progress: func(p projection.Progress) { t.Errorf("%+v: work started (%s)", s, p.Stage) }}
		if r, err := projection.UMAP(context.Background(), m, s, h); err == nil || r != nil {
			t.Errorf("%+v accepted", s)
		}
	}
}

// A warm start from a finished layout with another min_dist keeps its
// quality, starts where it was told (the first snapshot is the given
// layout, rescaled), and refuses an initial layout of the wrong size.
func TestUMAPWarmStart(t *testing.T) {
	data, lab, g := umapTestKNN(t)
	ctx := context.Background()
	base, err := projection.UMAPFromKNN(ctx, g, projection.UMAPSettings{Seed: 1, Workers: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var first []float32
	h := &projection.Hooks{Snapshot: func(pos []float32, step int) {
		if first == nil {
			first = append([]float32(nil), pos...)
		}
	}, SnapshotEvery: 50}
	warm, err := projection.UMAPFromKNNAt(ctx, g, projection.UMAPSettings{Seed: 1, Workers: 1, MinDist: 0.8}, base.Layout, h)
	if err != nil {
		t.Fatal(err)
	}
	if warm.Stats.InitMethod != "warm start" {
		t.Errorf("init %q", warm.Stats.InitMethod)
	}
	// The first snapshot is the base layout up to a per-axis affine map:
	// its nearest neighbours are the same.
	a, err := projection.EvaluateLayout(ctx, data, lab, first, projection.MetricSettings{})
	if err != nil || a.KNNAcc10 < 0.85 {
		t.Errorf("first snapshot scores %+v (%v): not the warm layout", a, err)
	}
	// As good as a cold start with the same settings.
	cold, err := projection.UMAPFromKNN(ctx, g, projection.UMAPSettings{Seed: 1, Workers: 1, MinDist: 0.8}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m, err1 := projection.EvaluateLayout(ctx, data, lab, warm.Layout, projection.MetricSettings{})
	c, err2 := projection.EvaluateLayout(ctx, data, lab, cold.Layout, projection.MetricSettings{})
	if err1 != nil || err2 != nil || m.KNNAcc10 < c.KNNAcc10-0.02 || m.Trust15 < c.Trust15-0.01 {
		t.Errorf("min_dist 0.8: warm start scores %+v, cold start %+v (%v, %v)", m, c, err1, err2)
	}
	t.Logf("min_dist 0.8: warm %+v, cold %+v", m, c)
	if _, err := projection.UMAPFromKNNAt(ctx, g, projection.UMAPSettings{}, base.Layout[:10], nil); err == nil {
		t.Error("a short initial layout was accepted")
	}
}
