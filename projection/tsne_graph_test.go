package projection

import (
	"context"
	"math"
	"slices"
	"strings"
	"testing"
)

// A t-SNE variant from a graph kept from another run is the run it would
// have been: the graph for perplexity 30 (90 neighbours, exact at this
// size) cut to 30 neighbours gives perplexity 10's layout bit for bit, and
// a different exaggeration likewise; a perplexity the graph is too small
// for is an error; a warm start is used.
func TestTSNEFromNeighborsMatchesTSNE(t *testing.T) {
	data, _ := blobs(400, 8, 4, 0.5, 3)
	ctx := context.Background()
	base := TSNESettings{Seed: 5, Workers: 2, NIter: 300}
	g, err := TSNENeighbors(ctx, data, base, nil)
	if err != nil {
		t.Fatal(err)
	}
	if g.KNN.K != 90 {
		t.Fatalf("graph of %d neighbours, want 90", g.KNN.K)
	}
	for _, s := range []TSNESettings{
		{Seed: 5, Workers: 2, NIter: 300, Perplexity: 10},
		{Seed: 5, Workers: 2, NIter: 300, EarlyExaggeration: 4},
	} {
		direct, err := TSNE(ctx, data, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		reused, err := TSNEFromNeighbors(ctx, g, nil, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(direct.Layout, reused.Layout) {
			t.Errorf("%+v: the layout from the kept graph differs from TSNE's", s)
		}
	}
	if _, err := TSNEFromNeighbors(ctx, g, nil, TSNESettings{Perplexity: 50}, nil); err == nil || !strings.Contains(err.Error(), "needs 150 neighbours") {
		t.Errorf("perplexity 50 from a 90-NN graph: %v", err)
	}
	// A warm start from a finished layout: fewer iterations keep its shape.
	full, err := TSNEFromNeighbors(ctx, g, nil, base, nil)
	if err != nil {
		t.Fatal(err)
	}
	warm, err := TSNEFromNeighbors(ctx, g, full.Layout, TSNESettings{Seed: 5, Workers: 2, NIter: 50, EarlyExaggerationIters: -1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	_, lab := blobs(400, 8, 4, 0.5, 3)
	if acc := layoutKNNAccuracy(warm.Layout, lab, 10); acc < 0.95 {
		t.Errorf("warm start from a separated layout: 10-NN accuracy %.3f", acc)
	}
	if _, err := TSNEFromNeighbors(ctx, g, make([]float32, 10), base, nil); err == nil {
		t.Error("an initial layout of the wrong length was accepted")
	}
}

// TestNearestInLocalOrder checks the search in a tree's leaf order against
// the exact graph of the same rows, in their own numbering: every row's
// list is sorted, free of itself and of repeats, each distance is that of
// the pair it names (so rows and indices were put back where they
// belong), and recall@90 is that of the forest. Workers do not change the
// graph.
func TestNearestInLocalOrder(t *testing.T) {
	data, _ := blobs(6000, 12, 6, 0.6, 9)
	const k = 90
	s := KNNSettings{Seed: 3, Workers: 2}
	if m := s.withDefaults(data.N, k).Method; m != "forest" {
		t.Fatalf("method %q: the test wants the forest", m)
	}
	g, err := nearestInLocalOrder(testCtx, data, k, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	exact, err := NearestNeighbors(testCtx, data, k, KNNSettings{Method: "exact"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < data.N; i++ {
		idx, dist := g.Neighbors(i)
		seen := map[int32]bool{}
		for c, j := range idx {
			if j < 0 || int(j) == i || seen[j] {
				t.Fatalf("row %d: neighbour %d of %v", i, j, idx)
			}
			seen[j] = true
			var d2 float64
			for q, v := range data.Row(i) {
				d := float64(v) - float64(data.Row(int(j))[q])
				d2 += d * d
			}
			if want := math.Sqrt(d2); math.Abs(float64(dist[c])-want) > 1e-4*(1+want) {
				t.Fatalf("row %d: distance to %d is %g, want %g", i, j, dist[c], want)
			}
			if c > 0 && dist[c] < dist[c-1] {
				t.Fatalf("row %d: distances not sorted: %v", i, dist)
			}
		}
	}
	if r := KNNRecall(g, exact); r < 0.97 {
		t.Errorf("recall@90 %.4f < 0.97", r)
	} else {
		t.Logf("recall@90 %.4f", r)
	}
	one, err := nearestInLocalOrder(testCtx, data, k, KNNSettings{Seed: 3, Workers: 1}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(one.Index, g.Index) || !slices.Equal(one.Dist, g.Dist) {
		t.Error("the graph depends on the number of workers")
	}
}

// streamSource is a Source that is not a *Matrix: rows are copied out of
// m on request, as a dataset's pixels are.
type streamSource struct{ m *Matrix }

func (s streamSource) Dims() (int, int)               { return s.m.N, s.m.D }
func (s streamSource) Rows(dst []float32, lo, hi int) { copy(dst, s.m.Data[lo*s.m.D:hi*s.m.D]) }

// TSNE of a streamed Source (PCA reading it block by block, or, without
// PCA, a copy read from it) is TSNE of the same rows as a *Matrix, bit for
// bit; a nil Source is an error.
func TestTSNEOfStreamedSource(t *testing.T) {
	data, _ := blobs(500, 10, 4, 0.5, 6)
	for _, dims := range []int{4, -1} {
		s := TSNESettings{Seed: 2, Workers: 2, NIter: 200, PCADims: dims}
		want, err := TSNE(testCtx, data, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		got, err := TSNE(testCtx, streamSource{data}, s, nil)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got.Layout, want.Layout) || got.KL != want.KL {
			t.Errorf("PCADims %d: the streamed source's layout differs (KL %g, want %g)", dims, got.KL, want.KL)
		}
	}
	if _, err := TSNE(testCtx, nil, TSNESettings{}, nil); err == nil {
		t.Error("nil source accepted")
	}
}
